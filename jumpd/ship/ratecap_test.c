/* unit tests for ratecap.c: uncapped passes everything; a capped bucket
 * gives its burst, then the rate (measured over a simulated minute, at
 * high and at low rates, with odd tick lengths), waits as long as it says,
 * never fills past its burst, and hands out no piece below the quantum. */
#include "ratecap.h"
#include "../common/unittest.h"

static void test_uncapped(void)
{
	struct ratecap r;
	ratecap_init(&r, 0, 0);
	CHECK(ratecap_allow(&r, 1 << 30, 0) == 1u << 30);
	ratecap_spend(&r, 1 << 30);
	CHECK(ratecap_allow(&r, 5, 0) == 5 && ratecap_wait_ms(&r, 5, 0) == 0);
}

/* sends greedily for `ms` simulated milliseconds in ticks of `tick` ms */
static uint64_t run(uint64_t rate, int64_t ms, int64_t tick)
{
	struct ratecap r;
	uint64_t sent = 0;
	ratecap_init(&r, rate, 1000);
	ratecap_spend(&r, ratecap_allow(&r, (size_t)-1, 1000)); /* the burst out first */
	for (int64_t t = 1000; t <= 1000 + ms; t += tick) {
		size_t n;
		while ((n = ratecap_allow(&r, 4096, t)) > 0) {
			ratecap_spend(&r, n);
			sent += n;
		}
	}
	return sent;
}

static void test_rate_over_a_minute(void)
{
	/* 2048 KiB/s and 1 KiB/s, 60 s: within a burst of rate * 60 */
	const uint64_t hi_rate = (uint64_t)2048 * 1024, lo_rate = 1024;
	uint64_t hi = run(hi_rate, 60000, 7), lo = run(lo_rate, 60000, 13);
	CHECK(hi >= hi_rate * 60 - hi_rate / 8 && hi <= hi_rate * 60);
	CHECK(lo >= lo_rate * 60 - RATECAP_QUANTUM && lo <= lo_rate * 60);
}

static void test_burst_then_wait(void)
{
	struct ratecap r;
	ratecap_init(&r, 80000, 0); /* burst 10000 */
	CHECK(r.burst == 10000);
	CHECK(ratecap_allow(&r, 50000, 0) == 10000);
	ratecap_spend(&r, 10000);
	CHECK(ratecap_allow(&r, 50000, 0) == 0);
	int64_t w = ratecap_wait_ms(&r, 50000, 0); /* a quantum: 1024 bytes at 80 bytes/ms */
	CHECK(w == 13);
	CHECK(ratecap_allow(&r, 50000, w - 1) == 0);
	CHECK(ratecap_allow(&r, 50000, w) >= RATECAP_QUANTUM);
	/* a small want needs no quantum */
	ratecap_spend(&r, ratecap_allow(&r, 50000, w));
	CHECK(ratecap_allow(&r, 10, w) == 0 && ratecap_allow(&r, 10, w + 1) == 10);
}

static void test_long_pause_fills_to_burst_only(void)
{
	struct ratecap r;
	ratecap_init(&r, 1 << 20, 0);
	ratecap_spend(&r, ratecap_allow(&r, (size_t)-1, 0));
	CHECK(ratecap_allow(&r, (size_t)-1, (int64_t)1 << 40) == (1 << 20) / 8);
	CHECK(ratecap_wait_ms(&r, 100, (int64_t)1 << 40) == 0);
}

int main(void)
{
	RUN(test_uncapped);
	RUN(test_rate_over_a_minute);
	RUN(test_burst_then_wait);
	RUN(test_long_pause_fills_to_burst_only);
	UT_END();
}
