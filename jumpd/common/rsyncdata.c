/* rsyncdata: see rsyncdata.h. */
#include "rsyncdata.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* the protocol's numbers (rsync.h, compat.c) */
#define XMIT_EXTENDED_FLAGS (1u << 2)
#define XMIT_SAME_MODE (1u << 1)
#define XMIT_SAME_UID (1u << 3)
#define XMIT_SAME_GID (1u << 4)
#define XMIT_SAME_NAME (1u << 5)
#define XMIT_LONG_NAME (1u << 6)
#define XMIT_SAME_TIME (1u << 7)
#define XMIT_SAME_RDEV_MAJOR (1u << 8)
#define XMIT_USER_NAME_FOLLOWS (1u << 10)
#define XMIT_GROUP_NAME_FOLLOWS (1u << 11)
#define XMIT_IO_ERROR_ENDLIST (1u << 12)
#define XMIT_MOD_NSEC (1u << 13)
#define XMIT_SAME_ATIME (1u << 14)
#define XMIT_CRTIME_EQ_MTIME (1u << 17)
#define CF_INC_RECURSE 1u
#define CF_VARINT_FLIST_FLAGS (1u << 7)
#define CF_ID0_NAMES (1u << 8)
#define ITEM_BASIS_TYPE_FOLLOWS (1u << 11)
#define ITEM_XNAME_FOLLOWS (1u << 12)
#define ITEM_TRANSFER (1u << 15)
#define NDX_DONE (-1)
#define NDX_FLIST_EOF (-2)
#define NDX_FLIST_OFFSET (-101)
#define MPLEX_BASE 7

enum { RD_FIX, RD_VARINT, RD_VARLONG, RD_NDX };

/* where the sender's data stream stands */
enum {
	S_FILTER, S_FILTER_SKIP, S_FLAGS, S_FLAGS2, S_IOERR, S_L1, S_L2, S_NAME, S_LEN, S_MTIME, S_NSEC, S_CRTIME,
	S_MODE, S_ATIME, S_UID, S_UNAME_LEN, S_UNAME, S_GID, S_GNAME_LEN, S_GNAME, S_RMAJ, S_RMIN, S_LINK_LEN, S_LINK,
	S_CSUM, S_IDS_ID, S_IDS_LEN, S_IDS_NAME, S_NDX, S_IFLAGS, S_BASIS, S_XNAME_LEN, S_XNAME, S_SUMHEAD,
	S_TOKEN, S_LIT, S_FILESUM, S_DONE
};

static const uint8_t extra_of[64] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6,
};

static void rd_start(struct rsync_rd *r, int kind, int n)
{
	r->kind = (uint8_t)kind;
	r->have = 0;
	r->min = (uint8_t)n;
	r->need = (uint8_t)(kind == RD_VARINT || kind == RD_NDX ? 1 : n);
}

/* Takes one byte; 1 when the value is whole, -1 if it cannot be one. */
static int rd_push(struct rsync_rd *r, uint8_t b)
{
	r->buf[r->have++] = b;
	if (r->have < r->need)
		return 0;
	if (r->kind == RD_VARINT && r->have == 1) {
		r->need = (uint8_t)(1 + extra_of[b / 4]);
		if (r->need > 5)
			return -1;
	} else if (r->kind == RD_VARLONG && r->have == r->min) {
		r->need = (uint8_t)(r->min + extra_of[r->buf[0] / 4]);
		if (r->need > 9)
			return -1;
	} else if (r->kind == RD_NDX) { /* 0 | [FF] (1..FD | FE hi lo | FE 8x b b b) */
		size_t k = r->buf[0] == 0xFF ? 1 : 0;
		if (r->have == 1 && r->buf[0] == 0)
			return 1;
		if (r->have == 1 && k)
			r->need = 2;
		else if (r->have == k + 1)
			r->need = (uint8_t)(k + 1 + (r->buf[k] == 0xFE ? 2 : 0));
		else if (r->have == k + 3 && (r->buf[k + 1] & 0x80))
			r->need = (uint8_t)(k + 5);
	}
	return r->have >= r->need;
}

/* the whole value read (RD_FIX of 1, 2 or 4 bytes, varints) */
static int64_t rd_value(const struct rsync_rd *r)
{
	uint8_t u[9] = {0};
	int64_t v = 0;
	if (r->kind == RD_FIX) {
		for (int i = r->have - 1; i >= 0; i--)
			v = v << 8 | r->buf[i];
		return r->have == 4 ? (int32_t)(uint32_t)v : v;
	}
	size_t lead = r->kind == RD_VARINT ? 1 : r->min, extra = r->have - lead;
	memcpy(u, r->buf + 1, lead - 1 + extra);
	u[lead - 1 + extra] = extra ? (uint8_t)(r->buf[0] & ((1u << (8 - extra)) - 1)) : r->buf[0];
	for (int i = 7; i >= 0; i--)
		v = (int64_t)((uint64_t)v << 8 | u[i]);
	return r->kind == RD_VARINT ? (int32_t)(uint32_t)v : v;
}

void rsyncdata_stop(struct rsyncstream *p, const char *detail)
{
	struct xfer_event ev = {p->cmd.dir, "-", -1, 0, {0}, "unparsed", detail};
	if (p->stopped)
		return;
	p->stopped = 1;
	p->cb(p->ctx, &ev);
}

/* the file's path on the target: base joined with the file list's name */
static void report(struct rsyncstream *p, const struct rsync_entry *e, const char *reason)
{
	char path[RSYNC_NAME_MAX + sizeof p->base + 2];
	struct xfer_event ev = {p->cmd.dir, path, (int64_t)p->literal, 0, {0}, reason, NULL};
	size_t b = strlen(p->base);
	if (p->single_dest && p->nflists == 1 && p->nent == 2) /* the entry and its sentinel */
		snprintf(path, sizeof path, "%s", p->base);
	else
		snprintf(path, sizeof path, "%s%s%.*s", p->base, b && p->base[b - 1] != '/' ? "/" : "", (int)e->len,
			 p->pool + e->name);
	if (!reason) {
		br_sha256_out(&p->sha, ev.sha256);
		ev.sha_known = 1;
	} else if (!strcmp(reason, "delta"))
		ev.size = e->size;
	p->cb(p->ctx, &ev);
}

static void flist_begin(struct rsyncstream *p)
{
	p->flist_first = p->nent;
	p->flist_start = p->next_start;
	p->nflists++;
	p->st = S_FLAGS;
}

static void flist_end(struct rsyncstream *p)
{
	rsyncflist_sort(p, p->flist_first);
	p->ent[p->nent].name = UINT32_MAX; /* add_entry left room for it */
	p->ent[p->nent].isreg = 0;
	p->ent[p->nent].isdir = 1;
	p->ent[p->nent++].len = 0;
	p->next_start = p->flist_start + (p->nent - p->flist_first); /* with the sentinel: +1 */
	p->st = S_NDX;
	rd_start(&p->rd, RD_NDX, 0);
	if (p->nflists == 1 && !(p->compat & CF_INC_RECURSE) && (p->cmd.opts & (RSYNC_O_OWNER | RSYNC_O_GROUP))) {
		p->st = S_IDS_ID;
		p->l1 = (p->cmd.opts & RSYNC_O_OWNER) ? 0 : 1; /* which list: uid, gid */
		p->l2 = 0;
		rd_start(&p->rd, RD_VARINT, 0);
	}
}

/* the entry's fields after its mode, in the order they come */
static void after_mode(struct rsyncstream *p);
static void entry_done(struct rsyncstream *p)
{
	if (rsyncflist_add(p))
		return;
	p->st = S_FLAGS;
	rd_start(&p->rd, (p->compat & CF_VARINT_FLIST_FLAGS) ? RD_VARINT : RD_FIX, 1);
}


/* the checksum both sides chose: the first of the client's names the
 * server has too; its length in bytes (0: none known) */
static uint8_t chosen_sum_len(const struct rsyncstream *p)
{
	static const struct { const char *name; uint8_t len; } known[] = {
		{"xxh128", 16}, {"xxh3", 8}, {"xxh64", 8}, {"xxhash", 8}, {"md5", 16}, {"md4", 16},
		{"sha1", 20}, {"sha256", 32}, {"sha512", 64}, {"none", 1},
	};
	const char *c = p->nstr_c;
	if (!p->negotiated)
		return 16; /* protocol 30+ without negotiation: md5 */
	while (*c) {
		size_t len = strcspn(c, " ");
		const char *s = p->nstr_s;
		while (*s) {
			size_t sl = strcspn(s, " ");
			if (sl == len && !memcmp(s, c, len)) {
				for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
					if (strlen(known[i].name) == len && !memcmp(known[i].name, c, len))
						return known[i].len;
				return 0;
			}
			s += sl + (s[sl] == ' ');
		}
		c += len + (c[len] == ' ');
	}
	return 0;
}

/* the chosen checksum's length, once: 0 (and stopped) if none is known */
static int sum_len(struct rsyncstream *p)
{
	if (!p->sum_len && !(p->sum_len = chosen_sum_len(p)))
		rsyncdata_stop(p, "checksum not known");
	return p->sum_len;
}

static void want(struct rsyncstream *p, int st, int kind, int n)
{
	p->st = (uint8_t)st;
	rd_start(&p->rd, kind, n);
}

/* skips p->left bytes in state st (names of users, groups, links, sums) */
static void skip_then(struct rsyncstream *p, int st, int64_t n)
{
	p->st = (uint8_t)st;
	p->left = n;
}

/* the name's bytes are in: the fields after it */
static void after_name(struct rsyncstream *p)
{
	want(p, S_LEN, RD_VARLONG, 3);
}

static void after_times(struct rsyncstream *p)
{
	if (p->xflags & XMIT_SAME_MODE) {
		p->mode = p->lastmode;
		after_mode(p);
	} else
		want(p, S_MODE, RD_FIX, 4);
}

static void after_mtime(struct rsyncstream *p)
{
	if (p->xflags & XMIT_MOD_NSEC)
		want(p, S_NSEC, RD_VARINT, 0);
	else if ((p->cmd.opts & RSYNC_O_CRTIMES) && !(p->xflags & XMIT_CRTIME_EQ_MTIME))
		want(p, S_CRTIME, RD_VARLONG, 4);
	else
		after_times(p);
}

static void after_gid(struct rsyncstream *p);
static void after_uid(struct rsyncstream *p)
{
	if ((p->cmd.opts & RSYNC_O_GROUP) && !(p->xflags & XMIT_SAME_GID))
		want(p, S_GID, RD_VARINT, 0);
	else
		after_gid(p);
}

static void after_rdev(struct rsyncstream *p)
{
	if ((p->cmd.opts & RSYNC_O_LINKS) && S_ISLNK(p->mode))
		want(p, S_LINK_LEN, RD_VARINT, 0);
	else if ((p->cmd.opts & RSYNC_O_CHECKSUM) && S_ISREG(p->mode)) {
		if (sum_len(p))
			skip_then(p, S_CSUM, p->sum_len);
	} else
		entry_done(p);
}

static void after_gid(struct rsyncstream *p)
{
	int dev = S_ISCHR(p->mode) || S_ISBLK(p->mode), special = S_ISSOCK(p->mode) || S_ISFIFO(p->mode);
	if ((p->cmd.opts & RSYNC_O_DEVICES) && (dev || (special && p->proto < 31))) {
		if (!(p->xflags & XMIT_SAME_RDEV_MAJOR))
			want(p, S_RMAJ, RD_VARINT, 0);
		else
			want(p, S_RMIN, RD_VARINT, 0);
	} else
		after_rdev(p);
}

static void after_mode(struct rsyncstream *p)
{
	if ((p->cmd.opts & RSYNC_O_ATIMES) && !S_ISDIR(p->mode) && !(p->xflags & XMIT_SAME_ATIME))
		want(p, S_ATIME, RD_VARLONG, 4);
	else if ((p->cmd.opts & RSYNC_O_OWNER) && !(p->xflags & XMIT_SAME_UID))
		want(p, S_UID, RD_VARINT, 0);
	else
		after_uid(p);
}

static void next_ndx(struct rsyncstream *p)
{
	want(p, S_NDX, RD_NDX, 0);
}

/* the flags of the next entry, or the end of the list */
static void got_flags(struct rsyncstream *p, uint32_t f)
{
	int varint = (p->compat & CF_VARINT_FLIST_FLAGS) != 0;
	if (varint ? f == 0 : (f == 0 || f == (XMIT_EXTENDED_FLAGS | XMIT_IO_ERROR_ENDLIST))) {
		if (varint || f)
			want(p, S_IOERR, RD_VARINT, 0);
		else
			flist_end(p);
		return;
	}
	p->xflags = f;
	p->l1 = 0;
	if (f & XMIT_SAME_NAME)
		want(p, S_L1, RD_FIX, 1);
	else if (f & XMIT_LONG_NAME)
		want(p, S_L2, RD_VARINT, 0);
	else
		want(p, S_L2, RD_FIX, 1);
}

/* an item's flags (and basis, name) are in: a file's data follows if it is sent */
static void item_done(struct rsyncstream *p)
{
	if (!(p->iflags & ITEM_TRANSFER))
		return next_ndx(p);
	if (p->cur < 0 || !p->ent[p->cur].isreg)
		return rsyncdata_stop(p, "transfer of a non-file");
	p->l1 = 0;
	want(p, S_SUMHEAD, RD_FIX, 4);
}

/* a whole value in state st */
static void value(struct rsyncstream *p, int64_t v)
{
	switch (p->st) {
	case S_FILTER:
		if (v < 0 || v > RSYNC_NAME_MAX)
			return rsyncdata_stop(p, "filter rule length");
		if (v == 0) {
			flist_begin(p);
			rd_start(&p->rd, (p->compat & CF_VARINT_FLIST_FLAGS) ? RD_VARINT : RD_FIX, 1);
		} else
			skip_then(p, S_FILTER_SKIP, v);
		return;
	case S_FLAGS:
		if (!(p->compat & CF_VARINT_FLIST_FLAGS) && (v & XMIT_EXTENDED_FLAGS)) {
			p->xflags = (uint32_t)v;
			want(p, S_FLAGS2, RD_FIX, 1);
			return;
		}
		return got_flags(p, (uint32_t)v);
	case S_FLAGS2:
		return got_flags(p, p->xflags | (uint32_t)v << 8);
	case S_IOERR:
		return flist_end(p);
	case S_L1:
		if (v > p->namelen)
			return rsyncdata_stop(p, "name prefix");
		p->l1 = (uint16_t)v;
		if (p->xflags & XMIT_LONG_NAME)
			want(p, S_L2, RD_VARINT, 0);
		else
			want(p, S_L2, RD_FIX, 1);
		return;
	case S_L2:
		if (v < 0 || v + p->l1 >= RSYNC_NAME_MAX || v + p->l1 == 0)
			return rsyncdata_stop(p, "name length");
		memcpy(p->name, p->lastname, p->l1);
		p->namelen = (uint16_t)(p->l1 + v);
		p->l2 = (uint16_t)v;
		if (!v)
			return after_name(p);
		skip_then(p, S_NAME, v);
		return;
	case S_LEN:
		if (v < 0)
			return rsyncdata_stop(p, "file length");
		p->length = v;
		if (!(p->xflags & XMIT_SAME_TIME))
			want(p, S_MTIME, RD_VARLONG, 4);
		else
			after_mtime(p);
		return;
	case S_MTIME:
		return after_mtime(p);
	case S_NSEC:
		if ((p->cmd.opts & RSYNC_O_CRTIMES) && !(p->xflags & XMIT_CRTIME_EQ_MTIME))
			return want(p, S_CRTIME, RD_VARLONG, 4);
		return after_times(p);
	case S_CRTIME:
		return after_times(p);
	case S_MODE:
		p->mode = (uint32_t)v;
		return after_mode(p);
	case S_ATIME:
		if ((p->cmd.opts & RSYNC_O_OWNER) && !(p->xflags & XMIT_SAME_UID))
			return want(p, S_UID, RD_VARINT, 0);
		return after_uid(p);
	case S_UID: case S_GID: { /* the id; its name with inc_recurse */
		int g = p->st == S_GID;
		if (p->xflags & (g ? XMIT_GROUP_NAME_FOLLOWS : XMIT_USER_NAME_FOLLOWS))
			return want(p, g ? S_GNAME_LEN : S_UNAME_LEN, RD_FIX, 1);
		return g ? after_gid(p) : after_uid(p);
	}
	case S_UNAME_LEN: case S_GNAME_LEN:
		if (v)
			return skip_then(p, p->st == S_GNAME_LEN ? S_GNAME : S_UNAME, v);
		return p->st == S_GNAME_LEN ? after_gid(p) : after_uid(p);
	case S_RMAJ:
		return want(p, S_RMIN, RD_VARINT, 0);
	case S_RMIN:
		return after_rdev(p);
	case S_LINK_LEN:
		if (v < 0 || v >= RSYNC_NAME_MAX)
			return rsyncdata_stop(p, "symlink length");
		if (!v)
			return after_rdev(p);
		return skip_then(p, S_LINK, v);
	case S_IDS_ID: /* uid list, then gid list: id, name; 0 ends (then id 0's name with CF_ID0_NAMES) */
		if (v == 0 && p->l2 == 0 && (p->compat & CF_ID0_NAMES)) {
			p->l2 = 1;
			return want(p, S_IDS_LEN, RD_FIX, 1);
		}
		if (v == 0) {
			if (p->l1 == 0 && (p->cmd.opts & RSYNC_O_GROUP)) {
				p->l1 = 1, p->l2 = 0;
				return want(p, S_IDS_ID, RD_VARINT, 0);
			}
			return next_ndx(p);
		}
		return want(p, S_IDS_LEN, RD_FIX, 1);
	case S_IDS_LEN:
		p->st = S_IDS_NAME;
		p->left = v;
		if (v)
			return;
		/* FALLTHROUGH */
	case S_IDS_NAME:
		if (p->l2 == 1) { /* id 0's name ended its list */
			p->l2 = 0;
			if (p->l1 == 0 && (p->cmd.opts & RSYNC_O_GROUP)) {
				p->l1 = 1;
				return want(p, S_IDS_ID, RD_VARINT, 0);
			}
			return next_ndx(p);
		}
		return want(p, S_IDS_ID, RD_VARINT, 0);
	case S_NDX: {
		int32_t ndx;
		const uint8_t *b = p->rd.buf;
		size_t k = b[0] == 0xFF ? 1 : 0;
		int32_t *prev = k ? &p->prev_neg : &p->prev_pos;
		if (b[0] == 0) {
			/* with incremental lists, one per list rsync is done with
			 * (before the last list's, which ends phase 0) */
			if ((p->compat & CF_INC_RECURSE) && (!p->flist_eof || p->ndone + 1 < p->nflists))
				rsyncflist_drop_oldest(p);
			if (++p->ndone >= p->nflists + 2) /* each list's, both phases', the last */
				p->st = S_DONE;
			else
				next_ndx(p);
			return;
		}
		if (b[k] != 0xFE)
			ndx = *prev + b[k];
		else if (b[k + 1] & 0x80)
			ndx = (int32_t)((uint32_t)b[k + 2] | (uint32_t)b[k + 3] << 8 | (uint32_t)b[k + 4] << 16 |
					(uint32_t)(b[k + 1] & 0x7F) << 24);
		else
			ndx = *prev + (b[k + 1] << 8 | b[k + 2]);
		*prev = ndx;
		if (k)
			ndx = -ndx;
		if (ndx == NDX_FLIST_EOF) {
			p->flist_eof = 1;
			return next_ndx(p);
		}
		if (ndx <= NDX_FLIST_OFFSET) {
			flist_begin(p);
			rd_start(&p->rd, (p->compat & CF_VARINT_FLIST_FLAGS) ? RD_VARINT : RD_FIX, 1);
			return;
		}
		if (ndx < 0)
			return rsyncdata_stop(p, "unknown index");
		p->cur = rsyncflist_entry(p, ndx);
		if (p->cur == -1)
			return rsyncdata_stop(p, "index without a file");
		return want(p, S_IFLAGS, RD_FIX, 2);
	}
	case S_IFLAGS:
		p->iflags = (uint32_t)v;
		if (p->iflags & ITEM_BASIS_TYPE_FOLLOWS)
			return want(p, S_BASIS, RD_FIX, 1);
		/* FALLTHROUGH */
	case S_BASIS:
		if (p->iflags & ITEM_XNAME_FOLLOWS)
			return want(p, S_XNAME_LEN, RD_FIX, 1);
		return item_done(p);
	case S_XNAME:
		return item_done(p);
	case S_XNAME_LEN:
		if (!(p->l2 & 0x8000) && (v & 0x80)) { /* a vstring's length: 1 byte, or 2 with 0x80 */
			p->l2 = (uint16_t)(0x8000 | (v & 0x7F) << 8);
			return want(p, S_XNAME_LEN, RD_FIX, 1);
		}
		if (p->l2 & 0x8000)
			v |= p->l2 & 0x7FFF;
		p->l2 = 0;
		if (v)
			return skip_then(p, S_XNAME, v);
		return item_done(p);
	case S_SUMHEAD: /* count, block length, sum2 length, remainder */
		if (++p->l1 < 4) {
			if (p->l1 == 1 && (v < 0 || v > (1 << 24)))
				return rsyncdata_stop(p, "sum head");
			return want(p, S_SUMHEAD, RD_FIX, 4);
		}
		br_sha256_init(&p->sha);
		p->literal = 0;
		p->matched = 0;
		return want(p, S_TOKEN, RD_FIX, 4);
	case S_TOKEN:
		if (v > 0) {
			if (v > (int64_t)32 << 20)
				return rsyncdata_stop(p, "token length");
			return skip_then(p, S_LIT, v);
		}
		if (v < 0) {
			p->matched = 1;
			return want(p, S_TOKEN, RD_FIX, 4);
		}
		if (sum_len(p))
			skip_then(p, S_FILESUM, p->sum_len);
		return;
	}
}

/* one step of the sender's data: bytes in bulk where it can */
size_t rsyncdata_feed(struct rsyncstream *p, const uint8_t *b, size_t n)
{
	if (p->st == S_DONE || p->stopped)
		return n;
	switch (p->st) {
	case S_FILTER_SKIP: case S_NAME: case S_UNAME: case S_GNAME: case S_LINK: case S_CSUM: case S_IDS_NAME:
	case S_XNAME: case S_LIT: case S_FILESUM: {
		size_t k = n < (uint64_t)p->left ? n : (size_t)p->left;
		if (p->st == S_LIT) {
			br_sha256_update(&p->sha, b, k);
			p->literal += k;
		} else if (p->st == S_NAME)
			memcpy(p->name + p->namelen - p->left, b, k);
		p->left -= (int64_t)k;
		if (p->left)
			return k;
		switch (p->st) {
		case S_FILTER_SKIP: want(p, S_FILTER, RD_FIX, 4); break;
		case S_NAME: after_name(p); break;
		case S_UNAME: after_uid(p); break;
		case S_GNAME: after_gid(p); break;
		case S_LINK: after_rdev(p); break;
		case S_CSUM: entry_done(p); break;
		case S_LIT: want(p, S_TOKEN, RD_FIX, 4); break;
		case S_FILESUM:
			report(p, &p->ent[p->cur], p->matched ? "delta" : NULL);
			next_ndx(p);
			break;
		default: value(p, 0); break; /* the end of an id's or xname's bytes */
		}
		return k;
	}
	default: {
		int r = rd_push(&p->rd, b[0]);
		if (r < 0)
			rsyncdata_stop(p, "integer overflow");
		else if (r > 0)
			value(p, p->rd.kind == RD_NDX ? 0 : rd_value(&p->rd));
		return 1;
	}
	}
}

void rsyncdata_start(struct rsyncstream *p)
{
	p->first_start = (p->compat & CF_INC_RECURSE) ? 1 : 0;
	p->prev_pos = -1;
	p->prev_neg = 1;
	if (p->cmd.dir == XFER_UPLOAD && (p->cmd.opts & RSYNC_O_FILTERS))
		want(p, S_FILTER, RD_FIX, 4);
	else {
		flist_begin(p);
		rd_start(&p->rd, (p->compat & CF_VARINT_FLIST_FLAGS) ? RD_VARINT : RD_FIX, 1);
	}
}

void rsyncdata_end(struct rsyncstream *p)
{
	if (!p->stopped && p->st >= S_SUMHEAD && p->st <= S_FILESUM && p->cur >= 0)
		report(p, &p->ent[p->cur], "incomplete");
	p->stopped = 1;
}
