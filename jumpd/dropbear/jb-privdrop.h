/* jb-privdrop: lets Dropbear run as its own unprivileged uid holding only
 * CAP_SETUID/CAP_SETGID (and a few more, see jumpd/init/init.c) instead of
 * root, and makes sure a session never inherits any of them.
 * Compiled into Dropbear by build/pkg/dropbear (patch 0001 calls it). */
#ifndef JB_PRIVDROP_H
#define JB_PRIVDROP_H
#include <sys/types.h>

/* 1 if this process may switch to another user: uid 0, or CAP_SETUID and
 * CAP_SETGID both in the effective set. */
int jb_can_switch_user(void);

/* Clears every capability (ambient, inheritable, permitted, effective) and
 * checks that none is left. Call after switching to the session user.
 * Returns 0, or -1 if any capability survived (the caller must exit). */
int jb_drop_all_caps(void);

/* Becomes the authenticated user for good, right after authentication, so
 * that every forwarded connection the process opens carries the user's uid:
 * gid, supplementary groups of `name`, uid (real, effective, saved), then
 * every capability cleared. Checks the result (all three uids and gids are
 * the user's, no capability left, uid 0 cannot be regained). Returns 0, or
 * -1 (the caller must exit). */
int jb_become_user(uid_t uid, gid_t gid, const char *name);
#endif
