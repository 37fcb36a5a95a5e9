/* libFuzzer harness: the audit record parser (what the verifier reads from
 * a collector's file and the spool recovery reads from disk). A record that
 * parses must hash, and its sequenceId must be positive. */
#include "auditrec.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct auditrec_info info;
	if (auditrec_parse((const char *)data, size, &info) == 0) {
		uint8_t h[32];
		if (info.seq == 0)
			abort();
		auditrec_hash((const char *)data, size, h);
	}
	return 0;
}
