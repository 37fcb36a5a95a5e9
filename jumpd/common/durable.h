/* durable: replacing a small state file so that a crash or power cut
 * leaves either the old or the new contents, never a mix or nothing: the
 * data goes to PATH.new, is fsync'ed, renamed over PATH, and the directory
 * is fsync'ed so the rename itself is on disk. Used for jumpd's TOTP replay
 * state and the shipper's cursor. No allocation. */
#ifndef JB_DURABLE_H
#define JB_DURABLE_H
#include <stddef.h>
#include <sys/types.h>

/* Returns 0, or -1 with errno set (PATH.new is removed on a failed write). */
int durable_replace(const char *path, const void *data, size_t len, mode_t mode);
#endif
