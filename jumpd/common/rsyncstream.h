/* rsyncstream: follows one rsync session (protocol 30, 31 or 32: rsync
 * 3.0 to 3.5 as Debian 12/13 ship them) in both directions and reports one
 * FILE event (xferevent.h) per file the sender's stream carries: the path
 * (the command's path joined with the file list's name, see
 * rsyncstream_init), the size (the file list's length) and the SHA-256 of
 * the literal data the token stream carries.
 *
 * What it reads (facts from rsync's own source, no code of it): each side's
 * 4-byte protocol version; from the server, for protocol >= 30, the compat
 * flags (varint), the negotiated checksum (and compression) name lists
 * (vstrings, from both sides when CF_VARINT_FLIST_FLAGS is set) and the
 * 4-byte checksum seed; then the sender's multiplexed stream (4-byte
 * headers: tag 7 + MSG_*, 24-bit length; only MSG_DATA's bytes are the
 * stream, every other message is passed over by its length): the filter
 * list when the receiver wants one, the file list (flags, name prefix
 * compression, size varlong, mtime varlong, mode, uid/gid and names,
 * rdev, symlink target, checksum), incremental file lists (ndx at or
 * below NDX_FLIST_OFFSET), and per file ndx + item flags + the sum head +
 * the token stream (n > 0: n literal bytes; n < 0: a block match; 0: the
 * end) + the whole-file checksum. ndx maps to the file by rsync's sort of
 * each file list (files before directories of one directory, directories
 * compared with their trailing "/").
 *
 * A file whose token stream has a block match (a delta against a basis
 * the recorder cannot see) is reported with its size and sha256 unknown
 * and reason "delta"; nothing is guessed. Anything else it cannot follow
 * (a value out of range, a protocol below 30, more than RSYNC_ENTRIES_MAX
 * entries or RSYNC_POOL bytes of names, an index it has no file for)
 * stops it: one event with reason "unparsed" and a detail; the bytes
 * still relay (the caller never stops the data for it). Fixed memory:
 * the caller's struct (about 120 KiB: keep it off the stack); nothing is
 * allocated; literal data is hashed as it streams by. */
#ifndef JB_RSYNCSTREAM_H
#define JB_RSYNCSTREAM_H
#include "rsyncstate.h"
#include <stddef.h>
#include <stdint.h>

/* Starts a parser for the session that runs cmd (rsyncparse_command's
 * result c and first path). A command a stream parser cannot follow
 * (c->unsupported) is reported at once: one event, reason "unparsed", the
 * phrase as detail, and nothing more. cb gets each event (it and its
 * strings live only during the call). */
void rsyncstream_init(struct rsyncstream *p, const struct rsync_cmd *c, const char *path, xfer_event_fn cb,
		      void *ctx);

/* Feeds bytes the client sent (user to target) / the server sent. */
void rsyncstream_client(struct rsyncstream *p, const uint8_t *buf, size_t n);
void rsyncstream_server(struct rsyncstream *p, const uint8_t *buf, size_t n);

/* Both streams ended: a file cut short is reported, reason "incomplete". */
void rsyncstream_end(struct rsyncstream *p);
#endif
