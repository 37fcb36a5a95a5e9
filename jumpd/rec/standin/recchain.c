/* STAND-IN for jumpd/rec/recchain.c (trail branch): see recchain.h. */
#include "recchain.h"
#include "../../common/auditrec.h"
#include "../../common/hex.h"

#include <bearssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void recchain_init(struct recchain *rc, const char session[17])
{
	br_sha256_context h;
	memset(rc, 0, sizeof *rc);
	memcpy(rc->session, session, 16);
	br_sha256_init(&h);
	br_sha256_update(&h, "jumpbox-rec-1", 13);
	br_sha256_update(&h, session, strlen(session));
	br_sha256_out(&h, rc->chain);
}

void recchain_step(struct recchain *rc, const uint8_t *raw, size_t len)
{
	br_sha256_context h;
	uint8_t be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(rc->next_chunk >> (56 - 8 * i));
	br_sha256_init(&h);
	br_sha256_update(&h, rc->chain, 32);
	br_sha256_update(&h, be, 8);
	br_sha256_update(&h, raw, len);
	br_sha256_out(&h, rc->chain);
	rc->next_chunk++;
	rc->bytes += len;
}

static void b64(const uint8_t *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[o] = 0;
}

int recchain_format(char *out, size_t cap, const char *ts, const char *host, long pid,
		    uint64_t seq, const uint8_t prev[32], const struct recchain *after,
		    uint64_t chunk, const uint8_t *raw, size_t len)
{
	static char data[3300];
	char chunks[24], chain[65];
	if (len > 2400)
		return -1;
	b64(raw, len, data);
	snprintf(chunks, sizeof chunks, "%llu", (unsigned long long)chunk);
	hex_encode(after->chain, 32, chain);
	chain[64] = 0;
	const char *kv[] = { "session", after->session, "chunk", chunks, "chain", chain, "data", data, NULL };
	return auditrec_format(out, cap, ts, host, "standin", pid, "REC_DATA", seq, prev, kv);
}

static int field(const char *line, size_t len, const char *key, char *out, size_t cap)
{
	char pat[24];
	snprintf(pat, sizeof pat, " %s=\"", key);
	const char *p = memmem(line, len, pat, strlen(pat));
	if (!p)
		return -1;
	p += strlen(pat);
	size_t n = 0;
	while (p + n < line + len && p[n] != '"' && n + 1 < cap)
		n++;
	memcpy(out, p, n);
	out[n] = 0;
	return 0;
}

/* the stand-in parses what recovery needs (session, chunk, chain), not data */
int recchain_parse(const char *line, size_t len, char session[17], uint64_t *chunk,
		   uint8_t chain[32], uint8_t *raw, size_t rawcap, size_t *rawlen)
{
	char v[72];
	(void)raw, (void)rawcap;
	if (!memmem(line, len, " REC_DATA ", 10) || field(line, len, "session", v, sizeof v) || strlen(v) != 16)
		return -1;
	memcpy(session, v, 17);
	if (field(line, len, "chunk", v, sizeof v))
		return -1;
	*chunk = strtoull(v, NULL, 10);
	if (field(line, len, "chain", v, sizeof v) || strlen(v) != 64 || hex_decode(v, chain, 32))
		return -1;
	*rawlen = 0;
	return 0;
}
