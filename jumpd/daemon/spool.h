/* spool: jumpd's audit spool, an append-only file of audit records
 * (auditrec.h), one per line, on the state volume. A record is written
 * and fdatasync'ed before spool_append returns, so the action it records
 * can go on. Records are never rewritten, and dropped only once delivered
 * (spool_reclaim): when the spool's live bytes reach its bound, appends fail
 * (the caller refuses new sessions and raises the alarm).
 * Group commit: spool_append_nosync writes records without syncing and
 * spool_sync makes everything written so far durable with one fdatasync,
 * so a burst of N records costs one sync instead of N; none of them is
 * durable (and none of the actions they record may go on) before
 * spool_sync returned 0.
 * The file is 0640: the shipper (its own uid, in jumpd's group) reads it.
 * After a power cut, spool_open cuts the torn tail (an unterminated line,
 * and at most one whole but invalid last line) and continues the sequence
 * and the hash chain from the last record; damage further back is refused,
 * never cut.
 * Reclaim: records the shipper delivered (and older than the site's
 * retention) are given back at the head (spool_reclaim, a hole punched at
 * the start: common/spoolhead.h); the bound counts the bytes held. */
#ifndef JB_SPOOL_H
#define JB_SPOOL_H
#include <stdint.h>
#include <sys/types.h>

#define SPOOL_DEFAULT_MAX ((off_t)256 * 1024 * 1024)

struct spool {
	int fd;
	uint64_t seq;             /* of the last record (0: none yet) */
	uint8_t last[32];         /* its hash: the next record's prev */
	off_t size, max_size;     /* size: the file's (offsets never change); max_size: bound on size - head */
	off_t head;               /* bytes at the start given back to the file system (spool_reclaim) */
	off_t limit;              /* what the next append may fill the spool to (0: max_size): the reserve, event.c */
	char host[64], version[96];
	long pid;
	char last_line[4097];     /* the last record appended (for the console copy) */
};

#define SPOOL_MODE 0640          /* owner writes; jumpd's group (the shipper) reads */

/* Opens or creates (SPOOL_MODE, whatever the umask; an existing file is set to it) the spool at path and recovers it. *truncated
 * gets the number of torn bytes removed. Returns 0, or -1 with a reason in
 * err (I/O error, or damage that is not a torn tail). */
int spool_open(struct spool *s, const char *path, const char *host, const char *version,
	       off_t max_size, long *truncated, char *err, size_t errlen);

/* The bytes the spool holds (its bound counts these): size - head. */
off_t spool_live(const struct spool *s);

/* Appends one record durably (timestamp: RFC 3339 text). Returns 0; -1 if
 * the write or the sync failed; -2 if the spool is full (its live bytes
 * would pass s->limit, or max_size). */
int spool_append(struct spool *s, const char *timestamp, const char *msgid, const char *const *kv);

/* Writes one record, not yet durable (group commit). Returns 0; -1 if the
 * write failed (the file is cut back to the end of the previous record);
 * -2 if the spool is full. s->seq and s->last advance at once, so the next
 * record chains to this one. */
int spool_append_nosync(struct spool *s, const char *timestamp, const char *msgid, const char *const *kv);

/* Gives the bytes before upto (the start of a record every record before
 * which was delivered: the caller decides, reclaim.h) back to the file
 * system: a hole is punched from the start to the last block boundary
 * before upto (fallocate PUNCH_HOLE; offsets do not move, the file's size
 * stays). *freed gets the bytes newly given back. Returns 0, or -1 with
 * errno (EOPNOTSUPP: a file system without holes; nothing changed). */
#define SPOOL_RECLAIM_BLOCK 4096
int spool_reclaim(struct spool *s, off_t upto, off_t *freed);

/* Makes every record written so far durable (one fdatasync). Returns 0, or
 * -1: then none of the records since the last good sync may be taken as
 * written (recovery at the next start keeps what reached the disk whole). */
int spool_sync(struct spool *s);
#endif
