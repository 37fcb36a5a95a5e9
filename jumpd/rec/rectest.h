/* rectest: what the recorder's unit tests share: a fake jumpd on a unix
 * socket (a forked child answering each request line with the reply the
 * test chose, and logging the requests to a file), and where the test
 * tree's fake dropbearmulti is. Header-only, tests only. */
#ifndef JB_RECTEST_H
#define JB_RECTEST_H
#include "../common/unixsock.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* tests/rec/fake-dropbearmulti, found from this file's path (the tests are
 * compiled with absolute source paths by tests/unit.sh) */
static inline void rectest_fake_bin(char *out, size_t cap)
{
	snprintf(out, cap, "%s", __FILE__);
	char *p = strstr(out, "jumpd/rec/rectest.h");
	if (p)
		snprintf(p, cap - (size_t)(p - out), "tests/rec/fake-dropbearmulti");
}

/* Serves sock_path in a child: each connection's line is appended to
 * log_path, answered with reply ("ok\n"-style, newline included). Returns
 * the child's pid. */
static inline pid_t rectest_jumpd(const char *sock_path, const char *log_path, const char *reply)
{
	int l = unixsock_listen(sock_path, 0600, 16, 0);
	if (l < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			int c = accept(l, NULL, NULL);
			char buf[1100];
			size_t n = 0;
			ssize_t r;
			while (n < sizeof buf - 1 && (r = read(c, buf + n, sizeof buf - 1 - n)) > 0) {
				n += (size_t)r;
				if (buf[n - 1] == '\n')
					break;
			}
			FILE *f = fopen(log_path, "a");
			if (f) {
				fwrite(buf, 1, n, f);
				fclose(f);
			}
			if (write(c, reply, strlen(reply)) < 0)
				_exit(1);
			close(c);
		}
	}
	close(l);
	return pid;
}

static inline void rectest_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}
#endif
