/* delivery: the shipper's at-least-once accounting for one connection.
 *
 * TLS syslog (RFC 5425) has no application-level acknowledgement. What
 * the shipper can know is how many ciphertext bytes the collector's TCP has
 * acknowledged (syslog_tls.h: stls_acked). That is not yet "stored": the
 * bytes may sit in the collector's socket buffer or its in-memory queue
 * when it dies. So a record counts as delivered once its last ciphertext
 * byte is acknowledged AND `margin` more bytes after it are too, the margin
 * covering what a collector can hold acknowledged but not yet written (its
 * receive buffer and queue). After a disconnect the shipper resends from
 * the last delivered record: duplicates (same sequenceId) are possible,
 * gaps are not.
 *
 * Owns: the ring of marks (ciphertext offset -> spool position) between
 * "sent" and "delivered". Fixed size: when it fills up, every other mark is
 * dropped, which only makes the resend point coarser (earlier), never
 * later, so memory is bounded whatever the backlog. No allocation. */
#ifndef JB_DELIVERY_H
#define JB_DELIVERY_H
#include <stdint.h>

#define DELIVERY_MARKS 8192

struct dpos {                     /* the spool position just past one record */
	uint64_t seq;             /* its sequenceId (0: before the first record) */
	uint64_t off;             /* offset just past its '\n' */
	uint64_t line_start;      /* offset of its first byte */
};

struct dmark {
	uint64_t cipher_end;      /* ciphertext offset at which the record ends */
	struct dpos pos;
};

struct delivery {
	struct dmark marks[DELIVERY_MARKS];
	unsigned head, count;     /* marks not yet delivered, oldest first */
	unsigned nacked;          /* of those, acknowledged by TCP (a prefix) */
	uint64_t margin;          /* bytes, see above */
	uint64_t acked_bytes;
	struct dpos delivered;    /* resend from here after a disconnect */
	struct dpos acked;        /* the last record TCP acknowledged */
};

/* A new connection that starts sending from position from (everything
 * before it counts as delivered). */
void delivery_start(struct delivery *d, struct dpos from, uint64_t margin);

/* Every record up to pos has been sealed into ciphertext ending at
 * cipher_end (stls_flush). Calls come with growing cipher_end and pos. */
void delivery_sent(struct delivery *d, uint64_t cipher_end, struct dpos pos);

/* The peer's TCP has acknowledged acked_bytes of ciphertext: moves acked
 * and delivered forward. */
void delivery_acked(struct delivery *d, uint64_t acked_bytes);
#endif
