/* jb-authhook: one request/reply exchange with jumpd (see jb-authhook.h). */
#include "jb-authhook.h"
/* beside this file in Dropbear's tree, as hookproto.h (jb-authhook.h) */
#if __has_include("monotime.h")
#include "monotime.h"
#else
#include "../common/monotime.h"
#endif

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int wait_for(int fd, short ev, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - mono_ms();
		if (left <= 0)
			return -1;
		struct pollfd p = { .fd = fd, .events = ev };
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int jb_hook_ask(const char *path, const struct hook_msg *req, struct hook_msg *rep,
		char *why, size_t whylen)
{
	char line[HOOK_MAX_LINE + 1];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int64_t deadline_ms = mono_ms() + JB_HOOK_TIMEOUT_MS;
	int fd = -1, len, send_errno = 0;
	size_t got = 0, sent = 0;

	if ((len = hook_format(req, line, sizeof line)) < 0) {
		snprintf(why, whylen, "request does not fit the protocol");
		return -1;
	}
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(why, whylen, "socket path too long");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		snprintf(why, whylen, "cannot reach jumpd at %s: %s", path, strerror(errno));
		goto fail;
	}
	while (sent < (size_t)len) {
		if (wait_for(fd, POLLOUT, deadline_ms)) {
			snprintf(why, whylen, "timeout sending to jumpd");
			goto fail;
		}
		ssize_t w = send(fd, line + sent, (size_t)len - sent, MSG_NOSIGNAL);
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			/* jumpd may answer (a refusal) and close before it reads: its reply is read below */
			send_errno = errno;
			break;
		}
		if (w < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(why, whylen, "send to jumpd: %s", strerror(errno));
			goto fail;
		}
		if (w > 0)
			sent += (size_t)w;
	}
	/* one reply line; a byte at a time past the line is never read */
	while (got == 0 || line[got - 1] != '\n') {
		if (got >= HOOK_MAX_LINE) {
			snprintf(why, whylen, "reply from jumpd too long");
			goto fail;
		}
		if (wait_for(fd, POLLIN, deadline_ms)) {
			snprintf(why, whylen, "timeout waiting for jumpd");
			goto fail;
		}
		ssize_t r = recv(fd, line + got, HOOK_MAX_LINE - got, 0);
		if (r == 0 || (r < 0 && send_errno && errno == ECONNRESET)) {
			if (send_errno)
				snprintf(why, whylen, "send to jumpd: %s", strerror(send_errno));
			else
				snprintf(why, whylen, "jumpd closed the connection without a reply");
			goto fail;
		}
		if (r < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(why, whylen, "recv from jumpd: %s", strerror(errno));
			goto fail;
		}
		if (r > 0)
			got += (size_t)r;
	}
	close(fd);
	if (hook_parse(line, got, rep)) {
		snprintf(why, whylen, "malformed reply from jumpd");
		return -1;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

int jb_hook_report(const char *path, const struct hook_msg *req, struct hook_msg *rep,
		   char *why, size_t whylen)
{
	int64_t deadline = mono_ms() + JB_HOOK_REPORT_MS;
	unsigned pause_ms = 20, jitter = (unsigned)getpid();
	for (;;) {
		if (jb_hook_ask(path, req, rep, why, whylen) == 0) {
			const char *reason = hook_get(rep, "reason");
			if (!reason || strcmp(reason, "audit-unavailable") != 0)
				return 0;
			snprintf(why, whylen, "jumpd: audit-unavailable");
		}
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return -1;
		jitter = jitter * 1103515245u + 12345u;
		unsigned ms = pause_ms / 2 + (jitter >> 16) % (pause_ms / 2 + 1);
		if ((int64_t)ms > left)
			ms = (unsigned)left;
		struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		if (pause_ms < 1000)
			pause_ms *= 2;
	}
}
