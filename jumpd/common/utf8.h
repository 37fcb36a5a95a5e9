/* utf8: the text the box lets through from outside into what it prints
 * (the console, an operator's terminal) and what it records (RFC 5424
 * PARAM-VALUEs, which RFC 5424 section 6.3.3 wants in UTF-8).
 *
 * The rule, "safe text": printable ASCII (0x20-0x7e) and well-formed UTF-8
 * (RFC 3629: shortest form, no surrogates, at most U+10FFFF) of characters
 * from U+00A0 up. So no C0 control (0x00-0x1f), no DEL (0x7f), no C1
 * control (U+0080-U+009F: terminals take U+009B as CSI, an escape), and no
 * byte that is not part of a valid character.
 *
 * The hook protocol's decoded values must be safe text (hookproto.c
 * refuses the rest); an audit record writes each byte outside it as a
 * visible \xNN (auditrec.c).
 *
 * Header-only (static inline), so that Dropbear, which builds our
 * hookproto.c into itself, needs no new object in its Makefile (as hex.h). */
#ifndef JB_UTF8_H
#define JB_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* The length (1-4) of the safe character that s[0..n) starts with, or 0 if
 * it does not start with one. */
static inline size_t utf8_safe_char(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp, min;
	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, cp = s[0] & 0x1fu, min = 0xa0; /* below U+00A0: C1 controls */
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, cp = s[0] & 0x0fu, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, cp = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* 1 if all n bytes of s are safe text, else 0. */
static inline int utf8_safe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	while (n > 0) {
		size_t k = utf8_safe_char(p, n);
		if (k == 0)
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}
#endif
