/* readfile: a whole small file into a caller's buffer, in one call: the
 * site config, a state file read back, a certificate bundle. Owns the read
 * loop (EINTR, short reads) and the size bound, so that a file too large
 * is an error and never a silently cut read. No allocation. */
#ifndef JB_READFILE_H
#define JB_READFILE_H
#include <stddef.h>

/* Reads all of path into buf. The file must be smaller than cap, so that
 * on success *len < cap and buf[*len] is free for a terminator.
 * open_flags are OR'ed into O_RDONLY | O_CLOEXEC (O_NOFOLLOW: a state file
 * nobody may swap for a link). Returns 0, or -1 with errno set: open's or
 * read's (ENOENT: no such file), or EFBIG if the file holds cap bytes or
 * more. buf's contents are unspecified after -1. */
int readfile_whole(const char *path, int open_flags, void *buf, size_t cap, size_t *len);
#endif
