/* relay: the recorded-session stub (see relay.h). */
#include "relay.h"
#include "../common/fdpass.h"
#include "../common/hookproto.h"
#include "../dropbear/jb-selector.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int relay_open_line(char *out, size_t cap, const char *selector, const char *cmd, const struct relay_tty *tty,
		    char *why, size_t whylen)
{
	struct hook_msg m;
	char cols[16], rows[16];
	const char *mode = !cmd ? "shell" : strcmp(cmd, RELAY_SFTP_COMMAND) == 0 ? "sftp" : "exec";
	if (!jb_selector_valid(selector)) {
		snprintf(why, whylen, "the target name is not [a-z0-9_-]{1,32}, or ACCOUNT%%TARGET");
		return -1;
	}
	snprintf(cols, sizeof cols, "%u", tty->pty && tty->cols ? tty->cols : 80);
	snprintf(rows, sizeof rows, "%u", tty->pty && tty->rows ? tty->rows : 24);
	if (hook_init(&m, "open") || hook_add(&m, "target", selector) || hook_add(&m, "mode", mode) ||
	    hook_add(&m, "pty", tty->pty ? "yes" : "no")) {
		snprintf(why, whylen, "the request does not fit");
		return -1;
	}
	if (tty->pty && (hook_add(&m, "term", tty->term && *tty->term ? tty->term : "vt100") ||
			 hook_add(&m, "cols", cols) || hook_add(&m, "rows", rows))) {
		snprintf(why, whylen, "the terminal type is not printable text of at most 255 bytes");
		return -1;
	}
	if (cmd && strcmp(mode, "exec") == 0 && hook_add(&m, "cmd", cmd)) {
		snprintf(why, whylen, "a recorded session's command is at most 255 bytes of printable text");
		return -1;
	}
	int n = hook_format(&m, out, cap);
	if (n < 0)
		snprintf(why, whylen, "the request does not fit");
	return n;
}

/* the signals a target may report (RFC 4254 6.10 names, without SIG) */
static const struct {
	const char *name;
	int num;
} signals[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "FPE", SIGFPE }, { "HUP", SIGHUP }, { "ILL", SIGILL },
	{ "INT", SIGINT }, { "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "QUIT", SIGQUIT }, { "SEGV", SIGSEGV },
	{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
};

int relay_status_of(const char *line)
{
	struct hook_msg m;
	char buf[FDPASS_MAX_LINE + 1];
	size_t n = strlen(line);
	if (n + 2 > sizeof buf)
		return -1;
	memcpy(buf, line, n);
	buf[n] = '\n';
	if (hook_parse(buf, n + 1, &m) < 0)
		return -1;
	if (strcmp(m.verb, "end") == 0)
		return 255;
	if (strcmp(m.verb, "exit") != 0)
		return -1;
	const char *st = hook_get(&m, "status"), *sig = hook_get(&m, "signal");
	if (st) {
		char *end;
		long v = strtol(st, &end, 10);
		return *st && !*end && v >= 0 && v <= 255 ? (int)v : 255;
	}
	if (sig) {
		for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
			if (strcmp(sig, signals[i].name) == 0)
				return 128 + signals[i].num;
	}
	return 255;
}

static int connect_recorder(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void send_winch(int sock, int ttyfd)
{
	struct winsize ws;
	char line[64];
	if (ioctl(ttyfd, TIOCGWINSZ, &ws) < 0 || !ws.ws_col || !ws.ws_row)
		return;
	int n = snprintf(line, sizeof line, "winch cols=%u rows=%u\n", ws.ws_col, ws.ws_row);
	(void)fdpass_send(sock, line, (size_t)n, NULL, 0); /* a lost socket shows in the poll loop */
}

static void ignore_signal(int sig)
{
	(void)sig;
}

/* waits for jumprec's verdict; SIGWINCH (blocked outside ppoll) forwards the window */
static int wait_for_end(int sock, int ttyfd)
{
	struct fdpass_rx rx;
	sigset_t winch, unblocked;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, &unblocked);
	sigdelset(&unblocked, SIGWINCH);
	struct sigaction sa = { .sa_handler = ignore_signal };
	sigaction(SIGWINCH, &sa, NULL);
	fdpass_rx_init(&rx);
	int status = 255;
	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		int r = ppoll(&p, 1, NULL, &unblocked);
		if (r < 0 && errno == EINTR) {
			if (ttyfd >= 0)
				send_winch(sock, ttyfd);
			continue;
		}
		if (r < 0 || fdpass_rx_read(sock, &rx) <= 0)
			break; /* the recorder is gone: 255 */
		fdpass_rx_close(&rx); /* jumprec sends no descriptors */
		char line[FDPASS_MAX_LINE + 1];
		ssize_t n;
		int got = -1;
		while ((n = fdpass_rx_line(&rx, line, sizeof line)) != -1)
			if (n >= 0 && (got = relay_status_of(line)) >= 0)
				break;
		if (got >= 0) {
			status = got;
			break;
		}
	}
	sigaction(SIGWINCH, &(struct sigaction){ .sa_handler = SIG_DFL }, NULL);
	sigprocmask(SIG_UNBLOCK, &winch, NULL);
	return status;
}

int relay_run(const char *sock_path, const char *selector, const char *cmd, int keep_tty)
{
	struct relay_tty tty = { .pty = isatty(0), .term = getenv("TERM") };
	struct termios saved, raw;
	struct winsize ws;
	char line[HOOK_MAX_LINE + 1], why[160];
	if (tty.pty && ioctl(0, TIOCGWINSZ, &ws) == 0) {
		tty.cols = ws.ws_col;
		tty.rows = ws.ws_row;
	}
	int n = relay_open_line(line, sizeof line, selector, cmd, &tty, why, sizeof why);
	if (n < 0) {
		fprintf(stderr, "jumpbox: %s\r\n", why);
		return 255;
	}
	int sock = connect_recorder(sock_path);
	if (sock < 0) {
		fprintf(stderr, "jumpbox: the session recorder is not available now (%s)\r\n", strerror(errno));
		return 255;
	}
	int ttyfd = -1;
	if (tty.pty && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		ttyfd = fcntl(0, F_DUPFD_CLOEXEC, 3);
	}
	fflush(stdout);
	int fds[3] = { 0, 1, 2 };
	if (fdpass_send(sock, line, (size_t)n, fds, 3) < 0) {
		fprintf(stderr, "jumpbox: the session recorder did not take the session (%s)\r\n", strerror(errno));
		if (ttyfd >= 0) {
			tcsetattr(0, TCSANOW, &saved);
			close(ttyfd);
		}
		close(sock);
		return 255;
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd); /* the user's terminal or pipes are jumprec's alone now */
	if (null > 2)
		close(null);
	int status = wait_for_end(sock, ttyfd);
	close(sock);
	if (ttyfd >= 0) {
		if (keep_tty) {
			for (int fd = 0; fd < 3; fd++)
				dup2(ttyfd, fd);
			tcsetattr(0, TCSANOW, &saved);
		}
		close(ttyfd);
	}
	return status;
}
