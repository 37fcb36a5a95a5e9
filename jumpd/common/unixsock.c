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
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof sa.sun_path)
		return errno = len ? ENAMETOOLONG : ENOENT, -1;
	memcpy(sa.sun_path, path, len + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | sock_flags, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	mode_t old = umask(~mode & 0777);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc || chmod(path, mode) || listen(fd, backlog)) {
		int e = errno;
		close(fd);
		return errno = e, -1;
	}
	return fd;
}
