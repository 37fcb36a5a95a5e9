/* caps: reducing a service to the capabilities it needs, before exec.
 * Uses the raw capget/capset syscalls (musl has no libcap). */
#ifndef JB_INIT_CAPS_H
#define JB_INIT_CAPS_H
#include <stdint.h>
#include <sys/types.h>

#define CAPBIT(c) ((uint64_t)1 << (c))

/* In the child of a fork, before exec: drops every capability not in `keep`
 * from the bounding set, sets no_new_privs, switches to uid/gid if uid is not 0, and leaves exactly `keep` in the
 * effective and permitted sets (and ambient, for a non-root uid, so the set
 * survives exec). The supplementary groups are the account's in /etc/group
 * (initgroups: who may connect to which socket, common/sockgroups.h), none
 * for a uid without an account. Returns 0, or -1 with errno set. */
int caps_drop_to(uint64_t keep, uid_t uid, gid_t gid);
#endif
