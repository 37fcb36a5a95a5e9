/* framing: RFC 5425 octet-counting, the framing of syslog over TLS: each
 * message travels as `MSG-LEN SP SYSLOG-MSG`, MSG-LEN being the decimal
 * octet count of the message (no leading zero), so a message may hold any
 * byte and a receiver never has to guess where one ends.
 *
 * Owns: writing a frame header (the shipper's hot path: the message itself
 * is copied by the caller straight from the spool) and an incremental
 * decoder for reading a framed stream (tests, fuzzing, tools).
 * Caller-owned buffers, no allocation. */
#ifndef JB_FRAMING_H
#define JB_FRAMING_H
#include <stddef.h>

#define FRAMING_HEADER_MAX 12     /* "4294967295 " and then some */
#define FRAMING_LEN_DIGITS 9      /* MSG-LEN beyond 999,999,999 is refused */

/* Writes "LEN " for a message of len octets into out (FRAMING_HEADER_MAX
 * bytes, not NUL-terminated). Returns the header's length; 0 if len is 0
 * (RFC 5425 has no empty message) or too large. */
size_t framing_header(char out[FRAMING_HEADER_MAX], size_t len);

/* Writes the whole frame (header + message) into out. Returns its length,
 * or 0 if it does not fit in cap (or len is 0 / too large). */
size_t framing_encode(char *out, size_t cap, const char *msg, size_t len);

/* Decoder: feed bytes as they come; whole messages come out in the
 * caller's buffer. */
struct framing_decoder {
	char *buf;                /* the caller's buffer for one message */
	size_t cap;               /* its size: longer messages are an error */
	size_t want;              /* MSG-LEN of the message being read */
	size_t have;              /* octets of it read so far */
	unsigned digits;          /* of MSG-LEN read so far */
	int in_body;              /* 0: reading MSG-LEN, 1: the message */
};

void framing_decoder_init(struct framing_decoder *d, char *buf, size_t cap);

/* Consumes bytes from in (len of them) until one message is whole.
 * Returns 1 with the message in d->buf (d->have octets; valid until the
 * next call) and *used = bytes consumed; 0 if all len bytes were consumed
 * and no message is whole yet; -1 on a malformed stream (a non-digit or a
 * leading zero in MSG-LEN, a missing SP, a length over cap): the stream
 * cannot be resynchronised, drop it. */
int framing_decode(struct framing_decoder *d, const char *in, size_t len, size_t *used);
#endif
