/* replay: the last TOTP step each user has used, kept on the state volume
 * so that no code works twice, across jumpd restarts and reboots too.
 * File: one "USER STEP" line per user (decimal step), written to a
 * temporary file, fsync'ed, renamed over the old one, directory fsync'ed:
 * a power cut leaves the old or the new file, never a torn one. */
#ifndef JB_REPLAY_H
#define JB_REPLAY_H
#include <stddef.h>
#include "mfa.h"

/* Parses file text into m->last_step. Lines for users no longer configured
 * are ignored. Returns 0, or -1 with "line N: what" in err. */
int replay_parse(struct mfa *m, const char *text, size_t len, char *err, size_t errlen);

/* Loads path; a missing file means no step used yet. Returns 0, or -1 with
 * "path: ..." in err (unreadable or malformed: the caller must not serve
 * TOTP logins, since it cannot tell a replay). */
int replay_load(struct mfa *m, const char *path, char *err, size_t errlen);

/* Writes every configured user's step durably. Returns 0, or -1 (errno). */
int replay_save(const struct mfa *m, const char *path);
#endif
