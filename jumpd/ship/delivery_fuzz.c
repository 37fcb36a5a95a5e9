/* libFuzzer harness for the shipper's resume point after a reconnect
 * (delivery.c): where the next connection starts resending from. The input
 * is a script run against a model spool (record i is a fixed length, so a
 * resend covers the same bytes): first 2 bytes the margin, then ops:
 *   0 n k c   k marks of n records each, sealed with c bytes of overhead
 *   1 a b     TCP acknowledges 256*a+b more ciphertext bytes (at most what was sent)
 *   2 a b     an acknowledgement below the last one (never taken backwards)
 *   3         everything sent is acknowledged
 *   4         the connection drops: the next starts at the resume point
 * After every op:
 *  - the resume point is never past the last record whose ciphertext and
 *    `margin` bytes after it are acknowledged (no record is skipped);
 *  - it never moves back within a connection, nor below where the
 *    connection started, and it is a real record boundary of the spool;
 *  - the acknowledged point is never past what TCP acknowledged;
 *  - while no mark was thinned away (fewer than DELIVERY_MARKS in this
 *    connection), the resume point is exactly that last record: the
 *    accounting does not lag. Thinning may only make it earlier. */
#include "delivery.h"

#include <stdint.h>
#include <string.h>

#define SPOOL_RECS (1u << 17)
#define REF_MAX (DELIVERY_MARKS * 4)

static uint64_t rec_end[SPOOL_RECS + 1]; /* rec_end[i]: offset just past record i (seq i); rec_end[0] = 0 */
static struct delivery d;
static struct { uint64_t cipher_end; uint64_t seq; } ref[REF_MAX]; /* every mark of this connection */

static void spool_init(void)
{
	if (rec_end[1])
		return;
	for (uint32_t i = 1; i <= SPOOL_RECS; i++)
		rec_end[i] = rec_end[i - 1] + 1 + (i * 7919u) % 997u; /* a record is 1..997 bytes with its '\n' */
}

static struct dpos pos_of(uint64_t seq)
{
	return (struct dpos){ .seq = seq, .off = rec_end[seq], .line_start = seq ? rec_end[seq - 1] : 0 };
}

static void check_pos(const struct dpos *p)
{
	if (p->seq > SPOOL_RECS || p->off != rec_end[p->seq] || p->line_start != (p->seq ? rec_end[p->seq - 1] : 0))
		__builtin_trap(); /* not a record boundary of the spool */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	spool_init();
	if (size < 2)
		return 0;
	uint64_t margin = (uint64_t)data[0] << 8 | data[1];
	size_t i = 2;
	uint64_t start = 0, next = 1, sent = 0, acked = 0, last_delivered = 0;
	uint64_t want = 0, want_acked = 0;
	unsigned nref = 0, marks = 0, na = 0, nd = 0;
	delivery_start(&d, pos_of(0), margin);
	while (i < size) {
		uint8_t op = data[i++] % 5;
		uint8_t a = i < size ? data[i] : 0, b = i + 1 < size ? data[i + 1] : 0, c = i + 2 < size ? data[i + 2] : 0;
		switch (op) {
		case 0: {
			unsigned per = 1 + a % 8, k = 1 + (unsigned)b * 64;
			i += 3;
			for (unsigned m = 0; m < k && next + per <= SPOOL_RECS && nref < REF_MAX; m++) {
				uint64_t seq = next + per - 1;
				sent += (rec_end[seq] - rec_end[next - 1]) + c % 64;
				delivery_sent(&d, sent, pos_of(seq));
				ref[nref].cipher_end = sent;
				ref[nref++].seq = seq;
				marks++;
				next = seq + 1;
			}
			break;
		}
		case 1:
			i += 2;
			acked += (uint64_t)a << 8 | b;
			if (acked > sent)
				acked = sent;
			delivery_acked(&d, acked);
			break;
		case 2: {
			i += 2;
			uint64_t back = (uint64_t)a << 8 | b;
			delivery_acked(&d, back < acked ? acked - back - 1 : 0);
			break;
		}
		case 3:
			acked = sent;
			delivery_acked(&d, acked);
			break;
		default:
			/* reconnect: the shipper resends from the resume point */
			start = d.delivered.seq;
			next = start + 1;
			sent = acked = 0;
			nref = marks = na = nd = 0;
			last_delivered = want = want_acked = start;
			delivery_start(&d, d.delivered, margin);
			break;
		}
		/* the model: the last record whose mark and margin are
		 * acknowledged (acked only grows within a connection) */
		while (na < nref && ref[na].cipher_end <= acked)
			want_acked = ref[na++].seq;
		while (nd < nref && acked >= margin && ref[nd].cipher_end <= acked - margin)
			want = ref[nd++].seq;
		check_pos(&d.delivered);
		check_pos(&d.acked);
		if (d.delivered.seq > want || d.delivered.seq < last_delivered || d.delivered.seq < start)
			__builtin_trap();
		if (d.acked.seq > want_acked || d.acked.seq < d.delivered.seq)
			__builtin_trap();
		if (marks <= DELIVERY_MARKS && d.delivered.seq != want)
			__builtin_trap();
		last_delivered = d.delivered.seq;
	}
	return 0;
}
