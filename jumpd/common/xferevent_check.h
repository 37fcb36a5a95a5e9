/* xferevent_check: for unit tests and fuzz harnesses of the transfer
 * parsers only. A recorder of the FILE events a parser reports, checking
 * as it goes what holds for every event (an "unparsed" one has path "-",
 * size -1, no SHA-256 and a detail; a file has a size >= 0 and a path that
 * fits, and with a reason, "incomplete" or rsync's "delta", no SHA-256;
 * nothing comes after "unparsed") and, when given the files a
 * session should report, that the events are exactly those. Also the
 * harnesses' raw input format (chunks for either direction). */
#ifndef JB_XFEREVENT_CHECK_H
#define JB_XFEREVENT_CHECK_H
#include "xferevent.h"
#include <bearssl.h>
#include <stdio.h>
#include <string.h>

#define XFER_CHECK_MAX 64

struct xfer_check {
	int n, unparsed, after_unparsed, bad;
	/* what came, in order */
	enum xfer_dir dir[XFER_CHECK_MAX];
	char path[XFER_CHECK_MAX][1024];
	int64_t size[XFER_CHECK_MAX];
	int sha_known[XFER_CHECK_MAX];
	uint8_t sha[XFER_CHECK_MAX][32];
	const char *reason[XFER_CHECK_MAX], *detail[XFER_CHECK_MAX];
	/* with expect: what must come, the files only, in order */
	int expect, nwant, mismatch;
	enum xfer_dir want_dir[XFER_CHECK_MAX];
	char want_path[XFER_CHECK_MAX][256];
	int64_t want_size[XFER_CHECK_MAX];
	uint8_t want_sha[XFER_CHECK_MAX][32];
};

static inline void xfer_sha256(const void *data, size_t n, uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, data, n);
	br_sha256_out(&c, out);
}

/* 1 if got is the SHA-256 of data[0..n) */
static inline int xfer_sha_is(const uint8_t got[32], const void *data, size_t n)
{
	uint8_t want[32];
	xfer_sha256(data, n, want);
	return !memcmp(got, want, 32);
}

/* the xfer_event_fn: ctx is a struct xfer_check */
static inline void xfer_check_event(void *ctx, const struct xfer_event *ev)
{
	struct xfer_check *c = ctx;
	int i = c->n;
	if (c->unparsed)
		c->after_unparsed = 1;
	if (ev->reason && !strcmp(ev->reason, "unparsed")) {
		if (strcmp(ev->path, "-") || ev->size != -1 || ev->sha_known || !ev->detail)
			c->bad = 1;
		c->unparsed++;
	} else if (ev->size < 0 || strlen(ev->path) >= 1024 ||
		   (ev->reason && strcmp(ev->reason, "incomplete") && strcmp(ev->reason, "delta")) ||
		   (ev->reason && ev->sha_known)) {
		c->bad = 1;
	} else if (c->expect) {
		int w = i - c->unparsed;
		if (w >= c->nwant || ev->dir != c->want_dir[w] || strcmp(ev->path, c->want_path[w]) ||
		    ev->size != c->want_size[w] || !ev->sha_known || ev->reason || memcmp(ev->sha256, c->want_sha[w], 32))
			c->mismatch = 1;
	}
	if (i >= XFER_CHECK_MAX)
		return;
	c->dir[i] = ev->dir;
	snprintf(c->path[i], sizeof c->path[i], "%s", ev->path);
	c->size[i] = ev->size;
	c->sha_known[i] = ev->sha_known;
	memcpy(c->sha[i], ev->sha256, 32);
	c->reason[i] = ev->reason;
	c->detail[i] = ev->detail;
	c->n++;
}

/* 1 if the events were exactly the files expected (and no other) */
static inline int xfer_check_exact(const struct xfer_check *c)
{
	return !c->bad && !c->mismatch && !c->unparsed && c->n == c->nwant;
}

/* feeds a harness's raw input: d[0] is the harness's, then chunks of a
 * header byte (length << 1 | which) and the bytes; which 0 goes to a, 1 to b */
static inline void xfer_feed_raw(const uint8_t *d, size_t n, void (*a)(void *, const uint8_t *, size_t),
				 void (*b)(void *, const uint8_t *, size_t), void *parser)
{
	for (size_t i = 1; i < n;) {
		size_t k = d[i] >> 1;
		int second = d[i] & 1;
		i++;
		if (k > n - i)
			k = n - i;
		(second ? b : a)(parser, d + i, k);
		i += k;
	}
}

/* a harness's entry: the first byte odd runs GENERATED, even runs RAW */
#define XFER_FUZZ_TWO_WAYS(GENERATED, RAW)                               \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);    \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)     \
	{                                                                \
		if (size > 0 && (data[0] & 1))                           \
			GENERATED(data, size);                           \
		else if (size > 0)                                       \
			RAW(data, size);                                 \
		return 0;                                                \
	}
#endif
