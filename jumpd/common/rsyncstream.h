/* rsyncstream: follows one rsync session (protocol 30, 31 or 32: rsync
 * 3.0 to 3.5 as Debian 12/13 ship them) in both directions and reports one
 * FILE event (xferevent.h) per file the sender's stream carries: the path
 * (the command's path joined with the file list's name, see
 * rsyncstream_init), the size (the file list's length) and the SHA-256 of
 * the literal data the token stream carries.
 *
 * What it reads (facts from rsync's own source, no code of it): each side's
 * 4-byte protocol version; from the server, for protocol >= 30, the compat
 * flags (varint), the negotiated checksum (and compression) name lists
 * (vstrings, from both sides when CF_VARINT_FLIST_FLAGS is set) and the
 * 4-byte checksum seed; then the sender's multiplexed stream (4-byte
 * headers: tag 7 + MSG_*, 24-bit length; only MSG_DATA's bytes are the
 * stream, every other message is passed over by its length): the filter
 * list when the receiver wants one, the file list (flags, name prefix
 * compression, size varlong, mtime varlong, mode, uid/gid and names,
 * rdev, symlink target, checksum), incremental file lists (ndx at or
 * below NDX_FLIST_OFFSET), and per file ndx + item flags + the sum head +
 * the token stream (n > 0: n literal bytes; n < 0: a block match; 0: the
 * end) + the whole-file checksum. ndx maps to the file by rsync's sort of
 * each file list (files before directories of one directory, directories
 * compared with their trailing "/").
 *
 * A file whose token stream has a block match (a delta against a basis
 * the recorder cannot see) is reported with its size and sha256 unknown
 * and reason "delta"; nothing is guessed. Anything else it cannot follow
 * (a value out of range, a protocol below 30, more than RSYNC_ENTRIES_MAX
 * entries or RSYNC_POOL bytes of names, an index it has no file for)
 * stops it: one event with reason "unparsed" and a detail; the bytes
 * still relay (the caller never stops the data for it). Fixed memory:
 * the caller's struct (about 120 KiB: keep it off the stack); nothing is
 * allocated; literal data is hashed as it streams by. */
#ifndef JB_RSYNCSTREAM_H
#define JB_RSYNCSTREAM_H
#include "rsyncparse.h"
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

#define RSYNC_ENTRIES_MAX 2048      /* file list entries kept at once (with incremental lists, the lists rsync is done with are let go) */
#define RSYNC_POOL (64 * 1024)      /* bytes of their names */
#define RSYNC_NAME_MAX 4096         /* one name (rsync's MAXPATHLEN) */
#define RSYNC_NSTR_MAX 256          /* a negotiation list */

struct rsync_entry {
	uint32_t name;   /* offset in pool */
	uint16_t len;
	uint8_t isdir, isreg;
	int64_t size;
};

/* a value being read from one stream */
struct rsync_rd {
	uint8_t buf[16];
	uint8_t have, need, kind, min;
};

/* one direction's bytes: handshake step and multiplex framing */
struct rsync_dirstate {
	uint8_t step;        /* handshake steps, then the data */
	uint8_t hdrhave, hdr[4];
	uint8_t mux;         /* the stream is multiplexed */
	uint32_t msg_left;   /* bytes left in the current message */
	uint8_t msg_data;    /* it is MSG_DATA */
	struct rsync_rd rd;
	uint16_t slen;       /* a vstring's length */
	uint8_t vstr_part;
};

struct rsyncstream {
	xfer_event_fn cb;
	void *ctx;
	struct rsync_cmd cmd;
	char base[1024];     /* what names are joined to */
	uint8_t single_dest; /* an upload to a path without "/": one file goes there */
	uint8_t stopped, done;
	int32_t proto_c, proto_s, proto;
	uint32_t compat;
	uint8_t have_compat, negotiated, sum_len;
	char nstr_c[RSYNC_NSTR_MAX], nstr_s[RSYNC_NSTR_MAX];
	struct rsync_dirstate d[2];  /* [0] client to server, [1] server to client */
	/* the sender's data stream */
	uint8_t st;          /* where it stands (rsyncstream.c's S_*) */
	struct rsync_rd rd;
	uint32_t xflags, mode, lastmode;
	int64_t length, left;
	uint16_t l1, l2, namelen;
	char name[RSYNC_NAME_MAX], lastname[RSYNC_NAME_MAX];
	int32_t prev_pos, prev_neg;  /* ndx's delta encoding */
	uint32_t nflists, ndone, flist_first, flist_start, next_start;
	uint32_t first_start; /* the index of the oldest list kept */
	uint8_t flist_eof;    /* NDX_FLIST_EOF came: no more lists */
	uint32_t nent;
	struct rsync_entry ent[RSYNC_ENTRIES_MAX];
	uint32_t pool_used;
	char pool[RSYNC_POOL];
	/* the file being sent */
	int32_t cur;         /* its entry */
	uint32_t iflags;
	uint8_t matched;
	uint64_t literal;
	br_sha256_context sha;
};

/* Starts a parser for the session that runs cmd (rsyncparse_command's
 * result c and first path). A command a stream parser cannot follow
 * (c->unsupported) is reported at once: one event, reason "unparsed", the
 * phrase as detail, and nothing more. cb gets each event (it and its
 * strings live only during the call). */
void rsyncstream_init(struct rsyncstream *p, const struct rsync_cmd *c, const char *path, xfer_event_fn cb,
		      void *ctx);

/* Feeds bytes the client sent (user to target) / the server sent. */
void rsyncstream_client(struct rsyncstream *p, const uint8_t *buf, size_t n);
void rsyncstream_server(struct rsyncstream *p, const uint8_t *buf, size_t n);

/* Both streams ended: a file cut short is reported, reason "incomplete". */
void rsyncstream_end(struct rsyncstream *p);
#endif
