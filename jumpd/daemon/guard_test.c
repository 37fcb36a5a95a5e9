/* unit tests for guard.c: the delay curve, timed and forever locks, the
 * leak of the failure count, and a success ending the wait. */
#include "guard.h"
#include "../common/unittest.h"

#include <limits.h>
#include <stdint.h>

#define MIN_MS ((int64_t)60 * 1000)

static void test_guard(void)
{
	struct guard_policy p = { 5, 2000, 15 * MIN_MS, 15 * MIN_MS };
	struct guard_entry e;
	int locked;
	static const unsigned want[] = { 0, 250, 500, 1000, 2000, 2000, 2000 };
	for (unsigned f = 0; f < sizeof want / sizeof want[0]; f++)
		CHECK(guard_delay_ms(&p, f) == want[f]);
	CHECK(guard_delay_ms(&p, 21) == 2000 && guard_delay_ms(&p, 64) == 2000);
	CHECK(guard_delay_ms(&p, UINT_MAX) == 2000);
	p.max_delay_ms = 60000;
	CHECK(guard_delay_ms(&p, 8) == 32000 && guard_delay_ms(&p, 9) == 60000);
	/* no cap to speak of: the shift stops at 20, no overflow or UB */
	p.max_delay_ms = UINT_MAX;
	CHECK(guard_delay_ms(&p, 20) == 250u << 19);
	CHECK(guard_delay_ms(&p, 21) == 250u << 20);
	CHECK(guard_delay_ms(&p, 22) == 250u << 20);
	CHECK(guard_delay_ms(&p, 33) == 250u << 20);
	CHECK(guard_delay_ms(&p, 65) == 250u << 20);
	CHECK(guard_delay_ms(&p, UINT_MAX) == 250u << 20);

	/* timed lock (source policy) */
	p.max_delay_ms = 2000;
	guard_reset(&e);
	for (int i = 1; i <= 5; i++) {
		CHECK(!guard_locked(&e, (int64_t)1000 * i));
		CHECK(guard_fail(&e, &p, 0, (int64_t)1000 * i, &locked) == want[i]);
		CHECK(locked == (i == 5));
	}
	CHECK(guard_wait_ms(&e, 5000) == 2000 && guard_wait_ms(&e, 6500) == 500 && guard_wait_ms(&e, 7000) == 0);
	CHECK(guard_locked(&e, 5000 + 15 * MIN_MS - 1));
	CHECK(!guard_locked(&e, 5000 + 15 * MIN_MS) && e.failures == 0);
	/* forever lock (user policy); a further failure keeps it */
	for (int i = 1; i <= 5; i++)
		guard_fail(&e, &p, 1, i, &locked);
	CHECK(locked && e.locked_until_ms == INT64_MAX && guard_locked(&e, INT64_MAX - 1));
	guard_fail(&e, &p, 1, 10, &locked);
	CHECK(!locked && e.locked_until_ms == INT64_MAX);
	guard_reset(&e);
	CHECK(!guard_locked(&e, 0) && e.failures == 0);
	/* decay: the count leaks, one failure per forget_ms / limit (3 min here) of quiet */
	guard_fail(&e, &p, 0, 1000, &locked);
	guard_fail(&e, &p, 0, 2000, &locked);
	guard_decay(&e, &p, 2000 + 3 * MIN_MS - 1);
	CHECK(e.failures == 2);
	guard_decay(&e, &p, 2000 + 3 * MIN_MS);
	CHECK(e.failures == 1);
	guard_decay(&e, &p, 2000 + 6 * MIN_MS);
	CHECK(e.failures == 0);
	/* a success ends the wait, keeps the count */
	guard_fail(&e, &p, 0, 10 * MIN_MS, &locked);
	guard_success(&e);
	CHECK(e.failures == 1 && guard_wait_ms(&e, 10 * MIN_MS) == 0);
}

int main(void)
{
	RUN(test_guard);
	UT_END();
}
