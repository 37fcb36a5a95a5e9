/* durable: atomic, durable replacement of a small file (see durable.h). */
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w == 0 ? (errno = EIO, -1) : -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int durable_replace(const char *path, const void *data, size_t len, mode_t mode)
{
	return durable_replace_owned(path, data, len, mode, (uid_t)-1, (gid_t)-1);
}

int durable_replace_owned(const char *path, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid)
{
	char tmp[512], dir[512];
	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
		return errno = ENAMETOOLONG, -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	int give_away = uid != (uid_t)-1 || gid != (gid_t)-1;
	/* chown first: it may clear set-id bits, and the chmod then sets the mode asked for */
	if (write_all(fd, data, len) || (give_away && fchown(fd, uid, gid)) || fchmod(fd, mode) || fsync(fd)) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return errno = e, -1;
	}
	close(fd);
	if (rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		return errno = e, -1;
	}
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0; /* "/f" -> "/", "a/f" -> "a" */
	else
		snprintf(dir, sizeof dir, ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = fsync(dfd);
	close(dfd);
	return rc;
}
