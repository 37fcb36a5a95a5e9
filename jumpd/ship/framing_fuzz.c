/* libFuzzer harness for framing.c: any byte stream, fed in pieces of
 * every size, decodes without overrunning the caller's buffer; a message
 * that comes out re-encodes to exactly the bytes it came from; and the
 * decoder gives the same messages whatever the piece size. */
#include "framing.h"

#include <stdint.h>
#include <string.h>

#define CAP 512

static size_t decode_all(const uint8_t *data, size_t size, size_t piece, uint8_t *out, size_t outcap)
{
	static char buf[CAP];
	static char frame[CAP + FRAMING_HEADER_MAX];
	struct framing_decoder d;
	size_t pos = 0, o = 0;
	framing_decoder_init(&d, buf, sizeof buf);
	while (pos < size) {
		size_t n = size - pos < piece ? size - pos : piece, used = 0;
		int rc = framing_decode(&d, (const char *)data + pos, n, &used);
		if (rc < 0)
			break;
		if (used > n || d.have > CAP)
			__builtin_trap();
		pos += used;
		if (rc == 1) {
			size_t f = framing_encode(frame, sizeof frame, buf, d.have);
			/* the frame just read, byte for byte */
			if (f == 0 || f > pos || memcmp(frame, data + pos - f, f) != 0)
				__builtin_trap();
			if (o + f <= outcap) {
				memcpy(out + o, frame, f);
				o += f;
			}
		}
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t a[16384], b[16384];
	if (size > sizeof a)
		return 0;
	size_t na = decode_all(data, size, size ? size : 1, a, sizeof a);
	size_t piece = size ? (size_t)data[0] % 7 + 1 : 1;
	size_t nb = decode_all(data, size, piece, b, sizeof b);
	if (na != nb || memcmp(a, b, na) != 0)
		__builtin_trap();
	return 0;
}
