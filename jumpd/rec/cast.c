/* cast: asciicast v2 header and event lines (see cast.h). */
#include "cast.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum utf8_kind { U8_CHAR, U8_BAD, U8_CUT };

/* What s[0..n) (n >= 1) starts with: a whole character of *len bytes, an
 * ill-formed maximal subpart of *len bytes (one U+FFFD), or the first *len
 * bytes of a character that the data ends in the middle of. The byte
 * ranges are RFC 3629's (no overlong forms, surrogates, or beyond U+10FFFF). */
static enum utf8_kind utf8_classify(const uint8_t *s, size_t n, size_t *len)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t need;
	*len = 1;
	if (c < 0x80)
		return U8_CHAR;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		return U8_BAD;
	}
	for (size_t i = 1; i < need; i++) {
		*len = i;
		if (i >= n)
			return U8_CUT;
		if (s[i] < lo || s[i] > hi)
			return U8_BAD;
		lo = 0x80, hi = 0xbf;
	}
	*len = need;
	return U8_CHAR;
}

/* The JSON text of one character or replacement into esc (up to 6 bytes);
 * returns its length. */
static size_t json_char(const uint8_t *s, size_t len, enum utf8_kind kind, char esc[6])
{
	static const char digits[] = "0123456789abcdef";
	if (kind == U8_BAD) { /* U+FFFD */
		esc[0] = (char)0xef, esc[1] = (char)0xbf, esc[2] = (char)0xbd;
		return 3;
	}
	if (len == 1 && s[0] >= 0x20 && s[0] != 0x7f) {
		if (s[0] != '"' && s[0] != '\\') {
			esc[0] = (char)s[0];
			return 1;
		}
		esc[0] = '\\', esc[1] = (char)s[0];
		return 2;
	}
	if (len == 1 || (len == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
		unsigned cp = len == 1 ? s[0] : s[1]; /* C0, DEL or C1: U+0000-U+009F */
		const char *shortform = strchr("\n\r\t\b\f", (int)cp);
		esc[0] = '\\';
		if (cp != 0 && shortform) {
			esc[1] = "nrtbf"[shortform - "\n\r\t\b\f"];
			return 2;
		}
		esc[1] = 'u', esc[2] = '0', esc[3] = '0';
		esc[4] = digits[cp >> 4], esc[5] = digits[cp & 15];
		return 6;
	}
	memcpy(esc, s, len); /* NOLINT(bugprone-not-null-terminated-result): JSON text, its length returned, no NUL */
	return len;
}

/* Encodes s[0..n) as JSON string content into out (at most room bytes);
 * stops before a cut character at the end unless final. Returns the bytes
 * written; *used the bytes of s taken. */
static size_t json_chars(char *out, size_t room, const uint8_t *s, size_t n, int final, size_t *used)
{
	size_t w = 0, i = 0;
	while (i < n) {
		size_t len;
		char esc[6];
		enum utf8_kind kind = utf8_classify(s + i, n - i, &len);
		if (kind == U8_CUT) {
			if (!final)
				break;
			kind = U8_BAD;
		}
		size_t k = json_char(s + i, len, kind, esc);
		if (w + k > room)
			break;
		memcpy(out + w, esc, k);
		w += k;
		i += len;
	}
	*used = i;
	return w;
}

/* Appends `SEP"key": "value"` at *pos; -1 if it does not all fit with a
 * NUL after it. */
static int put_string_field(char *out, size_t cap, size_t *pos, const char *sep, const char *key,
			    const char *val)
{
	size_t n = strlen(val), used;
	int k = snprintf(out + *pos, cap - *pos, "%s\"%s\": \"", sep, key);
	if (k < 0 || (size_t)k >= cap - *pos)
		return -1;
	*pos += (size_t)k;
	*pos += json_chars(out + *pos, cap - *pos, (const uint8_t *)val, n, 1, &used);
	if (used != n || cap - *pos < 2)
		return -1;
	out[(*pos)++] = '"';
	out[*pos] = 0;
	return 0;
}

int cast_header(char *out, size_t cap, unsigned cols, unsigned rows, int64_t unix_ts,
		const char *title, const char *term, const char *command)
{
	size_t pos;
	int k = snprintf(out, cap, "{\"version\": 2, \"width\": %u, \"height\": %u, \"timestamp\": %" PRId64,
			 cols, rows, unix_ts);
	if (k < 0 || (size_t)k >= cap)
		return -1;
	pos = (size_t)k;
	if (command && put_string_field(out, cap, &pos, ", ", "command", command))
		return -1;
	if (title && put_string_field(out, cap, &pos, ", ", "title", title))
		return -1;
	if (term) {
		if (put_string_field(out, cap, &pos, ", \"env\": {", "TERM", term) || cap - pos < 2)
			return -1;
		out[pos++] = '}';
	}
	if (cap - pos < 3)
		return -1;
	memcpy(out + pos, "}\n", 3);
	return (int)pos + 2;
}

static int event(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
		 size_t len, size_t *used, int final)
{
	*used = 0;
	if (t_us < 0 || cap < CAST_EVENT_MIN || !strchr("oirm", code) || code == 0)
		return -1;
	int k = snprintf(out, cap, "[%" PRId64 ".%06" PRId64 ", \"%c\", \"", t_us / 1000000, t_us % 1000000, code);
	if (k < 0 || (size_t)k + 4 > cap)
		return -1;
	size_t pos = (size_t)k;
	pos += json_chars(out + pos, cap - pos - 4, data, len, final, used);
	if (len > 0 && *used == 0)
		return 0;
	memcpy(out + pos, "\"]\n", 4);
	return (int)pos + 3;
}

int cast_event(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
	       size_t len, size_t *used)
{
	return event(out, cap, t_us, code, data, len, used, 0);
}

int cast_event_final(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
		     size_t len, size_t *used)
{
	return event(out, cap, t_us, code, data, len, used, 1);
}
