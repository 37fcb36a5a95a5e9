/* guard: brute-force brakes for the second factor, per user and per source
 * address. Owns the failure counters, the growing delay and the lockouts.
 * Pure: the caller passes monotonic milliseconds; no I/O, no allocation.
 *
 * Policy: every failure doubles the wait before the next attempt, from
 * 250 ms up to a cap; `limit` failures lock the subject. A success ends the
 * wait but does not clear the count: the count leaks away, one failure per
 * forget_ms / limit without a new one, so a key thief guessing between the
 * real user's logins gets no fresh budget each time. A user stays locked until an
 * admin lifts it (jumpctl unlock); a source address unlocks by itself after
 * `source_lock_ms`. */
#ifndef JB_GUARD_H
#define JB_GUARD_H
#include <stdint.h>

#define GUARD_BASE_DELAY_MS 250
#define GUARD_ADDRLEN 64

struct guard_entry {
	unsigned failures;       /* since the last quiet period (see forget_ms) */
	int64_t next_ms;         /* no attempt before this time */
	int64_t last_fail_ms;
	int64_t locked_until_ms; /* 0: not locked; INT64_MAX: until an admin unlocks */
};

struct guard_policy {
	unsigned limit;          /* failures before lockout */
	unsigned max_delay_ms;
	int64_t source_lock_ms;
	int64_t forget_ms;       /* a full count leaks away in this long without a failure */
};

/* Delay after the f-th consecutive failure: 250 ms << (f-1), capped. */
unsigned guard_delay_ms(const struct guard_policy *p, unsigned failures);

/* 1 if the subject is locked at `now`; clears an expired lock (and count). */
int guard_locked(struct guard_entry *e, int64_t now);

/* Milliseconds the subject must still wait before its next attempt (0: may
 * try now). */
unsigned guard_wait_ms(const struct guard_entry *e, int64_t now);

/* Records a failure. `forever` selects the user policy (locked until an
 * admin unlocks) rather than the source policy (timed). Returns the delay
 * imposed before the next attempt; sets *now_locked to 1 if this failure
 * locked the subject. */
unsigned guard_fail(struct guard_entry *e, const struct guard_policy *p, int forever,
		    int64_t now, int *now_locked);

/* Lets the count leak (call before using the entry). */
void guard_decay(struct guard_entry *e, const struct guard_policy *p, int64_t now);

/* A success: no wait, but the count stays until it fades (forget_ms). */
void guard_success(struct guard_entry *e);

/* Admin unlock: count, wait and lock cleared. */
void guard_reset(struct guard_entry *e);
#endif
