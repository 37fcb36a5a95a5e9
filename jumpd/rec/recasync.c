/* recasync: see recasync.h. */
#include "recasync.h"
#include "recaudit.h"
#include "../common/monotime.h"
#include "../dropbear/jb-authhook.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void answer(const struct recasync_req *r, int sync_failed, const char *jumpd_sock, struct recasync_rep *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->kind = r->kind;
	memcpy(rep->session, r->session, sizeof rep->session);
	rep->session[sizeof rep->session - 1] = 0;
	if (r->sync_trail && sync_failed) {
		/* a mark vouches for chunks on disk: none is asked for when the flush failed */
		rep->rc = -1;
		snprintf(rep->why, sizeof rep->why, "audit-unavailable (the recording trail could not be flushed: %s)",
			 strerror(sync_failed));
		return;
	}
	rep->rc = recaudit_ask(jumpd_sock, &r->msg, NULL, rep->why, sizeof rep->why);
}

/* the worker: requests in, answers out, in order, until the parent goes */
static void worker(int fd, const char *jumpd_sock, int trail_fd)
{
	static struct recasync_req batch[RECASYNC_BATCH];
	for (;;) {
		unsigned n = 0;
		while (n < RECASYNC_BATCH) {
			ssize_t k = recv(fd, &batch[n], sizeof batch[n], n ? MSG_DONTWAIT : 0);
			if (k == (ssize_t)sizeof batch[n]) {
				n++;
				continue;
			}
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0 && errno == EAGAIN && n)
				break;
			_exit(0); /* the parent closed its end (or sent nonsense): done */
		}
		int need_sync = 0, sync_failed = 0;
		for (unsigned i = 0; i < n; i++)
			need_sync |= batch[i].sync_trail != 0;
		if (need_sync && fdatasync(trail_fd))
			sync_failed = errno ? errno : EIO;
		for (unsigned i = 0; i < n; i++) {
			struct recasync_rep rep;
			answer(&batch[i], sync_failed, jumpd_sock, &rep);
			while (send(fd, &rep, sizeof rep, MSG_NOSIGNAL) < 0)
				if (errno != EINTR)
					_exit(0);
		}
	}
}

void recasync_init(struct recasync *a, const char *jumpd_sock, int trail_fd, recasync_done_fn done, void *ctx)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->pid = -1;
	a->jumpd_sock = jumpd_sock;
	a->trail_fd = trail_fd;
	a->done = done;
	a->ctx = ctx;
}

int recasync_start(struct recasync *a)
{
	int sp[2];
	if (a->fd >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sp[0]);
		close(sp[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sp[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() == 1)
			_exit(0); /* the parent is already gone */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		worker(sp[1], a->jumpd_sock, a->trail_fd);
	}
	close(sp[1]);
	a->fd = sp[0];
	a->pid = pid;
	return 0;
}

int recasync_reaped(struct recasync *a, pid_t pid)
{
	if (pid <= 0 || pid != a->pid)
		return 0;
	a->pid = -1;
	return 1;
}

static void fail_outstanding(struct recasync *a, const char *why)
{
	if (a->fd >= 0) {
		close(a->fd);
		a->fd = -1;
	}
	if (a->pid > 0) {
		kill(a->pid, SIGKILL);
		waitpid(a->pid, NULL, 0);
		a->pid = -1;
	}
	if (a->count || strcmp(why, "stopped") != 0)
		fprintf(stderr, "jumprec: audit worker gone (%s): %u requests failed, later ones made inline\n", why,
			a->count);
	while (a->count) {
		struct recasync_rep rep = { .kind = a->ring[a->head].kind, .rc = -1 };
		memcpy(rep.session, a->ring[a->head].session, sizeof rep.session);
		snprintf(rep.why, sizeof rep.why, "audit-unavailable (the recorder's audit worker is gone: %s)", why);
		a->head = (a->head + 1) % RECASYNC_QUEUE;
		a->count--;
		a->done(&rep, a->ctx);
	}
}

/* one answer: 1 taken, 0 none yet, -1 the worker is gone (failed) */
static int take_one(struct recasync *a, int timeout_ms)
{
	struct recasync_rep rep;
	if (a->fd < 0)
		return -1;
	struct pollfd p = { .fd = a->fd, .events = POLLIN };
	int r = poll(&p, 1, timeout_ms);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r == 0)
		return 0;
	ssize_t k = recv(a->fd, &rep, sizeof rep, MSG_DONTWAIT);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (k != (ssize_t)sizeof rep || !a->count || a->ring[a->head].kind != rep.kind ||
	    strncmp(a->ring[a->head].session, rep.session, sizeof rep.session) != 0) {
		fail_outstanding(a, k <= 0 ? "it exited" : "its answer is out of order");
		return -1;
	}
	rep.why[sizeof rep.why - 1] = 0;
	a->head = (a->head + 1) % RECASYNC_QUEUE;
	a->count--;
	a->done(&rep, a->ctx);
	return 1;
}

void recasync_ready(struct recasync *a)
{
	while (take_one(a, 0) == 1)
		;
}

static void inline_request(struct recasync *a, const struct recasync_req *r)
{
	struct recasync_rep rep;
	int sync_failed = r->sync_trail && fdatasync(a->trail_fd) ? (errno ? errno : EIO) : 0;
	answer(r, sync_failed, a->jumpd_sock, &rep);
	a->done(&rep, a->ctx);
}

void recasync_submit(struct recasync *a, const struct recasync_req *r)
{
	int64_t deadline = mono_ms() + (int64_t)2 * JB_HOOK_TIMEOUT_MS;
	while (a->fd >= 0) {
		if (a->count < RECASYNC_QUEUE) {
			ssize_t k = send(a->fd, r, sizeof *r, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (k == (ssize_t)sizeof *r) {
				unsigned tail = (a->head + a->count) % RECASYNC_QUEUE;
				a->ring[tail].kind = r->kind;
				memcpy(a->ring[tail].session, r->session, sizeof a->ring[tail].session);
				a->ring[tail].session[sizeof a->ring[tail].session - 1] = 0;
				a->count++;
				return;
			}
			if (k >= 0 || (errno != EAGAIN && errno != EINTR)) {
				fail_outstanding(a, strerror(k < 0 ? errno : EMSGSIZE));
				break;
			}
		}
		/* full: the oldest answer first, as an inline call would have waited */
		if (mono_ms() >= deadline) {
			fail_outstanding(a, "no answer within its deadline");
			break;
		}
		take_one(a, 100);
	}
	inline_request(a, r);
}

unsigned recasync_outstanding(const struct recasync *a, const char *session)
{
	unsigned n = 0;
	for (unsigned i = 0; i < a->count; i++)
		n += !strcmp(a->ring[(a->head + i) % RECASYNC_QUEUE].session, session);
	return n;
}

int recasync_wait(struct recasync *a, const char *session, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	while (recasync_outstanding(a, session)) {
		int64_t left = deadline - mono_ms();
		if (left <= 0) {
			fail_outstanding(a, "no answer within its deadline");
			return -1;
		}
		if (take_one(a, (int)(left > 100 ? 100 : left)) < 0)
			return -1;
	}
	return 0;
}

void recasync_stop(struct recasync *a)
{
	fail_outstanding(a, "stopped");
}
