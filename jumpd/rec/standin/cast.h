/* STAND-IN for jumpd/rec/cast.h (parsers branch, H3), API of rec-spec.md:
 * asciicast v2 lines. The stand-in escapes every byte >= 0x80 as \u00XX. */
#ifndef JB_CAST_H
#define JB_CAST_H
#include <stddef.h>
#include <stdint.h>
int cast_header(char *out, size_t cap, unsigned cols, unsigned rows, int64_t unix_ts,
		const char *title, const char *term, const char *command);
int cast_event(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
	       size_t len, size_t *used);
#endif
