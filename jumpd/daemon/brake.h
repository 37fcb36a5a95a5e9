/* brake: the per-uid limit on what a peer can make jumpd write. Two kinds:
 * a token bucket for the requests of a user's own processes (channel, close,
 * logout, targets: BRAKE_BURST at once, BRAKE_PER_SEC after), and a window
 * for refusals (connections refused, verbs refused, malformed lines): the
 * first of each kind in BRAKE_WINDOW_MS is recorded as itself, the rest
 * counted and summed in one RATE_LIMITED record per window. So no uid can
 * make the audit trail grow faster than a few records per 10 s beyond its
 * bucket (the spool, full, would lock everyone out). Slots are reused
 * oldest first; BRAKE_SLOTS uids are tracked at once. */
#ifndef JB_BRAKE_H
#define JB_BRAKE_H
#include <stdint.h>
#include <sys/types.h>

#define BRAKE_SLOTS 64
#define BRAKE_BURST 30          /* a user's processes */
#define BRAKE_PER_SEC 10
#define BRAKE_SERVICE_BURST 128 /* a service (jumpfw sends up to 65 summaries per 10 s at once) */
#define BRAKE_SERVICE_PER_SEC 20
#define BRAKE_WINDOW_MS 10000

enum brake_refusal { REFUSED_CONNECTION, REFUSED_VERB, REFUSED_MALFORMED, REFUSED_KINDS };

/* 1 if uid may make one more braked request at now_ms (a token is used);
 * 0 if not (counted, and summed in the window's RATE_LIMITED). A uid's
 * bucket holds `burst` tokens and refills `per_sec` a second (a uid is one
 * kind of peer, so it always asks with the same pair). */
int brake_take(uid_t uid, int64_t now_ms, unsigned burst, unsigned per_sec);
/* Notes one refusal of `kind` by uid. Returns 1 if the caller should record
 * this one itself (the first of its kind in the window), 0 if it was
 * counted instead. */
int brake_refusal(uid_t uid, enum brake_refusal kind, int64_t now_ms);
/* Forgets every uid (tests). */
void brake_reset(void);
#endif
