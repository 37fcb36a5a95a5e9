/* hex: bytes as hexadecimal text, the one spelling the box writes and the
 * only one it reads back.
 *
 * The rule: lower case, both ways. Upper case is refused on input, not
 * accepted "to be liberal", because every hex text we parse is one we
 * wrote (the shipper's cursor file, the audit chain's prev=, the hook
 * protocol's %xx), and the parsers reading them promise one spelling per
 * value: what parses formats back to the very same bytes (their fuzz
 * harnesses check it), so a damaged or forged line cannot pass as an
 * equivalent one. Lower rather than upper: the files that outlive an
 * upgrade (cursor, audit records on the spool and at the collector) have
 * always been lower case, while the hook protocol, which was upper case, is
 * spoken only between programs of one image, which change together.
 *
 * Header-only (static inline), so that Dropbear, which builds our
 * hookproto.c into itself, needs no new object in its Makefile.
 * Caller-owned buffers, no allocation. */
#ifndef JB_HEX_H
#define JB_HEX_H
#include <stddef.h>
#include <stdint.h>

/* The value of one lower-case hex digit: 0-15, or -1 for anything else
 * (upper case included). */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 1 if s is exactly n lower-case hex digits (and its NUL), else 0 (NULL too) */
static inline int hex_text(const char *s, size_t n)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (hex_digit(s[i]) < 0)
			return 0;
	return s[n] == 0;
}

/* 1 if s is 1 to max decimal digits ('0'-'9' only: no sign, no space), else 0 (NULL too).
 * Beside the hex helpers because both check a value the box reads back as digits. */
static inline int decimal_text(const char *s, size_t max)
{
	size_t i = 0;
	if (!s)
		return 0;
	while (s[i] >= '0' && s[i] <= '9' && i <= max)
		i++;
	return i > 0 && i <= max && s[i] == 0;
}

/* Writes 2 * n lower-case digits and a NUL: out holds 2 * n + 1 bytes. */
static inline void hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = 0;
}

/* Decodes exactly 2 * n digits at in (no NUL needed) into n bytes at out.
 * Returns 0, or -1 at the first character that is not a lower-case hex
 * digit (out is then unspecified). */
static inline int hex_decode(const char *in, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(in[2 * i]), lo = hex_digit(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
#endif
