/* conn: jumpd's client connections — one request line, one reply, then
 * closed. Owns the slot table (its size is jumpd's budget, budget.h), the
 * peer's credentials (SO_PEERCRED: the kernel's word, never the request's),
 * the per-connection deadline, the admission rules (who may connect to
 * which socket at all, and how many slots a uid other than the SSH server's
 * may hold), and group commit's side of the replies: a reply made while
 * serving is held in its connection until conns_flush, which jumpd calls
 * once the records of every request served in that round are durable (one
 * fdatasync for the round, event.h). What a peer may *ask* is decided by
 * the verb table (verbs.c), not here. */
#ifndef JB_CONN_H
#define JB_CONN_H
#include "daemon.h"
#include "../common/hookproto.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONN_TIMEOUT_MS 5000
#define CONN_SLOTS_PER_UID 4   /* open connections a uid other than the SSH server's may hold, plus one per live session of that user */
#define CONN_BACKLOG 4096      /* listen(2) backlog (the kernel caps it at net.core.somaxconn) */

enum jumpd_socket { SOCK_AUTH, SOCK_CTL };
enum pend_kind { PEND_NONE, PEND_CHANNEL, PEND_REC, PEND_PIN };

struct conn {
	int fd;                    /* -1: slot free */
	enum jumpd_socket sock;
	uid_t uid;
	pid_t pid;
	size_t len;
	int64_t deadline;          /* monotonic ms */
	int deferred;              /* 1: replies are held in `reply` until conns_flush */
	int answered;              /* a reply is held */
	const char *fail_verb;     /* sent instead (reason=audit-unavailable) if the round's records could not be made durable */
	/* an allowed request whose pinhole opens once its record is durable
	 * (verbs_settle.c): a channel, a recorded session, or target-pin's */
	int pend_kind;             /* PEND_* */
	struct channel *pend_ch;   /* PEND_CHANNEL */
	struct rec_session *pend_rec; /* PEND_REC */
	int pend_target;           /* PEND_PIN: the target (index) */
	const char *pend_user;     /* PEND_PIN: the admin's name (the config's, or "root") */
	int pend_fresh;            /* its pinhole is new (nothing else held it when it was asked) */
	int pend_state;            /* verbs_settle.c's, within one round */
	size_t reply_len;
	char buf[HOOK_MAX_LINE];
	char reply[HOOK_MAX_LINE + 1];
};

struct conns {
	struct conn *c;            /* cap slots */
	unsigned cap;
};

/* Allocates cap slots. Returns 0, or -1 (no memory). */
int conns_init(struct conns *t, unsigned cap);
/* Accepts the waiting connections on lfd (the socket `sock`). A peer that
 * may not use that socket is audited (HOOK_REFUSED, braked per uid) and
 * disconnected; one beyond its share of the slots is disconnected (its
 * client fails closed, or retries: close and logout reports do). */
void conns_accept(struct conns *t, const struct jumpd *jd, int lfd, enum jumpd_socket sock);
/* Fills p (room for t->cap) with the live connections' fds, closing those
 * past their deadline; owner[i] is p[i]'s connection. Returns the count. */
int conns_poll_set(struct conns *t, struct pollfd *p, struct conn **owner, int64_t now_ms);
/* Reads what c's peer sent; once a whole line is in, serves it with
 * serve(jd, c), its reply held for conns_flush. */
void conns_read(struct conn *c, struct jumpd *jd, void (*serve)(struct jumpd *, struct conn *));
/* Sends every held reply — or, if durable is 0, each one's failure reply
 * instead — and closes those connections. */
void conns_flush(struct conns *t, int durable);
void conn_close(struct conn *c);
/* Sends c's held reply now and closes c. Returns 0, or -1 if the peer did
 * not take it whole (gone, or not reading). */
int conn_send_held(struct conn *c);

/* Sends m to c's peer, or holds it (c->deferred). Never blocks: a peer that
 * does not read loses it. */
void conn_reply(struct conn *c, const struct hook_msg *m);
/* Sends `verb reason=REASON` (reason may be NULL: the verb alone). */
void conn_reply_reason(struct conn *c, const char *verb, const char *reason);
/* Opens the listening unix socket DIR/NAME, mode 0660 and group gid: only
 * that group's members (and root) can connect at all (common/sockgroups.h);
 * who is answered is still decided by their credentials. path receives its
 * name. Returns the fd or -1 (also when the group cannot be given: jumpd
 * is not a member). */
int conn_listen(const char *dir, const char *name, gid_t gid, char *path, size_t cap);
#endif
