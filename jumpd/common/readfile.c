/* readfile: whole small files (see readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int readfile_whole(const char *path, int open_flags, void *buf, size_t cap, size_t *len)
{
	char *p = buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | open_flags);
	if (fd < 0)
		return -1;
	for (;;) {
		/* one byte more than may be kept: reading it means the file is too large */
		ssize_t r = got < cap ? read(fd, p + got, cap - got) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			return errno = e, -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got >= cap)
		return errno = EFBIG, -1;
	*len = got;
	return 0;
}
