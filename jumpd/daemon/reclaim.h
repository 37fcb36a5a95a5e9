/* reclaim: what of jumpd's audit spool may be given back — the policy side
 * of spool_reclaim (spool.h). A record is reclaimed only when
 *  - the shipper has delivered it: its cursor (ship/cursor.h, the file
 *    jumpship keeps, read here; it must name a record of this very spool,
 *    by offset and SHA-256, else nothing is reclaimed), and the cursor's own
 *    record is always kept, so the shipper resumes on a whole record;
 *  - it is older than the site's retention ([syslog] spool-keep-hours),
 *    except while the spool is in its reserve (event.h): a delivered record
 *    is at the collector, and the box then prefers taking logins to keeping
 *    a second copy;
 * and the spool is cut only just before an AUDIT_CHECKPOINT, so what is
 * left starts at a signed checkpoint: `jumpctl audit-verify --from SEQ`
 * with that sequenceId (AUDIT_RECLAIM's first_kept_seq) checks the rest.
 * No cursor, a cursor that does not match, a record that does not parse:
 * nothing is reclaimed (fail closed: the spool only fills). Each reclaim is
 * an AUDIT_RECLAIM record, written before the hole is punched. The walk
 * goes on from where the last one stopped, at most RECLAIM_SCAN_MAX bytes a
 * tick. */
#ifndef JB_RECLAIM_H
#define JB_RECLAIM_H
#include "../ship/spoolread.h"

#include <stdint.h>
#include <sys/types.h>

#define RECLAIM_EVERY_MS 10000
#define RECLAIM_SCAN_MAX ((uint64_t)32 << 20)

struct reclaim {
	const char *cursor_path;  /* NULL: no shipper, nothing is ever reclaimed */
	const char *spool_path;
	unsigned keep_hours;
	int64_t next_ms;
	uint64_t scan;            /* the next record to look at: all before it old enough and delivered */
	uint64_t cut;             /* the start of the first record kept (0: nothing reclaimed yet this run) */
	uint64_t cut_seq;         /* its sequenceId */
	int said_mismatch;        /* the console was told the cursor does not match */
	struct spoolread sr;
};

/* Starts the policy for the spool at spool_path (-1: unreadable). */
int reclaim_init(struct reclaim *r, const char *spool_path, const char *cursor_path, unsigned keep_hours);
/* Call about once a second: reclaims what it may when due (now_ms:
 * monotonic, now_unix: the clock the records' time stamps use). Returns
 * the bytes given back, 0 if none, -1 on an error (said on the console). */
long long reclaim_tick(struct reclaim *r, int64_t now_ms, int64_t now_unix);
/* The Unix time of a record's TIMESTAMP (RFC 3339, UTC "Z" as jumpd
 * writes it), or -1 (exposed for the unit test). */
int64_t reclaim_record_time(const char *line, size_t len);
#endif
