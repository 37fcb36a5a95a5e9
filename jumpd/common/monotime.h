/* monotime: the time that only moves forward, for deadlines, timeouts,
 * rate limits and backoff. CLOCK_MONOTONIC: unaffected by the wall clock
 * being set (NTP, an operator, a bad RTC at boot), so a deadline neither
 * fires at once nor never. Only differences mean anything; the origin is
 * unspecified (boot, in practice). Header-only: a clock read is too small
 * to be worth a call, and Dropbear's build takes the header as it is. */
#ifndef JB_MONOTIME_H
#define JB_MONOTIME_H
#include <stdint.h>
#include <time.h>

/* Microseconds on the monotonic clock. */
static inline int64_t mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t); /* cannot fail for this clock and a valid pointer */
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Milliseconds on the monotonic clock. */
static inline int64_t mono_ms(void)
{
	return mono_us() / 1000;
}
#endif
