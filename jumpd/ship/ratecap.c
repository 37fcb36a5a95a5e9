/* ratecap: token bucket over bytes (see ratecap.h). */
#include "ratecap.h"

void ratecap_init(struct ratecap *r, uint64_t bytes_per_sec, int64_t now_ms)
{
	r->rate = bytes_per_sec;
	r->burst = bytes_per_sec / 8 > RATECAP_QUANTUM ? bytes_per_sec / 8 : RATECAP_QUANTUM;
	r->milli = r->burst * 1000;
	r->last_ms = now_ms;
}

static void refill(struct ratecap *r, int64_t now_ms)
{
	if (now_ms <= r->last_ms)
		return; /* the clock is monotonic; equal: nothing to add */
	uint64_t elapsed = (uint64_t)(now_ms - r->last_ms);
	uint64_t cap = r->burst * 1000;
	/* a long pause fills the bucket, never more; the product is taken
	 * only below the time a full bucket takes plus a second: no overflow */
	uint64_t add = elapsed >= 1000 * (r->burst / r->rate + 1) ? cap : elapsed * r->rate;
	r->milli = add >= cap - r->milli ? cap : r->milli + add;
	r->last_ms = now_ms;
}

/* the smallest piece worth sending: want, or a quantum if want is more */
static uint64_t piece(size_t want)
{
	return want < RATECAP_QUANTUM ? want : RATECAP_QUANTUM;
}

size_t ratecap_allow(struct ratecap *r, size_t want, int64_t now_ms)
{
	if (!r->rate)
		return want;
	refill(r, now_ms);
	uint64_t have = r->milli / 1000;
	if (have < piece(want))
		return 0;
	return have < want ? (size_t)have : want;
}

void ratecap_spend(struct ratecap *r, size_t n)
{
	if (!r->rate)
		return;
	uint64_t m = (uint64_t)n * 1000;
	r->milli = m > r->milli ? 0 : r->milli - m;
}

int64_t ratecap_wait_ms(struct ratecap *r, size_t want, int64_t now_ms)
{
	if (!r->rate)
		return 0;
	refill(r, now_ms);
	uint64_t need = piece(want) * 1000;
	if (r->milli >= need)
		return 0;
	return (int64_t)((need - r->milli + r->rate - 1) / r->rate); /* rounded up: then it is there */
}
