/* Unit tests for fdpass: lines with descriptors over a socketpair. */
#include "fdpass.h"
#include "unittest.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sp[2];

static void pair(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0) {
		perror("socketpair");
		exit(1);
	}
}

static void unpair(void)
{
	close(sp[0]);
	close(sp[1]);
}

static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void line_with_three_fds_arrives(void)
{
	int p[3][2], got[3];
	char line[64];
	struct fdpass_rx rx;
	pair();
	for (int i = 0; i < 3; i++)
		CHECK(pipe(p[i]) == 0);
	int wr[3] = { p[0][1], p[1][1], p[2][1] };
	const char *open = "open target=db1 mode=shell pty=no\n";
	CHECK(fdpass_send(sp[0], open, strlen(open), wr, 3) == 0);
	fdpass_rx_init(&rx);
	CHECK(fdpass_rx_read(sp[1], &rx) == (ssize_t)strlen(open));
	CHECK(fdpass_rx_line(&rx, line, sizeof line) == (ssize_t)strlen(open) - 1);
	CHECK(!strcmp(line, "open target=db1 mode=shell pty=no"));
	CHECK(fdpass_rx_take_fds(&rx, got, 3) == 3 && rx.nfds == 0);
	for (int i = 0; i < 3; i++) {
		char c = 0;
		CHECK(fcntl(got[i], F_GETFD) == FD_CLOEXEC); /* the receiver's copies are close-on-exec */
		CHECK(write(got[i], "abc" + i, 1) == 1);
		CHECK(read(p[i][0], &c, 1) == 1 && c == "abc"[i]);
		close(got[i]);
		close(p[i][0]);
		close(p[i][1]);
	}
	unpair();
}

static void lines_popped_one_at_a_time(void)
{
	struct fdpass_rx rx;
	char line[64];
	pair();
	fdpass_rx_init(&rx);
	CHECK(write(sp[0], "winch cols=80 rows=24\nexit st", 29) == 29);
	CHECK(fdpass_rx_read(sp[1], &rx) == 29);
	CHECK(fdpass_rx_line(&rx, line, sizeof line) == 21 && !strcmp(line, "winch cols=80 rows=24"));
	CHECK(fdpass_rx_line(&rx, line, sizeof line) == -1); /* the rest is not a line yet */
	CHECK(write(sp[0], "atus=3\n", 7) == 7);
	CHECK(fdpass_rx_read(sp[1], &rx) == 7);
	CHECK(fdpass_rx_line(&rx, line, sizeof line) == 13 && !strcmp(line, "exit status=3"));
	CHECK(rx.len == 0 && rx.nfds == 0);
	close(sp[0]);
	CHECK(fdpass_rx_read(sp[1], &rx) == 0); /* end of stream */
	close(sp[1]);
}

static void too_many_fds_refused_and_closed(void)
{
	int p[2], four[4];
	struct fdpass_rx rx;
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int) * 4)];
	} ctl;
	pair();
	CHECK(pipe(p) == 0);
	for (int i = 0; i < 4; i++)
		four[i] = p[0];
	struct iovec iov = { .iov_base = "open\n", .iov_len = 5 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.space,
			      .msg_controllen = sizeof ctl.space };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof four);
	memcpy(CMSG_DATA(c), four, sizeof four);
	CHECK(sendmsg(sp[0], &msg, 0) == 5);
	int before = dup(0);
	close(before); /* the lowest free descriptor: the first one a receive would get */
	fdpass_rx_init(&rx);
	errno = 0;
	CHECK(fdpass_rx_read(sp[1], &rx) == -1 && errno == EPROTO);
	CHECK(rx.nfds == 0 && !fd_open(before)); /* nothing received is left open */
	/* positive control on the same socket: 3 are taken */
	CHECK(fdpass_send(sp[0], "open\n", 5, four, 3) == 0);
	fdpass_rx_init(&rx);
	CHECK(fdpass_rx_read(sp[1], &rx) == 5 && rx.nfds == 3);
	fdpass_rx_close(&rx);
	CHECK(rx.nfds == 0 && !fd_open(before));
	close(p[0]);
	close(p[1]);
	unpair();
}

static void long_or_unended_lines_refused(void)
{
	char big[3000], line[64];
	struct fdpass_rx rx;
	memset(big, 'x', sizeof big);
	CHECK(fdpass_send(0, "open", 4, NULL, 0) == -1 && errno == EINVAL);            /* no '\n' */
	big[FDPASS_MAX_LINE] = '\n';
	CHECK(fdpass_send(0, big, FDPASS_MAX_LINE + 1, NULL, 0) == -1 && errno == EINVAL);
	CHECK(fdpass_send(0, "x\n", 2, NULL, 4) == -1 && errno == EINVAL);
	pair();
	fdpass_rx_init(&rx);
	/* a line longer than the caller's buffer is dropped, the next one is read */
	CHECK(write(sp[0], "0123456789012345678901234567890123456789\nok\n", 44) == 44);
	CHECK(fdpass_rx_read(sp[1], &rx) == 44);
	CHECK(fdpass_rx_line(&rx, line, 16) == -2 && line[0] == 0);
	CHECK(fdpass_rx_line(&rx, line, 16) == 2 && !strcmp(line, "ok"));
	/* a peer that never ends a line fills the buffer: ENOBUFS, not a wait forever */
	memset(big, 'x', sizeof big);
	CHECK(write(sp[0], big, sizeof big) == (ssize_t)sizeof big);
	ssize_t n;
	while ((n = fdpass_rx_read(sp[1], &rx)) > 0) {
	}
	CHECK(n == -1 && errno == ENOBUFS);
	unpair();
}

static void nonblocking_read_says_eagain(void)
{
	struct fdpass_rx rx;
	pair();
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	fdpass_rx_init(&rx);
	CHECK(fdpass_rx_read(sp[1], &rx) == -1 && errno == EAGAIN);
	CHECK(fdpass_send(sp[0], "end reason=x\n", 13, NULL, 0) == 0);
	CHECK(fdpass_rx_read(sp[1], &rx) == 13);
	unpair();
}

int main(void)
{
	RUN(line_with_three_fds_arrives);
	RUN(lines_popped_one_at_a_time);
	RUN(too_many_fds_refused_and_closed);
	RUN(long_or_unended_lines_refused);
	RUN(nonblocking_read_says_eagain);
	UT_END();
}
