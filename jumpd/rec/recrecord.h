/* recrecord: one session's recording. Owns turning what the session
 * shows into asciicast v2 text (cast.h: the header, 'o', 'i', 'r', 'm'
 * events, an incomplete UTF-8 sequence held over to the next output) and
 * that text into chunks of the recording trail (recspool.h, the chain in
 * recchain.h): text is gathered up to whole chunks and put when a chunk is
 * full or RECRECORD_FLUSH_MS after it started, so a keystroke echo is one
 * small write at most every few hundred milliseconds, not one record. Also
 * when a REC_CHECKPOINT is due (at most one a second, while chunks come).
 * Fixed buffers, no allocation. */
#ifndef JB_RECRECORD_H
#define JB_RECRECORD_H
#include "cast.h"
#include "recspool.h"
#include <stddef.h>
#include <stdint.h>

#define RECRECORD_CHUNK 2400       /* raw bytes per REC_DATA record (rec-spec.md) */
#define RECRECORD_PEND (4 * RECRECORD_CHUNK)
#define RECRECORD_FLUSH_MS 250
#define RECRECORD_MARK_MS 1000
#define RECRECORD_MAX_EVENT 4096   /* bytes of data per event the caller hands in */

struct recrecord {
	struct recspool *spool;
	struct recchain rc;
	char pend[RECRECORD_PEND];   /* text not yet in the spool */
	size_t plen;
	uint8_t keep[4];             /* an incomplete UTF-8 sequence after the last output */
	size_t nkeep;
	int64_t t0_us, pend_since_ms, last_mark_ms;
	uint64_t marked_chunks;      /* chunks when the last mark was sent */
	int stopped;                 /* recording stopped (the trail refused, fail-closed off) */
};

/* Starts the recording: chain for session, the header line (cols x rows,
 * unix time, TERM, the command or NULL), 'm' "start". Writes the header
 * to the spool at once, so a full spool refuses the session before it
 * starts. Returns 0, -2 (the spool's bound), -1 (I/O). */
int recrecord_begin(struct recrecord *r, struct recspool *spool, const char *session, unsigned cols,
		    unsigned rows, const char *term, const char *cmd, int64_t unix_s, int64_t now_us);

/* Records one event: code 'o' (output: UTF-8 continued across calls), 'i',
 * 'r' ("COLSxROWS") or 'm'; n <= RECRECORD_MAX_EVENT. Returns 0, -2, -1
 * as recspool_put (a stopped recording takes everything and returns 0). */
int recrecord_event(struct recrecord *r, char code, const uint8_t *p, size_t n, int64_t now_us);

/* Puts all pending text (whole=0) or the whole chunks of it (whole=1). */
int recrecord_flush(struct recrecord *r, int whole);

/* Periodic: flushes pending text older than RECRECORD_FLUSH_MS. Returns
 * as recrecord_event. */
int recrecord_tick(struct recrecord *r, int64_t now_ms);

/* 1 if a REC_CHECKPOINT is due: chunks were added since the last and the
 * last was RECRECORD_MARK_MS ago or more. recrecord_marked notes one sent. */
int recrecord_mark_due(const struct recrecord *r, int64_t now_ms);
void recrecord_marked(struct recrecord *r, int64_t now_ms);
#endif
