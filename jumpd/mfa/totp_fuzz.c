/* libFuzzer harness for base32 decoding and TOTP answer checking. */
#include "base32.h"
#include "totp.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAXIN 8192	/* tests/fuzz.sh runs with -max_len=8192 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[MAXIN + 1];
	static uint8_t bin[MAXIN];
	static const uint8_t fixed[20] = "12345678901234567890";
	const uint8_t *key = fixed;
	size_t keylen = sizeof fixed;
	uint64_t now = 1111111111, m;
	char code[9], uri[128];
	int n, len;

	if (size > MAXIN)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;

	/* a short cap exercises the overflow path on longer secrets */
	if (base32_decode(text, bin, TOTP_MAX_SECRET) > TOTP_MAX_SECRET)
		__builtin_trap();
	n = base32_decode(text, bin, sizeof bin);
	if (n == 0 || n > (int)sizeof bin)
		__builtin_trap();
	if (n > 0) {
		static char enc[BASE32_ENCLEN(MAXIN) + 1];
		static uint8_t again[MAXIN];
		len = base32_encode(bin, (size_t)n, enc, sizeof enc);
		if (len != (int)BASE32_ENCLEN((size_t)n) || strlen(enc) != (size_t)len)
			__builtin_trap();
		if (base32_encode(bin, (size_t)n, enc, (size_t)len) != -1)
			__builtin_trap();
		base32_encode(bin, (size_t)n, enc, sizeof enc);
		if (base32_decode(enc, again, sizeof again) != n || memcmp(bin, again, (size_t)n) != 0)
			__builtin_trap();
		key = bin;
		keylen = (size_t)n;
	}

	/* the input as an answer: a match must be 6 digits and in the window */
	if (size >= 8) {
		memcpy(&now, data, sizeof now);
		/* far from wrapping, and past step 0, which never beats
		 * last_used_step 0 by contract */
		now = TOTP_STEP + (now & 0xffffffffffULL);
	}
	m = 0;
	if (totp_check(TOTP_SHA1, key, keylen, 6, now, text, 0, &m)) {
		if (strlen(text) != 6 || strspn(text, "0123456789") != 6)
			__builtin_trap();
		if (m + 1 < now / TOTP_STEP || m > now / TOTP_STEP + 1)
			__builtin_trap();
	}
	/* and the right answer is always accepted, once */
	totp_format(hotp(TOTP_SHA256, key, keylen, now / TOTP_STEP, 8), 8, code);
	if (totp_check(TOTP_SHA256, key, keylen, 8, now, code, 0, &m) != 1)
		__builtin_trap();
	if (totp_check(TOTP_SHA256, key, keylen, 8, now, code, now / TOTP_STEP + 1, &m) != 0)
		__builtin_trap();

	/* the input as an account name in a deliberately small buffer */
	len = totp_uri(uri, sizeof uri, "jumpbox", text, "JBSWY3DP", TOTP_SHA1, 6);
	if (len != -1 && (len >= (int)sizeof uri || strlen(uri) != (size_t)len))
		__builtin_trap();
	return 0;
}
