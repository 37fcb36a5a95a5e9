/* unit tests for recsess.c: an open refused before jumpd is asked (no slot, the trail failed) or by
 * jumpd: the reason on the user's stderr and `end reason=` to the stub,
 * every descriptor closed. The whole life of a session: tests/rec/jumprec_process.py. */
#include "recsess.h"
#include "recstate.h"
#include "rectest.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct jumprec jr;

/* an open refused: what the user and the stub see */
static void refusal(const char *line, const char *reply, const char *want_stub, const char *want_user)
{
	struct recsess_table t;
	char sock[256], logp[256], buf[400] = "";
	int sp[2] = { -1, -1 }, e[2] = { -1, -1 }, fds[3];
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "log");
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, reply);
	jr.jumpd_sock = sock;
	CHECK(recsess_init(&t, 1) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 && pipe(e) == 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open("/dev/null", O_WRONLY);
	fds[2] = e[1];
	recsess_open(&t, sp[1], 2000, 1, line, strlen(line), fds, 3);
	CHECK(t.used == 0);
	ssize_t n = read(sp[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && !strcmp(buf, want_stub));
	n = read(e[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && strstr(buf, want_user));
	CHECK(read(e[0], buf, 1) == 0); /* the user's stderr: closed by jumprec */
	CHECK(read(sp[0], buf, 1) == 0);  /* and the stub's socket */
	close(sp[0]);
	close(e[0]);
	free(t.s);
	rectest_stop(p);
	unlink(sock);
	unlink(logp);
}

static void refused_opens(void)
{
	refusal("open target=nope mode=exec pty=no cmd=true\n", "deny reason=not-granted\n", "end reason=not-granted\n",
		"jumpbox: you have no grant for that target now\r\n");
	refusal("open target=db1 mode=exec pty=no\n", "ok\n", "end reason=malformed\n", "could not read the request");
	jr.trail_failed = 1;
	refusal("open target=db1 mode=exec pty=no cmd=true\n", "ok\n", "end reason=storage-full\n", "storage is full");
	jr.trail_failed = 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(refused_opens);
	UT_END();
}
