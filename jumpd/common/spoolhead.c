/* spoolhead: see spoolhead.h. */
#include "spoolhead.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

off_t spoolhead_data(int fd)
{
	struct stat st;
	if (fstat(fd, &st))
		return -1;
	off_t d = lseek(fd, 0, SEEK_DATA);
	if (d < 0)
		return errno == ENXIO ? st.st_size : -1; /* all hole, or empty */
	return d;
}

off_t spoolhead_first_line(int fd)
{
	char buf[4096];
	off_t off = spoolhead_data(fd);
	if (off <= 0)
		return off;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof buf, off);
		if (n < 0)
			return -1;
		if (n == 0)
			return off;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				return off + i + 1;
		off += n;
	}
}
