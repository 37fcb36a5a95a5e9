/* unit tests for recchain.c: the chain values (against an independent
 * computation), a record round trip, and the parser's refusals (each with
 * its positive control: the same line unchanged parses). */
#include "recchain.h"
#include "../common/auditrec.h"
#include "../common/hex.h"
#include "../common/unittest.h"

#include <bearssl.h>
#include <string.h>

static const char SESSION[] = "00112233aabbccdd";
static const uint8_t ZERO[32];

static void sha(const void *a, size_t an, const void *b, size_t bn, const void *c, size_t cn, uint8_t out[32])
{
	br_sha256_context x;
	br_sha256_init(&x);
	br_sha256_update(&x, a, an);
	br_sha256_update(&x, b, bn);
	br_sha256_update(&x, c, cn);
	br_sha256_out(&x, out);
}

static void test_chain_values_as_specified(void)
{
	struct recchain rc;
	uint8_t want[32];
	recchain_init(&rc, SESSION);
	sha("jumpbox-rec-1", 13, SESSION, 16, "", 0, want);
	CHECK(memcmp(rc.chain, want, 32) == 0 && rc.next_chunk == 0 && rc.bytes == 0);
	const uint8_t be0[8] = { 0 }, be1[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	recchain_step(&rc, (const uint8_t *)"abc", 3);
	uint8_t c0[32];
	sha(want, 32, be0, 8, "abc", 3, c0);
	CHECK(memcmp(rc.chain, c0, 32) == 0 && rc.next_chunk == 1 && rc.bytes == 3);
	recchain_step(&rc, (const uint8_t *)"de", 2);
	sha(c0, 32, be1, 8, "de", 2, want);
	CHECK(memcmp(rc.chain, want, 32) == 0 && rc.next_chunk == 2 && rc.bytes == 5);
}

static void test_session_ids(void)
{
	CHECK(recchain_session_ok(SESSION));
	CHECK(!recchain_session_ok("00112233AABBCCDD"));
	CHECK(!recchain_session_ok("00112233aabbccd"));
	CHECK(!recchain_session_ok("00112233aabbccdd0"));
	CHECK(!recchain_session_ok(""));
}

static char line[AUDITREC_MAX + 1];

static int make(const uint8_t *raw, size_t len)
{
	struct recchain rc;
	recchain_init(&rc, SESSION);
	recchain_step(&rc, raw, len);
	return recchain_format(line, sizeof line, "2026-12-02T03:00:00.000Z", "bastion", "0.1", 42, 7, ZERO, &rc,
			       0, raw, len);
}

static void test_round_trip_all_lengths_and_bytes(void)
{
	static uint8_t raw[RECCHAIN_CHUNK_MAX], back[RECCHAIN_CHUNK_MAX];
	for (size_t i = 0; i < sizeof raw; i++)
		raw[i] = (uint8_t)(i * 7 + 3);
	size_t lens[] = { 1, 2, 3, 4, 5, 100, RECCHAIN_CHUNK_MAX - 1, RECCHAIN_CHUNK_MAX };
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		int n = make(raw, lens[k]);
		CHECK(n > 0 && n <= AUDITREC_MAX);
		char sess[17];
		uint64_t chunk = 99;
		uint8_t chain[32];
		size_t got = 0;
		CHECK(recchain_parse(line, (size_t)n, sess, &chunk, chain, back, sizeof back, &got) == 0);
		CHECK(!strcmp(sess, SESSION) && chunk == 0 && got == lens[k] && !memcmp(back, raw, got));
		struct recchain rc;
		recchain_init(&rc, SESSION);
		recchain_step(&rc, raw, lens[k]);
		CHECK(!memcmp(chain, rc.chain, 32));
		struct auditrec_info info;
		CHECK(auditrec_parse(line, (size_t)n, &info) == 0 && !strcmp(info.app, "jumprec") &&
		      !strcmp(info.msgid, "REC_DATA") && info.seq == 7);
	}
}

static void test_format_refuses_bad_chunks(void)
{
	static uint8_t raw[RECCHAIN_CHUNK_MAX + 1];
	struct recchain rc;
	recchain_init(&rc, SESSION);
	recchain_step(&rc, raw, 1);
	CHECK(recchain_format(line, sizeof line, "T", "h", "v", 1, 1, ZERO, &rc, 0, raw, 1) > 0);
	CHECK(recchain_format(line, sizeof line, "T", "h", "v", 1, 1, ZERO, &rc, 0, raw, 0) == -1);
	CHECK(recchain_format(line, sizeof line, "T", "h", "v", 1, 1, ZERO, &rc, 0, raw, sizeof raw) == -1);
	CHECK(recchain_format(line, sizeof line, "T", "h", "v", 1, 1, ZERO, &rc, 1, raw, 1) == -1);
	CHECK(recchain_format(line, 100, "T", "h", "v", 1, 1, ZERO, &rc, 0, raw, 1) == -1);
}

/* the line with `from` replaced by `to` (first occurrence) still parses? */
static int parses_with(const char *from, const char *to)
{
	static char edited[AUDITREC_MAX + 64];
	static uint8_t back[RECCHAIN_CHUNK_MAX];
	char sess[17];
	uint64_t chunk;
	uint8_t chain[32];
	size_t got;
	const char *p = strstr(line, from);
	if (!p)
		return -99;
	size_t pre = (size_t)(p - line);
	snprintf(edited, sizeof edited, "%.*s%s%s", (int)pre, line, to, p + strlen(from));
	return recchain_parse(edited, strlen(edited), sess, &chunk, chain, back, sizeof back, &got);
}

static void test_parser_is_strict(void)
{
	int n = make((const uint8_t *)"hello", 5); /* data="aGVsbG8=" */
	CHECK(n > 0);
	CHECK(parses_with("chunk=", "chunk=") == 0); /* positive control */
	CHECK(parses_with(" jumprec ", " jumpd ") == -1);
	CHECK(parses_with("REC_DATA", "REC_DATB") == -1);
	CHECK(parses_with("chunk=\"0\"", "chunk=\"00\"") == -1);
	CHECK(parses_with("chunk=\"0\"", "chunk=\"-1\"") == -1);
	CHECK(parses_with("chunk=\"0\"", "chunk=\"9999999999999999999\"") == -1);
	CHECK(parses_with("chunk=\"0\"", "chunk=\"12\"") == 0);
	CHECK(parses_with("chunk=\"0\"", "chunk=\"\"") == -1);
	CHECK(parses_with("session=\"00112233aabbccdd\"", "session=\"00112233AABBCCDD\"") == -1);
	CHECK(parses_with("session=\"00112233aabbccdd\"", "session=\"00112233aabbcc\"") == -1);
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"aGVsbG9=\"") == -1);   /* unused bits set */
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"aGVsbG8\"") == -1);    /* no padding */
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"aGVs=G8=\"") == -1);   /* padding inside */
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"aGVsbA==\"") == 0);    /* "hel" + 1: other data parses */
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"\"") == -1);
	CHECK(parses_with("data=\"aGVsbG8=\"", "data=\"aGVs bG8=\"") == -1);
	CHECK(parses_with("chain=\"", "chain=\"0") == -1);
	CHECK(parses_with(" data=", " data=\"YQ==\" data=") == -1);           /* a name twice */
	CHECK(parses_with(" data=\"aGVsbG8=\"", "") == -1);
}

static void test_parser_caps_output(void)
{
	int n = make((const uint8_t *)"hello", 5);
	uint8_t small[5];
	char sess[17];
	uint64_t chunk;
	uint8_t chain[32];
	size_t got;
	CHECK(recchain_parse(line, (size_t)n, sess, &chunk, chain, small, 5, &got) == 0 && got == 5);
	CHECK(recchain_parse(line, (size_t)n, sess, &chunk, chain, small, 4, &got) == -1);
}

int main(void)
{
	RUN(test_chain_values_as_specified);
	RUN(test_session_ids);
	RUN(test_round_trip_all_lengths_and_bytes);
	RUN(test_format_refuses_bad_chunks);
	RUN(test_parser_is_strict);
	RUN(test_parser_caps_output);
	UT_END();
}
