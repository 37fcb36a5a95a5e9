/* libFuzzer harness for the cursor file parser: whatever a damaged state
 * volume holds, parsing never overruns, and what it accepts formats back
 * to the same bytes. */
#include "cursor.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c;
	if (cursor_parse((const char *)data, size, &c) == 0) {
		char out[256];
		int n = cursor_format(&c, out, sizeof out);
		if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
			__builtin_trap();
	}
	return 0;
}
