/* ratecap: the shipper's rate cap (jumpship -R), a token bucket over the
 * bytes handed to TLS. The second jumpship instance, which ships the
 * recording trail, runs with a cap, so that a session flooding its output
 * (`cat /dev/urandom`) cannot take the link the audit trail's shipper
 * shares: the recording's backlog waits in its spool instead.
 * The bucket fills at `rate` bytes a second up to `burst` (an eighth of a
 * second's worth, at least RATECAP_QUANTUM), counted in thousandths of a
 * byte so that no fraction is lost at low rates. Bytes are given out in
 * pieces of at least RATECAP_QUANTUM (or what is asked, if less), so a low
 * rate does not turn into a stream of tiny TLS records.
 * Pure arithmetic on a caller's clock (milliseconds): unit-testable. */
#ifndef JB_RATECAP_H
#define JB_RATECAP_H
#include <stddef.h>
#include <stdint.h>

#define RATECAP_QUANTUM 1024

struct ratecap {
	uint64_t rate;                /* bytes per second; 0: no cap */
	uint64_t burst;               /* bucket size, bytes */
	uint64_t milli;               /* tokens, thousandths of a byte */
	int64_t last_ms;
};

/* A cap of bytes_per_sec (0: unlimited), the bucket full at now_ms. */
void ratecap_init(struct ratecap *r, uint64_t bytes_per_sec, int64_t now_ms);

/* How many of want bytes may go now (0: wait; want itself when uncapped). */
size_t ratecap_allow(struct ratecap *r, size_t want, int64_t now_ms);

/* Takes n bytes (at most what ratecap_allow gave) out of the bucket. */
void ratecap_spend(struct ratecap *r, size_t n);

/* Milliseconds until a piece of want bytes (or RATECAP_QUANTUM) may go:
 * 0 if it may now. */
int64_t ratecap_wait_ms(struct ratecap *r, size_t want, int64_t now_ms);
#endif
