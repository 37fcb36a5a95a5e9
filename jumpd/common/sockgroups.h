/* sockgroups: who may connect to each of the box's local request sockets.
 * Each socket file is mode 0660, owned by its server's uid and by one of
 * the groups below (the server sets the group right after bind, so it is a
 * member of that group itself); a process that is in neither gets EACCES
 * from connect(2) before the server sees it (root passes: init, jumpctl).
 * The members are rendered into /etc/group by jb-setup (jumpd/init/users.c)
 * and each service gets its account's groups from there when init starts it
 * (caps.c: initgroups); a user's connection process gets the user's from
 * Dropbear's initgroups. Who is *answered* stays the server's decision
 * (SO_PEERCRED): the groups keep the floods of uids with no business on a
 * socket away from it. The table is docs/architecture.md's "Sockets". */
#ifndef JB_SOCKGROUPS_H
#define JB_SOCKGROUPS_H

#define SOCK_MODE 0660
/* /run/jumpd/auth.sock: the SSH server, the firewall helper, the shippers,
 * the recorder, every configured user (their connection processes) */
#define GID_AUTH_SOCK 110
#define GROUP_AUTH_SOCK "auth-sock"
/* /run/jumpd/ctl.sock and /run/rec/ctl.sock: admin users (and root) */
#define GID_CTL_SOCK 111
#define GROUP_CTL_SOCK "ctl-sock"
/* /run/fw/fw.sock: jumpd alone */
#define GID_FW_SOCK 112
#define GROUP_FW_SOCK "fw-sock"
/* /run/rec/rec.sock: every configured user (jumpmenu hands a recorded session over) */
#define GID_REC_SOCK 113
#define GROUP_REC_SOCK "rec-sock"
#endif
