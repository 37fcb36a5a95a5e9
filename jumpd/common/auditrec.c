/* auditrec: RFC 5424 audit record format, parser and chain hash (see
 * auditrec.h). */
#include "auditrec.h"
#include "hex.h"
#include "sha256x.h"
#include "utf8.h"

#include <bearssl.h>
#include <stdio.h>
#include <string.h>

void auditrec_hash(const char *line, size_t len, uint8_t out[32])
{
	struct sha256x c;
	sha256x_init(&c);
	sha256x_update(&c, line, len);
	sha256x_out(&c, out);
}

int auditrec_put_value(char *out, size_t cap, size_t *len, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t left = strlen(v);
	while (left > 0) {
		/* a run of plain ASCII needs no decoding and no escape: copied at
		 * once (a recording chunk's base64 is 3,200 such bytes) */
		size_t run = 0;
		while (run < left && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\' && p[run] != ']')
			run++;
		if (run) {
			size_t room = cap > *len + 2 ? cap - *len - 2 : 0; /* as below: one byte each, two to spare */
			memcpy(out + *len, p, run < room ? run : room);
			*len += run < room ? run : room;
			if (run > room)
				return -1;
			p += run;
			left -= run;
			continue;
		}
		size_t n = utf8_safe_char(p, left);
		int esc = n == 1 && (*p == '"' || *p == '\\' || *p == ']');
		if (*len + (n ? n + (size_t)esc : 4) + 1 >= cap)
			return -1;
		if (n == 0) { /* not safe text: the byte, visibly */
			out[(*len)++] = '\\';
			out[(*len)++] = 'x';
			hex_encode(p, 1, out + *len); /* writes a NUL after the two digits: room checked above */
			*len += 2;
			p++;
			left--;
			continue;
		}
		if (esc)
			out[(*len)++] = '\\';
		memcpy(out + *len, p, n);
		*len += n;
		p += n;
		left -= n;
	}
	return 0;
}

int auditrec_format(char *out, size_t cap, const char *timestamp, const char *host,
		    const char *version, long pid, const char *msgid, uint64_t seq,
		    const uint8_t prev[32], const char *const *kv)
{
	return auditrec_format_app(out, cap, timestamp, host, "jumpd", version, pid, msgid, seq, prev, kv);
}

int auditrec_format_app(char *out, size_t cap, const char *timestamp, const char *host, const char *app,
			const char *version, long pid, const char *msgid, uint64_t seq,
			const uint8_t prev[32], const char *const *kv)
{
	char prevhex[65];
	size_t len;
	if (cap > AUDITREC_MAX + 1)
		cap = AUDITREC_MAX + 1;
	hex_encode(prev, 32, prevhex);
	int n = snprintf(out, cap, "<85>1 %s %s %s %ld %s [origin software=\"jumpbox\" swVersion=\"",
			 timestamp, host, app, pid, msgid);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	len = (size_t)n;
	if (auditrec_put_value(out, cap, &len, version))
		return -1;
	n = snprintf(out + len, cap - len, "\"][meta sequenceId=\"%llu\"][" AUDITREC_SDID " prev=\"%s\"",
		     (unsigned long long)seq, prevhex);
	if (n < 0 || (size_t)n >= cap - len)
		return -1;
	len += (size_t)n;
	for (; kv[0] && kv[1]; kv += 2) {
		size_t kl = strlen(kv[0]);
		if (len + kl + 4 >= cap)
			return -1;
		out[len++] = ' ';
		memcpy(out + len, kv[0], kl);
		len += kl;
		out[len++] = '=';
		out[len++] = '"';
		if (auditrec_put_value(out, cap, &len, kv[1]) || len + 3 >= cap)
			return -1;
		out[len++] = '"';
	}
	if (len + 2 >= cap)
		return -1;
	out[len++] = ']';
	out[len] = 0;
	return (int)len;
}

/* ---- parser ---- */

struct cursor {
	const char *p, *end;
};

static int token(struct cursor *c, const char **s, size_t *n)
{
	const char *start = c->p;
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*s = start;
	*n = (size_t)(c->p - start);
	if (*n == 0 || c->p >= c->end)
		return -1;
	c->p++; /* the space */
	return 0;
}

static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 32 || (unsigned char)s[i] >= 127)
			return 0;
	return 1;
}

/* what a PARAM-VALUE means to the caller: called with the element's id,
 * the name and the value unescaped (NUL-terminated; *truncated if it did
 * not fit the parser's buffer). Returns 0, or -1 to refuse the record. */
typedef int (*param_fn)(void *ctx, const char *id, const char *name, size_t nn, const char *val,
			size_t vl, int truncated);

/* [ID name="value" ...]: id into id (idcap), each parameter to on_param */
static int sd_element(struct cursor *c, char *id, size_t idcap, param_fn on_param, void *ctx)
{
	if (c->p >= c->end || *c->p != '[')
		return -1;
	c->p++;
	const char *s = c->p;
	while (c->p < c->end && *c->p != ' ' && *c->p != ']' && *c->p != '=' && *c->p != '"')
		c->p++;
	size_t n = (size_t)(c->p - s);
	if (n == 0 || n >= idcap || n > 32 || !printable(s, n))
		return -1;
	memcpy(id, s, n);
	id[n] = 0;
	while (c->p < c->end && *c->p == ' ') {
		c->p++;
		const char *name = c->p;
		while (c->p < c->end && *c->p != '=' && *c->p != ' ' && *c->p != ']' && *c->p != '"')
			c->p++;
		size_t nn = (size_t)(c->p - name);
		if (nn == 0 || nn > 32 || !printable(name, nn) || c->end - c->p < 2 || c->p[0] != '=' || c->p[1] != '"')
			return -1;
		c->p += 2;
		char val[AUDITREC_MAX + 1]; /* a value is never longer than its record */
		size_t vl = 0;
		int truncated = 0;
		while (c->p < c->end && *c->p != '"') {
			char ch = *c->p++;
			if (ch == '\\' && c->p < c->end && (*c->p == '"' || *c->p == '\\' || *c->p == ']'))
				ch = *c->p++;
			else if (ch == ']')
				return -1; /* must be escaped inside a value */
			if (vl + 1 < sizeof val)
				val[vl++] = ch;
			else
				truncated = 1;
		}
		if (c->p >= c->end)
			return -1;
		c->p++; /* closing quote */
		val[vl] = 0;
		if (on_param(ctx, id, name, nn, val, vl, truncated))
			return -1;
	}
	if (c->p >= c->end || *c->p != ']')
		return -1;
	c->p++;
	return 0;
}

struct header_ctx {
	struct auditrec_info *info;
	int fields;
};

/* the three values every record must carry, checked strictly */
static int header_param(void *ctx, const char *id, const char *name, size_t nn, const char *val, size_t vl,
			int truncated)
{
	struct header_ctx *h = ctx;
	struct auditrec_info *info = h->info;
	if (!strcmp(id, "meta") && nn == 10 && !memcmp(name, "sequenceId", 10)) {
		uint64_t v = 0;
		if (truncated || vl == 0 || vl > 19 || val[0] == '0')
			return -1;
		for (size_t i = 0; i < vl; i++) {
			if (val[i] < '0' || val[i] > '9')
				return -1;
			v = v * 10 + (uint64_t)(val[i] - '0');
		}
		info->seq = v;
		h->fields |= 1;
	} else if (!strcmp(id, AUDITREC_SDID) && nn == 4 && !memcmp(name, "prev", 4)) {
		if (vl != 64 || hex_decode(val, info->prev, 32))
			return -1;
		h->fields |= 2;
	} else if (!strcmp(id, AUDITREC_SDID) && nn == 3 && !memcmp(name, "sig", 3)) {
		if (truncated || vl != 128 || hex_decode(val, info->sig, sizeof info->sig))
			return -1;
		info->has_sig = 1;
	}
	return 0;
}

/* the header up to the structured data: fills host, app and msgid */
static int header(struct cursor *c, struct auditrec_info *info)
{
	const char *s;
	size_t n;
	/* <PRI>1 */
	if (token(c, &s, &n) || n < 5 || s[0] != '<' || s[n - 2] != '>' || s[n - 1] != '1')
		return -1;
	for (size_t i = 1; i < n - 2; i++)
		if (s[i] < '0' || s[i] > '9' || n - 3 > 3)
			return -1;
	for (int f = 0; f < 5; f++) { /* TIMESTAMP HOSTNAME APP-NAME PROCID MSGID */
		if (token(c, &s, &n) || !printable(s, n) || n > 255)
			return -1;
		if (f == 1) {
			memcpy(info->host, s, n);
			info->host[n] = 0;
		}
		if (f == 2) {
			if (n >= sizeof info->app) /* RFC 5424: 48 at most */
				return -1;
			memcpy(info->app, s, n);
			info->app[n] = 0;
		}
		if (f == 4) {
			if (n > 32)
				return -1;
			memcpy(info->msgid, s, n);
			info->msgid[n] = 0;
		}
	}
	return 0;
}

int auditrec_parse(const char *line, size_t len, struct auditrec_info *info)
{
	struct cursor c = { line, line + len };
	char id[40];
	memset(info, 0, sizeof *info);
	struct header_ctx h = { info, 0 };
	if (len == 0 || len > AUDITREC_MAX || memchr(line, '\n', len) || memchr(line, 0, len))
		return -1;
	if (header(&c, info))
		return -1;
	static const char *const want[] = { "origin", "meta", AUDITREC_SDID };
	for (int e = 0; c.p < c.end && *c.p == '['; e++) {
		if (sd_element(&c, id, sizeof id, header_param, &h))
			return -1;
		if (e < 3 && strcmp(id, want[e]) != 0)
			return -1;
	}
	if (h.fields != 3 || info->seq == 0)
		return -1;
	/* optional " MSG" */
	if (c.p < c.end && *c.p != ' ')
		return -1;
	return 0;
}

struct find_ctx {
	const char *name;
	char *out;
	size_t cap;
	int found;                /* 1 found, -2 too long for out */
};

static int find_param(void *ctx, const char *id, const char *name, size_t nn, const char *val, size_t vl,
		      int truncated)
{
	struct find_ctx *f = ctx;
	if (strcmp(id, AUDITREC_SDID) != 0 || strlen(f->name) != nn || memcmp(name, f->name, nn) != 0)
		return 0;
	if (f->found)
		return -1; /* a name twice: which one counts would be the reader's guess */
	if (truncated || vl >= f->cap) {
		f->found = -2;
		return 0;
	}
	memcpy(f->out, val, vl + 1);
	f->found = 1;
	return 0;
}

int auditrec_param(const char *line, size_t len, const char *name, char *out, size_t cap)
{
	struct auditrec_info info;
	struct cursor c = { line, line + len };
	struct find_ctx f = { name, out, cap, 0 };
	char id[40];
	if (auditrec_parse(line, len, &info) || header(&c, &info))
		return -1;
	while (c.p < c.end && *c.p == '[')
		if (sd_element(&c, id, sizeof id, find_param, &f))
			return -1;
	if (f.found == 1)
		return (int)strlen(out);
	return f.found == -2 ? -2 : -1;
}
