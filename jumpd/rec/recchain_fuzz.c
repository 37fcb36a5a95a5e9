/* libFuzzer harness: the REC_DATA parser (what jumpctl rec-export reads
 * from a collector's file, and recspool_last from the spool). What parses
 * must be in range (a session id, at most RECCHAIN_CHUNK_MAX bytes, never
 * past the caller's buffer) and mean one thing: formatted again with the
 * parsed values it parses back to exactly them. */
#include "recchain.h"
#include "../common/auditrec.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static uint8_t raw[RECCHAIN_CHUNK_MAX], raw2[RECCHAIN_CHUNK_MAX];
	static char line[AUDITREC_MAX + 1];
	char session[17], session2[17];
	uint8_t chain[32], chain2[32], prev[32] = { 0 };
	uint64_t chunk, chunk2;
	size_t len, len2;
	/* a small buffer first: the parser must respect rawcap */
	if (recchain_parse((const char *)data, size, session, &chunk, chain, raw, 16, &len) == 0 && len > 16)
		abort();
	if (recchain_parse((const char *)data, size, session, &chunk, chain, raw, sizeof raw, &len))
		return 0;
	if (!recchain_session_ok(session) || len == 0 || len > RECCHAIN_CHUNK_MAX || chunk >= (uint64_t)1 << 63)
		abort();
	struct recchain after;
	recchain_init(&after, session);
	memcpy(after.chain, chain, 32);
	after.next_chunk = chunk + 1;
	int n = recchain_format(line, sizeof line, "2026-12-02T00:00:00.000Z", "bastion", "0.1", 1, 1, prev, &after,
				chunk, raw, len);
	if (n < 0)
		abort();
	if (recchain_parse(line, (size_t)n, session2, &chunk2, chain2, raw2, sizeof raw2, &len2) ||
	    strcmp(session, session2) != 0 || chunk != chunk2 || memcmp(chain, chain2, 32) != 0 || len != len2 ||
	    memcmp(raw, raw2, len) != 0)
		abort();
	return 0;
}
