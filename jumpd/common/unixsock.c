/* unixsock: listening unix stream sockets (see unixsock.h). */
#include "unixsock.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int unixsock_listen(const char *path, mode_t mode, int backlog, int sock_flags)
{
	return unixsock_listen_group(path, mode, (gid_t)-1, backlog, sock_flags);
}

int unixsock_listen_group(const char *path, mode_t mode, gid_t gid, int backlog, int sock_flags)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof sa.sun_path)
		return errno = len ? ENAMETOOLONG : ENOENT, -1;
	memcpy(sa.sun_path, path, len + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | sock_flags, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	/* bound owner-only: nobody connects before the group and mode are set */
	mode_t old = umask(gid == (gid_t)-1 ? ~mode & 0777 : 0077);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	int bound = rc == 0;
	if (rc == 0 && gid != (gid_t)-1)
		rc = chown(path, (uid_t)-1, gid);
	if (rc || chmod(path, mode) || listen(fd, backlog)) {
		int e = errno;
		if (bound)
			unlink(path);
		close(fd);
		return errno = e, -1;
	}
	return fd;
}
