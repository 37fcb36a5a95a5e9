/* fsutil: shared file operations of init's programs (see fsutil.h). */
#include "fsutil.h"
#include "log.h"
#include "../common/durable.h"
#include "../common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void owned_dir(const char *path, mode_t mode, uid_t uid)
{
	mkdir(path, mode);
	if (chown(path, uid, uid) || chmod(path, mode)) /* also one made by an older image */
		log_loud("chown %s: %s", path, strerror(errno));
}

int copy_owned(const char *src, const char *dst, uid_t uid, const char *whom)
{
	static char buf[FSUTIL_MAX_FILE + 1]; /* a file of exactly FSUTIL_MAX_FILE still fits */
	size_t n = 0;
	int rc = readfile_whole(src, 0, buf, sizeof buf, &n) ||
		 durable_replace_owned(dst, buf, n, 0600, uid, uid) ? -1 : 0;
	if (rc)
		log_loud("cannot hand %s to %s: %s", src, whom, strerror(errno));
	explicit_bzero(buf, sizeof buf); /* it may have held TOTP secrets */
	return rc;
}
