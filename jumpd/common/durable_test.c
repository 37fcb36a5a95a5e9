/* unit tests for durable.c (in a scratch directory) */
#include "durable.h"
#include "unittest.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int holds(const char *path, const char *want)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	return n == (ssize_t)strlen(want) && !memcmp(buf, want, (size_t)n);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

static void test_replaces_whole(void)
{
	char path[128], tmp[140];
	ut_path(path, sizeof path, "state");
	ut_path(tmp, sizeof tmp, "state.new");
	CHECK(durable_replace(path, "one\n", 4, 0600) == 0 && holds(path, "one\n"));
	CHECK(durable_replace(path, "two two\n", 8, 0600) == 0 && holds(path, "two two\n"));
	CHECK(durable_replace(path, "", 0, 0600) == 0 && holds(path, ""));
	CHECK(access(tmp, F_OK) == -1 && errno == ENOENT);
	unlink(path);
}

static void test_exact_mode(void)
{
	char path[128];
	ut_path(path, sizeof path, "passwd");
	mode_t old = umask(077); /* jumpd's: must not narrow a file others read */
	CHECK(durable_replace(path, "x\n", 2, 0644) == 0 && mode_of(path) == 0644);
	umask(0); /* nor a lax one widen a secret */
	CHECK(durable_replace(path, "y\n", 2, 0600) == 0 && mode_of(path) == 0600);
	umask(old);
	unlink(path);
}

static void test_owned(void)
{
	char path[128];
	struct stat st;
	ut_path(path, sizeof path, "owned");
	int rc = durable_replace_owned(path, "k", 1, 0600, 12345, 12346);
	if (geteuid() == 0) {
		CHECK(rc == 0 && stat(path, &st) == 0 && st.st_uid == 12345 && st.st_gid == 12346 &&
		      (st.st_mode & 07777) == 0600 && holds(path, "k"));
	} else {
		CHECK(rc == -1 && errno == EPERM && access(path, F_OK) == -1);
	}
	/* -1 keeps an id as created */
	CHECK(durable_replace_owned(path, "l", 1, 0640, (uid_t)-1, (gid_t)-1) == 0 && stat(path, &st) == 0 &&
	      st.st_uid == geteuid() && (st.st_mode & 07777) == 0640);
	unlink(path);
}

static void test_failures_leave_no_temp(void)
{
	char path[128], tmp[140], name[600];
	/* the rename fails: a directory stands at the path */
	ut_path(path, sizeof path, "dir");
	ut_path(tmp, sizeof tmp, "dir.new");
	CHECK(mkdir(path, 0700) == 0);
	CHECK(durable_replace(path, "z", 1, 0600) == -1 && access(tmp, F_OK) == -1);
	rmdir(path);
	ut_path(path, sizeof path, "missing/state");
	errno = 0;
	CHECK(durable_replace(path, "z", 1, 0600) == -1 && errno == ENOENT);
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = 0;
	errno = 0;
	CHECK(durable_replace(name, "z", 1, 0600) == -1 && errno == ENAMETOOLONG);
}

int main(void)
{
	RUN(test_replaces_whole);
	RUN(test_exact_mode);
	RUN(test_owned);
	RUN(test_failures_leave_no_temp);
	UT_END();
}
