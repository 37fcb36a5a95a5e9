/* recchain: the recording trail's chunk chain, record format and strict
 * parser (see recchain.h). */
#include "recchain.h"
#include "../common/auditrec.h"
#include "../common/hex.h"
#include "../common/sha256x.h"

#include <stdio.h>
#include <string.h>

#define CHAIN_LABEL "jumpbox-rec-1"
#define B64_MAX ((size_t)4 * ((RECCHAIN_CHUNK_MAX + 2) / 3))

/* the 64 digits, then the padding character at [64] */
static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

int recchain_session_ok(const char *s)
{
	size_t i = 0;
	for (; i <= RECCHAIN_SESSION_LEN && s[i]; i++)
		if (hex_digit(s[i]) < 0)
			return 0;
	return i == RECCHAIN_SESSION_LEN;
}

void recchain_init(struct recchain *rc, const char session[17])
{
	struct sha256x c;
	memset(rc, 0, sizeof *rc);
	snprintf(rc->session, sizeof rc->session, "%s", session);
	sha256x_init(&c);
	sha256x_update(&c, CHAIN_LABEL, strlen(CHAIN_LABEL));
	sha256x_update(&c, rc->session, strlen(rc->session));
	sha256x_out(&c, rc->chain);
}

void recchain_step(struct recchain *rc, const uint8_t *raw, size_t len)
{
	struct sha256x c;
	uint8_t be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(rc->next_chunk >> (56 - 8 * i));
	sha256x_init(&c);
	sha256x_update(&c, rc->chain, sizeof rc->chain);
	sha256x_update(&c, be, sizeof be);
	sha256x_update(&c, raw, len);
	sha256x_out(&c, rc->chain);
	rc->next_chunk++;
	rc->bytes += len;
}

/* standard base64 with padding (RFC 4648 4); out has 4 * ceil(len / 3) + 1 bytes */
static void b64_encode(const uint8_t *in, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[i + 1 < len ? (v >> 6) & 63 : 64];
		out[o++] = b64_alphabet[i + 2 < len ? v & 63 : 64];
	}
	out[o] = 0;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* the one spelling b64_encode writes, and nothing else: length a multiple
 * of 4, padding only at the end, unused bits zero. Returns the decoded
 * length, or -1. */
static long b64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t o = 0;
	if (len == 0 || len % 4)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int last = i + 4 == len;
		int pad = last ? (in[i + 3] == '=') + (in[i + 2] == '=') : 0;
		if (pad == 1 && in[i + 2] == '=')
			return -1; /* "x=y=" */
		int v[4];
		for (int k = 0; k < 4 - pad; k++)
			if ((v[k] = b64_value(in[i + k])) < 0)
				return -1;
		for (int k = 4 - pad; k < 4; k++)
			v[k] = 0;
		uint32_t q = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		size_t n = 3 - (size_t)pad;
		if ((pad == 2 && (q & 0xffff)) || (pad == 1 && (q & 0xff)))
			return -1; /* bits the padding says are unused */
		if (o + n > cap)
			return -1;
		out[o++] = (uint8_t)(q >> 16);
		if (n > 1)
			out[o++] = (uint8_t)(q >> 8);
		if (n > 2)
			out[o++] = (uint8_t)q;
	}
	return (long)o;
}

int recchain_format(char *out, size_t cap, const char *ts, const char *host, const char *version, long pid,
		    uint64_t seq, const uint8_t prev[32], const struct recchain *after, uint64_t chunk,
		    const uint8_t *raw, size_t len)
{
	char data[B64_MAX + 1], chain[65], num[24];
	if (len == 0 || len > RECCHAIN_CHUNK_MAX || after->next_chunk != chunk + 1 ||
	    !recchain_session_ok(after->session))
		return -1;
	b64_encode(raw, len, data);
	hex_encode(after->chain, sizeof after->chain, chain);
	snprintf(num, sizeof num, "%llu", (unsigned long long)chunk);
	const char *kv[] = { "session", after->session, "chunk", num, "chain", chain, "data", data, NULL };
	return auditrec_format_app(out, cap, ts, host, RECCHAIN_APP, version, pid, RECCHAIN_MSGID, seq, prev, kv);
}

static int parse_chunk(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = strlen(s);
	if (n == 0 || n > 18 || (s[0] == '0' && n > 1)) /* 18 digits: below 2^63 */
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int recchain_parse(const char *line, size_t len, char session[17], uint64_t *chunk, uint8_t chain[32],
		   uint8_t *raw, size_t rawcap, size_t *rawlen)
{
	struct auditrec_info info;
	char v[B64_MAX + 2];
	if (auditrec_parse(line, len, &info) || strcmp(info.app, RECCHAIN_APP) != 0 ||
	    strcmp(info.msgid, RECCHAIN_MSGID) != 0)
		return -1;
	if (auditrec_param(line, len, "session", v, sizeof v) != RECCHAIN_SESSION_LEN || !recchain_session_ok(v))
		return -1;
	memcpy(session, v, RECCHAIN_SESSION_LEN + 1);
	if (auditrec_param(line, len, "chunk", v, sizeof v) < 0 || parse_chunk(v, chunk))
		return -1;
	if (auditrec_param(line, len, "chain", v, sizeof v) != 64 || hex_decode(v, chain, 32))
		return -1;
	int n = auditrec_param(line, len, "data", v, sizeof v);
	if (n <= 0 || (size_t)n > B64_MAX)
		return -1;
	long d = b64_decode(v, (size_t)n, raw, rawcap < RECCHAIN_CHUNK_MAX ? rawcap : RECCHAIN_CHUNK_MAX);
	if (d <= 0)
		return -1;
	*rawlen = (size_t)d;
	return 0;
}
