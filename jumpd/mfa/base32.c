/* base32: RFC 4648 base32 without padding (see base32.h). */
#include "base32.h"

#include <limits.h>

static const char alphabet[32] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need, n = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	/* overflow-safe form of BASE32_ENCLEN(len) + 1 > cap */
	if (cap == 0 || len > (SIZE_MAX - 4) / 8)
		goto toosmall;
	need = BASE32_ENCLEN(len);
	if (need >= cap || need > INT_MAX)
		goto toosmall;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[n++] = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[n++] = alphabet[(acc << (5 - bits)) & 31];
	out[n] = 0;
	return (int)n;
toosmall:
	if (cap > 0)
		out[0] = 0;
	return -1;
}

/* Value of one base32 character, or -1. Written as ranges rather than a
 * 256-entry table so no lookup is indexed by secret characters. */
static int b32val(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int base32_decode(const char *in, uint8_t *out, size_t cap)
{
	size_t n = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	int padding = 0;

	for (; *in; in++) {
		int v;
		if (*in == ' ')
			continue;
		if (*in == '=') {
			padding = 1;
			continue;
		}
		/* data after padding means two secrets were pasted together */
		if (padding || (v = b32val((unsigned char)*in)) < 0)
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap || n >= INT_MAX)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n > 0 ? (int)n : -1;
}
