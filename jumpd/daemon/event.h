/* event: jumpd's audit events. Each event has a stable MSGID and
 * structured fields, and becomes one hash-chained RFC 5424 record in the
 * audit spool (spool.h, auditrec.h), written durably before the caller acts
 * on the decision it records; a copy goes to stderr (the console).
 * The catalogue of MSGIDs and fields is docs/audit.md. */
#ifndef JB_EVENT_H
#define JB_EVENT_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opens and recovers the spool at path (see spool_open). Returns 0, or -1
 * with a reason in err. *truncated: torn bytes removed by the recovery. */
int event_open(const char *path, const char *hostname, const char *version, off_t max_size,
	       long *truncated, char *err, size_t errlen);

/* Writes one event (key/value pairs, ended by EV_END) durably. Returns 0,
 * or -1 if it could not be spooled (write error, or the spool is full): the
 * caller must then refuse whatever the event records (an action that cannot
 * be audited is not done). End the list with EV_END, never a bare NULL:
 * NULL may be a plain integer 0, which is not the same as a null
 * const char * when read back by va_arg. */
int event_emit(const char *msgid, ...);
#define EV_END ((const char *)NULL)

/* The [syslog] fail-closed switch (default 1). With 0 (fail open), an
 * event that cannot be spooled is printed to stderr marked UNSPOOLED and
 * event_emit returns 0, so the action goes on unaudited: a site's choice of
 * availability over the guarantee above, visible on the console. */
void event_set_fail_closed(int fail_closed);

struct auditsign_key;
/* Signs checkpoints from now on with k (auditsign.h; the caller keeps it):
 * an AUDIT_CHECKPOINT record after every AUDITSIGN_EVERY_RECORDS records,
 * when event_tick finds a minute gone by without one (the heartbeat, so a
 * SIEM can alert on silence), and whenever event_checkpoint is called. */
void event_set_signer(const struct auditsign_key *k);

/* Writes a signed AUDIT_CHECKPOINT now (reason: start, heartbeat, records,
 * stop). Returns event_emit's result, or -1 without a signer. */
int event_checkpoint(const char *reason);

/* Call about once a second with mono_ms(): writes the heartbeat when due. */
void event_tick(int64_t now_ms);
/* Group commit. Between event_batch_begin and event_batch_end, event_emit
 * writes each record (chained, in order) without syncing; event_batch_end
 * makes all of them durable with one fdatasync. Nothing a batch's records
 * record may be acted on (answered) before event_batch_end returned 0; -1:
 * the sync failed and none of them may be taken as written (with fail-open,
 * 0 and a console warning). jumpd wraps each round of ready requests in one
 * batch (jumpd.c, conn.h's conns_flush). */
void event_batch_begin(void);
int event_batch_end(void);

/* The reserve. The spool's last sixteenth takes only the records of
 * requests marked here (an admin's login and what an admin, root, or the
 * end of something already recorded asks: verbs.c sets it per request) and
 * the box's own (event.c's state, reclaim and checkpoint records; jumpd's
 * start, stop and config refusal with EV_RESERVE_BOX); its last 16 KiB
 * only the box's own. Entering and leaving the reserve or the
 * full state writes an AUDIT_SPOOL record (state=reserve|full|normal) and
 * says so on the console; in the reserve, an AUDIT_SPOOL a minute counts
 * the records refused. */
#define EV_RESERVE_NONE 0
#define EV_RESERVE_ADMIN 1   /* the reserve, all but its last 16 KiB */
#define EV_RESERVE_BOX 2     /* to the spool's end: the box's own records (jumpd's start, stop, refusal) */
void event_allow_reserve(int level);
/* Why the last record was not written: "audit-spool-reserve" (the reserve
 * refused it), "audit-spool-full", or "audit-unavailable" (I/O error). */
const char *event_refusal(void);

/* 1 while the spool is in its reserve or full. */
int event_spool_reserve(void);

/* Reclaims the spool's head up to upto (the start of a record: reclaim.h
 * decides which), recorded first as AUDIT_RECLAIM (first_kept_seq: the
 * sequenceId verification starts from; keep: the retention in hours, or
 * "reserve"). *freed: the bytes given back. Returns 0, or -1 (not
 * recorded, or the file system refused: nothing given back). */
int event_reclaim(off_t upto, const char *first_seq, const char *delivered_seq, const char *keep, off_t *freed);

/* 1 while the spool is full (not even an admin's record fits). */
int event_spool_full(void);
#endif
