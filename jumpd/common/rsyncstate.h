/* rsyncstate: the state of one rsync session's parser (rsyncstream.h's
 * struct, the caller's to own; its fields are rsyncstream.c's and
 * rsyncdata.c's to use) and its fixed limits. Header only. */
#ifndef JB_RSYNCSTATE_H
#define JB_RSYNCSTATE_H
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
#endif
