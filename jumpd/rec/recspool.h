/* recspool: the recording trail's writer: /state/rec/spool, an append-only
 * file of REC_DATA records (recchain.h), one per line, with its own
 * sequenceId and line chain. jumprec is its only writer; the second
 * jumpship instance reads it (0640, group-readable) and ships it.
 *
 * Opening and recovery are jumpd's audit spool's (jumpd/daemon/spool.h,
 * reused, not copied): created 0640, the torn tail of a power cut (an
 * unterminated line, at most one whole but invalid last line) cut, the
 * sequence and chain continued from the last whole record, damage further
 * back refused. Appends are not synced one by one: recspool_sync makes
 * them durable (jumprec calls it at each REC_CHECKPOINT and at REC_END,
 * before jumpd records the chain value). The size bound is kept whole: a
 * put that would pass it writes nothing (-2), so the trail never ends in
 * a half-written session data burst it cannot account for.
 * Caller-owned struct, no allocation. */
#ifndef JB_RECSPOOL_H
#define JB_RECSPOOL_H
#include "recchain.h"
#include "../daemon/spool.h"

#include <stddef.h>
#include <stdint.h>

struct recspool {
	struct spool sp;   /* fd, seq (last record), last (the next prev), size, max_size, host, version, pid */
	long torn_bytes;   /* cut by recovery at open */
};

/* Opens or creates the spool at path (0640), recovers seq/prev from its
 * last whole line (a torn tail is cut: s->torn_bytes), sets the bound
 * (max_bytes: the file never grows past it). The origin swVersion is the
 * image's (/etc/jumpbox-version, "unknown" without it). Returns 0, or -1
 * with a reason in err. */
int recspool_open(struct recspool *s, const char *path, uint64_t max_bytes, const char *host, char *err,
		  size_t errlen);

/* Appends raw (any length; cut into chunks of at most RECCHAIN_CHUNK_MAX)
 * as REC_DATA records of rc's session, advancing rc. Returns 0; -1 on an
 * I/O error (the file is cut back, rc unchanged); -2 if the bound would be
 * passed (nothing written, rc unchanged). len 0 writes nothing. */
int recspool_put(struct recspool *s, struct recchain *rc, const uint8_t *raw, size_t len);

/* Makes every record written so far durable (fdatasync). Returns 0, or -1. */
int recspool_sync(struct recspool *s);

void recspool_close(struct recspool *s);

/* Crash recovery: the chain after the last whole REC_DATA of session in
 * the spool at path, recomputed from its chunks (rc->next_chunk 0 and
 * chain_-1 if there is none). Returns 0; -1 if the file cannot be read or
 * the session's chunks there do not follow or do not chain (damage: the
 * chain values would be a guess). */
int recspool_last(const char *path, const char *session, struct recchain *rc);
#endif
