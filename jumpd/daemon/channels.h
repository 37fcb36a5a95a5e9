/* channels: the direct-tcpip channels jumpd has allowed and that are still
 * open, and the firewall pinholes they hold. A pinhole (uid, address, port)
 * is shared by every open channel of that user to that address and port:
 * it is opened with the first and closed with the last. Ids are random
 * (not guessable, not reused across jumpd restarts). Pure bookkeeping: no
 * I/O; the caller talks to the firewall helper and audits. The table's
 * size and the per-user share are jumpd's budget (budget.h), not fixed. */
#ifndef JB_CHANNELS_H
#define JB_CHANNELS_H
#include <stdint.h>
#include <sys/types.h>

#define CHANNEL_ID_LEN 16      /* hex digits */

struct channel {
	int used;
	char id[CHANNEL_ID_LEN + 1];
	uint32_t uid;
	unsigned user;             /* index in the config's users */
	int target;                /* index in the config's targets */
	uint8_t addr[16];
	unsigned port;
	pid_t pid;                 /* the connection process that asked */
	int pidfd;                 /* a pidfd of it (the caller's; -1: none, use pid) */
	int64_t opened_ms;         /* monotonic */
};

struct channels {
	struct channel *c;         /* cap entries */
	unsigned cap;
	unsigned n;                /* in use */
};

/* Allocates a table of cap channels. Returns 0, or -1 (no memory). */
int channels_init(struct channels *t, unsigned cap);

/* Records an allowed channel; rnd: 8 random bytes for its id. Returns it,
 * or NULL if the table is full (the caller refuses the channel). */
struct channel *channels_add(struct channels *t, uint32_t uid, unsigned user, int target,
			     const uint8_t addr[16], unsigned port, pid_t pid, int64_t now_ms,
			     const uint8_t rnd[8]);

/* Open channels of this uid. */
unsigned channels_of_uid(const struct channels *t, uint32_t uid);

/* The open channel with this id, or NULL. */
struct channel *channels_find(struct channels *t, const char *id);

/* How many open channels other than `self` share self's pinhole. */
unsigned channels_sharing(const struct channels *t, const struct channel *self);

/* 1 if ch is the first open channel (in table order) holding its pinhole:
 * refresh each pinhole once. */
int channels_first_of_pinhole(const struct channels *t, const struct channel *ch);

void channels_remove(struct channels *t, struct channel *ch);
#endif
