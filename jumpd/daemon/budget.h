/* budget: how many sessions, channels and connections jumpd holds at once,
 * derived from the machine (the file descriptors jumpd may open, the memory)
 * and the site's [limits] settings, in place of fixed caps. Each open
 * channel and each live session holds a pidfd of its connection process, and
 * each connection to jumpd an fd; memory bounds the sessions themselves (a
 * Dropbear connection process each). Pure arithmetic: the caller reads the
 * machine (budget_machine) and passes what it found, so the rule is
 * unit-tested on any numbers. See docs/configuration.md, [limits]. */
#ifndef JB_BUDGET_H
#define JB_BUDGET_H
#include <stdint.h>

#define BUDGET_FD_RESERVE 64        /* listeners, spool, stdio, the firewall helper's socket */
#define BUDGET_CONN_MIN 64
#define BUDGET_CONN_MAX 4096
#define BUDGET_SESSION_COST (160u * 1024) /* bytes per session on the box: Dropbear's process, kernel side */
#define BUDGET_PER_USER_MIN 64      /* the default per-user share: a quarter of the table, at least this */
#define BUDGET_REC_MAX 4096         /* recorded sessions: each is a login too, and the recorder's table is smaller */

struct jumpd_budget {
	unsigned conns_max;           /* connections to jumpd at once (half kept for the SSH server) */
	unsigned sessions_max;        /* live logins */
	unsigned channels_max;        /* open channels, all users */
	unsigned channels_per_user;   /* open channels of one user */
	unsigned rec_sessions_max;    /* live recorded sessions (recsessions.h): one per login at most, <= BUDGET_REC_MAX */
};

/* Derives the budget from nofile (RLIMIT_NOFILE), mem_bytes (MemTotal, 0:
 * unknown) and the site's settings (0: not set: derived). A site value
 * above what the file descriptors allow is lowered to that. */
void budget_derive(struct jumpd_budget *b, uint64_t nofile, uint64_t mem_bytes, unsigned site_channels,
		   unsigned site_per_user);
/* This machine's nofile (the soft limit, raised to the hard one first) and
 * MemTotal (0 if unknown). */
void budget_machine(uint64_t *nofile, uint64_t *mem_bytes);
#endif
