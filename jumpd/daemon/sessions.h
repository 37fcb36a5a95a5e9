/* sessions: the logins jumpd has allowed whose connection process is still
 * there (between the AUTH record that allowed it and its logout). They are
 * what bounds the reports a user's processes may send without a rate
 * limit: one `logout` per session, and one `close` per channel the session
 * has open (channels.h); and a user's share of jumpd's connection slots
 * grows with their sessions (conn.c), since each connection process asks one
 * thing at a time. A session whose process is gone without a logout is
 * ended by the refresh (SESSION_CLOSE reason=connection-gone). Bookkeeping,
 * and /proc reads for a process's ancestry (sessions_of_process); the
 * table's size is jumpd's budget (budget.h). */
#ifndef JB_SESSIONS_H
#define JB_SESSIONS_H
#include "../common/siteconf_types.h"

#include <stdint.h>
#include <sys/types.h>

struct session {
	int used;
	pid_t pid;                 /* the connection process (SO_PEERCRED of the login's requests) */
	int pidfd;                 /* the caller's (-1: none: the pid is used) */
	unsigned user;             /* index in the config's users */
	int64_t opened_ms;         /* monotonic, at the AUTH that allowed it */
};

struct sessions {
	struct session *s;         /* cap entries */
	unsigned cap, n;
	unsigned per_user[SITECONF_MAX_USERS];
};

/* Allocates a table of cap sessions. Returns 0, or -1 (no memory). */
int sessions_init(struct sessions *t, unsigned cap);
/* Records a session; NULL if the table is full (the caller refuses the login). */
struct session *sessions_add(struct sessions *t, unsigned user, pid_t pid, int64_t now_ms);
/* The live session of process pid, or NULL. */
struct session *sessions_find(struct sessions *t, pid_t pid);
/* Live sessions of user (an index; an out-of-range index has none). */
unsigned sessions_of_user(const struct sessions *t, unsigned user);
/* The live session of user that process pid is, or descends from (its
 * parent, grandparent... up to SESSIONS_ANCESTRY generations, read from
 * /proc/PID/stat): a recorded login's stub is the connection process's
 * child. NULL if none (or pid is not a process). */
#define SESSIONS_ANCESTRY 8
struct session *sessions_of_process(struct sessions *t, unsigned user, pid_t pid);
/* Forgets s (the caller closes its pidfd). */
void sessions_remove(struct sessions *t, struct session *s);
#endif
