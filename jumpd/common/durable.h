/* durable: replacing a small file so that a crash or power cut leaves
 * either the old or the new contents, never a mix or nothing, and a reader
 * never sees half a file: the data goes to PATH.new, is fsync'ed, renamed
 * over PATH, and the directory is fsync'ed so the rename itself is on
 * disk. The box's one write-then-rename: jumpd's TOTP replay state, the
 * shipper's cursor and status, init's accounts, authorized_keys and
 * resolv.conf. No allocation. */
#ifndef JB_DURABLE_H
#define JB_DURABLE_H
#include <stddef.h>
#include <sys/types.h>

/* The file ends with exactly mode, whatever the umask. Returns 0, or -1
 * with errno set (PATH.new is removed when the write or the rename fails;
 * ENAMETOOLONG: PATH.new would not fit 511 bytes). */
int durable_replace(const char *path, const void *data, size_t len, mode_t mode);

/* The same, the file owned by uid:gid from before it appears at path, so
 * that a service never finds its file there still root's (init handing a
 * copy of the config to a service). (uid_t)-1 or (gid_t)-1 keeps that id
 * as created; only root may give a file away (EPERM otherwise). */
int durable_replace_owned(const char *path, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid);
#endif
