/* unit tests for recasync.c: requests answered by the worker in the order
 * submitted, with jumpd's lines in that order; inline with no worker; a
 * failed trail flush refuses a mark without asking jumpd (and a request
 * that needs no flush is still asked); a worker that is killed fails its
 * outstanding requests (audit-unavailable) and the next ones go inline;
 * a refusal's reason comes back. The whole recorder with a slow jumpd:
 * tests/rec/jumprec_process.py (slow-jumpd-*). */
#include "recasync.h"
#include "recaudit.h"
#include "rectest.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static char sock[256], logp[256], trail[256];

struct answers {
	unsigned n;
	struct recasync_rep r[80];
};

static void note(const struct recasync_rep *rep, void *ctx)
{
	struct answers *seen = ctx;
	if (seen->n < 80)
		seen->r[seen->n++] = *rep;
}

static struct recasync_req mark(const char *session, uint64_t chunks, int sync)
{
	struct recasync_req r = { .kind = RECASYNC_MARK, .sync_trail = (uint32_t)sync };
	uint8_t chain[32] = { 0 };
	snprintf(r.session, sizeof r.session, "%s", session);
	CHECK(recaudit_mark_req(&r.msg, session, chunks, chunks * 100, chain) == 0);
	return r;
}

static unsigned log_lines(char first[200])
{
	FILE *f = fopen(logp, "r");
	char line[1200];
	unsigned n = 0;
	while (f && fgets(line, sizeof line, f))
		if (n++ == 0 && first)
			snprintf(first, 200, "%.199s", line);
	if (f)
		fclose(f);
	return n;
}

static struct recasync a;
static struct answers got;

/* a fresh fixture: no log, no answers, a inline over trail_fd; a fake jumpd answering reply (NULL: none) */
static pid_t fixture(int trail_fd, const char *reply)
{
	unlink(sock);
	unlink(logp);
	memset(&got, 0, sizeof got);
	recasync_init(&a, sock, trail_fd, note, &got);
	return reply ? rectest_jumpd(sock, logp, reply) : -1;
}

static void in_order_through_the_worker(void)
{
	int fd = open(trail, O_WRONLY | O_CREAT, 0600);
	pid_t j = fixture(fd, "ok\n");
	CHECK(recasync_start(&a) == 0 && a.fd >= 0 && a.pid > 0);
	for (unsigned i = 1; i <= 70; i++) { /* more than the ring: submit waits for answers */
		struct recasync_req r = mark(i % 2 ? "aaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbb", i, 1);
		recasync_submit(&a, &r);
	}
	CHECK(recasync_wait(&a, "aaaaaaaaaaaaaaaa", 10000) == 0 && recasync_wait(&a, "bbbbbbbbbbbbbbbb", 10000) == 0);
	CHECK(got.n == 70 && recasync_outstanding(&a, "aaaaaaaaaaaaaaaa") == 0);
	for (unsigned i = 0; i < got.n; i++)
		CHECK(got.r[i].rc == 0 && !strcmp(got.r[i].session, (i + 1) % 2 ? "aaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbb"));
	/* jumpd saw them in the order made */
	FILE *f = fopen(logp, "r");
	char line[1200];
	unsigned n = 0, in_order = 1;
	while (f && fgets(line, sizeof line, f)) {
		char want[64];
		n++;
		snprintf(want, sizeof want, " chunk=%u ", n);
		in_order &= strstr(line, want) != NULL;
	}
	if (f)
		fclose(f);
	CHECK(n == 70 && in_order);
	recasync_stop(&a);
	CHECK(a.fd < 0 && a.pid < 0);
	rectest_stop(j);
	close(fd);
}

static void inline_without_worker(void)
{
	int fd = open(trail, O_WRONLY | O_CREAT, 0600);
	pid_t j = fixture(fd, "deny reason=rate-limited\n");
	struct recasync_req r = mark("cccccccccccccccc", 5, 1);
	recasync_submit(&a, &r);
	/* answered before submit returned, with jumpd's reason */
	CHECK(got.n == 1 && got.r[0].rc == -1 && !strcmp(got.r[0].why, "rate-limited") && got.r[0].kind == RECASYNC_MARK);
	CHECK(log_lines(NULL) == 1);
	rectest_stop(j);
	close(fd);
}

static void failed_flush_refuses_the_mark(void)
{
	int p[2];
	char first[200] = "";
	CHECK(pipe(p) == 0); /* fdatasync on a pipe fails: EINVAL */
	pid_t j = fixture(p[1], "ok\n");
	CHECK(recasync_start(&a) == 0);
	struct recasync_req r = mark("dddddddddddddddd", 1, 1);
	recasync_submit(&a, &r);
	struct recasync_req c = { .kind = RECASYNC_COMMAND };
	snprintf(c.session, sizeof c.session, "eeeeeeeeeeeeeeee");
	CHECK(recaudit_command_req(&c.msg, c.session, "uptime", "typed", 0) == 0);
	recasync_submit(&a, &c);
	CHECK(recasync_wait(&a, "dddddddddddddddd", 10000) == 0 && recasync_wait(&a, "eeeeeeeeeeeeeeee", 10000) == 0);
	CHECK(got.n == 2 && got.r[0].rc == -1 && !strncmp(got.r[0].why, "audit-unavailable (the recording trail", 38));
	CHECK(got.r[1].rc == 0 && got.r[1].kind == RECASYNC_COMMAND);
	/* only the command reached jumpd */
	CHECK(log_lines(first) == 1 && !strncmp(first, "command session=eeeeeeeeeeeeeeee line=uptime", 44));
	recasync_stop(&a);
	rectest_stop(j);
	close(p[0]);
	close(p[1]);
}

static void killed_worker_fails_outstanding(void)
{
	int fd = open(trail, O_WRONLY | O_CREAT, 0600);
	/* the worker stopped before it can answer, then killed */
	fixture(fd, NULL);
	CHECK(recasync_start(&a) == 0);
	kill(a.pid, SIGSTOP);
	struct recasync_req r1 = mark("ffffffffffffffff", 1, 0), r2 = mark("ffffffffffffffff", 2, 0);
	recasync_submit(&a, &r1);
	recasync_submit(&a, &r2);
	CHECK(got.n == 0 && recasync_outstanding(&a, "ffffffffffffffff") == 2);
	kill(a.pid, SIGKILL);
	CHECK(recasync_wait(&a, "ffffffffffffffff", 10000) == -1 || got.n == 2);
	CHECK(got.n == 2 && got.r[0].rc == -1 && got.r[1].rc == -1 &&
	      !strncmp(got.r[0].why, "audit-unavailable (the recorder's audit worker is gone", 54));
	CHECK(a.fd < 0);
	/* the next one inline, with jumpd back */
	pid_t j = rectest_jumpd(sock, logp, "ok\n");
	struct recasync_req r3 = mark("ffffffffffffffff", 3, 1);
	recasync_submit(&a, &r3);
	CHECK(got.n == 3 && got.r[2].rc == 0 && log_lines(NULL) == 1);
	rectest_stop(j);
	close(fd);
}

/* a worker reaped by the caller's SIGCHLD loop is forgotten: a later
 * child (which may get its pid) is neither killed nor waited for, and the
 * outstanding requests still fail on the hang-up */
static void worker_reaped_by_caller_forgotten(void)
{
	int fd = open(trail, O_WRONLY | O_CREAT, 0600);
	fixture(fd, NULL);
	CHECK(recasync_start(&a) == 0);
	kill(a.pid, SIGSTOP);
	struct recasync_req r1 = mark("eeeeeeeeeeeeeeee", 1, 0);
	recasync_submit(&a, &r1);
	pid_t w = a.pid;
	kill(w, SIGKILL);
	CHECK(waitpid(w, NULL, 0) == w);
	CHECK(recasync_reaped(&a, w + 1) == 0 && a.pid == w);
	CHECK(recasync_reaped(&a, w) == 1 && a.pid == -1);
	pid_t other = fork();
	if (other == 0) {
		pause();
		_exit(0);
	}
	CHECK(recasync_wait(&a, "eeeeeeeeeeeeeeee", 10000) == -1 || got.n == 1);
	CHECK(got.n == 1 && got.r[0].rc == -1);
	recasync_stop(&a);
	CHECK(waitpid(other, NULL, WNOHANG) == 0); /* still alive: nobody waited for or killed it */
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	close(fd);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "requests");
	ut_path(trail, sizeof trail, "trail");
	RUN(in_order_through_the_worker);
	RUN(inline_without_worker);
	RUN(failed_flush_refuses_the_mark);
	RUN(killed_worker_fails_outstanding);
	RUN(worker_reaped_by_caller_forgotten);
	unlink(logp);
	unlink(trail);
	UT_END();
}
