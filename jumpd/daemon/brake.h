/* brake: the limits on what a peer can make jumpd write, per source and
 * box-wide, so no one can fill the audit spool (which, full, would lock
 * everyone out). One token bucket (BRAKE_BURST at once, BRAKE_PER_SEC
 * after) and one refusal window per source; a source is a local uid
 * (SO_PEERCRED) or, before a login, the client's address (IPv4 address or
 * IPv6 /64: mfa_source_key). Three rules use them:
 *  - a user's requests (channel, close, logout, targets) and the services'
 *    reports (firewall helper, shipper, recorder) take a token of their
 *    uid's bucket (brake_take);
 *  - refusals (connections refused, verbs refused, malformed lines) are
 *    recorded as themselves the first of each kind in BRAKE_WINDOW_MS per
 *    uid, the rest counted (brake_refusal);
 *  - a pre-auth AUTH record that is not an allow (a verified key for a
 *    locked account, a challenge, a wrong code) takes a token of its
 *    address's bucket (BRAKE_AUTH_BURST, BRAKE_AUTH_PER_SEC) and of the
 *    box-wide pre-auth bucket (BRAKE_BOX_BURST, BRAKE_BOX_PER_SEC), so
 *    many addresses together get no more (brake_auth).
 * Whatever is refused or not recorded is summed in one RATE_LIMITED record
 * per source and window (written when the window ends: brake_tick). Slots
 * are reused oldest first (their counts written out first); BRAKE_SLOTS
 * sources are tracked at once. The bounds are stated in docs/audit.md. */
#ifndef JB_BRAKE_H
#define JB_BRAKE_H
#include <stdint.h>
#include <sys/types.h>

#define BRAKE_SLOTS 128
#define BRAKE_BURST 30          /* a user's processes */
#define BRAKE_PER_SEC 10
#define BRAKE_SERVICE_BURST 128 /* a service (jumpfw sends up to 65 summaries per 10 s at once) */
#define BRAKE_SERVICE_PER_SEC 20
#define BRAKE_AUTH_BURST 30     /* pre-auth AUTH records of one client address (an office behind one NAT logs in at once) */
#define BRAKE_AUTH_PER_SEC 2
#define BRAKE_BOX_BURST 120     /* pre-auth AUTH records of all addresses together */
#define BRAKE_BOX_PER_SEC 20
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
/* 1 if a pre-auth AUTH record from the source key src (mfa_source_key's
 * form) may be written at now_ms (a token of src's bucket and one of the
 * box-wide bucket used); 0 if not: counted (under src, or under the box
 * when it is the box-wide bucket that is empty). */
int brake_auth(const char *src, int64_t now_ms);
/* Writes the RATE_LIMITED summaries of the windows that ended by now_ms
 * (call about once a second). */
void brake_tick(int64_t now_ms);
/* Forgets every source (tests). */
void brake_reset(void);
#endif
