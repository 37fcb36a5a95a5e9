/* scpparse: follows one legacy scp transfer (the rcp protocol that
 * `scp -O` and older clients speak: the target runs `scp -t PATH` to
 * receive, an upload, or `scp -f PATH` to send, a download) and reports
 * one FILE event (xferevent.h) per file with its path, size and SHA-256.
 *
 * The protocol: the source sends control lines `C<mode> <size> <name>\n`
 * (a file: size bytes follow, then a status byte \0, or \1 or \2 with a
 * message line when the source failed to read it), `D<mode> 0 <name>\n`
 * and `E\n` (enter and leave a directory), `T<mtime> 0 <atime> 0\n` (times
 * of the next entry), `\1msg\n` and `\2msg\n` (a warning, a fatal error).
 * The sink answers each (and starts with one) with `\0` (ok), `\1msg\n`
 * (refused: for a C line, no content follows) or `\2msg\n` (fatal). The
 * source waits for each answer before it goes on (as OpenSSH's and
 * PuTTY's do), so the parser needs both directions, each fed in the order
 * it passes through, and can tell a refused file from one whose bytes
 * follow. Anything else (a malformed line, a name with '/' or "..", an
 * answer out of turn, bytes before the answer they wait for) stops the
 * parser and reports one event with reason "unparsed": fail visible,
 * never a wrong record.
 *
 * Paths: for an upload, PATH / directories / name (the sink writes PATH
 * itself instead when PATH is an existing file, which the protocol does not
 * show: the text still holds both); for a download, PATH's directory /
 * directories / name (the source sends base names of what PATH names).
 *
 * Fixed memory (the struct, caller-owned), any split of the input. */
#ifndef JB_SCPPARSE_H
#define JB_SCPPARSE_H
#include "xferevent.h"
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

#define SCP_LINE_MAX 2048 /* a control or message line with its \n (OpenSSH's sink reads 2047) */
#define SCP_PATH_MAX 1024
#define SCP_DEPTH_MAX 64

struct scpparse {
	enum xfer_dir dir;
	xfer_event_fn cb;
	void *ctx;
	uint8_t state;      /* the source's stream: a line, content, its status */
	uint8_t awaiting;   /* the sink's answer the source waits for */
	uint8_t reply_msg;  /* the sink's stream is in a message line */
	uint8_t fatal;      /* that message is a fatal one */
	uint8_t status_fatal; /* the source's failed status after a file is a fatal one */
	uint8_t stopped;    /* done or unparsed: nothing more is read */
	uint8_t rooted;     /* the base path is absolute */
	size_t reply_len, status_len;
	char line[SCP_LINE_MAX];
	size_t line_len;
	char path[SCP_PATH_MAX];
	size_t path_len;    /* the current directory's end in path */
	size_t entry_len;   /* with a pending C or D: path's end with its name */
	uint16_t dir_end[SCP_DEPTH_MAX];
	unsigned depth;
	uint64_t size, remaining;
	br_sha256_context sha;
};

/* Recognises the command a legacy scp client asks the target to run:
 * `scp [-OPTIONS]... -t|-f [--] PATH` (OpenSSH's and PuTTY's form: option
 * words of letters, one of them holding t (upload) or f (download), then
 * the path, which is the rest of the line, spaces and all). Returns 0 and
 * sets *dir and *path (pointing into cmd), or -1 if cmd is not one. */
int scpparse_command(const char *cmd, enum xfer_dir *dir, const char **path);

/* Starts a parser for one `scp -t PATH` (XFER_UPLOAD) or `scp -f PATH`
 * (XFER_DOWNLOAD) session; path is that command's path argument. cb gets
 * each event (the event and its strings live only during the call). A path
 * longer than SCP_PATH_MAX - 1 is reported unparsed at once. */
void scpparse_init(struct scpparse *p, enum xfer_dir dir, const char *path, xfer_event_fn cb, void *ctx);

/* Feeds bytes of the source's stream (upload: user to target; download:
 * target to user): control lines and file contents. */
void scpparse_data(struct scpparse *p, const uint8_t *buf, size_t n);

/* Feeds bytes of the sink's stream (upload: target to user; download: user
 * to target): the answers. */
void scpparse_reply(struct scpparse *p, const uint8_t *buf, size_t n);

/* Both streams have ended: a file cut short is reported with the bytes
 * that moved (size), sha256 unknown and reason "incomplete". */
void scpparse_end(struct scpparse *p);
#endif
