/* unit tests for jb-kbdint.c: the RFC 4256 INFO_REQUEST bytes, its cap
 * handling, and the strict INFO_RESPONSE parser. */
#include "jb-kbdint.h"
#include "../common/unittest.h"
#include <stdint.h>
#include <string.h>

#define ANS_CAP (JB_KBDINT_MAX_ANSWER + 1)

static void test_build_request(void)
{
	static const unsigned char want[] = {
		0, 0, 0, 0,                     /* name "" */
		0, 0, 0, 0,                     /* instruction "" */
		0, 0, 0, 0,                     /* language tag "" */
		0, 0, 0, 1,                     /* num-prompts */
		0, 0, 0, 6, 'C', 'o', 'd', 'e', ':', ' ',
		0,                              /* echo false */
	};
	unsigned char out[64];
	memset(out, 0xaa, sizeof out);
	CHECK(jb_kbdint_build_request(out, sizeof out, "", "", "Code: ", 0) == sizeof want);
	CHECK(!memcmp(out, want, sizeof want));
	CHECK(out[sizeof want] == 0xaa);
	/* echo is a boolean: any non-zero is 1 */
	CHECK(jb_kbdint_build_request(out, sizeof out, "", "", "Code: ", 7) == sizeof want);
	CHECK(out[sizeof want - 1] == 1);
	/* with name and instruction */
	static const unsigned char want2[] = {
		0, 0, 0, 2, 'j', 'b',
		0, 0, 0, 1, 'i',
		0, 0, 0, 0,
		0, 0, 0, 1,
		0, 0, 0, 1, 'P',
		1,
	};
	CHECK(jb_kbdint_build_request(out, sizeof out, "jb", "i", "P", 1) == sizeof want2);
	CHECK(!memcmp(out, want2, sizeof want2));
}

static void test_build_request_small_cap(void)
{
	const size_t need = 27;
	unsigned char out[64];
	for (size_t cap = 0; cap < need; cap++) {
		memset(out, 0xaa, sizeof out);
		if (jb_kbdint_build_request(out, cap, "", "", "Code: ", 0) != 0) {
			printf("  cap %zu accepted\n", cap);
			CHECK(0);
		}
		for (size_t i = cap; i < sizeof out; i++)
			CHECK(out[i] == 0xaa);  /* nothing written past cap */
	}
	CHECK(jb_kbdint_build_request(out, need, "", "", "Code: ", 0) == need);
	/* a longer prompt, every cap below its size */
	const char *prompt = "Verification code (6 digits): ";
	const size_t need2 = 21 + strlen("name") + strlen("instr") + strlen(prompt);
	for (size_t cap = 0; cap < need2; cap++)
		CHECK(jb_kbdint_build_request(out, cap, "name", "instr", prompt, 0) == 0);
	CHECK(jb_kbdint_build_request(out, need2, "name", "instr", prompt, 0) == need2);
}

/* writes one INFO_RESPONSE body: uint32 n, then min(n, 2) strings with s */
static size_t response(unsigned char *out, uint32_t n, const char *s, size_t slen)
{
	size_t p = 0;
	out[p++] = (unsigned char)(n >> 24);
	out[p++] = (unsigned char)(n >> 16);
	out[p++] = (unsigned char)(n >> 8);
	out[p++] = (unsigned char)n;
	for (uint32_t i = 0; i < n && i < 2; i++) {
		out[p++] = (unsigned char)(slen >> 24);
		out[p++] = (unsigned char)(slen >> 16);
		out[p++] = (unsigned char)(slen >> 8);
		out[p++] = (unsigned char)slen;
		memcpy(out + p, s, slen);
		p += slen;
	}
	return p;
}

static int parse(const unsigned char *in, size_t len, char *ans, size_t cap)
{
	memset(ans, 'X', cap);
	return jb_kbdint_parse_response(in, len, ans, cap);
}

static void test_parse_valid(void)
{
	unsigned char in[256];
	char ans[ANS_CAP + 8];
	size_t n = response(in, 1, "123456", 6);
	CHECK(n == 14);
	CHECK(parse(in, n, ans, ANS_CAP) == 0 && !strcmp(ans, "123456"));
	n = response(in, 1, "", 0);
	CHECK(parse(in, n, ans, ANS_CAP) == 0 && !strcmp(ans, ""));
	/* UTF-8 passes; 64 bytes is the most */
	n = response(in, 1, "\xc3\xa9t\xc3\xa9", 5);
	CHECK(parse(in, n, ans, ANS_CAP) == 0 && !strcmp(ans, "\xc3\xa9t\xc3\xa9"));
	char max[JB_KBDINT_MAX_ANSWER + 1];
	memset(max, '7', JB_KBDINT_MAX_ANSWER);
	max[JB_KBDINT_MAX_ANSWER] = 0;
	n = response(in, 1, max, JB_KBDINT_MAX_ANSWER);
	CHECK(parse(in, n, ans, ANS_CAP) == 0 && !strcmp(ans, max));
	CHECK(parse(in, n, ans, sizeof ans) == 0 && !strcmp(ans, max));
}

static void check_refused(const unsigned char *in, size_t len, const char *what)
{
	char ans[ANS_CAP];
	if (parse(in, len, ans, sizeof ans) != -1 || ans[0] != 0) {
		printf("  %s: accepted or answer not emptied\n", what);
		CHECK(0);
	}
}

static void test_parse_refusals(void)
{
	unsigned char in[512];
	size_t n;
	char long_ans[JB_KBDINT_MAX_ANSWER + 1];

	n = response(in, 0, "", 0);
	check_refused(in, n, "0 responses");
	n = response(in, 2, "123456", 6);
	check_refused(in, n, "2 responses");
	n = response(in, 0xffffffff, "", 0);
	check_refused(in, n, "2^32-1 responses");
	/* length beyond the buffer */
	n = response(in, 1, "123456", 6);
	in[7] = 7;
	check_refused(in, n, "length 7 of 6 bytes");
	in[4] = 0xff;
	check_refused(in, n, "huge length");
	/* trailing bytes */
	n = response(in, 1, "123456", 6);
	in[n++] = 0;
	check_refused(in, n, "one trailing byte");
	in[7] = 5;
	check_refused(in, n - 1, "length 5 of 6 bytes");
	/* answer of 65 bytes */
	memset(long_ans, '1', sizeof long_ans);
	n = response(in, 1, long_ans, JB_KBDINT_MAX_ANSWER + 1);
	check_refused(in, n, "65-byte answer");
	/* NUL and control bytes */
	n = response(in, 1, "123\0" "56", 6);
	check_refused(in, n, "embedded NUL");
	n = response(in, 1, "123\n56", 6);
	check_refused(in, n, "embedded newline");
	n = response(in, 1, "\x1b[2J", 4);
	check_refused(in, n, "escape byte");
	n = response(in, 1, "12345\x7f", 6);
	check_refused(in, n, "DEL");
	n = response(in, 1, "\t", 1);
	check_refused(in, n, "tab");
	/* truncated headers: every prefix of a valid message */
	n = response(in, 1, "123456", 6);
	for (size_t len = 0; len < n; len++)
		check_refused(in, len, "truncated");
}

static void test_parse_cap(void)
{
	unsigned char in[64];
	char ans[ANS_CAP];
	size_t n = response(in, 1, "12", 2);
	for (size_t cap = 1; cap <= JB_KBDINT_MAX_ANSWER; cap++) {
		memset(ans, 'X', sizeof ans);
		CHECK(jb_kbdint_parse_response(in, n, ans, cap) == -1);
		CHECK(ans[0] == 0);
	}
	/* cap 0: refused, nothing written */
	memset(ans, 'X', sizeof ans);
	CHECK(jb_kbdint_parse_response(in, n, ans, 0) == -1 && ans[0] == 'X');
	CHECK(jb_kbdint_parse_response(in, n, ans, ANS_CAP) == 0 && !strcmp(ans, "12"));
}

int main(void)
{
	RUN(test_build_request);
	RUN(test_build_request_small_cap);
	RUN(test_parse_valid);
	RUN(test_parse_refusals);
	RUN(test_parse_cap);
	UT_END();
}
