/* unit tests for unixsock.c (in a scratch directory) */
#include "unixsock.h"
#include "unittest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(path);
	if (n >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, path, n + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode) ? st.st_mode & 07777 : (mode_t)-1;
}

static void test_listens_with_exact_mode(void)
{
	char path[128];
	ut_path(path, sizeof path, "a.sock");
	mode_t old = umask(077); /* jumpd's umask must not narrow a 0666 socket */
	int fd = unixsock_listen(path, 0666, 4, 0);
	umask(old);
	CHECK(fd >= 0 && mode_of(path) == 0666);
	CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) && !(fcntl(fd, F_GETFL) & O_NONBLOCK));
	int c = connect_to(path);
	CHECK(c >= 0);
	int a = accept(fd, NULL, NULL);
	CHECK(a >= 0);
	close(a);
	close(c);
	close(fd);
	/* nor a permissive umask widen a 0600 one; the umask is restored */
	old = umask(0);
	fd = unixsock_listen(path, 0600, 4, SOCK_NONBLOCK); /* over the stale file */
	CHECK(umask(0) == 0);
	umask(old);
	CHECK(fd >= 0 && mode_of(path) == 0600 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
	CHECK(accept(fd, NULL, NULL) == -1 && errno == EAGAIN);
	close(fd);
	unlink(path);
}

static void test_refusals(void)
{
	char path[256];
	memset(path, 'x', sizeof path - 1);
	path[sizeof path - 1] = 0;
	path[0] = '/';
	errno = 0;
	CHECK(unixsock_listen(path, 0600, 4, 0) == -1 && errno == ENAMETOOLONG);
	CHECK(unixsock_listen("", 0600, 4, 0) == -1);
	ut_path(path, sizeof path, "no-such-dir/a.sock");
	errno = 0;
	CHECK(unixsock_listen(path, 0600, 4, 0) == -1 && errno == ENOENT);
}

/* connect(2) as uid/gid 65533 with the supplementary groups given, in a
 * child: 0, or the errno connect failed with */
static int connect_as(const char *path, const gid_t *groups, size_t n)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(n, groups) || setgid(65533) || setuid(65533))
			_exit(100);
		int fd = connect_to(path);
		_exit(fd >= 0 ? 0 : errno);
	}
	int st = -1;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* the group's members connect, everyone else gets EACCES from the kernel
 * (as root: the test gives the socket to a group and drops to a plain uid) */
static void test_group_decides_who_connects(void)
{
	char path[128];
	struct stat st;
	gid_t member = 4242, other = 4243;
	if (geteuid() != 0) {
		CHECK(!"needs root (chown to a group, plain uids for the peers)");
		return;
	}
	/* in /tmp: the scratch directory is 0700, the peers could not reach into it */
	snprintf(path, sizeof path, "/tmp/jb-unixsock-g-%d.sock", (int)getpid());
	int fd = unixsock_listen_group(path, 0660, member, 4, SOCK_NONBLOCK);
	CHECK(fd >= 0 && stat(path, &st) == 0 && st.st_gid == member && (st.st_mode & 07777) == 0660);
	CHECK(connect_as(path, &member, 1) == 0);   /* positive control: a member */
	CHECK(connect_as(path, &other, 1) == EACCES);
	CHECK(connect_as(path, NULL, 0) == EACCES);
	close(fd);
	/* a caller outside the group cannot hand its socket to it: refused, no file left */
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65533) || setuid(65533))
			_exit(100);
		char own[128];
		snprintf(own, sizeof own, "/tmp/jb-unixsock-%d.sock", (int)getpid());
		int f = unixsock_listen_group(own, 0660, member, 4, 0);
		int e = errno;
		_exit(f == -1 && e == EPERM && access(own, F_OK) != 0 ? 0 : 1);
	}
	int ws = -1;
	CHECK(pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	unlink(path);
}

int main(void)
{
	RUN(test_listens_with_exact_mode);
	RUN(test_group_decides_who_connects);
	RUN(test_refusals);
	UT_END();
}
