/* log: the console and init's messages on it (see log.h). */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void console_attach(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static void vlog(const char *pre, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "jumpinit: %s", pre);
	if (n < 0)
		return;
	/* the analyzer loses track of va_start across the call: ap is initialised by both callers */
	int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	if (m < 0)
		return;
	size_t len = strlen(buf);
	buf[len++] = '\n';
	/* one write per line so lines from services do not interleave mid-line */
	(void)!write(2, buf, len);
}

void log_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_loud(const char *fmt, ...)
{
	va_list ap;
	(void)!write(2, "jumpinit: ********************************************************\n", 67);
	va_start(ap, fmt);
	vlog("WARNING: ", fmt, ap);
	va_end(ap);
	(void)!write(2, "jumpinit: ********************************************************\n", 67);
}
