/* libFuzzer harness for the keyboard-interactive codec: INFO_RESPONSE
 * parsing on arbitrary bytes (an accepted answer is short and clean, a
 * refused one leaves ""), and INFO_REQUEST building with the input as the
 * prompt under every kind of cap. */
#include "jb-kbdint.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAXIN 8192	/* tests/fuzz.sh runs with -max_len=8192 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char answer[JB_KBDINT_MAX_ANSWER + 1];
	static char prompt[MAXIN + 1];
	static unsigned char req[MAXIN + 64];

	memset(answer, 'X', sizeof answer);
	if (jb_kbdint_parse_response(data, size, answer, sizeof answer) == 0) {
		size_t n = strlen(answer);
		if (n > JB_KBDINT_MAX_ANSWER || size != 8 + n || memcmp(answer, data + 8, n) != 0)
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)answer[i] < 0x20 || answer[i] == 0x7f)
				__builtin_trap();
	} else if (answer[0] != 0) {
		__builtin_trap();
	}

	if (size > MAXIN)
		return 0;
	memcpy(prompt, data, size);
	prompt[size] = 0;
	size_t plen = strlen(prompt), need = 21 + plen;
	size_t cap = size ? ((size_t)data[0] * 37u + size) % (need + 8) : need;
	size_t got = jb_kbdint_build_request(req, cap, "", "", prompt, (int)(size & 1));
	if (cap < need ? got != 0 : got != need)
		__builtin_trap();
	if (got) {
		size_t declared = (size_t)req[16] << 24 | (size_t)req[17] << 16 | (size_t)req[18] << 8 | req[19];
		if (declared != plen || memcmp(req + 20, prompt, plen) != 0 || req[need - 1] != (size & 1))
			__builtin_trap();
	}
	return 0;
}
