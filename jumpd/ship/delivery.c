/* delivery: at-least-once accounting (see delivery.h). */
#include "delivery.h"

#include <string.h>

#define AT(d, i) ((d)->marks[((d)->head + (i)) % DELIVERY_MARKS])

void delivery_start(struct delivery *d, struct dpos from, uint64_t margin)
{
	d->head = d->count = d->nacked = 0;
	d->margin = margin;
	d->acked_bytes = 0;
	d->delivered = d->acked = from;
}

/* drops every other mark, oldest first, keeping the newest: each record
 * then maps to an earlier mark, i.e. an earlier resend point */
static void thin(struct delivery *d)
{
	unsigned kept = 0;
	for (unsigned i = d->count % 2 ? 0 : 1; i < d->count; i += 2)
		AT(d, kept++) = AT(d, i);
	d->count = kept;
	d->nacked = 0;
	while (d->nacked < d->count && AT(d, d->nacked).cipher_end <= d->acked_bytes)
		d->nacked++;
}

void delivery_sent(struct delivery *d, uint64_t cipher_end, struct dpos pos)
{
	if (d->count && AT(d, d->count - 1).pos.off == pos.off)
		return; /* nothing new since the last mark */
	if (d->count == DELIVERY_MARKS)
		thin(d);
	AT(d, d->count).cipher_end = cipher_end;
	AT(d, d->count).pos = pos;
	d->count++;
}

void delivery_acked(struct delivery *d, uint64_t acked_bytes)
{
	if (acked_bytes < d->acked_bytes)
		return; /* never backwards */
	d->acked_bytes = acked_bytes;
	while (d->nacked < d->count && AT(d, d->nacked).cipher_end <= acked_bytes) {
		d->acked = AT(d, d->nacked).pos;
		d->nacked++;
	}
	while (d->nacked > 0 && acked_bytes >= d->margin && AT(d, 0).cipher_end <= acked_bytes - d->margin) {
		d->delivered = AT(d, 0).pos;
		d->head = (d->head + 1) % DELIVERY_MARKS;
		d->count--;
		d->nacked--;
	}
}
