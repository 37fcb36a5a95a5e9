/* libFuzzer harness for the hook line protocol: a line that parses must
 * format back (canonically, within HOOK_MAX_LINE) and re-parse to the same
 * message; every decoded value is valid UTF-8 with no C0/C1 controls (judged
 * by the C library's decoder, utf8_oracle.h); hook_add takes a value exactly
 * when it is such text of at most HOOK_MAX_VALUE bytes, and what it takes
 * survives a round trip. */
#include "hookproto.h"
#include "utf8_oracle.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hook_msg a, b, c;
	static char out[4 * HOOK_MAX_LINE];
	static char val[HOOK_MAX_VALUE + 2];
	int n;

	if (hook_parse((const char *)data, size, &a) == 0) {
		if (size > HOOK_MAX_LINE || a.nfields > HOOK_MAX_FIELDS)
			__builtin_trap();
		n = hook_format(&a, out, sizeof out);
		/* canonical form is never longer than what was accepted */
		if (n < 0 || (size_t)n > size || strlen(out) != (size_t)n)
			__builtin_trap();
		if (hook_parse(out, (size_t)n, &b) != 0 || memcmp(&a, &b, sizeof a) != 0)
			__builtin_trap();
		/* the same message built field by field formats identically */
		if (hook_init(&c, a.verb))
			__builtin_trap();
		for (unsigned i = 0; i < a.nfields; i++) {
			if (!utf8_oracle_safe(a.f[i].val, strlen(a.f[i].val)))
				__builtin_trap();
			if (hook_add(&c, a.f[i].key, a.f[i].val))
				__builtin_trap();
		}
		if (memcmp(&a, &c, sizeof a) != 0)
			__builtin_trap();
	}

	/* the input, up to its first NUL, as a value */
	size_t vn = strnlen((const char *)data, size < sizeof val - 1 ? size : sizeof val - 1);
	memcpy(val, data, vn);
	val[vn] = 0;
	if (hook_init(&c, "fuzz"))
		__builtin_trap();
	int takeable = vn <= HOOK_MAX_VALUE && utf8_oracle_safe(val, vn);
	if (hook_add(&c, "v", val) == 0) {
		n = hook_format(&c, out, sizeof out);
		if (!takeable || n < 0 || hook_parse(out, (size_t)n, &b) || b.nfields != 1 ||
		    strcmp(b.f[0].val, val) != 0)
			__builtin_trap();
	} else if (takeable) {
		__builtin_trap();
	}
	return 0;
}
