/* sftpparse: SFTP v3, both directions, one FILE event per file handle
 * that moved data (see sftpparse.h). */
#include "sftpparse.h"

#include <string.h>

enum { FXP_INIT = 1, FXP_VERSION = 2, FXP_OPEN = 3, FXP_CLOSE = 4, FXP_READ = 5, FXP_WRITE = 6,
       FXP_STATUS = 101, FXP_HANDLE = 102, FXP_DATA = 103, FXP_EXTENDED = 200 };
enum { FXF_WRITE = 0x02 };
enum { PH_LENGTH, PH_HEAD, PH_DATA, PH_SKIP };
enum { F_FREE, F_OPENING, F_OPEN };
enum { FROM_CLIENT, FROM_SERVER };

/* a cursor over a packet's parsed head */
struct rd {
	const uint8_t *p;
	size_t len, at;
	int bad;
};

static uint32_t get_u32(struct rd *r)
{
	if (r->bad || r->len - r->at < 4) {
		r->bad = 1;
		return 0;
	}
	const uint8_t *b = r->p + r->at;
	r->at += 4;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t hi = get_u32(r);
	return hi << 32 | get_u32(r);
}

/* a string of at most max bytes; NULL (and r->bad) if it is longer or cut */
static const uint8_t *get_string(struct rd *r, uint32_t *n, uint32_t max)
{
	*n = get_u32(r);
	if (r->bad || *n > max || r->len - r->at < *n) {
		r->bad = 1;
		return NULL;
	}
	r->at += *n;
	return r->p + r->at - *n;
}

static void report_side(struct sftpparse *p, struct sftp_file *f, int dir, const char *reason)
{
	struct sftp_side *s = &f->side[dir];
	struct xfer_event ev = { .dir = (enum xfer_dir)dir, .path = f->path, .size = (int64_t)s->bytes,
				 .reason = s->cut ? "incomplete" : reason };
	if (!s->moved)
		return;
	if (!ev.reason && !s->unordered) {
		ev.sha_known = 1;
		br_sha256_out(&s->sha, ev.sha256);
	}
	p->cb(p->ctx, &ev);
}

static void file_close(struct sftpparse *p, struct sftp_file *f, const char *reason)
{
	if (f->state == F_OPEN) {
		report_side(p, f, XFER_UPLOAD, reason);
		report_side(p, f, XFER_DOWNLOAD, reason);
	}
	f->state = F_FREE;
}

static void unparsed(struct sftpparse *p, int from, const char *why)
{
	struct xfer_event ev = { .dir = from == FROM_CLIENT ? XFER_UPLOAD : XFER_DOWNLOAD, .path = "-",
				 .size = -1, .reason = "unparsed", .detail = why };
	if (p->stopped)
		return;
	p->stopped = 1;
	for (int i = 0; i < SFTP_FILES_MAX; i++)
		file_close(p, &p->files[i], "incomplete");
	p->cb(p->ctx, &ev);
}

void sftpparse_init(struct sftpparse *p, xfer_event_fn cb, void *ctx)
{
	memset(p, 0, sizeof *p);
	p->cb = cb;
	p->ctx = ctx;
}

static struct sftp_file *by_handle(struct sftpparse *p, const uint8_t *h, uint32_t n)
{
	for (int i = 0; i < SFTP_FILES_MAX; i++) {
		struct sftp_file *f = &p->files[i];
		if (f->state == F_OPEN && f->handle_len == n && !memcmp(f->handle, h, n))
			return f;
	}
	return NULL;
}

/* the outstanding READ with this request id, or NULL */
static struct sftp_read *read_by_id(struct sftpparse *p, uint32_t id)
{
	for (int i = 0; i < SFTP_READS_MAX; i++)
		if (p->reads[i].used && p->reads[i].id == id)
			return &p->reads[i];
	return NULL;
}

static void side_start(struct sftp_side *s)
{
	if (!s->moved) {
		s->moved = 1;
		br_sha256_init(&s->sha);
	}
}

/* a WRITE's or DATA's bytes at offset, len of them, go to side s (or nowhere) */
static void data_start(struct sftp_stream *st, struct sftp_side *s, uint64_t offset, uint32_t len)
{
	st->to = s;
	st->data_left = len;
	st->phase = len ? PH_DATA : PH_LENGTH;
	if (!s)
		return;
	side_start(s);
	if (offset != s->next)
		s->unordered = 1;
	s->next = offset + len;
	s->bytes += len;
}

static const char *client_packet(struct sftpparse *p, struct sftp_stream *st, struct rd *r, uint8_t type)
{
	uint32_t id = get_u32(r), n;
	const uint8_t *s;
	struct sftp_file *f;
	if (type == FXP_INIT)
		return NULL;
	switch (type) {
	case FXP_OPEN: {
		s = get_string(r, &n, SFTP_PATH_MAX - 1);
		uint32_t pflags = get_u32(r);
		if (r->bad)
			return "bad OPEN (or its path too long)";
		for (f = p->files; f < p->files + SFTP_FILES_MAX && f->state != F_FREE; f++)
			;
		if (f == p->files + SFTP_FILES_MAX)
			return "too many open files";
		memset(f, 0, sizeof *f);
		f->state = F_OPENING;
		f->open_id = id;
		f->gen = ++p->gen;
		memcpy(f->path, s, n);
		f->path[n] = 0;
		if (memchr(f->path, 0, n))
			return "NUL in a path";
		if (pflags & FXF_WRITE)
			side_start(&f->side[XFER_UPLOAD]);
		return NULL;
	}
	case FXP_CLOSE:
		s = get_string(r, &n, SFTP_HANDLE_MAX);
		if (r->bad)
			return "bad CLOSE";
		if ((f = by_handle(p, s, n)))
			file_close(p, f, NULL);
		return NULL;
	case FXP_READ: {
		s = get_string(r, &n, SFTP_HANDLE_MAX);
		uint64_t offset = get_u64(r);
		get_u32(r);
		if (r->bad)
			return "bad READ";
		if (!(f = by_handle(p, s, n)))
			return NULL; /* not a file we follow: the server refuses it */
		struct sftp_read *rq;
		for (rq = p->reads; rq < p->reads + SFTP_READS_MAX && rq->used; rq++)
			;
		if (rq == p->reads + SFTP_READS_MAX)
			return "too many outstanding reads";
		*rq = (struct sftp_read){ .used = 1, .id = id, .gen = f->gen, .slot = (uint8_t)(f - p->files),
					  .offset = offset };
		side_start(&f->side[XFER_DOWNLOAD]);
		return NULL;
	}
	case FXP_WRITE: {
		s = get_string(r, &n, SFTP_HANDLE_MAX);
		uint64_t offset = get_u64(r);
		uint32_t len = get_u32(r);
		if (r->bad || len != st->pktlen - r->at)
			return "bad WRITE";
		f = by_handle(p, s, n);
		data_start(st, f ? &f->side[XFER_UPLOAD] : NULL, offset, len);
		return NULL;
	}
	case FXP_EXTENDED:
		/* OpenSSH's copy-data: the server copies between two handles
		 * (sftp's cp): bytes the streams never carry land in the file */
		s = get_string(r, &n, 64);
		if (!r->bad && n == 9 && !memcmp(s, "copy-data", 9)) {
			get_string(r, &n, SFTP_HANDLE_MAX);
			get_u64(r), get_u64(r);
			s = get_string(r, &n, SFTP_HANDLE_MAX);
			if (r->bad)
				return "bad copy-data";
			if ((f = by_handle(p, s, n))) {
				side_start(&f->side[XFER_UPLOAD]);
				f->side[XFER_UPLOAD].unordered = 1;
			}
		}
		return NULL;
	default:
		return NULL;
	}
}

static const char *server_packet(struct sftpparse *p, struct sftp_stream *st, struct rd *r, uint8_t type)
{
	uint32_t id = get_u32(r), n;
	const uint8_t *s;
	if (type == FXP_VERSION)
		return id == 3 ? NULL : "SFTP version other than 3";
	struct sftp_read *rq = read_by_id(p, id);
	struct sftp_file *f = NULL;
	if (rq) {
		rq->used = 0;
		if (p->files[rq->slot].state == F_OPEN && p->files[rq->slot].gen == rq->gen)
			f = &p->files[rq->slot];
	}
	switch (type) {
	case FXP_HANDLE:
		s = get_string(r, &n, SFTP_HANDLE_MAX);
		if (r->bad)
			return "bad HANDLE";
		for (int i = 0; i < SFTP_FILES_MAX; i++) {
			struct sftp_file *o = &p->files[i];
			if (o->state == F_OPENING && o->open_id == id) {
				o->state = F_OPEN;
				o->handle_len = (uint16_t)n;
				memcpy(o->handle, s, n);
				break;
			}
		}
		return NULL;
	case FXP_STATUS: /* an OPEN that failed frees its slot */
		for (int i = 0; i < SFTP_FILES_MAX; i++)
			if (p->files[i].state == F_OPENING && p->files[i].open_id == id)
				p->files[i].state = F_FREE;
		return NULL;
	case FXP_DATA: {
		uint32_t len = get_u32(r);
		if (r->bad || len != st->pktlen - r->at)
			return "bad DATA";
		data_start(st, f ? &f->side[XFER_DOWNLOAD] : NULL, rq ? rq->offset : 0, len);
		return NULL;
	}
	default:
		return NULL;
	}
}

/* the head of a packet is in: parse it; returns NULL or why not */
static const char *packet(struct sftpparse *p, int from, struct sftp_stream *st)
{
	uint8_t type = st->head[0];
	struct rd r = { .p = st->head, .len = st->headlen, .at = 1 };
	int first = !st->seen;
	st->seen = 1;
	if (first && type != (from == FROM_CLIENT ? FXP_INIT : FXP_VERSION))
		return from == FROM_CLIENT ? "no INIT" : "no VERSION";
	st->phase = st->got == st->pktlen ? PH_LENGTH : PH_SKIP;
	st->to = NULL;
	return from == FROM_CLIENT ? client_packet(p, st, &r, type) : server_packet(p, st, &r, type);
}

/* how much of a packet to parse, from what of it is in: WRITE and DATA
 * stop where their data starts, the rest parse up to SFTP_HEAD_MAX */
static uint32_t head_size(const struct sftp_stream *st, int from)
{
	uint32_t all = st->pktlen < SFTP_HEAD_MAX ? st->pktlen : SFTP_HEAD_MAX;
	uint32_t upto_9 = st->pktlen < 9 ? st->pktlen : 9;
	uint8_t type = st->head[0];
	if (st->headlen == 0)
		return 1;
	if (from == FROM_SERVER && type == FXP_DATA)
		return upto_9; /* type, id, data length */
	if (from == FROM_CLIENT && type == FXP_WRITE) {
		if (st->headlen < 9)
			return upto_9; /* type, id, handle length */
		uint32_t h = (uint32_t)st->head[5] << 24 | (uint32_t)st->head[6] << 16 | (uint32_t)st->head[7] << 8 | st->head[8];
		uint32_t want = h > SFTP_HANDLE_MAX ? 9 : 9 + h + 12;
		return want < all ? want : all;
	}
	return all;
}

static void feed(struct sftpparse *p, int from, const uint8_t *b, size_t n)
{
	struct sftp_stream *st = &p->stream[from];
	while (n > 0 && !p->stopped) {
		size_t k;
		switch (st->phase) {
		case PH_LENGTH:
			st->lenbuf[st->lenhave++] = *b++;
			n--;
			if (st->lenhave < 4)
				continue;
			st->lenhave = 0;
			st->pktlen = (uint32_t)st->lenbuf[0] << 24 | (uint32_t)st->lenbuf[1] << 16 |
				     (uint32_t)st->lenbuf[2] << 8 | st->lenbuf[3];
			if (st->pktlen == 0 || st->pktlen > SFTP_PACKET_MAX) {
				unparsed(p, from, "bad packet length");
				return;
			}
			st->got = st->headlen = 0;
			st->head_want = 1;
			st->phase = PH_HEAD;
			continue;
		case PH_HEAD: {
			k = st->head_want - st->headlen < n ? st->head_want - st->headlen : n;
			memcpy(st->head + st->headlen, b, k);
			st->headlen += (uint32_t)k, st->got += (uint32_t)k, b += k, n -= k;
			if (st->headlen < st->head_want)
				continue;
			uint32_t want = head_size(st, from);
			if (want > st->headlen) {
				st->head_want = want;
				continue;
			}
			const char *why = packet(p, from, st);
			if (why)
				unparsed(p, from, why);
			continue;
		}
		case PH_DATA:
			k = st->data_left < n ? st->data_left : n;
			if (st->to && !st->to->unordered)
				br_sha256_update(&st->to->sha, b, k);
			st->data_left -= (uint32_t)k, st->got += (uint32_t)k, b += k, n -= k;
			if (st->data_left == 0)
				st->phase = PH_LENGTH;
			continue;
		default: /* PH_SKIP */
			k = st->pktlen - st->got < n ? st->pktlen - st->got : n;
			st->got += (uint32_t)k, b += k, n -= k;
			if (st->got == st->pktlen)
				st->phase = PH_LENGTH;
			continue;
		}
	}
}

void sftpparse_client(struct sftpparse *p, const uint8_t *buf, size_t n)
{
	feed(p, FROM_CLIENT, buf, n);
}

void sftpparse_server(struct sftpparse *p, const uint8_t *buf, size_t n)
{
	feed(p, FROM_SERVER, buf, n);
}

void sftpparse_end(struct sftpparse *p)
{
	if (p->stopped)
		return;
	for (int from = 0; from < 2; from++)
		if (p->stream[from].phase == PH_DATA && p->stream[from].to)
			p->stream[from].to->cut = 1; /* cut short: not the file's bytes */
	for (int i = 0; i < SFTP_FILES_MAX; i++)
		file_close(p, &p->files[i], NULL);
	p->stopped = 1;
}
