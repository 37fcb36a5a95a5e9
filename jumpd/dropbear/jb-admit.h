/* jb-admit: the SSH server's admission of connections that have not
 * authenticated yet (pre-auth), in place of Dropbear's fixed caps
 * (MAX_UNAUTH_CLIENTS 30 in all, MAX_UNAUTH_PER_IP 5 per address).
 * Compiled into Dropbear's listener (patch 0013); the policy is
 * docs/hardening.md's "Admission before authentication":
 *  - one budget for all pre-auth connections, derived from the machine
 *    (memory, file descriptors; at most JB_ADMIT_SLOTS, below select()'s
 *    FD_SETSIZE) or given with -Q;
 *  - while there is room, anyone gets in: a source's share grows as long as
 *    nobody else needs the room (an office behind one NAT address logs in
 *    50 at once);
 *  - when the budget is full, a newcomer from a source holding fewer than
 *    the biggest holder takes the place of that holder's oldest pre-auth
 *    connection (evicted: its process killed while it is still the SSH
 *    server's, never once it became a user's); a newcomer from the biggest
 *    holder itself is refused. So a flood from one address fills only what
 *    nobody else wants, and a login from elsewhere always gets a slot;
 *  - pre-auth connections end at Dropbear's AUTH_TIMEOUT in any case.
 * Refusals and evictions are logged in a bounded way: the first
 * JB_ADMIT_LOG_EVENTS refusals and the first JB_ADMIT_LOG_EVENTS evictions
 * in each JB_ADMIT_LOG_WINDOW_MS one line each, the rest summed in one line
 * when the window is over (at its next event): at most
 * 2 * JB_ADMIT_LOG_EVENTS + 1 lines per 10 s whatever the sources do.
 * Pure bookkeeping but the kill (jb_admit_evict) and the machine's numbers
 * (jb_admit_derive's caller): unit-tested in jb-admit_test.c. */
#ifndef JB_ADMIT_H
#define JB_ADMIT_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define JB_ADMIT_SLOTS 512            /* the most pre-auth connections (the listener select()s their pipes) */
#define JB_ADMIT_MIN 16
#define JB_ADMIT_COST ((uint64_t)4 << 20) /* memory budgeted per pre-auth connection (key exchange, buffers) */
#define JB_ADMIT_ADDRLEN 64
#define JB_ADMIT_LOG_WINDOW_MS 10000
#define JB_ADMIT_LOG_EVENTS 5

struct jb_admit_slot {
	int fd;                       /* the listener's end of the child's pipe; -1: free */
	pid_t pid;
	int64_t since_ms;
	char addr[JB_ADMIT_ADDRLEN];
};

struct jb_admit {
	unsigned budget;
	struct jb_admit_slot s[JB_ADMIT_SLOTS];
	int64_t window_ms;            /* start of the log window */
	unsigned logged[2];           /* in this window: refusal [0] and eviction [1] lines written */
	unsigned refused, evicted;    /* in this window: only counted */
};

enum jb_admit_verdict { JB_ADMIT_YES, JB_ADMIT_EVICT, JB_ADMIT_NO };

/* The budget for this machine: mem_bytes / JB_ADMIT_COST / 2, at most
 * nofile / 2 - 16 (the listener holds a pipe per pre-auth connection) and
 * JB_ADMIT_SLOTS, at least JB_ADMIT_MIN. mem_bytes 0: unknown (the most). */
unsigned jb_admit_derive(uint64_t mem_bytes, uint64_t nofile);
/* budget 0: jb_admit_derive from this machine's /proc/meminfo and
 * RLIMIT_NOFILE; above JB_ADMIT_SLOTS: JB_ADMIT_SLOTS. */
void jb_admit_init(struct jb_admit *a, unsigned budget);
/* What to do with a new connection from addr. YES: *slot is free for it.
 * EVICT: *victim is the slot to free first (jb_admit_evict), then *slot is
 * that one. NO: refused (the budget is full and addr holds the most). */
enum jb_admit_verdict jb_admit_decide(const struct jb_admit *a, const char *addr, int *slot, int *victim);
/* Records the connection admitted into slot. */
void jb_admit_take(struct jb_admit *a, int slot, const char *addr, int fd, pid_t pid, int64_t now_ms);
/* Frees slot (its process authenticated or exited: the pipe said so);
 * closes its fd. */
void jb_admit_release(struct jb_admit *a, int slot);
/* Evicts slot's connection: if its pipe already says it authenticated or
 * exited, only frees it; else kills its process (SIGKILL: the kernel
 * refuses once the process is a user's, patch 0004) and frees it. Returns
 * 1 if a process was killed. */
int jb_admit_evict(struct jb_admit *a, int slot);
/* Notes a refusal (evicted 0) or an eviction (1) of a connection from addr
 * at now_ms; returns 1 with a line to log in buf, or 0 (counted for the
 * window's summary, or nothing to say). A summary of the last window, if
 * any, comes before this event's line, in the same buf. */
int jb_admit_note(struct jb_admit *a, int evicted, const char *addr, int64_t now_ms, char *buf, size_t cap);
/* Pre-auth connections held in all, and from addr. */
unsigned jb_admit_count(const struct jb_admit *a, const char *addr);
unsigned jb_admit_total(const struct jb_admit *a);
#endif
