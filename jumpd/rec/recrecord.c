/* recrecord: see recrecord.h. */
#include "recrecord.h"
#include "../common/monotime.h"

#include <string.h>

/* one encoded event, all of its data at once (or the header line) */
static char encoded[CAST_EVENT_MAX(RECRECORD_MAX_EVENT + 4) + 1024];
static uint8_t joined[RECRECORD_MAX_EVENT + 4];

static int put(struct recrecord *r, const char *p, size_t n)
{
	int rc = recspool_put(r->spool, &r->rc, (const uint8_t *)p, n);
	return rc < 0 ? rc : 0;
}

int recrecord_flush(struct recrecord *r, int whole)
{
	size_t n = whole ? r->plen - r->plen % RECRECORD_CHUNK : r->plen;
	if (n == 0 || r->stopped)
		return 0;
	int rc = put(r, r->pend, n);
	if (rc)
		return rc;
	memmove(r->pend, r->pend + n, r->plen - n);
	r->plen -= n;
	r->pend_since_ms = r->plen ? mono_ms() : 0;
	return 0;
}

/* appends one encoded line to the pending text, putting whole chunks */
static int append(struct recrecord *r, const char *line, size_t n)
{
	if (r->stopped)
		return 0;
	while (n) {
		size_t k = sizeof r->pend - r->plen;
		if (k > n)
			k = n;
		if (!r->plen)
			r->pend_since_ms = mono_ms();
		memcpy(r->pend + r->plen, line, k);
		r->plen += k;
		line += k;
		n -= k;
		if (r->plen >= RECRECORD_CHUNK) {
			int rc = recrecord_flush(r, 1);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int recrecord_begin(struct recrecord *r, struct recspool *spool, const char *session, unsigned cols,
		    unsigned rows, const char *term, const char *cmd, int64_t unix_s, int64_t now_us)
{
	memset(r, 0, sizeof *r);
	r->spool = spool;
	r->t0_us = now_us;
	r->last_mark_ms = now_us / 1000;
	recchain_init(&r->rc, session);
	int n = cast_header(encoded, sizeof encoded, cols, rows, unix_s, NULL, term, cmd);
	if (n < 0)
		n = cast_header(encoded, sizeof encoded, cols, rows, unix_s, NULL, "xterm", NULL);
	if (n < 0)
		return -1;
	int rc = append(r, encoded, (size_t)n);
	if (rc == 0)
		rc = recrecord_event(r, 'm', (const uint8_t *)"start", 5, now_us);
	return rc ? rc : recrecord_flush(r, 0);
}

int recrecord_event(struct recrecord *r, char code, const uint8_t *p, size_t n, int64_t now_us)
{
	size_t used = 0, total = n;
	const uint8_t *data = p;
	if (r->stopped)
		return 0;
	if (n > RECRECORD_MAX_EVENT)
		n = total = RECRECORD_MAX_EVENT;
	if (code == 'o' && r->nkeep) {
		memcpy(joined, r->keep, r->nkeep);
		memcpy(joined + r->nkeep, p, n);
		total = r->nkeep + n;
		data = joined;
		r->nkeep = 0;
	}
	int64_t t = now_us - r->t0_us;
	int len = cast_event(encoded, sizeof encoded, t < 0 ? 0 : t, code, data, total, &used);
	if (len < 0)
		return -1;
	if (code == 'o' && used < total) {
		size_t rest = total - used;
		if (rest > sizeof r->keep)
			rest = sizeof r->keep; /* cannot happen: a UTF-8 sequence is at most 4 bytes */
		memcpy(r->keep, data + total - rest, rest);
		r->nkeep = rest;
	}
	if (used == 0 && total > 0)
		return 0; /* nothing but the start of a character yet */
	return append(r, encoded, (size_t)len);
}

int recrecord_tick(struct recrecord *r, int64_t now_ms)
{
	if (r->plen && now_ms - r->pend_since_ms >= RECRECORD_FLUSH_MS)
		return recrecord_flush(r, 0);
	return 0;
}

int recrecord_mark_due(const struct recrecord *r, int64_t now_ms)
{
	return !r->stopped && r->rc.next_chunk > r->marked_chunks && now_ms - r->last_mark_ms >= RECRECORD_MARK_MS;
}

void recrecord_marked(struct recrecord *r, int64_t now_ms)
{
	r->marked_chunks = r->rc.next_chunk;
	r->last_mark_ms = now_ms;
}
