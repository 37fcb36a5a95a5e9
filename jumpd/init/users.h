/* users: turning the configured users into unix accounts at boot.
 * Renders /etc/passwd and /etc/group (which the image links into /run/etc)
 * and writes each user's authorized_keys, owned by root so a user cannot
 * change their own keys. */
#ifndef JB_INIT_USERS_H
#define JB_INIT_USERS_H
#include <stddef.h>
#include "../common/siteconf.h"

#define USERS_MENU "/bin/jumpmenu"  /* every user's login shell: the jump menu */
#define USERS_DIAG_SHELL "/bin/sh"  /* shell = diagnostic (admins only) */
#define USERS_DHCP_UID 101   /* the DHCP client runs as its own account */
#define USERS_SSHD_UID 102   /* so does the SSH server */
#define USERS_JUMPD_UID 103  /* and the jump daemon */
#define USERS_FW_UID 104     /* the firewall helper */
#define USERS_SHIP_UID 105   /* the audit shipper (primary group: jumpd's, to read the spool) */
#define USERS_REC_UID 106    /* the session recorder: the only holder of the target keys */
#define USERS_HOME "/run/home"

/* Renders passwd and group text into caller buffers. Returns 0, or -1 if a
 * buffer is too small. System accounts come first: root (no login shell
 * usable: root login is refused by dropbear -w) and nobody. */
int users_render(const struct siteconf *c, char *passwd, size_t pcap, char *group, size_t gcap);

/* Writes etcdir/passwd, etcdir/group and homes under homedir. Returns 0 or -1. */
int users_apply(const struct siteconf *c, const char *etcdir, const char *homedir);
#endif
