/* libFuzzer harness: the audit record parser (what the verifier reads from
 * a collector's file and the spool recovery reads from disk), and the
 * formatter fed with the input as values. A record that parses must hash,
 * and its sequenceId must be positive. A formatted record is valid UTF-8
 * with no C0/C1 controls (judged by the C library's decoder,
 * utf8_oracle.h) and parses; each value's escaping undoes to the value. */
#include "auditrec.h"
#include "hex.h"
#include "utf8_oracle.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* undoes auditrec_put_value's escapes in [s, s + n) into out; returns the length or -1 */
static long unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
		} else if (i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == ']')) {
			out[o++] = s[++i];
		} else {
			uint8_t b;
			if (i + 3 >= n || s[i + 1] != 'x' || hex_decode(s + i + 2, &b, 1))
				return -1;
			out[o++] = (char)b;
			i += 3;
		}
	}
	return (long)o;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char line[AUDITREC_MAX + 1], vals[AUDITREC_MAX + 1], back[AUDITREC_MAX + 1];
	static const uint8_t prev[32];
	struct auditrec_info info;
	if (auditrec_parse((const char *)data, size, &info) == 0) {
		uint8_t h[32];
		if (info.seq == 0)
			abort();
		auditrec_hash((const char *)data, size, h);
	}

	/* the input as values: up to 8, split at NUL bytes */
	size_t vn = size < AUDITREC_MAX ? size : AUDITREC_MAX;
	memcpy(vals, data, vn);
	vals[vn] = 0;
	const char *kv[2 * 8 + 2] = { 0 };
	static const char *const keys[] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	size_t off = 0;
	for (size_t i = 0; i < 8 && off <= vn; i++) {
		kv[2 * i] = keys[i];
		kv[2 * i + 1] = vals + off;
		size_t len = strlen(vals + off);
		/* one value alone: what it writes is safe text and undoes to the value */
		size_t out = 0;
		if (auditrec_put_value(line, sizeof line, &out, vals + off) == 0) {
			if (!utf8_oracle_safe(line, out) || unescape(line, out, back) != (long)len ||
			    memcmp(back, vals + off, len) != 0)
				abort();
		} else if (out > sizeof line - 2 || !utf8_oracle_safe(line, out)) {
			abort();
		}
		off += len + 1;
	}
	int n = auditrec_format(line, sizeof line, "2026-11-24T10:00:00.123Z", "bastion", "0.1.0", 1, "FUZZ", 7,
				prev, kv);
	if (n >= 0) {
		if ((size_t)n > AUDITREC_MAX || !utf8_oracle_safe(line, (size_t)n) ||
		    auditrec_parse(line, (size_t)n, &info) != 0 || info.seq != 7)
			abort();
	}
	return 0;
}
