/* conn: see conn.h. */
#include "conn.h"
#include "brake.h"
#include "event.h"
#include "../common/sockgroups.h"
#include "../common/unixsock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACCEPTS_PER_ROUND 256   /* so one busy socket does not starve the other */

int conns_init(struct conns *t, unsigned cap)
{
	t->c = calloc(cap ? cap : 1, sizeof *t->c);
	t->cap = t->c ? cap : 0;
	for (unsigned i = 0; i < t->cap; i++)
		t->c[i].fd = -1;
	return t->c ? 0 : -1;
}

void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->answered = 0;
	c->pend_kind = PEND_NONE;
	c->pend_state = 0;
}

static int send_line(const struct conn *c, const char *line, size_t n)
{
	if (send(c->fd, line, n, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)n)
		return 0;
	fprintf(stderr, "jumpd: reply to pid %d lost\n", (int)c->pid);
	return -1;
}

int conn_send_held(struct conn *c)
{
	int rc = send_line(c, c->reply, c->reply_len);
	conn_close(c);
	return rc;
}

void conn_reply(struct conn *c, const struct hook_msg *m)
{
	char line[HOOK_MAX_LINE + 1];
	int n = hook_format(m, line, sizeof line);
	if (n <= 0)
		return;
	if (!c->deferred) {
		send_line(c, line, (size_t)n);
		return;
	}
	memcpy(c->reply, line, (size_t)n);
	c->reply_len = (size_t)n;
	c->answered = 1;
}

void conn_reply_reason(struct conn *c, const char *verb, const char *reason)
{
	struct hook_msg out;
	hook_init(&out, verb);
	if (reason)
		hook_add(&out, "reason", reason);
	conn_reply(c, &out);
}

void conns_flush(struct conns *t, int durable)
{
	for (unsigned i = 0; i < t->cap; i++) {
		struct conn *c = &t->c[i];
		if (c->fd < 0 || !c->answered)
			continue;
		if (durable) {
			send_line(c, c->reply, c->reply_len);
		} else {
			c->deferred = 0;
			conn_reply_reason(c, c->fail_verb ? c->fail_verb : "error", "audit-unavailable");
		}
		conn_close(c);
	}
}

int conn_listen(const char *dir, const char *name, gid_t gid, char *path, size_t cap)
{
	int n = snprintf(path, cap, "%s/%s", dir, name);
	int fd = n < 0 || (size_t)n >= cap ? (errno = ENAMETOOLONG, -1)
					   : unixsock_listen_group(path, SOCK_MODE, gid, CONN_BACKLOG, SOCK_NONBLOCK);
	if (fd < 0)
		fprintf(stderr, "jumpd: cannot listen on %s/%s: %s\n", dir, name, strerror(errno));
	return fd;
}

/* who may connect at all: the auth socket takes the SSH server, the firewall
 * helper, the shipper, the recorder and the configured users' processes; the
 * admin socket takes root and admins */
static int may_connect(const struct jumpd *jd, enum jumpd_socket sock, uid_t uid)
{
	if (sock == SOCK_CTL)
		return jumpd_is_admin(jd, uid);
	return uid == jd->sshd_uid || uid == jd->fw_uid || uid == jd->ship_uid || uid == jd->rec_uid ||
	       jumpd_is_user(jd, uid);
}

/* the slots a uid other than the SSH server's may hold: a few, plus one per
 * live session of that user (each connection process asks one thing at a
 * time: a mass logout finds room) or, for the recorder, per live recorded
 * session (its reports of many sessions may be in flight at once); all of them together at most half, so the
 * SSH server's logins always find room */
static int over_share(const struct conns *t, const struct jumpd *jd, uid_t uid)
{
	unsigned mine = 0, others = 0;
	int ui = jumpd_user_index(jd, uid);
	unsigned share = CONN_SLOTS_PER_UID + (ui >= 0 ? sessions_of_user(&jd->sessions, (unsigned)ui) : 0) +
			 (uid == jd->rec_uid ? jd->recs.n : 0);
	for (unsigned i = 0; i < t->cap; i++) {
		if (t->c[i].fd < 0 || t->c[i].uid == jd->sshd_uid)
			continue;
		others++;
		mine += t->c[i].uid == uid;
	}
	return mine >= share || others >= t->cap / 2;
}

static int accept_one(struct conns *t, const struct jumpd *jd, int lfd, enum jumpd_socket sock)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || !may_connect(jd, sock, cred.uid)) {
		char uid[16];
		snprintf(uid, sizeof uid, "%u", (unsigned)cred.uid);
		if (brake_refusal(cred.uid, REFUSED_CONNECTION, mono_ms()))
			event_emit("HOOK_REFUSED", "socket", sock == SOCK_AUTH ? "auth" : "ctl", "peer_uid", uid, EV_END);
		if (sock == SOCK_CTL) {
			struct conn tmp = { .fd = fd };
			conn_reply_reason(&tmp, "error", "not an admin");
		}
		close(fd);
		return 0;
	}
	if (cred.uid != jd->sshd_uid && over_share(t, jd, cred.uid)) {
		close(fd);
		return 0;
	}
	for (unsigned i = 0; i < t->cap; i++) {
		if (t->c[i].fd < 0) {
			t->c[i] = (struct conn){ .fd = fd, .sock = sock, .uid = cred.uid, .pid = cred.pid,
						 .deadline = mono_ms() + CONN_TIMEOUT_MS };
			return 0;
		}
	}
	close(fd); /* full: the client fails closed */
	return 0;
}

void conns_accept(struct conns *t, const struct jumpd *jd, int lfd, enum jumpd_socket sock)
{
	for (int i = 0; i < ACCEPTS_PER_ROUND; i++)
		if (accept_one(t, jd, lfd, sock))
			return;
}

int conns_poll_set(struct conns *t, struct pollfd *p, struct conn **owner, int64_t now)
{
	int n = 0;
	for (unsigned i = 0; i < t->cap; i++) {
		if (t->c[i].fd < 0)
			continue;
		if (t->c[i].deadline <= now) {
			conn_close(&t->c[i]);
			continue;
		}
		owner[n] = &t->c[i];
		p[n++] = (struct pollfd){ .fd = t->c[i].fd, .events = POLLIN };
	}
	return n;
}

void conns_read(struct conn *c, struct jumpd *jd, void (*serve)(struct jumpd *, struct conn *))
{
	if (c->answered)
		return;
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)r;
	if (memchr(c->buf, '\n', c->len)) {
		c->deferred = 1;
		serve(jd, c);
		if (!c->answered)
			conn_close(c); /* nothing to say */
	} else if (c->len == sizeof c->buf) {
		conn_close(c);
	}
}
