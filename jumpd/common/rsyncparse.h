/* rsyncparse: what an rsync transfer through the recorder is, read from
 * the command the client asks the target to run (`rsync --server
 * [--sender] [-SHORTOPTS] [--long[=value]]... . PATH...`, as rsync 3.2.7
 * and later build it in server_options()): its direction (--sender: the
 * target sends, a download; else an upload), the path it names on the
 * target, and the options that shape the wire protocol (the file list's
 * encoding, compression, ACLs/xattrs, hard links) so a stream parser can
 * refuse what it cannot follow.
 *
 * Paths: the first argument after the "." placeholder, with rsync's
 * backslash escapes undone (rsync 3.2.7+ escapes shell-special bytes in
 * the arguments it puts on the remote command line). With -s
 * (--protect-args) the paths travel inside the protocol stream instead:
 * then path is "" and RSYNC_O_PROTECT is set.
 *
 * The rsync data stream itself (file list, tokens, checksums) is followed
 * by rsyncstream.h, which refuses what `unsupported` names. Fixed memory: the caller's struct and path buffer. */
#ifndef JB_RSYNCPARSE_H
#define JB_RSYNCPARSE_H
#include "xferevent.h"
#include <stddef.h>

/* the short options that matter to the wire protocol (rsync's letters) */
#define RSYNC_O_RECURSE   0x0001u /* r */
#define RSYNC_O_LINKS     0x0002u /* l */
#define RSYNC_O_OWNER     0x0004u /* o: uid list after the file list */
#define RSYNC_O_GROUP     0x0008u /* g: gid list */
#define RSYNC_O_DEVICES   0x0010u /* D */
#define RSYNC_O_TIMES     0x0020u /* t */
#define RSYNC_O_PERMS     0x0040u /* p */
#define RSYNC_O_WHOLE     0x0080u /* W: --whole-file, no deltas */
#define RSYNC_O_COMPRESS  0x0100u /* z */
#define RSYNC_O_ACLS      0x0200u /* A */
#define RSYNC_O_XATTRS    0x0400u /* X */
#define RSYNC_O_HARDLINKS 0x0800u /* H */
#define RSYNC_O_PROTECT   0x1000u /* s: paths inside the stream */
#define RSYNC_O_INC_RECURSE 0x2000u /* 'i' in -e's capability letters */
#define RSYNC_O_CHECKSUM  0x4000u /* c */
#define RSYNC_O_VARINT_FLAGS 0x8000u /* 'v' in -e's capability letters */
#define RSYNC_O_ATIMES    0x10000u /* U: an atime per non-directory entry */
#define RSYNC_O_CRTIMES   0x20000u /* N: a crtime per entry */
#define RSYNC_O_FILTERS   0x40000u /* --delete* or m: an uploading client sends its filter rules */

struct rsync_cmd {
	enum xfer_dir dir;
	unsigned opts;       /* RSYNC_O_* */
	unsigned npaths;     /* arguments after "." */
	const char *unsupported; /* NULL, or why a stream parser could not follow it (a short phrase) */
};

/* Reads cmd; on success returns 0, fills *c and writes the first path
 * (unescaped, NUL-terminated) into path (cap >= 1). Returns -1 if cmd is
 * not an rsync server command (no `rsync --server`, no "." placeholder
 * when the paths are on the line, an option word it does not know the
 * shape of) or the path does not fit in cap. */
int rsyncparse_command(const char *cmd, struct rsync_cmd *c, char *path, size_t cap);
#endif
