/* recctl_client: see recctl_client.h. */
#include "recctl_client.h"
#include "../common/hookproto.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int dial(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* one reply line, a byte at a time (nothing past it is read: watch's
 * output follows its `ok`). 0, or -1 at EOF/timeout/garbage. */
static int read_line(int fd, struct hook_msg *m, int timeout_ms)
{
	char line[HOOK_MAX_LINE + 1];
	size_t n = 0;
	while (n < HOOK_MAX_LINE) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		if (read(fd, line + n, 1) != 1)
			return -1;
		if (line[n++] == '\n')
			return hook_parse(line, n, m);
	}
	return -1;
}

static void print_session(const struct hook_msg *m)
{
	char since[32] = "?";
	const char *s = hook_get(m, "since");
	if (s) {
		time_t t = (time_t)strtoll(s, NULL, 10);
		strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	}
#define F(k) (hook_get(m, k) ? hook_get(m, k) : "-")
	printf("%-16s %-12s %-12s %-12s %-6s %-20s %s\n", F("id"), F("user"), F("target"), F("account"), F("mode"),
	       since, F("bytes"));
#undef F
}

/* watch: the session's bytes to stdout until it ends */
static int copy_out(int fd)
{
	char buf[8192];
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		for (ssize_t o = 0; o < r;) {
			ssize_t w = write(1, buf + o, (size_t)(r - o));
			if (w <= 0)
				return 1;
			o += w;
		}
	}
}

int recctl_client_main(const char *sock, int argc, char **argv)
{
	struct hook_msg req, rep;
	char line[HOOK_MAX_LINE + 1];
	const char *cmd = argv[0];
	int watch = 0, list = 0;
	if (!strcmp(cmd, "sessions") && argc == 1) {
		hook_init(&req, "list");
		list = 1;
	} else if ((!strcmp(cmd, "watch") || !strcmp(cmd, "end")) && argc == 2) {
		hook_init(&req, cmd);
		if (hook_add(&req, "session", argv[1]))
			return 2;
		watch = !strcmp(cmd, "watch");
	} else if ((!strcmp(cmd, "target-key") || !strcmp(cmd, "target-pin")) && argc == 2) {
		hook_init(&req, !strcmp(cmd, "target-key") ? "target_key" : "target_pin");
		if (hook_add(&req, "target", argv[1]))
			return 2;
	} else if (!strcmp(cmd, "sessions") || !strcmp(cmd, "watch") || !strcmp(cmd, "end") ||
		   !strcmp(cmd, "target-key") || !strcmp(cmd, "target-pin")) {
		return 2;
	} else {
		return -1;
	}
	int fd = dial(sock), dial_errno = errno, n = hook_format(&req, line, sizeof line);
	if (fd < 0 && dial_errno == EACCES) { /* the socket is group ctl-sock's (common/sockgroups.h) */
		fprintf(stderr, "jumpctl: refused: not-admin (%s: only admins and root may connect)\n", sock);
		return 1;
	}
	if (fd < 0) {
		fprintf(stderr, "jumpctl: cannot reach the recorder at %s: %s\n", sock, strerror(dial_errno));
		return 1;
	}
	if (n < 0 || write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "jumpctl: cannot send to the recorder\n");
		close(fd);
		return 1;
	}
	if (list)
		printf("%-16s %-12s %-12s %-12s %-6s %-20s %s\n", "SESSION", "USER", "TARGET", "ACCOUNT", "MODE",
		       "SINCE", "BYTES");
	/* target-pin waits for a connection and a key exchange */
	while (read_line(fd, &rep, 30000) == 0) {
		if (!strcmp(rep.verb, "session")) {
			print_session(&rep);
		} else if (!strcmp(rep.verb, "line")) {
			printf("%s\n", hook_get(&rep, "text") ? hook_get(&rep, "text") : "");
		} else if (!strcmp(rep.verb, "ok")) {
			if (hook_get(&rep, "key"))
				printf("%s\n", hook_get(&rep, "key"));
			else if (!list && !watch)
				printf("ok\n");
			int rc = watch ? copy_out(fd) : 0;
			close(fd);
			return rc;
		} else {
			const char *why = hook_get(&rep, "reason");
			fprintf(stderr, "jumpctl: refused: %s\n", why ? why : rep.verb);
			close(fd);
			return 1;
		}
	}
	fprintf(stderr, "jumpctl: no answer from the recorder\n");
	close(fd);
	return 1;
}

int recctl_client_line(const char *sock, const char *line)
{
	char buf[128], *argv[4];
	int argc = 0;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *save = NULL, *w = strtok_r(buf, " \t\r\n", &save); w && argc < 4; w = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = w;
	if (argc == 0 || (strcmp(argv[0], "sessions") != 0 && strcmp(argv[0], "watch") != 0 && strcmp(argv[0], "end") != 0))
		return -1;
	int rc = recctl_client_main(sock, argc, argv);
	if (rc == 2)
		fprintf(stderr, "jumpbox: usage: sessions | watch SESSION | end SESSION\n");
	return rc;
}
