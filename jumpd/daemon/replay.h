/* replay: what of the second factor must survive a jumpd restart or a
 * reboot, kept on the state volume: the last TOTP step each user has used
 * (so no code works twice) and each user's failure count and admin-only
 * lockout (so a restart lifts no lockout and gives a guesser no fresh
 * budget). File: one "USER STEP FAILURES LOCKED" line per user (decimals;
 * LOCKED 0 or 1; a line of an older image, "USER STEP", is read as no
 * failures), written to a temporary file, fsync'ed, renamed over the old
 * one, directory fsync'ed: a power cut leaves the old or the new file,
 * never a torn one. Source-address lockouts are timed and stay in memory. */
#ifndef JB_REPLAY_H
#define JB_REPLAY_H
#include <stddef.h>
#include "mfa.h"

/* Parses file text into m (last_step, and each user's guard: failures, and
 * locked until an admin unlocks). The failure count starts leaking again
 * from now_ms (monotonic): the time before a restart is not credited. Lines
 * for users no longer configured are ignored. Returns 0, or -1 with
 * "line N: what" in err. */
int replay_parse(struct mfa *m, const char *text, size_t len, int64_t now_ms, char *err, size_t errlen);

/* The file text for m into buf (cap bytes; SITECONF_MAX_USERS * 96 is
 * always enough). Returns its length. */
size_t replay_format(const struct mfa *m, char *buf, size_t cap);

/* Loads path; a missing file means no step used yet. Returns 0, or -1 with
 * "path: ..." in err (unreadable or malformed: the caller must not serve
 * TOTP logins, since it cannot tell a replay). */
int replay_load(struct mfa *m, const char *path, int64_t now_ms, char *err, size_t errlen);

/* Writes every configured user's line durably. Returns 0, or -1 (errno). */
int replay_save(const struct mfa *m, const char *path);
#endif
