/* rsyncstream: see rsyncstream.h. The handshake and the multiplexing here;
 * the sender's data stream in rsyncdata.c. */
#include "rsyncstream.h"
#include "rsyncdata.h"

#include <stdio.h>
#include <string.h>

#define CF_VARINT_FLIST_FLAGS (1u << 7)
#define MPLEX_BASE 7

/* handshake steps of each direction */
enum { H_VER, H_COMPAT, H_NSTR, H_SEED, H_DATA };


void rsyncstream_init(struct rsyncstream *p, const struct rsync_cmd *c, const char *path, xfer_event_fn cb,
		      void *ctx)
{
	memset(p, 0, sizeof *p);
	p->cb = cb;
	p->ctx = ctx;
	p->cmd = *c;
	p->cur = -1;
	size_t n = strlen(path);
	if (c->dir == XFER_UPLOAD) { /* the destination; a name without "/" may be the one file's */
		snprintf(p->base, sizeof p->base, "%s", path);
		p->single_dest = n && path[n - 1] != '/';
	} else { /* the source: "dir/" names its contents, "dir" itself (names start with it) */
		const char *slash = strrchr(path, '/');
		if (n && path[n - 1] == '/')
			snprintf(p->base, sizeof p->base, "%s", path);
		else if (slash)
			snprintf(p->base, sizeof p->base, "%.*s", (int)(slash - path + 1), path);
	}
	if (c->unsupported)
		rsyncdata_stop(p, c->unsupported);
}

/* the handshake is over on the sender's side: its data begins (the
 * other side's list may still be on its way: the checksum is chosen when
 * the first one comes) */
static void begin_data(struct rsyncstream *p)
{
	rsyncdata_start(p);
}

/* the version both use, once both are known; 0 (stopped) below 30 */
static int32_t proto_of(struct rsyncstream *p)
{
	if (!p->proto && p->proto_c && p->proto_s) {
		p->proto = p->proto_c < p->proto_s ? p->proto_c : p->proto_s;
		if (p->proto < 30)
			rsyncdata_stop(p, "protocol below 30");
	}
	return p->proto;
}

/* the client's handshake is over: its data (the sender's, in an upload) */
static void client_data(struct rsyncstream *p, struct rsync_dirstate *d)
{
	d->step = H_DATA;
	d->mux = p->cmd.dir == XFER_UPLOAD;
	if (p->cmd.dir == XFER_UPLOAD)
		begin_data(p);
}

/* one handshake byte of direction side (0: client's, 1: server's); 0 if
 * the handshake ended before it (the byte is the data's) */
static int handshake(struct rsyncstream *p, int side, uint8_t b)
{
	struct rsync_dirstate *d = &p->d[side];
	struct rsync_rd *r = &d->rd;
	char *out = side ? p->nstr_s : p->nstr_c;
	switch (d->step) {
	case H_VER:
		r->buf[r->have++] = b;
		if (r->have < 4)
			return 1;
		*(side ? &p->proto_s : &p->proto_c) = (int32_t)((uint32_t)r->buf[0] | (uint32_t)r->buf[1] << 8 |
								 (uint32_t)r->buf[2] << 16 | (uint32_t)r->buf[3] << 24);
		r->have = 0;
		d->step = side ? H_COMPAT : H_NSTR;
		return 1;
	case H_COMPAT: /* a varint of 1 or 2 bytes (rsync's flags fit 14 bits) */
		if (!proto_of(p)) {
			if (!p->stopped)
				rsyncdata_stop(p, "server spoke before the client's version");
			return 1;
		}
		r->buf[r->have++] = b;
		if (r->have == 1)
			d->slen = b < 0x80 ? 1 : b < 0xC0 ? 2 : 0;
		if (!d->slen)
			return rsyncdata_stop(p, "compat flags"), 1;
		if (r->have < d->slen)
			return 1;
		p->compat = d->slen == 1 ? r->buf[0] : (uint32_t)r->buf[1] | (uint32_t)(r->buf[0] & 0x3F) << 8;
		p->have_compat = 1;
		p->negotiated = (p->compat & CF_VARINT_FLIST_FLAGS) != 0;
		r->have = 0;
		d->step = p->negotiated ? H_NSTR : H_SEED;
		return 1;
	case H_NSTR: /* a vstring: length (1 byte, or 2 with 0x80), the names */
		if (side == 0 && !p->have_compat)
			return rsyncdata_stop(p, "client spoke before the compat flags"), 1;
		if (side == 0 && !p->negotiated) { /* no list: this byte is the data's */
			client_data(p, d);
			return 0;
		}
		if (d->vstr_part == 0 || d->vstr_part == 2) {
			d->slen = d->vstr_part ? (uint16_t)(d->slen << 8 | b) : (uint16_t)(b & 0x7F);
			d->vstr_part = !d->vstr_part && (b & 0x80) ? 2 : 1;
			r->have = 0;
			if (d->slen >= RSYNC_NSTR_MAX)
				return rsyncdata_stop(p, "negotiation list too long"), 1;
			if (d->vstr_part == 2 || d->slen)
				return 1;
		} else {
			out[r->have++] = (char)b;
			out[r->have] = 0;
			if (r->have < d->slen)
				return 1;
		}
		r->have = 0;
		d->vstr_part = 0;
		if (side == 1)
			d->step = H_SEED;
		else
			client_data(p, d);
		return 1;
	case H_SEED:
		if (++r->have < 4)
			return 1;
		r->have = 0;
		d->step = H_DATA;
		d->mux = 1;
		if (p->cmd.dir == XFER_DOWNLOAD)
			begin_data(p);
		return 1;
	}
	return 1;
}

/* bytes of direction side */
static void feed(struct rsyncstream *p, int side, const uint8_t *b, size_t n)
{
	struct rsync_dirstate *d = &p->d[side];
	int sender = (side == 0) == (p->cmd.dir == XFER_UPLOAD);
	while (n && !p->stopped && !p->done) {
		if (d->step != H_DATA) {
			if (handshake(p, side, *b))
				b++, n--;
			continue;
		}
		if (!sender)
			return; /* the receiver's side: nothing of it is needed after its handshake */
		if (d->mux && !d->msg_left) {
			d->hdr[d->hdrhave++] = *b++;
			n--;
			if (d->hdrhave < 4)
				continue;
			d->hdrhave = 0;
			d->msg_left = (uint32_t)d->hdr[0] | (uint32_t)d->hdr[1] << 8 | (uint32_t)d->hdr[2] << 16;
			if (d->hdr[3] < MPLEX_BASE)
				return rsyncdata_stop(p, "multiplex header");
			d->msg_data = d->hdr[3] == MPLEX_BASE;
			continue;
		}
		size_t k = d->mux && d->msg_left < n ? d->msg_left : n;
		size_t used = k;
		if (!d->mux || d->msg_data)
			used = rsyncdata_feed(p, b, k);
		if (d->mux)
			d->msg_left -= (uint32_t)used;
		b += used;
		n -= used;
	}
}

void rsyncstream_client(struct rsyncstream *p, const uint8_t *buf, size_t n)
{
	feed(p, 0, buf, n);
}

void rsyncstream_server(struct rsyncstream *p, const uint8_t *buf, size_t n)
{
	feed(p, 1, buf, n);
}

void rsyncstream_end(struct rsyncstream *p)
{
	rsyncdata_end(p);
}
