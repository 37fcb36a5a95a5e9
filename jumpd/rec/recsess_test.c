/* unit tests for recsess.c: the open request's fields checked (each kind
 * of malformation refused, the well-formed ones taken with defaults), and
 * an open refused before jumpd is asked (no slot, the trail failed) or by
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

static int parse(const char *line, struct recsess_req *r)
{
	struct hook_msg m;
	char why[200];
	memset(r, 0, sizeof *r);
	if (hook_parse(line, strlen(line), &m))
		return -2;
	return recsess_parse_open(&m, r, why, sizeof why);
}

static void open_lines(void)
{
	struct recsess_req r;
	CHECK(parse("open target=db1 mode=shell pty=yes term=xterm-256color cols=120 rows=40\n", &r) == 0);
	CHECK(!strcmp(r.selector, "db1") && r.pty && r.cols == 120 && r.rows == 40 && !strcmp(r.term, "xterm-256color") &&
	      !r.cmd[0]);
	CHECK(parse("open target=deploy%25db1 mode=exec pty=no cmd=uptime\n", &r) == 0);
	CHECK(!strcmp(r.selector, "deploy%db1") && !r.pty && r.cols == 80 && r.rows == 24 && !strcmp(r.cmd, "uptime") &&
	      !strcmp(r.term, "xterm"));
	CHECK(parse("open target=db1 mode=sftp pty=no\n", &r) == 0 && !r.cmd[0]);
	CHECK(parse("open target=db1 mode=sftp pty=no cmd=sftp\n", &r) == 0 && !r.cmd[0]);
	/* refused */
	CHECK(parse("open mode=shell pty=yes\n", &r) == -1);
	CHECK(parse("open target=db1 mode=login pty=yes\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=maybe\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes term=x%3by\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cols=0\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes rows=99999\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cols=-1\n", &r) == -1);
	CHECK(parse("open target=db1 mode=exec pty=no\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cmd=ls\n", &r) == -1);
	CHECK(parse("open target=db1 mode=sftp pty=no cmd=ls\n", &r) == -1);
	CHECK(parse("winch target=db1 mode=shell pty=yes\n", &r) == -1);
}

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
	RUN(open_lines);
	RUN(refused_opens);
	UT_END();
}
