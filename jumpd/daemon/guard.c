/* guard: failure counters, growing delay, lockouts (see guard.h). */
#include "guard.h"

#include <string.h>

unsigned guard_delay_ms(const struct guard_policy *p, unsigned failures)
{
	if (failures == 0)
		return 0;
	uint64_t d = (uint64_t)GUARD_BASE_DELAY_MS << (failures > 20 ? 20 : failures - 1);
	return d > p->max_delay_ms ? p->max_delay_ms : (unsigned)d;
}

int guard_locked(struct guard_entry *e, int64_t now)
{
	if (e->locked_until_ms == 0)
		return 0;
	if (now < e->locked_until_ms)
		return 1;
	guard_reset(e);
	return 0;
}

unsigned guard_wait_ms(const struct guard_entry *e, int64_t now)
{
	return e->next_ms > now ? (unsigned)(e->next_ms - now) : 0;
}

unsigned guard_fail(struct guard_entry *e, const struct guard_policy *p, int forever,
		    int64_t now, int *now_locked)
{
	unsigned d;
	*now_locked = 0;
	e->failures++;
	e->last_fail_ms = now;
	d = guard_delay_ms(p, e->failures);
	e->next_ms = now + d;
	if (e->failures >= p->limit && e->locked_until_ms == 0) {
		e->locked_until_ms = forever ? INT64_MAX : now + p->source_lock_ms;
		*now_locked = 1;
	}
	return d;
}

void guard_decay(struct guard_entry *e, const struct guard_policy *p, int64_t now)
{
	/* a leaky bucket: one failure forgiven per forget_ms / limit of quiet */
	int64_t per = p->limit ? p->forget_ms / p->limit : p->forget_ms;
	if (e->locked_until_ms || !e->failures || per <= 0 || now <= e->last_fail_ms)
		return;
	int64_t n = (now - e->last_fail_ms) / per;
	if (n >= (int64_t)e->failures) {
		e->failures = 0;
	} else if (n > 0) {
		e->failures -= (unsigned)n;
		e->last_fail_ms += n * per;
	}
}

void guard_success(struct guard_entry *e)
{
	e->next_ms = 0;
}

void guard_reset(struct guard_entry *e)
{
	memset(e, 0, sizeof *e);
}
