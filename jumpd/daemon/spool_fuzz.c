/* libFuzzer harness: spool recovery on arbitrary file contents (a power cut
 * can leave anything at the tail). After spool_open the file must be empty
 * or end with a whole valid record, and an append must chain onto it. */
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
