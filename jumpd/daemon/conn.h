/* conn: jumpd's client connections — one request line, one reply, then
 * closed. Owns the slot table, the peer's credentials (SO_PEERCRED: the
 * kernel's word, never the request's), the per-connection deadline, and the
 * admission rules: who may connect to which socket at all, and how many
 * slots a uid other than the SSH server's may hold. What a peer may *ask*
 * is decided by the verb table (verbs.c), not here. */
#ifndef JB_CONN_H
#define JB_CONN_H
#include "daemon.h"
#include "../common/hookproto.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONN_MAX 64
#define CONN_TIMEOUT_MS 5000
#define CONN_SLOTS_PER_UID 4   /* open connections one uid other than the SSH server's may hold */

enum jumpd_socket { SOCK_AUTH, SOCK_CTL };

struct conn {
	int fd;                    /* -1: slot free */
	enum jumpd_socket sock;
	uid_t uid;
	pid_t pid;
	size_t len;
	int64_t deadline;          /* monotonic ms */
	char buf[HOOK_MAX_LINE];
};

struct conns {
	struct conn c[CONN_MAX];
};

void conns_init(struct conns *t);
/* Accepts one connection on lfd (the socket `sock`). A peer that may not use
 * that socket is audited (HOOK_REFUSED, braked per uid) and disconnected. */
void conns_accept(struct conns *t, const struct jumpd *jd, int lfd, enum jumpd_socket sock);
/* Fills p (room for CONN_MAX) with the live connections' fds, closing those
 * past their deadline; owner[i] is p[i]'s connection. Returns the count. */
int conns_poll_set(struct conns *t, struct pollfd *p, struct conn **owner, int64_t now_ms);
/* Reads what c's peer sent; once a whole line is in, serves it with
 * serve(jd, c) and closes c. */
void conns_read(struct conn *c, struct jumpd *jd, void (*serve)(struct jumpd *, struct conn *));
void conn_close(struct conn *c);

/* Sends m to c's peer (never blocks: a peer that does not read loses it). */
void conn_reply(const struct conn *c, const struct hook_msg *m);
/* Sends `verb reason=REASON` (reason may be NULL: the verb alone). */
void conn_reply_reason(const struct conn *c, const char *verb, const char *reason);
/* Opens the listening unix socket DIR/NAME (mode 0666: the peers are told
 * apart by their credentials); path receives its name. Returns the fd or -1. */
int conn_listen(const char *dir, const char *name, char *path, size_t cap);
#endif
