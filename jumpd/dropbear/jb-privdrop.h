/* jb-privdrop: lets Dropbear run as its own unprivileged uid holding only
 * CAP_SETUID/CAP_SETGID (and a few more, see jumpd/init/init.c) instead of
 * root, and makes sure a session never inherits any of them.
 * Compiled into Dropbear by build/pkg/dropbear (patch 0001 calls it). */
#ifndef JB_PRIVDROP_H
#define JB_PRIVDROP_H

/* 1 if this process may switch to another user: uid 0, or CAP_SETUID and
 * CAP_SETGID both in the effective set. */
int jb_can_switch_user(void);

/* Clears every capability (ambient, inheritable, permitted, effective) and
 * checks that none is left. Call after switching to the session user.
 * Returns 0, or -1 if any capability survived (the caller must exit). */
int jb_drop_all_caps(void);
#endif
