/* unit tests for readfile.c (in a scratch directory) */
#include "readfile.h"
#include "unittest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void put(const char *path, const char *text)
{
	size_t n = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, text, n) == (ssize_t)n);
	if (fd >= 0)
		close(fd);
}

/* into a 16-byte buffer: 15 bytes fit (with room for a terminator), 16 do not */
static void test_sizes(void)
{
	static const struct { const char *text; int rc, err; } cases[] = {
		{ "hello\n", 0, 0 },
		{ "", 0, 0 },
		{ "0123456789abcde", 0, 0 },
		{ "0123456789abcdef", -1, EFBIG },
		{ "0123456789abcdef0123456789", -1, EFBIG },
	};
	char path[128], buf[16];
	ut_path(path, sizeof path, "f");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = 999;
		put(path, cases[i].text);
		errno = 0;
		int rc = readfile_whole(path, 0, buf, sizeof buf, &len);
		int ok = rc == cases[i].rc && (rc ? errno == cases[i].err && len == 999
						 : len == strlen(cases[i].text) && !memcmp(buf, cases[i].text, len));
		if (!ok)
			printf("  case %zu: rc=%d errno=%d len=%zu\n", i, rc, errno, len);
		CHECK(ok);
	}
	unlink(path);
}

static void test_open_errors(void)
{
	char path[128], link_path[128], buf[16];
	size_t len;
	ut_path(path, sizeof path, "absent");
	errno = 0;
	CHECK(readfile_whole(path, 0, buf, sizeof buf, &len) == -1 && errno == ENOENT);
	ut_path(path, sizeof path, "target");
	ut_path(link_path, sizeof link_path, "link");
	put(path, "x");
	CHECK(symlink(path, link_path) == 0);
	CHECK(readfile_whole(link_path, 0, buf, sizeof buf, &len) == 0 && len == 1);
	errno = 0;
	CHECK(readfile_whole(link_path, O_NOFOLLOW, buf, sizeof buf, &len) == -1 && errno == ELOOP);
	ut_path(path, sizeof path, "");
	errno = 0;
	CHECK(readfile_whole(path, 0, buf, sizeof buf, &len) == -1 && errno == EISDIR);
	unlink(link_path);
	ut_path(path, sizeof path, "target");
	unlink(path);
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_open_errors);
	UT_END();
}
