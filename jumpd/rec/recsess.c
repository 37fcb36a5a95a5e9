/* recsess: see recsess.h. */
#include "recsess.h"
#include "recstate.h"
#include "reckeys.h"
#include "recspawn.h"
#include "recstart.h"
#include "../common/monotime.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void audit_answered(const struct recasync_rep *rep, void *ctx);

int recsess_init(struct recsess_table *t, unsigned cap)
{
	t->s = calloc(cap, sizeof *t->s);
	t->cap = cap;
	t->used = 0;
	recasync_init(&t->async, jr.jumpd_sock, jr.spool.sp.fd, audit_answered, t);
	return t->s ? 0 : -1;
}

int recsess_start_audit_worker(struct recsess_table *t)
{
	return recasync_start(&t->async);
}

void recsess_audit_async(struct recsess_table *t, struct recsess *s, enum recasync_kind kind,
			 const struct hook_msg *msg, int sync_trail)
{
	struct recasync_req r = { .kind = kind, .sync_trail = sync_trail != 0, .msg = *msg };
	snprintf(r.session, sizeof r.session, "%s", s->grant.session);
	recasync_submit(&t->async, &r);
}

/* jumpd's answer to a mark or a typed COMMAND, in the order they were made */
static void audit_answered(const struct recasync_rep *rep, void *ctx)
{
	struct recsess *s = recsess_find(ctx, rep->session);
	if (!s)
		return;
	if (rep->kind == RECASYNC_MARK) {
		s->mark_inflight = 0;
		if (rep->rc == 0)
			recstart_touch(s->live_fd);
		else if (jr.fail_closed && strncmp(rep->why, "rate-limited", 12) != 0)
			recsess_end(s, "audit-unavailable", "the session cannot be audited now");
	} else if (rep->rc && jr.fail_closed && !strncmp(rep->why, "audit-unavailable", 17)) {
		recsess_end(s, "audit-unavailable", "the session cannot be audited now");
	}
}

static int64_t unix_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* one line to the stub; best effort (a stub that is gone hears nothing) */
static void tell_stub(int stub, const char *verb, const char *key, const char *val)
{
	struct hook_msg m;
	char line[HOOK_MAX_LINE + 1], safe[HOOK_MAX_VALUE + 1];
	recaudit_safe_value(safe, sizeof safe, val, strlen(val));
	if (hook_init(&m, verb) || hook_add(&m, key, safe))
		return;
	int n = hook_format(&m, line, sizeof line);
	if (n > 0 && send(stub, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		fprintf(stderr, "jumprec: cannot tell the stub: %s\n", strerror(errno));
}

/* "jumpbox: TEXT\r\n" on the user's stderr (their pty in a pty session) */
static void tell_user(int fd, const char *text)
{
	char line[320];
	int n = snprintf(line, sizeof line, "jumpbox: %.290s\r\n", text);
	if (fd >= 0 && write(fd, line, (size_t)n) < 0)
		return; /* the user is gone: nothing to tell */
}

/* a refusal before a session starts: shown, told to the stub, all closed */
static void refuse_open(int stub, const int *fds, unsigned nfds, const char *reason, const char *shown)
{
	tell_user(nfds >= 3 ? fds[2] : -1, shown ? shown : reason);
	for (unsigned i = 0; i < nfds; i++)
		close(fds[i]);
	tell_stub(stub, "end", "reason", reason);
	close(stub);
}

static const char *reason_text(const char *reason)
{
	if (!strcmp(reason, "storage-full"))
		return "recording storage is full: recorded sessions are refused now";
	if (!strcmp(reason, "not-granted"))
		return "you have no grant for that target now";
	if (!strcmp(reason, "not-recorded"))
		return "that target is not a recorded target: use ssh -J";
	if (!strcmp(reason, "no-account"))
		return "no such account on that target for you";
	if (!strcmp(reason, "recorder-busy"))
		return "too many recorded sessions now: try again later";
	return NULL;
}

static void free_slot(struct recsess_table *t, struct recsess *s)
{
	int fds[] = { s->stub, s->ufd[0], s->ufd[1], s->ufd[2], s->tcp, s->cin, s->cout != s->cin ? s->cout : -1, s->cerr };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (int w = 0; w < RECSESS_WATCHERS; w++)
		if (s->watch[w] >= 0)
			close(s->watch[w]);
	s->state = RS_FREE;
	t->used--;
}

static void audit_end(struct recsess *s, const char *exit, const char *reason)
{
	char why[256];
	recrecord_flush(&s->rec, 0);
	recspool_sync(&jr.spool);
	if (recaudit_end(jr.jumpd_sock, s->grant.session, s->rec.rc.next_chunk, s->rec.rc.bytes, s->rec.rc.chain,
			 mono_ms() - s->start_ms, exit, reason, why, sizeof why) == 0)
		recstart_unmark(jr.live_dir, s->grant.session, s->live_fd); /* else recovered at the next start */
	else {
		fprintf(stderr, "jumprec: %s: REC_END not taken (%s): left for recovery\n", s->grant.session, why);
		if (s->live_fd >= 0)
			close(s->live_fd);
	}
	s->live_fd = -1;
}

/* a session that got its grant but did not start: audited, told, freed */
void recsess_fail(struct recsess_table *t, struct recsess *s, const char *reason, const char *shown)
{
	tell_user(s->ufd[2], shown ? shown : reason);
	audit_end(s, "-", reason);
	tell_stub(s->stub, "end", "reason", reason);
	free_slot(t, s);
}

static int connect_start(struct recsess *s, char *why, size_t wl)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, s->grant.address, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)s->grant.port);
		sl = sizeof *a4;
	} else if (inet_pton(AF_INET6, s->grant.address, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)s->grant.port);
		sl = sizeof *a6;
	} else {
		snprintf(why, wl, "malformed-grant");
		return -1;
	}
	s->tcp = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->tcp < 0 || (connect(s->tcp, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)) {
		snprintf(why, wl, "target-unreachable");
		return -1;
	}
	return 0;
}

void recsess_open(struct recsess_table *t, int stub, uid_t uid, pid_t pid, const char *line, size_t len,
		  const int *fds, unsigned nfds)
{
	struct hook_msg m;
	struct recopen_req req;
	char why[256];
	if (nfds != 3 || hook_parse(line, len, &m) || recopen_parse(&m, &req, why, sizeof why)) {
		refuse_open(stub, fds, nfds, "malformed", nfds == 3 ? "the recorder could not read the request" : NULL);
		return;
	}
	struct recsess *s = NULL;
	for (unsigned i = 0; i < t->cap && !s; i++)
		if (t->s[i].state == RS_FREE)
			s = &t->s[i];
	if (!s || jr.trail_failed) {
		/* refused before jumpd is asked: nothing of the session exists */
		const char *r = !s ? "recorder-busy" : "storage-full";
		refuse_open(stub, fds, nfds, r, reason_text(r));
		return;
	}
	if (recaudit_open(jr.jumpd_sock, uid, req.selector, req.mode, pid, &s->grant, why, sizeof why)) {
		char reason[64];
		snprintf(reason, sizeof reason, "%.*s", (int)strcspn(why, " "), why);
		refuse_open(stub, fds, nfds, reason, reason_text(reason) ? reason_text(reason) : why);
		return;
	}
	struct recaudit_grant g = s->grant;
	memset(s, 0, sizeof *s);
	s->grant = g;
	s->req = req;
	s->state = RS_CONNECTING;
	t->used++;
	s->uid = uid;
	s->conn = pid;
	s->stub = stub;
	fdpass_rx_init(&s->stubrx);
	for (int i = 0; i < 3; i++) {
		s->ufd[i] = fds[i];
		recspawn_nonblock(fds[i]);
	}
	s->tcp = s->cin = s->cout = s->cerr = s->live_fd = -1;
	for (int w = 0; w < RECSESS_WATCHERS; w++)
		s->watch[w] = -1;
	struct passwd *pw = getpwuid(uid);
	snprintf(s->user, sizeof s->user, "%s", pw ? pw->pw_name : "?");
	s->transfer = recxfer_kind_of(req.mode, req.cmd) != RECXFER_NONE;
	s->since_unix_ms = unix_ms();
	s->start_ms = mono_ms();
	s->deadline_ms = s->start_ms + RECSESS_CONNECT_MS;
	typed_init(&s->typed);
	s->live_fd = recstart_mark(jr.live_dir, g.session, s->since_unix_ms, uid, g.target);
	int rc = recrecord_begin(&s->rec, &jr.spool, g.session, req.cols, req.rows, req.term,
				 req.cmd[0] ? req.cmd : NULL, s->since_unix_ms / 1000, mono_us());
	if (rc) {
		jr.trail_failed = rc == -2 ? 1 : 2;
		recsess_fail(t, s, "storage-full", reason_text("storage-full"));
		return;
	}
	if (s->live_fd < 0) {
		recsess_fail(t, s, "recorder-storage", "the recorder cannot write its state");
		return;
	}
	if (connect_start(s, why, sizeof why))
		recsess_fail(t, s, why, "the target cannot be reached");
}

/* dbclient's argv and environment for the session */
static void start_child(struct recsess_table *t, struct recsess *s)
{
	char key[320], err[256], hostkey[HOOK_MAX_VALUE + 16], term[48];
	if (reckeys_ensure(jr.bin, jr.keys_dir, s->grant.target, key, sizeof key, err, sizeof err)) {
		fprintf(stderr, "jumprec: key for %s: %s\n", s->grant.target, err);
		recsess_fail(t, s, "no-target-key", "the recorder has no key for that target");
		return;
	}
	char *argv[16];
	int n = 0;
	argv[n++] = "dropbearmulti";
	argv[n++] = "dbclient";
	argv[n++] = "-J";
	argv[n++] = "&3";
	argv[n++] = "-i";
	argv[n++] = key;
	argv[n++] = "-l";
	argv[n++] = s->grant.account;
	argv[n++] = s->req.pty ? "-t" : "-T";
	if (!strcmp(s->req.mode, "sftp"))
		argv[n++] = "-s";
	argv[n++] = s->grant.target;
	if (!strcmp(s->req.mode, "sftp"))
		argv[n++] = "sftp";
	else if (s->req.cmd[0])
		argv[n++] = s->req.cmd;
	argv[n] = NULL;
	snprintf(hostkey, sizeof hostkey, "JB_HOSTKEY=%s", s->grant.hostkey);
	snprintf(term, sizeof term, "TERM=%s", s->req.term);
	char *envp[] = { hostkey, "HOME=/nonexistent", s->req.pty ? term : NULL, NULL };
	struct recspawn_child c;
	if (recspawn_dbclient(jr.bin, argv, envp, s->tcp, s->req.pty, s->req.cols, s->req.rows, &c, err, sizeof err)) {
		fprintf(stderr, "jumprec: %s\n", err);
		recsess_fail(t, s, "recorder-error", "the recorder could not start the connection");
		return;
	}
	close(s->tcp);
	s->tcp = -1;
	s->child = c.pid;
	s->cin = c.in;
	s->cout = c.out;
	s->cerr = c.err;
}

void recsess_connected(struct recsess_table *t, struct recsess *s)
{
	char why[256];
	start_child(t, s);
	if (s->state == RS_FREE)
		return;
	s->state = RS_RUNNING;
	if (recaudit_start(jr.jumpd_sock, s->grant.session, s->req.cols, s->req.rows,
			   !strcmp(s->req.mode, "sftp") ? "sftp" : s->req.cmd, why, sizeof why)) {
		recsess_end(s, "audit-unavailable", "the session cannot be audited now");
		return;
	}
	if (s->transfer)
		recxfer_start(&s->xfer, recxfer_kind_of(s->req.mode, s->req.cmd), s->req.cmd, s->grant.session,
			      jr.jumpd_sock);
	if (s->req.cmd[0] && recaudit_command(jr.jumpd_sock, s->grant.session, s->req.cmd, "exec",
					      strlen(s->req.cmd) >= HOOK_MAX_VALUE, why, sizeof why) &&
	    !strncmp(why, "audit-unavailable", 17) && jr.fail_closed)
		recsess_end(s, "audit-unavailable", "the session cannot be audited now");
}

void recsess_end(struct recsess *s, const char *reason, const char *shown)
{
	if (s->state == RS_FREE || s->end_reason[0])
		return;
	snprintf(s->end_reason, sizeof s->end_reason, "%s", reason);
	if (shown && !s->user_gone)
		tell_user(s->ufd[2], shown);
	if (s->child > 0 && !s->child_done)
		kill(s->child, SIGTERM);
	s->state = RS_CLOSING;
	s->deadline_ms = mono_ms() + RECSESS_CLOSE_MS;
}

void recsess_trail_failed(struct recsess_table *t, int rc)
{
	jr.trail_failed = rc == -2 ? 1 : 2;
	fprintf(stderr, "jumprec: the recording trail %s: new sessions refused, live ones %s\n",
		rc == -2 ? "is full" : "failed", jr.fail_closed ? "ended" : "no longer recorded");
	for (unsigned i = 0; i < t->cap; i++) {
		struct recsess *s = &t->s[i];
		if (s->state == RS_FREE)
			continue;
		if (jr.fail_closed)
			recsess_end(s, "storage-full", "recording storage is full: the session is ended");
		else
			s->rec.stopped = 1;
	}
}

void recsess_record(struct recsess_table *t, struct recsess *s, char code, const uint8_t *p, size_t n)
{
	int rc = recrecord_event(&s->rec, code, p, n, mono_us());
	if (rc)
		recsess_trail_failed(t, rc);
}

void recsess_reaped(struct recsess_table *t, pid_t pid, int status)
{
	for (unsigned i = 0; i < t->cap; i++)
		if (t->s[i].state != RS_FREE && t->s[i].child == pid) {
			t->s[i].child_done = 1;
			t->s[i].child_status = status;
			return;
		}
}

struct recsess *recsess_find(struct recsess_table *t, const char *id)
{
	for (unsigned i = 0; i < t->cap; i++)
		if (t->s[i].state != RS_FREE && !strcmp(t->s[i].grant.session, id))
			return &t->s[i];
	return NULL;
}

/* the names exit-signal uses (RFC 4254 6.10), for the signals a dbclient dies of */
static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGHUP: return "HUP";
	case SIGINT: return "INT";
	case SIGQUIT: return "QUIT";
	case SIGKILL: return "KILL";
	case SIGTERM: return "TERM";
	case SIGPIPE: return "PIPE";
	case SIGSEGV: return "SEGV";
	case SIGABRT: return "ABRT";
	default: return "UNKNOWN";
	}
}

void recsess_finish(struct recsess_table *t, struct recsess *s)
{
	char exit[48] = "-", mark[64];
	/* its marks and COMMANDs reach jumpd before its REC_END (their answers may end it: reason) */
	recasync_wait(&t->async, s->grant.session, RECASYNC_WAIT_MS);
	int st = s->child_status;
	if (s->child_done && WIFEXITED(st))
		snprintf(exit, sizeof exit, "%d", WEXITSTATUS(st));
	else if (s->child_done && WIFSIGNALED(st))
		snprintf(exit, sizeof exit, "signal:%s", signal_name(WTERMSIG(st)));
	const char *reason = s->end_reason[0] ? s->end_reason : "exit";
	if (!s->end_reason[0] && s->hostkey_refused && exit[0] != '0') {
		reason = "host-key";
		char text[160];
		snprintf(text, sizeof text, "host key of %s is not the pinned one", s->grant.target);
		tell_user(s->ufd[2], text);
	}
	if (s->transfer && s->state != RS_CONNECTING)
		recxfer_end(&s->xfer);
	snprintf(mark, sizeof mark, "exit %s", exit);
	recsess_record(t, s, 'm', (const uint8_t *)mark, strlen(mark));
	audit_end(s, exit, reason);
	for (int w = 0; w < RECSESS_WATCHERS; w++)
		if (s->watch[w] >= 0) {
			close(s->watch[w]);
			s->watch[w] = -1;
		}
	/* the user's output first, so EOF reaches them, then the status */
	for (int i = 2; i >= 0; i--) {
		close(s->ufd[i]);
		s->ufd[i] = -1;
	}
	if (strcmp(reason, "exit") != 0)
		tell_stub(s->stub, "end", "reason", reason);
	else if (!strncmp(exit, "signal:", 7))
		tell_stub(s->stub, "exit", "signal", exit + 7);
	else
		tell_stub(s->stub, "exit", "status", exit);
	free_slot(t, s);
}

void recsess_tick(struct recsess_table *t, int64_t now_ms)
{
	for (unsigned i = 0; i < t->cap; i++) {
		struct recsess *s = &t->s[i];
		if (s->state == RS_CONNECTING && now_ms >= s->deadline_ms) {
			recsess_fail(t, s, "target-unreachable", "the target did not answer");
			continue;
		}
		if (s->state != RS_RUNNING && s->state != RS_CLOSING)
			continue;
		int rc = recrecord_tick(&s->rec, now_ms);
		if (rc)
			recsess_trail_failed(t, rc);
		if (!s->mark_inflight && recrecord_mark_due(&s->rec, now_ms)) {
			/* the values now; the worker flushes the trail, then asks jumpd */
			struct hook_msg m;
			recrecord_marked(&s->rec, now_ms);
			if (recaudit_mark_req(&m, s->grant.session, s->rec.rc.next_chunk, s->rec.rc.bytes, s->rec.rc.chain)) {
				recsess_end(s, "audit-unavailable", "the session cannot be audited now");
			} else {
				s->mark_inflight = 1;
				recsess_audit_async(t, s, RECASYNC_MARK, &m, 1);
			}
		}
		if (s->state == RS_CLOSING && now_ms >= s->deadline_ms) {
			if (s->child > 0 && !s->child_done)
				kill(s->child, SIGKILL);
			s->out_eof = s->err_eof = 1;
			s->down.len = s->err.len = 0;
			if (s->child_done || now_ms >= s->deadline_ms + RECSESS_CLOSE_MS)
				recsess_finish(t, s);
		}
	}
}
