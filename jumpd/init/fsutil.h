/* fsutil: the file operations init's programs share: a directory that
 * belongs to one service account, and a file handed to a service as a copy
 * it owns (reading whole files and replacing them durably are
 * common/readfile.h's and common/durable.h's). */
#ifndef JB_INIT_FSUTIL_H
#define JB_INIT_FSUTIL_H
#include <stddef.h>
#include <sys/types.h>

/* the largest file read whole (the site configuration's own limit) */
#define FSUTIL_MAX_FILE (1 << 20)

/* mkdir, then chown to uid:uid and chmod (also a directory an older image
 * made); a failure is logged loudly, not returned: the service that needs
 * the directory fails visibly on its own. */
void owned_dir(const char *path, mode_t mode, uid_t uid);

/* Copies src (at most FSUTIL_MAX_FILE) to dst durably, mode 0600, owned by uid:uid:
 * how a service gets the one file it may read from a root-only place.
 * `whom` names the service in the loud message a failure logs. Returns 0/-1. */
int copy_owned(const char *src, const char *dst, uid_t uid, const char *whom);
#endif
