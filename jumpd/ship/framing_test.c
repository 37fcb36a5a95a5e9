/* unit tests for framing.c (RFC 5425 octet-counting) */
#include "framing.h"
#include "../common/unittest.h"

#include <string.h>

static void test_encode(void)
{
	char out[64], hdr[FRAMING_HEADER_MAX];
	CHECK(framing_encode(out, sizeof out, "hello", 5) == 7 && !memcmp(out, "5 hello", 7));
	CHECK(framing_header(hdr, 4096) == 5 && !memcmp(hdr, "4096 ", 5));
	CHECK(framing_header(hdr, 0) == 0);                   /* no empty message */
	CHECK(framing_header(hdr, 1000000000) == 0);
	CHECK(framing_header(hdr, 999999999) == 10);
	CHECK(framing_encode(out, 6, "hello", 5) == 0);       /* does not fit */
}

static void test_decode_split_anywhere(void)
{
	static const char stream[] = "5 hello11 hello world3 a b";
	static const char *const want[] = { "hello", "hello world", "a b" };
	for (size_t piece = 1; piece <= sizeof stream; piece++) {
		char buf[32];
		struct framing_decoder d;
		size_t pos = 0, len = sizeof stream - 1;
		int got = 0, bad = 0;
		framing_decoder_init(&d, buf, sizeof buf);
		while (pos < len) {
			size_t n = len - pos < piece ? len - pos : piece, used;
			int rc = framing_decode(&d, stream + pos, n, &used);
			if (rc < 0 || used > n) {
				bad = 1;
				break;
			}
			pos += used;
			if (rc == 1) {
				if (got >= 3 || d.have != strlen(want[got]) || memcmp(buf, want[got], d.have) != 0)
					bad = 1;
				got++;
			}
		}
		CHECK(!bad && got == 3);
	}
}

static void test_decode_errors(void)
{
	static const char *const bad[] = { "05 hello", "x hello", " 5 hello", "5x hello", "1234567890 x", "40 toolong" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[32];
		struct framing_decoder d;
		size_t used;
		framing_decoder_init(&d, buf, sizeof buf);
		CHECK(framing_decode(&d, bad[i], strlen(bad[i]), &used) == -1);
	}
}

int main(void)
{
	RUN(test_encode);
	RUN(test_decode_split_anywhere);
	RUN(test_decode_errors);
	UT_END();
}
