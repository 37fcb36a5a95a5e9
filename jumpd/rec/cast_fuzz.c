/* libFuzzer harness for cast.c: every event line written for any bytes,
 * with any buffer size, is `[SECONDS.6DIGITS, "o", "STRING"]\n`, valid
 * UTF-8 (judged by the C library's decoder) and valid JSON (checked by the
 * strict little reader below); the string decodes back to the input when
 * the input is well-formed UTF-8; what is left unconsumed is at most the
 * 3 bytes of a cut character, and cast_event_final takes those too. */
#include "cast.h"
#include "../common/utf8_oracle.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Checks one event line and decodes its data string into dec; returns the
 * decoded length. Traps on anything that is not the expected JSON. */
static size_t check_line(const char *l, size_t n, char *dec)
{
	size_t i = 1, d = 0;
	if (n < 20 || l[0] != '[' || l[n - 1] != '\n' || l[n] != 0 || !utf8_oracle_valid(l, n))
		__builtin_trap();
	while (l[i] >= '0' && l[i] <= '9')
		i++;
	if (i == 1 || l[i++] != '.')
		__builtin_trap();
	for (int k = 0; k < 6; k++)
		if (l[i++] < '0' || l[i - 1] > '9')
			__builtin_trap();
	if (memcmp(l + i, ", \"o\", \"", 8) != 0)
		__builtin_trap();
	for (i += 8; l[i] != '"'; i++) {
		unsigned char c = (unsigned char)l[i];
		if (c < 0x20)
			__builtin_trap();
		if (c != '\\') {
			dec[d++] = (char)c;
			continue;
		}
		c = (unsigned char)l[++i];
		const char *simple = strchr("\"\\/bfnrt", c);
		if (c && simple) {
			dec[d++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
		} else if (c == 'u') {
			int v = 0;
			for (int k = 1; k <= 4; k++) {
				int h = hexval(l[i + k]);
				if (h < 0)
					__builtin_trap();
				v = v << 4 | h;
			}
			if (v >= 0xa0) /* cast.c escapes only C0, DEL and C1 */
				__builtin_trap();
			if (v < 0x80) {
				dec[d++] = (char)v;
			} else {
				dec[d++] = (char)(0xc0 | v >> 6);
				dec[d++] = (char)(0x80 | (v & 0x3f));
			}
			i += 4;
		} else {
			__builtin_trap();
		}
	}
	if (strcmp(l + i, "\"]\n") != 0)
		__builtin_trap();
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[CAST_EVENT_MIN + 70000], dec[70000], joined[70000];
	if (size < 1)
		return 0;
	/* the first byte picks the buffer: the smallest allowed up to roomy */
	size_t cap = data[0] < 128 ? CAST_EVENT_MIN + data[0] : sizeof line;
	const uint8_t *p = data + 1;
	size_t left = size - 1, jl = 0, used;
	while (left > 0) {
		int n = cast_event(line, cap, 123456789, 'o', p, left, &used);
		if (n < 0 || (size_t)n >= cap || used > left)
			__builtin_trap();
		if (n == 0) { /* only a cut character left */
			if (used != 0 || left > 3)
				__builtin_trap();
			break;
		}
		if (used == 0 || strlen(line) != (size_t)n)
			__builtin_trap();
		size_t d = check_line(line, (size_t)n, dec);
		if (utf8_oracle_valid((const char *)p, used) && (d != used || memcmp(dec, p, used) != 0))
			__builtin_trap();
		memcpy(joined + jl, dec, d);
		jl += d;
		p += used;
		left -= used;
	}
	if (!utf8_oracle_valid(joined, jl))
		__builtin_trap();
	if (left > 0) {
		int n = cast_event_final(line, cap, 0, 'o', p, left, &used);
		if (n <= 0 || used != left)
			__builtin_trap();
		check_line(line, (size_t)n, dec);
	}
	return 0;
}
