/* hookproto: encoder and strict parser for the local socket line protocol
 * (see hookproto.h). */
#include "hookproto.h"
#include "hex.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* a verb: [a-z_]{1,15}; a key (digits): [a-z_][a-z0-9_]{0,14} (sha256=) */
static int valid_name_digits(const char *s, size_t n, int digits)
{
	if (n == 0 || n > HOOK_MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || (digits && i && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int valid_name(const char *s, size_t n)
{
	return valid_name_digits(s, n, 0);
}

static int valid_key(const char *s, size_t n)
{
	return valid_name_digits(s, n, 1);
}

static int plain_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("._:/+=@,-", c) != NULL); /* strchr finds the NUL terminator */
}

int hook_init(struct hook_msg *m, const char *verb)
{
	size_t n = strlen(verb);
	memset(m, 0, sizeof *m);
	if (!valid_name(verb, n))
		return -1;
	memcpy(m->verb, verb, n + 1);
	return 0;
}

const char *hook_get(const struct hook_msg *m, const char *key)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (!strcmp(m->f[i].key, key))
			return m->f[i].val;
	return NULL;
}

int hook_add(struct hook_msg *m, const char *key, const char *val)
{
	size_t kn = strlen(key), vn = strlen(val);
	if (m->nfields >= HOOK_MAX_FIELDS || !valid_key(key, kn) || vn > HOOK_MAX_VALUE ||
	    hook_get(m, key) || !utf8_safe(val, vn))
		return -1;
	memcpy(m->f[m->nfields].key, key, kn + 1);
	memcpy(m->f[m->nfields].val, val, vn + 1);
	m->nfields++;
	return 0;
}

int hook_format(const struct hook_msg *m, char *out, size_t cap)
{
	size_t len = 0, limit = cap < HOOK_MAX_LINE + 1 ? cap : HOOK_MAX_LINE + 1;
#define PUT(c) do { if (len + 1 >= limit) return -1; out[len++] = (char)(c); } while (0)
	for (const char *s = m->verb; *s; s++)
		PUT(*s);
	for (unsigned i = 0; i < m->nfields; i++) {
		PUT(' ');
		for (const char *s = m->f[i].key; *s; s++)
			PUT(*s);
		PUT('=');
		for (const unsigned char *s = (const unsigned char *)m->f[i].val; *s; s++) {
			if (plain_byte(*s)) {
				PUT(*s);
			} else {
				char pct[3];
				hex_encode(s, 1, pct);
				PUT('%');
				PUT(pct[0]);
				PUT(pct[1]);
			}
		}
	}
	PUT('\n');
#undef PUT
	out[len] = 0;
	return (int)len;
}

/* Decodes one value [s, end) into out; returns 0 or -1. */
static int decode_value(const char *s, const char *end, char *out)
{
	size_t n = 0;
	while (s < end) {
		unsigned char c = (unsigned char)*s++;
		if (c == '%') {
			uint8_t byte;
			/* hex.h's one spelling (lower case): one encoding per value */
			if (end - s < 2 || hex_decode(s, &byte, 1))
				return -1;
			c = byte;
			s += 2;
		} else if (!plain_byte(c)) {
			return -1;
		}
		if (n >= HOOK_MAX_VALUE)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = 0;
	return utf8_safe(out, n) ? 0 : -1;
}

int hook_parse(const char *line, size_t len, struct hook_msg *m)
{
	memset(m, 0, sizeof *m);
	if (len == 0 || len > HOOK_MAX_LINE || line[len - 1] != '\n' || memchr(line, '\n', len - 1))
		return -1;
	const char *end = line + len - 1, *p = line;
	const char *sp = memchr(p, ' ', (size_t)(end - p));
	const char *vend = sp ? sp : end;
	if (!valid_name(p, (size_t)(vend - p)))
		return -1;
	memcpy(m->verb, p, (size_t)(vend - p));
	p = vend;
	while (p < end) {
		p++; /* the single space */
		if (m->nfields >= HOOK_MAX_FIELDS)
			return -1;
		sp = memchr(p, ' ', (size_t)(end - p));
		const char *fend = sp ? sp : end;
		const char *eq = memchr(p, '=', (size_t)(fend - p));
		if (!eq || !valid_key(p, (size_t)(eq - p)))
			return -1;
		struct hook_field *f = &m->f[m->nfields];
		memcpy(f->key, p, (size_t)(eq - p));
		f->key[eq - p] = 0;
		for (unsigned i = 0; i < m->nfields; i++)
			if (!strcmp(m->f[i].key, f->key))
				return -1;
		if (decode_value(eq + 1, fend, f->val))
			return -1;
		m->nfields++;
		p = fend;
	}
	return 0;
}
