/* fdpass: lines with descriptors over a unix stream socket (see fdpass.h). */
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int fdpass_send(int sock, const char *line, size_t len, const int *fds, int nfds)
{
	if (len == 0 || len > FDPASS_MAX_LINE || line[len - 1] != '\n' || nfds < 0 || nfds > FDPASS_MAX_FDS) {
		errno = EINVAL;
		return -1;
	}
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int) * FDPASS_MAX_FDS)];
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	size_t off = 0;
	while (off < len) {
		struct iovec iov = { .iov_base = (char *)line + off, .iov_len = len - off };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (off == 0 && nfds > 0) {
			msg.msg_control = ctl.space;
			msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
			memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
		}
		ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

void fdpass_rx_init(struct fdpass_rx *rx)
{
	rx->len = 0;
	rx->nfds = 0;
}

void fdpass_rx_close(struct fdpass_rx *rx)
{
	for (int i = 0; i < rx->nfds; i++)
		close(rx->fds[i]);
	rx->nfds = 0;
}

/* takes the SCM_RIGHTS descriptors of msg into rx; -1 (all closed) if too many or cut */
static int collect_fds(struct fdpass_rx *rx, struct msghdr *msg)
{
	int bad = (msg->msg_flags & MSG_CTRUNC) != 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			if (rx->nfds < FDPASS_MAX_FDS)
				rx->fds[rx->nfds++] = fd;
			else {
				close(fd);
				bad = 1;
			}
		}
	}
	if (bad) {
		fdpass_rx_close(rx);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

ssize_t fdpass_rx_read(int sock, struct fdpass_rx *rx)
{
	if (rx->len == sizeof rx->buf) {
		errno = ENOBUFS;
		return -1;
	}
	/* room for one more fd than allowed, so that "too many" is seen as such */
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int) * (FDPASS_MAX_FDS + 1))];
	} ctl;
	for (;;) {
		struct iovec iov = { .iov_base = rx->buf + rx->len, .iov_len = sizeof rx->buf - rx->len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.space,
				      .msg_controllen = sizeof ctl.space };
		ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (collect_fds(rx, &msg) < 0)
			return -1;
		rx->len += (size_t)n;
		if (n > 0 && rx->len == sizeof rx->buf && !memchr(rx->buf, '\n', rx->len)) {
			errno = ENOBUFS;
			return -1;
		}
		return n;
	}
}

ssize_t fdpass_rx_line(struct fdpass_rx *rx, char *out, size_t cap)
{
	char *nl = memchr(rx->buf, '\n', rx->len);
	if (!nl)
		return -1;
	size_t n = (size_t)(nl - rx->buf);
	ssize_t ret = (ssize_t)n;
	if (n + 1 > FDPASS_MAX_LINE || n + 1 > cap) {
		ret = -2;
		if (cap)
			out[0] = 0;
	} else {
		memcpy(out, rx->buf, n);
		out[n] = 0;
	}
	rx->len -= n + 1;
	memmove(rx->buf, nl + 1, rx->len);
	return ret;
}

int fdpass_rx_take_fds(struct fdpass_rx *rx, int *fds, int max)
{
	int n = 0;
	for (int i = 0; i < rx->nfds; i++) {
		if (n < max)
			fds[n++] = rx->fds[i];
		else
			close(rx->fds[i]);
	}
	rx->nfds = 0;
	return n;
}
