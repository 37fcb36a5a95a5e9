/* recctl: see recctl.h. */
#include "recctl.h"
#include "recstate.h"
#include "reckeys.h"
#include "recpump.h"
#include "recspawn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static void ctl_list(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);
static void ctl_watch(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);
static void ctl_end(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);
static void ctl_target_key(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);
static void ctl_target_pin(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);

static const struct recctl_row ctl_verbs[] = {
	/* verb         rec_admin action  needs        handler */
	{ "list",       "list",           CTL_NONE,    ctl_list },
	{ "watch",      "watch",          CTL_SESSION, ctl_watch },
	{ "end",        "end",            CTL_SESSION, ctl_end },
	{ "target_key", "target-key",     CTL_TARGET,  ctl_target_key },
	{ "target_pin", "target-pin",     CTL_TARGET,  ctl_target_pin },
};

const struct recctl_row *recctl_find(const char *verb)
{
	for (size_t i = 0; i < sizeof ctl_verbs / sizeof ctl_verbs[0]; i++)
		if (!strcmp(ctl_verbs[i].verb, verb))
			return &ctl_verbs[i];
	return NULL;
}

/* one reply line (blocking for at most a second: an admin's terminal) */
static void reply(int fd, const struct hook_msg *m)
{
	char line[HOOK_MAX_LINE + 1];
	int n = hook_format(m, line, sizeof line);
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (n > 0 && send(fd, line, (size_t)n, MSG_NOSIGNAL) != n)
		fprintf(stderr, "jumprec: ctl reply lost: %s\n", strerror(errno));
}

static void reply1(int fd, const char *verb, const char *key, const char *val)
{
	struct hook_msg m;
	hook_init(&m, verb);
	if (key) {
		char safe[HOOK_MAX_VALUE + 1];
		recaudit_safe_value(safe, sizeof safe, val, strlen(val));
		hook_add(&m, key, safe);
	}
	reply(fd, &m);
}

int recctl_session_line(const struct recsess *s, char *out, size_t cap)
{
	struct hook_msg m;
	char since[24], bytes[24];
	snprintf(since, sizeof since, "%lld", (long long)(s->since_unix_ms / 1000));
	snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)s->bytes);
	if (hook_init(&m, "session") || hook_add(&m, "id", s->grant.session) || hook_add(&m, "user", s->user) ||
	    hook_add(&m, "target", s->grant.target) || hook_add(&m, "account", s->grant.account) ||
	    hook_add(&m, "mode", s->req.mode) || hook_add(&m, "since", since) || hook_add(&m, "bytes", bytes))
		return -1;
	return hook_format(&m, out, cap);
}

static void ctl_list(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	char line[HOOK_MAX_LINE + 1], count[16];
	unsigned n = 0;
	(void)req, (void)grant;
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	for (unsigned i = 0; i < t->cap; i++) {
		const struct recsess *s = &t->s[i];
		if (s->state != RS_RUNNING && s->state != RS_CLOSING)
			continue;
		int len = recctl_session_line(s, line, sizeof line);
		if (len > 0 && send(fd, line, (size_t)len, MSG_NOSIGNAL) == len)
			n++;
	}
	snprintf(count, sizeof count, "%u", n);
	reply1(fd, "ok", "count", count);
	close(fd);
}

static void ctl_watch(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	(void)grant;
	struct recsess *s = recsess_find(t, hook_get(req, "session"));
	if (!s || s->state != RS_RUNNING) {
		reply1(fd, "error", "reason", "no-such-session");
		close(fd);
		return;
	}
	if (s->transfer) {
		reply1(fd, "error", "reason", "file-transfer");
		close(fd);
		return;
	}
	reply1(fd, "ok", "session", s->grant.session);
	recspawn_nonblock(fd); /* read-only: what a watcher sends is read only to see it leave */
	if (recpump_add_watcher(s, fd)) {
		reply1(fd, "error", "reason", "too-many-watchers");
		close(fd);
	}
}

static void ctl_end(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	(void)grant;
	struct recsess *s = recsess_find(t, hook_get(req, "session"));
	if (!s) {
		reply1(fd, "error", "reason", "no-such-session");
	} else {
		recsess_end(s, "ended-by-admin", "the session was ended by an administrator");
		reply1(fd, "ok", "session", s->grant.session);
	}
	close(fd);
}

/* runs fn in a child of its own with only fd (as fd 3) open; the parent
 * goes on at once (the child is reaped by jumprec's SIGCHLD loop) */
static void in_child(int fd, const struct hook_msg *req, const struct hook_msg *grant,
		     void (*fn)(int fd, const struct hook_msg *req, const struct hook_msg *grant))
{
	pid_t pid = fork();
	if (pid < 0) {
		reply1(fd, "error", "reason", "recorder-busy");
	} else if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		if (dup2(fd, 3) < 0)
			_exit(1);
		if (syscall(SYS_close_range, 4U, ~0U, 0) != 0)
			for (int i = 4; i < 65536; i++)
				close(i);
		fn(3, req, grant);
		_exit(0);
	}
	close(fd);
}

static void target_key_child(int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	char line[HOOK_MAX_VALUE + 1], err[256];
	/* from=: the box's address as the target sees it. jumpd gives the
	 * box's configured address; with DHCP ("-") there is none to give */
	const char *addr = hook_get(grant, "address");
	if (!addr || !strcmp(addr, "-")) {
		addr = NULL;
		reply1(fd, "line", "text", "# the box's address is not fixed (DHCP): add from=\"ADDRESS\" to this line by hand");
	}
	if (reckeys_target_line(jr.bin, jr.keys_dir, hook_get(req, "target"), addr, line, sizeof line, err, sizeof err))
		reply1(fd, "error", "reason", err);
	else
		reply1(fd, "ok", "key", line);
}

static void ctl_target_key(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	(void)t;
	in_child(fd, req, grant, target_key_child);
}

/* a blocking connect, at most 10 s */
static int connect_to(const char *addr, unsigned port)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	struct sockaddr *sa = (struct sockaddr *)&a4;
	socklen_t sl = sizeof a4;
	if (inet_pton(AF_INET, addr, &a4.sin_addr) != 1) {
		if (inet_pton(AF_INET6, addr, &a6.sin6_addr) != 1)
			return -1;
		sa = (struct sockaddr *)&a6;
		sl = sizeof a6;
	}
	int s = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = { .tv_sec = 10 };
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (s >= 0 && connect(s, sa, sl) == 0)
		return s;
	if (s >= 0)
		close(s);
	return -1;
}

static void target_pin_child(int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	static char out[8192];
	char err[256];
	const char *addr = hook_get(grant, "address"), *port = hook_get(grant, "port");
	const char *target = hook_get(req, "target");
	int tcp = addr ? connect_to(addr, port ? (unsigned)strtoul(port, NULL, 10) : 22) : -1;
	if (tcp < 0) {
		reply1(fd, "error", "reason", addr ? "the target cannot be reached" : "jumpd gave no target address");
		return;
	}
	/* dbclient wants fd 3 for -J '&3': the ctl connection moves aside */
	int ctl = dup(fd);
	char *argv[] = { "dropbearmulti", "dbclient", "-J", "&3", "-T", "-l", "jumpbox-scan", (char *)target, NULL };
	char *envp[] = { "JB_HOSTKEY_SCAN=1", "HOME=/nonexistent", NULL };
	int rc = recspawn_capture(jr.bin, argv, envp, tcp, out, sizeof out, 15000, err, sizeof err);
	close(tcp);
	unsigned lines = 0;
	for (char *p = out, *nl; rc >= 0 && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(p, "host-key = ", 11)) {
			reply1(ctl, "line", "text", p);
			lines++;
		}
		if (!nl)
			break;
	}
	if (lines)
		reply1(ctl, "ok", NULL, NULL);
	else
		reply1(ctl, "error", "reason", rc < 0 ? err : "the target showed no host key");
	close(ctl);
}

static void ctl_target_pin(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant)
{
	(void)t;
	in_child(fd, req, grant, target_pin_child);
}

void recctl_serve(struct recsess_table *t, int fd, uid_t uid, const char *line, size_t len)
{
	struct hook_msg req, grant;
	char why[256];
	if (hook_parse(line, len, &req)) {
		reply1(fd, "error", "reason", "malformed");
		close(fd);
		return;
	}
	const struct recctl_row *row = recctl_find(req.verb);
	const char *session = hook_get(&req, "session"), *target = hook_get(&req, "target");
	if (!row) {
		reply1(fd, "error", "reason", "unknown-verb");
		close(fd);
		return;
	}
	if ((row->needs == CTL_SESSION && (!session || strlen(session) != 16)) ||
	    (row->needs == CTL_TARGET && (!target || !reckeys_name_ok(target)))) {
		reply1(fd, "error", "reason", row->needs == CTL_SESSION ? "want session=ID" : "want target=NAME");
		close(fd);
		return;
	}
	/* who may: jumpd decides (admin = yes) and audits; fails closed */
	if (recaudit_admin(jr.jumpd_sock, uid, row->action, session, target, &grant, why, sizeof why)) {
		reply1(fd, "error", "reason", why);
		close(fd);
		return;
	}
	row->handler(t, fd, &req, &grant);
}
