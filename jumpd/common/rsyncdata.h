/* rsyncdata: the sender's data stream of an rsync session for rsyncstream
 * (rsyncstream.h says what is read): the filter list, the file lists and
 * their sort, the per-file items, sum heads, token streams and whole-file
 * checksums, and the FILE events they make (rsyncdata.c; the lists' order
 * and indexes in rsyncflist.c). Internal to rsyncstream: its
 * state lives in struct rsyncstream (the caller's); nothing is allocated. */
#ifndef JB_RSYNCDATA_H
#define JB_RSYNCDATA_H
#include "rsyncstate.h"

/* The handshake is done (proto, compat and sum_len set): the sender's
 * data stream starts (the filter list, or the first file list). */
void rsyncdata_start(struct rsyncstream *p);

/* Takes some of the n (> 0) bytes of the sender's data stream; returns how
 * many it took (0 only when a state change took none: call again). */
size_t rsyncdata_feed(struct rsyncstream *p, const uint8_t *b, size_t n);

/* The streams ended: a file whose sum head, tokens or checksum were being
 * read is reported "incomplete" (the literal bytes that came, no SHA-256). */
void rsyncdata_end(struct rsyncstream *p);

/* Keeps the entry just read (p->name, namelen, mode, length) in the
 * current list (rsyncflist.c) and makes it the next one's name prefix;
 * -1 (stopped: "file list too large") if the limits are reached, leaving
 * room for the list's sentinel. */
int rsyncflist_add(struct rsyncstream *p);

/* Sorts the file list that starts at entry from (up to p->nent) in
 * rsync's order (rsyncflist.c): of one directory, its files before its
 * directories; names compared byte by byte, a directory's with its
 * trailing "/"; "." first. In place, no allocation. */
void rsyncflist_sort(struct rsyncstream *p, uint32_t from);

/* The entry of index ndx (rsyncflist.c): its place in p->ent, -2 for the
 * index just before a list's first (that list's directory), -1 if none. */
int32_t rsyncflist_entry(const struct rsyncstream *p, int32_t ndx);

/* Lets the oldest of the kept file lists go (rsync is done with it: an
 * NDX_DONE of incremental lists); a single list is kept. */
void rsyncflist_drop_oldest(struct rsyncstream *p);

/* Stops the parser: one "unparsed" event with detail (once). */
void rsyncdata_stop(struct rsyncstream *p, const char *detail);
#endif
