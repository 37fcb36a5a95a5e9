/* event: structured audit events (see event.h). */
#include "event.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EVENT_MAX_LINE 2048
#define EVENT_MAX_KV 24

static int log_fd = -1;
static char host[64] = "-";

int event_open(const char *path, const char *hostname)
{
	snprintf(host, sizeof host, "%s", hostname);
	log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	return log_fd < 0 ? -1 : 0;
}

int event_format(char *out, size_t cap, const char *timestamp, const char *hostname,
		 const char *msgid, const char *const *kv)
{
	size_t len = 0;
	int n = snprintf(out, cap, "%s %s jumpd %s [jumpbox@32473", timestamp, hostname, msgid);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	len = (size_t)n;
#define PUT(c) do { if (len + 1 >= cap) return -1; out[len++] = (char)(c); } while (0) /* room for c and the NUL */
	for (; kv[0] && kv[1]; kv += 2) {
		PUT(' ');
		for (const char *k = kv[0]; *k; k++)
			PUT(*k);
		PUT('=');
		PUT('"');
		for (const unsigned char *v = (const unsigned char *)kv[1]; *v; v++) {
			if (*v == '"' || *v == '\\' || *v == ']')
				PUT('\\');
			PUT(*v < 0x20 || *v == 0x7f ? '?' : *v);
		}
		PUT('"');
	}
	PUT(']');
	PUT('\n');
#undef PUT
	out[len] = 0;
	return (int)len;
}

int event_emit(const char *msgid, ...)
{
	const char *kv[2 * EVENT_MAX_KV + 2];
	char line[EVENT_MAX_LINE], ts[96];
	struct timespec now;
	struct tm tm;
	va_list ap;
	int n = 0, len;

	va_start(ap, msgid);
	while (n < 2 * EVENT_MAX_KV && (kv[n] = va_arg(ap, const char *)) != NULL) /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
		n++;
	va_end(ap);
	kv[n] = NULL;
	kv[n + 1] = NULL;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
	len = event_format(line, sizeof line, ts, host, msgid, kv);
	if (len < 0)
		return -1;
	if (write(STDERR_FILENO, line, (size_t)len) < 0) {
		/* the console is a courtesy; the event log is the record */
	}
	if (log_fd < 0 || write(log_fd, line, (size_t)len) != len || fdatasync(log_fd))
		return -1;
	return 0;
}
