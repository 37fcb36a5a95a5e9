/* entropy: the boot-time random seed (see entropy.h). */
#include "entropy.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

void entropy_seed(const char *seedfile, int persistent)
{
	unsigned char buf[ENTROPY_SEED_BYTES];
	char tmp[256];
	int fd = open(seedfile, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof buf);
		close(fd);
		int ur = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
		/* mixed in, not credited: a copied disk image must not be trusted as entropy */
		if (ur >= 0 && n > 0)
			(void)!write(ur, buf, (size_t)n);
		if (ur >= 0)
			close(ur);
	}
	if (!persistent)
		return;
	if (getrandom(buf, sizeof buf, 0) != (ssize_t)sizeof buf)
		return;
	if (snprintf(tmp, sizeof tmp, "%s.new", seedfile) >= (int)sizeof tmp)
		return;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, buf, sizeof buf) == (ssize_t)sizeof buf && fsync(fd) == 0)
		rename(tmp, seedfile);
	close(fd);
	explicit_bzero(buf, sizeof buf);
}
