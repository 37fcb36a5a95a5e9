/* conn: see conn.h. */
#include "conn.h"
#include "brake.h"
#include "event.h"
#include "../common/unixsock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void conns_init(struct conns *t)
{
	for (int i = 0; i < CONN_MAX; i++)
		t->c[i].fd = -1;
}

void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

void conn_reply(const struct conn *c, const struct hook_msg *m)
{
	char line[HOOK_MAX_LINE + 1];
	int n = hook_format(m, line, sizeof line);
	if (n > 0 && send(c->fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
		fprintf(stderr, "jumpd: reply to pid %d lost\n", (int)c->pid);
}

void conn_reply_reason(const struct conn *c, const char *verb, const char *reason)
{
	struct hook_msg out;
	hook_init(&out, verb);
	if (reason)
		hook_add(&out, "reason", reason);
	conn_reply(c, &out);
}

int conn_listen(const char *dir, const char *name, char *path, size_t cap)
{
	int n = snprintf(path, cap, "%s/%s", dir, name);
	int fd = n < 0 || (size_t)n >= cap ? (errno = ENAMETOOLONG, -1) : unixsock_listen(path, 0666, 64, SOCK_NONBLOCK);
	if (fd < 0)
		fprintf(stderr, "jumpd: cannot listen on %s/%s: %s\n", dir, name, strerror(errno));
	return fd;
}

/* who may connect at all: the auth socket takes the SSH server, the firewall
 * helper, the shipper and the configured users' processes; the admin socket
 * takes root and admins */
static int may_connect(const struct jumpd *jd, enum jumpd_socket sock, uid_t uid)
{
	if (sock == SOCK_CTL)
		return jumpd_is_admin(jd, uid);
	return uid == jd->sshd_uid || uid == jd->fw_uid || uid == jd->ship_uid || jumpd_is_user(jd, uid);
}

void conns_accept(struct conns *t, const struct jumpd *jd, int lfd, enum jumpd_socket sock)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
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
		return;
	}
	/* a user's (or any other non-SSH-server) processes may hold only a few
	 * slots, and only half of them together: the SSH server's logins always
	 * find room, whatever a logged-in user's processes keep open */
	unsigned mine = 0, others = 0;
	for (int i = 0; i < CONN_MAX; i++) {
		if (t->c[i].fd < 0 || t->c[i].uid == jd->sshd_uid)
			continue;
		others++;
		mine += t->c[i].uid == cred.uid;
	}
	if (cred.uid != jd->sshd_uid && (mine >= CONN_SLOTS_PER_UID || others >= CONN_MAX / 2)) {
		close(fd);
		return;
	}
	for (int i = 0; i < CONN_MAX; i++) {
		if (t->c[i].fd < 0) {
			t->c[i] = (struct conn){ .fd = fd, .sock = sock, .uid = cred.uid, .pid = cred.pid,
						 .deadline = mono_ms() + CONN_TIMEOUT_MS };
			return;
		}
	}
	close(fd); /* full: the client fails closed */
}

int conns_poll_set(struct conns *t, struct pollfd *p, struct conn **owner, int64_t now)
{
	int n = 0;
	for (int i = 0; i < CONN_MAX; i++) {
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
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)r;
	if (memchr(c->buf, '\n', c->len)) {
		serve(jd, c);
		conn_close(c);
	} else if (c->len == sizeof c->buf) {
		conn_close(c);
	}
}
