/* unit tests for recspawn.c: dbclient's place taken by /bin/sh to see what
 * it gets: a pty of the asked size as its controlling terminal (or pipes),
 * the socket on fd 3, no other descriptor of ours, only the environment
 * given, its stderr apart; capture's exit status, output and timeout. */
#include "recspawn.h"
#include "../common/unittest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* everything from fd until EOF/EIO (at most 5 s) */
static size_t slurp(int fd, char *out, size_t cap)
{
	size_t n = 0;
	for (int i = 0; i < 500 && n < cap - 1; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		poll(&p, 1, 10);
		ssize_t r = read(fd, out + n, cap - 1 - n);
		if (r > 0)
			n += (size_t)r;
		else if (r == 0 || errno != EAGAIN)
			break;
	}
	out[n] = 0;
	return n;
}

static void pty_child(void)
{
	int sp[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0);
	int leak = open("/dev/null", O_RDONLY); /* not close-on-exec: must not reach the child */
	char script[300];
	snprintf(script, sizeof script, "test -t 0 && echo tty; test -S /dev/fd/3 && echo sock; stty size; "
		 "test -e /dev/fd/%d || echo noleak; /usr/bin/env | grep -v ^PWD= | tr '\\n' ,; echo; echo err >&2", leak);
	char *argv[] = { "sh", "-c", script, NULL }, *envp[] = { "FOO=bar", NULL };
	struct recspawn_child c;
	char err[200], out[1000], eout[100];
	CHECK(recspawn_dbclient("/bin/sh", argv, envp, sp[1], 1, 100, 30, &c, err, sizeof err) == 0);
	CHECK(c.in == c.out && c.err != c.out);
	slurp(c.out, out, sizeof out);
	slurp(c.err, eout, sizeof eout);
	CHECK(strstr(out, "tty\r\n") && strstr(out, "sock\r\n") && strstr(out, "30 100\r\n") && strstr(out, "noleak\r\n"));
	CHECK(strstr(out, "\nFOO=bar,\r\n")); /* that alone (the shell adds PWD) */
	CHECK(!strcmp(eout, "err\n"));
	int st;
	CHECK(waitpid(c.pid, &st, 0) == c.pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(c.out);
	close(c.err);
	close(sp[0]);
	close(sp[1]);
	close(leak);
}

static void pipe_child(void)
{
	int sp[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0);
	char *argv[] = { "sh", "-c", "test -t 0 || echo notty; cat; exit 7", NULL }, *envp[] = { NULL };
	struct recspawn_child c;
	char err[200], out[1000];
	CHECK(recspawn_dbclient("/bin/sh", argv, envp, sp[1], 0, 80, 24, &c, err, sizeof err) == 0);
	CHECK(c.in != c.out);
	CHECK(write(c.in, "through\n", 8) == 8);
	close(c.in); /* EOF reaches the child's stdin */
	slurp(c.out, out, sizeof out);
	CHECK(!strcmp(out, "notty\nthrough\n"));
	int st;
	CHECK(waitpid(c.pid, &st, 0) == c.pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
	close(c.out);
	close(c.err);
	close(sp[0]);
	close(sp[1]);
}

static void capture(void)
{
	char out[64], err[200];
	char *ok[] = { "sh", "-c", "echo one; echo two >&2; exit 3", NULL }, *envp[] = { NULL };
	CHECK(recspawn_capture("/bin/sh", ok, envp, -1, out, sizeof out, 5000, err, sizeof err) == 3);
	CHECK(!strcmp(out, "one\ntwo\n"));
	char *slow[] = { "sh", "-c", "sleep 5", NULL };
	CHECK(recspawn_capture("/bin/sh", slow, envp, -1, out, sizeof out, 200, err, sizeof err) == -1 &&
	      strstr(err, "timed out"));
	char *big[] = { "sh", "-c", "i=0; while [ $i -lt 100 ]; do echo 0123456789; i=$((i+1)); done", NULL };
	CHECK(recspawn_capture("/bin/sh", big, envp, -1, out, sizeof out, 5000, err, sizeof err) == 0 && strlen(out) == 63);
	CHECK(recspawn_capture("/nonexistent", ok, envp, -1, out, sizeof out, 5000, err, sizeof err) == 127);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(pty_child);
	RUN(pipe_child);
	RUN(capture);
	UT_END();
}
