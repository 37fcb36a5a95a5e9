/* spoolread: the shipper's read-only view of jumpd's audit spool.
 *
 * Owns: following the file as it grows (whole lines only: a line is
 * complete when its '\n' is there, which jumpd writes last), through one
 * fixed buffer whatever the backlog; shipping only what is durable (the
 * spool is fdatasync'ed through the read-only descriptor before new bytes
 * are handed out, so a record a power cut could still take away is never
 * shipped, and a sequenceId never reaches the collector with two
 * contents); noticing a spool that was replaced or cut below what was
 * read; finding the last record (for the backlog) and checking that a
 * cursor names a record of this spool. No allocation. */
#ifndef JB_SPOOLREAD_H
#define JB_SPOOLREAD_H
#include "../common/auditrec.h"
#include "cursor.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SPOOLREAD_BUF ((size_t)64 * 1024)

struct spoolread {
	int fd;
	dev_t dev;
	ino_t ino;
	char path[256];
	char buf[SPOOLREAD_BUF];
	uint64_t buf_off;         /* file offset of buf[0] */
	size_t buf_len;
	uint64_t durable;         /* bytes known to be on disk */
};

/* Opens the spool read-only. Returns 0, or -1 with a reason. */
int spoolread_open(struct spoolread *r, const char *path, char *err, size_t errlen);
void spoolread_close(struct spoolread *r);

/* The line starting at off (without its '\n'): returns 1 with *line
 * pointing into r's buffer (valid until the next call) and *len; 0 if no
 * whole line is there yet; -1 on a read error. A line longer than a
 * record (AUDITREC_MAX), or that many bytes without a '\n', comes back
 * as 2, with *len the bytes to skip.
 * *last is set to 1 if nothing follows the line in the file (yet). */
int spoolread_line(struct spoolread *r, uint64_t off, const char **line, size_t *len, int *last);

/* The sequenceId of the spool's last whole record (0 if none) and the
 * file's size. Returns 0, or -1. */
int spoolread_last(struct spoolread *r, uint64_t *seq, uint64_t *size);

/* 1 if the record ending at c->offset is the one c names (same SHA-256
 * of its line), 0 if not (or c names no record), -1 on a read error. */
int spoolread_matches(struct spoolread *r, const struct cursor *c);

/* SHA-256 of the line from line_start to off (its '\n' at off - 1). */
int spoolread_hash(struct spoolread *r, uint64_t line_start, uint64_t off, uint8_t out[32]);

/* 1 if the path now names another file, or the file is shorter than
 * offset (cut below what was read): reopen it and resynchronise. */
int spoolread_replaced(struct spoolread *r, uint64_t offset);
#endif
