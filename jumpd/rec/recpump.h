/* recpump: the byte pump of the recorded sessions, one poll loop for all
 * (jumprec.c owns the loop, this module the sessions' part of it): the
 * user's input to dbclient, dbclient's output and stderr to the user and
 * into the recording (and to watchers), the stub's window changes, the
 * target connection while it is made. Backpressure instead of queues: a
 * side is read only when the buffer towards the other side has room, so a
 * user who does not read stops the target's output (through SSH's window),
 * never grows memory. A watcher that cannot take output at once is dropped;
 * it never slows the session. */
#ifndef JB_RECPUMP_H
#define JB_RECPUMP_H
#include "recsess.h"
#include <poll.h>

#define RECPUMP_PER_SESSION (8 + RECSESS_WATCHERS)

/* Fills p (cap entries) with the descriptors of every session and what
 * each waits for; tag[i] says whose and which. Returns the count. */
unsigned recpump_poll_set(struct recsess_table *t, struct pollfd *p, unsigned *tag, unsigned cap);

/* Serves one ready entry. */
void recpump_ready(struct recsess_table *t, unsigned tag, short revents);

/* After a round: half-closes, drops, and finishes the sessions that are done. */
void recpump_settle(struct recsess_table *t);

/* Adds fd as a watcher of s (takes it over). 0, or -1 if s has no room
 * (fd then stays the caller's). */
int recpump_add_watcher(struct recsess *s, int fd);
#endif
