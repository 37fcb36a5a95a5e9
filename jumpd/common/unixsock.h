/* unixsock: a listening unix stream socket at a path, for the box's local
 * request sockets (jumpfw's fw.sock; jumpd's auth.sock and ctl.sock).
 * Owns creating it with exactly the access asked for: who may connect is
 * the socket file's mode, so the file never exists, not even for a moment,
 * with a wider or narrower mode than the caller's. Who is answered is the
 * caller's business (SO_PEERCRED). No allocation. */
#ifndef JB_UNIXSOCK_H
#define JB_UNIXSOCK_H
#include <sys/types.h>

/* Listens on path with the given backlog; the socket file gets exactly
 * mode (the umask is set around bind and restored, and the mode is set
 * again after it, so neither the process's umask nor a directory's default
 * ACL changes it). A file already at path (a socket left by an earlier
 * run) is removed first. sock_flags is OR'ed into the socket type
 * (SOCK_NONBLOCK, or 0); the fd is always close-on-exec.
 * Returns the fd, or -1 with errno set (ENAMETOOLONG: path does not fit a
 * sockaddr_un) and nothing left open. */
int unixsock_listen(const char *path, mode_t mode, int backlog, int sock_flags);
/* The same, and the socket file is given to group gid (chown, before the
 * mode is set: the caller must be a member of gid, or root) before it
 * listens, so no peer outside the group ever finds it connectable; a
 * failed chown is a failure (-1, errno from chown: EPERM). */
int unixsock_listen_group(const char *path, mode_t mode, gid_t gid, int backlog, int sock_flags);
#endif
