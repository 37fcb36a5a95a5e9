/* jb-privdrop: lets Dropbear run as its own unprivileged uid holding only
 * CAP_SETUID/CAP_SETGID (and a few more, see jumpd/init/init.c) instead of
 * root, and makes sure a connection never keeps any of them once it has
 * become the user. Compiled into Dropbear by build/pkg/dropbear (patches
 * 0001 and 0004 call it). */
#ifndef JB_PRIVDROP_H
#define JB_PRIVDROP_H
#include <sys/types.h>

/* 1 if this process may switch to another user: uid 0, or CAP_SETUID and
 * CAP_SETGID both in the effective set. */
int jb_can_switch_user(void);

/* Clears every capability (ambient, inheritable, permitted, effective) and
 * checks that none is left. Call right after setuid() to the user (Dropbear's
 * svr_switch_user(), patch 0001). Returns 0, or -1 if any capability
 * survived (the caller must exit). */
int jb_drop_all_caps(void);

/* Checks that this process is now the authenticated user for good (Dropbear
 * switches right after authentication, so that every forwarded connection
 * carries the user's uid): real, effective and saved uid are `uid` (not 0),
 * real, effective and saved gid are `gid`, no capability in any set
 * (ambient included), and neither uid 0 nor gid 0 can be regained.
 * Returns 0, or -1 (the caller must exit). */
int jb_check_user(uid_t uid, gid_t gid);
#endif
