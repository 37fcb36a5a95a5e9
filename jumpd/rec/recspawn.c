/* recspawn: see recspawn.h. */
#include "recspawn.h"
#include "../common/monotime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int recspawn_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

/* in the child: default signals, nothing blocked, fds 0-3 as given, every
 * other descriptor closed, then exec; exit 127 if that fails */
static void exec_child(const char *bin, char *const argv[], char *const envp[], int fd0, int fd1, int fd2, int fd3)
{
	sigset_t none;
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* move the sources above 3 first so that dup2 never clobbers one */
	int src[4] = { fd0, fd1, fd2, fd3 };
	for (int i = 0; i < 4; i++)
		if (src[i] >= 0 && (src[i] = fcntl(src[i], F_DUPFD, 10)) < 0)
			_exit(127);
	for (int i = 0; i < 4; i++)
		if (src[i] >= 0 && dup2(src[i], i) < 0)
			_exit(127);
	int first = src[3] >= 0 ? 4 : 3;
	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) != 0)
		for (int fd = first; fd < 65536; fd++)
			close(fd);
	execve(bin, argv, envp);
	_exit(127);
}

int recspawn_dbclient(const char *bin, char *const argv[], char *const envp[], int tcp, int pty,
		      unsigned cols, unsigned rows, struct recspawn_child *c, char *err, size_t errlen)
{
	int master = -1, slave = -1, inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	if (pipe2(errp, O_CLOEXEC))
		goto fail;
	if (pty) {
		struct winsize ws = { .ws_col = (unsigned short)cols, .ws_row = (unsigned short)rows };
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (master < 0 || grantpt(master) || unlockpt(master))
			goto fail;
		const char *name = ptsname(master);
		if (!name || (slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
			goto fail;
		ioctl(slave, TIOCSWINSZ, &ws);
	} else if (pipe2(inp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC)) {
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		setsid();
		if (pty) {
			close(master);
			ioctl(slave, TIOCSCTTY, 0);
			exec_child(bin, argv, envp, slave, slave, errp[1], tcp);
		}
		exec_child(bin, argv, envp, inp[0], outp[1], errp[1], tcp);
	}
	close(errp[1]);
	if (pty) {
		close(slave);
		c->in = c->out = master;
	} else {
		close(inp[0]);
		close(outp[1]);
		c->in = inp[1];
		c->out = outp[0];
	}
	c->err = errp[0];
	c->pid = pid;
	recspawn_nonblock(c->in);
	recspawn_nonblock(c->out);
	recspawn_nonblock(c->err);
	return 0;
fail:
	snprintf(err, errlen, "cannot start dbclient: %s", strerror(errno));
	int fds[] = { master, slave, inp[0], inp[1], outp[0], outp[1], errp[0], errp[1] };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return -1;
}

int recspawn_capture(const char *bin, char *const argv[], char *const envp[], int fd3,
		     char *out, size_t cap, int timeout_ms, char *err, size_t errlen)
{
	int p[2], null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	if (null < 0 || pipe2(p, O_CLOEXEC)) {
		snprintf(err, errlen, "cannot run %s: %s", argv[1] ? argv[1] : bin, strerror(errno));
		if (null >= 0)
			close(null);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		exec_child(bin, argv, envp, null, p[1], p[1], fd3);
	close(p[1]);
	close(null);
	if (pid < 0) {
		close(p[0]);
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		return -1;
	}
	int64_t deadline = mono_ms() + timeout_ms, timed_out = 0;
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		int64_t left = deadline - mono_ms();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		int ready = poll(&pf, 1, (int)left);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready <= 0)
			continue; /* the deadline is checked above */
		char tmp[512];
		ssize_t r = read(p[0], tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		size_t k = (size_t)r;
		if (cap && got + k > cap - 1)
			k = cap - 1 - got;
		memcpy(out + got, tmp, k);
		got += k;
	}
	close(p[0]);
	if (cap)
		out[got] = 0;
	if (timed_out)
		kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (timed_out || !WIFEXITED(st)) {
		snprintf(err, errlen, "%s %s", argv[1] ? argv[1] : bin, timed_out ? "timed out" : "was killed");
		return -1;
	}
	return WEXITSTATUS(st);
}
