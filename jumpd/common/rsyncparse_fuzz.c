/* libFuzzer harness for rsyncparse.c: the input is a command line (cut at
 * its first NUL). The parser must not read or write out of bounds; on
 * success the path fits the buffer, the direction is one of the two, the
 * path count is at least one unless -s holds the paths, and with -s or a
 * protocol-changing option the reason is named. */
#include "rsyncparse.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static char cmd[4096], path[256];
	struct rsync_cmd c;
	size_t k = n < sizeof cmd - 1 ? n : sizeof cmd - 1;
	memcpy(cmd, d, k);
	cmd[k] = 0;
	if (rsyncparse_command(cmd, &c, path, sizeof path))
		return 0;
	if (strlen(path) >= sizeof path || (c.dir != XFER_UPLOAD && c.dir != XFER_DOWNLOAD))
		__builtin_trap();
	if (c.opts & RSYNC_O_PROTECT ? !c.unsupported || c.npaths : !c.npaths)
		__builtin_trap();
	if ((c.opts & (RSYNC_O_COMPRESS | RSYNC_O_ACLS | RSYNC_O_XATTRS | RSYNC_O_HARDLINKS)) && !c.unsupported)
		__builtin_trap();
	return 0;
}
