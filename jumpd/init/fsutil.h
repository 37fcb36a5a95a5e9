/* fsutil: the file operations init's programs share: a directory that
 * belongs to one service account, a small file read whole, a file replaced
 * atomically, and a file handed to a service as a copy it owns. */
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

/* Reads all of path (at most cap bytes; a larger file is an error, EFBIG)
 * into buf. Returns the length, or -1 with errno set. */
ssize_t read_whole(const char *path, char *buf, size_t cap);
/* The same from an open descriptor (left open). */
ssize_t read_whole_fd(int fd, char *buf, size_t cap);

/* Writes path.new (O_NOFOLLOW, mode), then renames it over path: a reader
 * sees the old file or the new one, never half of one. Returns 0 or -1. */
int write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Copies src (at most FSUTIL_MAX_FILE) to dst, mode 0600, owned by uid:uid:
 * how a service gets the one file it may read from a root-only place.
 * `whom` names the service in the loud message a failure logs. Returns 0/-1. */
int copy_owned(const char *src, const char *dst, uid_t uid, const char *whom);
#endif
