/* STAND-IN for jumpd/rec/cast.c (parsers branch): see cast.h. */
#include "cast.h"
#include <stdio.h>
#include <string.h>

static int put_json(char *out, size_t cap, size_t *o, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (*o + 8 >= cap)
			return -1;
		uint8_t c = d[i];
		if (c == '"' || c == '\\') {
			out[(*o)++] = '\\';
			out[(*o)++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			*o += (size_t)snprintf(out + *o, cap - *o, "\\u%04x", c);
		} else {
			out[(*o)++] = (char)c;
		}
	}
	return 0;
}

int cast_header(char *out, size_t cap, unsigned cols, unsigned rows, int64_t unix_ts,
		const char *title, const char *term, const char *command)
{
	(void)title, (void)command;
	int n = snprintf(out, cap, "{\"version\": 2, \"width\": %u, \"height\": %u, \"timestamp\": %lld, "
			 "\"env\": {\"TERM\": \"%s\"}}\n", cols, rows, (long long)unix_ts, term);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int cast_event(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
	       size_t len, size_t *used)
{
	int n = snprintf(out, cap, "[%lld.%06lld, \"%c\", \"", (long long)(t_us / 1000000),
			 (long long)(t_us % 1000000), code);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	size_t o = (size_t)n;
	if (put_json(out, cap, &o, data, len) || o + 4 > cap)
		return -1;
	memcpy(out + o, "\"]\n", 4);
	*used = len;
	return (int)o + 3;
}
