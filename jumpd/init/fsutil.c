/* fsutil: shared file operations of init's programs (see fsutil.h). */
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void owned_dir(const char *path, mode_t mode, uid_t uid)
{
	mkdir(path, mode);
	if (chown(path, uid, uid) || chmod(path, mode)) /* also one made by an older image */
		log_loud("chown %s: %s", path, strerror(errno));
}

ssize_t read_whole_fd(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
		if (len == cap) { /* full: one byte more makes it too large */
			char extra;
			while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR)
				;
			if (n < 0)
				return -1;
			if (n > 0) {
				errno = EFBIG;
				return -1;
			}
			return (ssize_t)len;
		}
	}
}

ssize_t read_whole(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read_whole_fd(fd, buf, cap);
	int saved = errno;
	close(fd);
	errno = saved;
	return n;
}

int write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[512];
	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len || fchmod(fd, mode)) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

int copy_owned(const char *src, const char *dst, uid_t uid, const char *whom)
{
	static char buf[FSUTIL_MAX_FILE];
	ssize_t n = read_whole(src, buf, sizeof buf);
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = (n < 0 || out < 0 || write(out, buf, (size_t)n) != n || fchown(out, uid, uid)) ? -1 : 0;
	if (rc)
		log_loud("cannot hand %s to %s: %s", src, whom, strerror(errno));
	if (out >= 0)
		close(out);
	explicit_bzero(buf, sizeof buf); /* it may have held TOTP secrets */
	return rc;
}
