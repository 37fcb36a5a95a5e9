/* recsessions: the recorded sessions jumpd has allowed (rec_open) and not
 * yet seen end (rec_end): session id -> user, target, account, mode, the
 * pinhole the recorder's uid holds for it, and its bucket for the
 * recorder's COMMAND and FILE reports (RECS_PER_SEC a second, RECS_BURST
 * at once; the overflow is counted and summed in one RATE_LIMITED record
 * per session per RECS_WINDOW_MS). Pure bookkeeping, no I/O: the caller
 * audits and talks to the firewall helper. Ids are random (not guessable,
 * not reused across restarts). The table's size is jumpd's budget
 * (budget.h: rec_sessions_max). */
#ifndef JB_RECSESSIONS_H
#define JB_RECSESSIONS_H
#include "../common/siteconf_types.h"

#include <stdint.h>

#define REC_ID_LEN 16              /* hex digits */
#define RECS_PER_SEC 5
#define RECS_BURST 20
#define RECS_WINDOW_MS 10000

struct rec_session {
	int used;
	char id[REC_ID_LEN + 1];
	unsigned user;                 /* index in the config's users */
	unsigned target;               /* index in the config's targets */
	char account[SITECONF_NAMELEN + 1];
	char mode[8];                  /* shell, exec, sftp */
	unsigned port;                 /* the target port the recorder's pinhole is for */
	int64_t opened_ms;             /* monotonic */
	/* the COMMAND/FILE bucket, in thousandths of a token */
	int64_t tokens_milli, refilled_ms;
	unsigned limited;              /* refused since window_ms, not yet summed */
	int64_t window_ms;
};

struct recsessions {
	struct rec_session *s;         /* cap entries */
	unsigned cap, n;
};

/* Allocates a table of cap sessions. Returns 0, or -1 (no memory). */
int recs_init(struct recsessions *t, unsigned cap);
/* Records an allowed session; rnd: 8 random bytes for its id. NULL if the
 * table is full (the caller refuses: too-many-sessions). */
struct rec_session *recs_add(struct recsessions *t, unsigned user, unsigned target, const char *account,
			     const char *mode, unsigned port, int64_t now_ms, const uint8_t rnd[8]);
/* The live session with this id, or NULL. */
struct rec_session *recs_find(struct recsessions *t, const char *id);
/* Live sessions other than self to target:port (they share the recorder's
 * pinhole: opened with the first, closed with the last). self may be NULL. */
unsigned recs_sharing(const struct recsessions *t, const struct rec_session *self, unsigned target, unsigned port);
/* 1 if s is the first live session (in table order) to its target:port:
 * refresh each pinhole once. */
int recs_first_of_pinhole(const struct recsessions *t, const struct rec_session *s);
/* Takes one token of s's COMMAND/FILE bucket at now_ms: 1, or 0 (refused:
 * counted in s->limited). */
int recs_take(struct rec_session *s, int64_t now_ms);
/* If s has refusals not yet summed and its window is over (or force),
 * returns their count and starts a new window; else 0. */
unsigned recs_summary_due(struct rec_session *s, int64_t now_ms, int force);
void recs_remove(struct recsessions *t, struct rec_session *s);
#endif
