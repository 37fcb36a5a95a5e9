/* cursor: the shipper's state file, STATEDIR/cursor: the spool position up
 * to which every record is taken as delivered (see shipper.c for what
 * "delivered" means). After a restart the shipper resends from there;
 * records past it may arrive twice (duplicates carry the same sequenceId),
 * none is skipped.
 *
 * Owns the file's format; it is replaced durably (common/durable.h), mode
 * 0640 (jumpd, in the file's group, reads it to reclaim what was delivered), so a
 * power cut leaves the old or the new cursor, never a torn one. The line names the record by sequenceId, by the spool offset just
 * past it, and by the SHA-256 of its line, so a cursor that does not
 * match the spool (a new spool, one moved aside) is detected instead of
 * skipping records. No allocation. */
#ifndef JB_CURSOR_H
#define JB_CURSOR_H
#include <stdint.h>
#include <stddef.h>

struct cursor {
	uint64_t seq;             /* last delivered sequenceId (0: nothing yet) */
	uint64_t offset;          /* spool offset just past that record's '\n' */
	uint8_t hash[32];         /* SHA-256 of that record's line (auditrec_hash) */
};

/* Reads the cursor. Returns 1 if one was read; 0 if there is none (a first
 * start: *c is zeroed); -1 with a reason in err if the file is unreadable
 * or malformed (the caller then starts from the spool's beginning: more
 * duplicates, never a gap). */
int cursor_load(const char *path, struct cursor *c, char *err, size_t errlen);

/* Replaces the cursor durably. Returns 0, or -1 with a reason in err. */
int cursor_store(const char *path, const struct cursor *c, char *err, size_t errlen);

/* Formats / parses the one line of the file (exposed for tests and fuzzing).
 * cursor_format returns the length or -1; cursor_parse 0 or -1. */
int cursor_format(const struct cursor *c, char *out, size_t cap);
int cursor_parse(const char *text, size_t len, struct cursor *c);
#endif
