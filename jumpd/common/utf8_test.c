/* unit tests for utf8.h: known safe and unsafe characters, and every
 * string of one to three bytes (and a sweep of four) against the C
 * library's decoder (utf8_oracle.h). */
#include "utf8.h"
#include "utf8_oracle.h"
#include "unittest.h"
#include <string.h>

static int safe(const char *s)
{
	return utf8_safe(s, strlen(s));
}

static void test_known(void)
{
	/* safe: ASCII text, accents, the euro sign, CJK, an emoji, U+00A0, U+10FFFF */
	CHECK(safe("db1.example:22 ~`!@#$%^&*()"));
	CHECK(safe("caf\xc3\xa9 \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80 \xc2\xa0 \xf4\x8f\xbf\xbf"));
	CHECK(safe("") && utf8_safe("x\0", 1));
	/* C0, DEL, NUL, C1 (U+0080, U+009B: CSI, U+009F) */
	CHECK(!safe("a\x1b[2J") && !safe("\t") && !safe("\x7f") && !utf8_safe("a\0", 2));
	CHECK(!safe("\xc2\x80") && !safe("\xc2\x9b") && !safe("\xc2\x9f"));
	/* bytes that are no character: lone continuation, lone lead, truncated, 0xff */
	CHECK(!safe("\x80") && !safe("\x9b") && !safe("\xc3") && !safe("\xe2\x82") && !safe("\xff"));
	/* overlong forms, surrogates, past U+10FFFF, 5-byte form */
	CHECK(!safe("\xc0\xaf") && !safe("\xc1\xbf") && !safe("\xe0\x80\xaf") && !safe("\xf0\x80\x80\xaf"));
	CHECK(!safe("\xed\xa0\x80") && !safe("\xed\xbf\xbf") && safe("\xed\x9f\xbf") && safe("\xee\x80\x80"));
	CHECK(!safe("\xf4\x90\x80\x80") && !safe("\xf5\x80\x80\x80") && !safe("\xf8\x88\x80\x80\x80"));
	/* utf8_safe_char: the length of the first character */
	CHECK(utf8_safe_char((const unsigned char *)"a", 1) == 1);
	CHECK(utf8_safe_char((const unsigned char *)"\xc3\xa9", 2) == 2);
	CHECK(utf8_safe_char((const unsigned char *)"\xe2\x82\xac", 3) == 3);
	CHECK(utf8_safe_char((const unsigned char *)"\xf0\x9f\x98\x80", 4) == 4);
	CHECK(utf8_safe_char((const unsigned char *)"\xf0\x9f\x98\x80", 3) == 0);
	CHECK(utf8_safe_char((const unsigned char *)"a", 0) == 0);
}

static void test_against_oracle(void)
{
	unsigned char s[4];
	unsigned long bad = 0;
	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		bad += utf8_safe((const char *)s, 1) != utf8_oracle_safe((const char *)s, 1);
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			bad += utf8_safe((const char *)s, 2) != utf8_oracle_safe((const char *)s, 2);
			if (a < 0xe0 || a > 0xf4)
				continue; /* past 2 bytes, only lead bytes of 3 and 4 need the sweep */
			for (unsigned c = 0; c < 256; c++) {
				s[2] = (unsigned char)c;
				bad += utf8_safe((const char *)s, 3) != utf8_oracle_safe((const char *)s, 3);
				if (a < 0xf0 || (c & 0x0f) != 0x0f)
					continue;
				for (unsigned d = 0x70; d < 0xd0; d += 0x0f) {
					s[3] = (unsigned char)d;
					bad += utf8_safe((const char *)s, 4) != utf8_oracle_safe((const char *)s, 4);
				}
			}
		}
	}
	if (bad)
		printf("  %lu strings judged otherwise than by the C library\n", bad);
	CHECK(bad == 0);
}

int main(void)
{
	RUN(test_known);
	RUN(test_against_oracle);
	UT_END();
}
