/* entropy: the boot-time random seed (see entropy.h). */
#include "entropy.h"
#include "../common/durable.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

void entropy_seed(const char *seedfile, int persistent)
{
	unsigned char buf[ENTROPY_SEED_BYTES];
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
	(void)durable_replace(seedfile, buf, sizeof buf, 0600); /* no seed next boot: only less mixing */
	explicit_bzero(buf, sizeof buf);
}
