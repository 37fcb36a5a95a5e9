/* revokes: the pinhole revokes the firewall helper did not answer, kept to
 * be tried again (verbs_settle.c, every loop round: the oldest due one; a
 * failure stops that round's tries, so a helper that hangs costs one ask
 * per round). A revoke closes the pinhole and cuts the connections it let
 * through (conntrack, by mark): the set entry times out by itself, the
 * connections do not. Each entry is tried after 1 s, then doubling to
 * REVOKES_MAX_GAP_MS, until it succeeds or REVOKES_GIVE_UP_MS passed. The
 * table is bounded (REVOKES_MAX, one entry per pinhole: a second revoke of
 * the same one joins it); what does not fit is the caller's to audit. Pure
 * bookkeeping. */
#ifndef JB_REVOKES_H
#define JB_REVOKES_H
#include <stdint.h>

#define REVOKES_MAX 64
#define REVOKES_FIRST_GAP_MS 1000
#define REVOKES_MAX_GAP_MS 16000
#define REVOKES_GIVE_UP_MS (10LL * 60 * 1000)

struct revoke {
	int used;
	uint32_t uid;
	unsigned target, port;     /* the config's target index, the port */
	const char *user;          /* for the records: the config's name (or "root"), not copied */
	const char *reason;        /* why it was revoked (a static string) */
	unsigned attempts;         /* asks so far, the first (failed) one included */
	int64_t first_ms, next_ms; /* monotonic */
};

struct revokes {
	struct revoke r[REVOKES_MAX];
	unsigned n;
};

/* Queues the revoke of (uid, target, port) that failed at now_ms. Returns
 * the entry (an existing one for that pinhole: unchanged), or NULL (full). */
struct revoke *revokes_add(struct revokes *t, uint32_t uid, unsigned target, unsigned port, const char *user,
			   const char *reason, int64_t now_ms);
/* The entry due soonest at now_ms, or NULL (none due). */
struct revoke *revokes_due(struct revokes *t, int64_t now_ms);
/* e was tried again and failed: 1 if it is to be given up (too old), else
 * 0 (rescheduled). */
int revokes_failed(struct revoke *e, int64_t now_ms);
void revokes_remove(struct revokes *t, struct revoke *e);
#endif
