/* libFuzzer harness: spool recovery on arbitrary file contents (a power cut
 * can leave anything at the tail). spool_open either refuses or leaves a
 * file that is empty or ends with a whole valid record, onto which an
 * append chains. */
#include "spool.h"
#include "../common/auditrec.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char path[64];
	static struct spool s;
	long torn;
	char err[256];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/spool-fuzz.%d", (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (spool_open(&s, path, "h", "v", SPOOL_DEFAULT_MAX, &torn, err, sizeof err))
		return 0; /* damage beyond a torn tail is refused, not repaired */
	if ((size_t)torn > size)
		abort();
	uint64_t before = s.seq;
	const char *kv[] = { "k", "v", NULL };
	if (spool_append(&s, "T", "X", kv) || s.seq != before + 1)
		abort();
	/* the appended record parses and chains */
	struct auditrec_info info;
	if (auditrec_parse(s.last_line, strlen(s.last_line), &info) || info.seq != before + 1)
		abort();
	close(s.fd);
	return 0;
}
