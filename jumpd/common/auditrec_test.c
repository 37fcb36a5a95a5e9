/* unit tests for auditrec.c: values escaped so that a record is valid
 * UTF-8 with no C0 or C1 control (judged by the C library's decoder,
 * utf8_oracle.h), RFC 5424's own escapes, the bounds, and records that
 * parse back. */
#include "auditrec.h"
#include "unittest.h"
#include "utf8_oracle.h"
#include <string.h>

static const uint8_t zero[32];

/* the inside of one formatted value, or NULL */
static const char *esc(const char *v)
{
	static char out[AUDITREC_MAX + 1];
	size_t len = 0;
	if (auditrec_put_value(out, sizeof out, &len, v))
		return NULL;
	out[len] = 0;
	return out;
}

static void test_value_escapes(void)
{
	/* safe text as it is: ASCII, UTF-8 (U+00A0 is the first after the C1 controls) */
	CHECK(!strcmp(esc("ops db1:22 SHA256:AbC+/="), "ops db1:22 SHA256:AbC+/="));
	CHECK(!strcmp(esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0"));
	/* RFC 5424 6.3.3: '"', '\' and ']' behind a '\' */
	CHECK(!strcmp(esc("a\"b\\c]d"), "a\\\"b\\\\c\\]d"));
	/* C0 controls, DEL: visibly, one line */
	CHECK(!strcmp(esc("a\x1b[2Jb\nc\rd\x7f"), "a\\x1b[2Jb\\x0ac\\x0dd\\x7f"));
	/* the C1 controls, raw (8-bit CSI) or as UTF-8 (U+009B), and U+0085 (NEL) */
	CHECK(!strcmp(esc("\x9b" "2J"), "\\x9b2J"));
	CHECK(!strcmp(esc("\xc2\x9b" "2J \xc2\x85"), "\\xc2\\x9b2J \\xc2\\x85"));
	/* bytes of no valid character: lone, cut short, overlong, surrogate, past U+10FFFF */
	CHECK(!strcmp(esc("\xff\x80"), "\\xff\\x80"));
	CHECK(!strcmp(esc("caf\xc3"), "caf\\xc3"));
	CHECK(!strcmp(esc("\xc3\xc3\xa9"), "\\xc3\xc3\xa9")); /* a good character after a bad byte */
	CHECK(!strcmp(esc("\xc0\xaf"), "\\xc0\\xaf"));
	CHECK(!strcmp(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80"));
	CHECK(!strcmp(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"));
	/* unambiguous: a value that spells an escape itself keeps its '\' escaped */
	CHECK(!strcmp(esc("\\x1b"), "\\\\x1b"));
	CHECK(!strcmp(esc(""), ""));
}

static void test_value_bounds(void)
{
	char out[16];
	size_t len = 0;
	/* a character goes in whole, with two bytes to spare, or not at all */
	CHECK(auditrec_put_value(out, 4, &len, "\xe2\x82\xac") == -1 && len == 0);
	CHECK(auditrec_put_value(out, 5, &len, "\xe2\x82\xac\xe2\x82\xac") == -1 && len == 3);
	CHECK(!memcmp(out, "\xe2\x82\xac", 3));
	len = 0; /* an escape too */
	CHECK(auditrec_put_value(out, 6, &len, "a\x1b") == -1 && len == 1);
	len = 0;
	CHECK(auditrec_put_value(out, 7, &len, "a\x1b") == 0 && len == 5 && !memcmp(out, "a\\x1b", 5));
}

/* every hostile value in one record: the whole line is safe text and parses */
static void test_record_safe_and_parses(void)
{
	static char line[AUDITREC_MAX + 1];
	static const char *const kv[] = {
		"user", "ops", "host", "db1\x1b]0;owned\x07\23331m\xc2\2332J", "reason", /* \233: 0x9b */ "caf\xc3\xa9\xff\xc3",
		"src", "\"]\\[x", "empty", "", NULL, NULL,
	};
	struct auditrec_info info;
	int n = auditrec_format(line, sizeof line, "2026-11-24T10:00:00.123Z", "bastion", "0.1.0\x1b", 77, "AUTH", 42,
				zero, kv);
	CHECK(n > 0 && (size_t)n == strlen(line));
	CHECK(utf8_oracle_safe(line, (size_t)n));
	CHECK(strstr(line, " host=\"db1\\x1b]0;owned\\x07\\x9b31m\\xc2\\x9b2J\"") == NULL); /* ']' is escaped */
	CHECK(strstr(line, " host=\"db1\\x1b\\]0;owned\\x07\\x9b31m\\xc2\\x9b2J\"") != NULL);
	CHECK(strstr(line, " reason=\"caf\xc3\xa9\\xff\\xc3\"") != NULL);
	CHECK(strstr(line, "swVersion=\"0.1.0\\x1b\"") != NULL);
	CHECK(auditrec_parse(line, (size_t)n, &info) == 0 && info.seq == 42 && !strcmp(info.msgid, "AUTH"));
}

/* a value that makes the record longer than AUDITREC_MAX is refused, not cut */
static void test_record_bound(void)
{
	static char line[AUDITREC_MAX + 64], big[AUDITREC_MAX];
	const char *kv[] = { "v", big, NULL, NULL };
	memset(big, '\x01', sizeof big / 4); /* each becomes 4 bytes */
	CHECK(auditrec_format(line, sizeof line, "t", "h", "v", 1, "X", 1, zero, kv) == -1);
	memset(big, 0, sizeof big);
	memset(big, '\x01', 800);
	int n = auditrec_format(line, sizeof line, "t", "h", "v", 1, "X", 1, zero, kv);
	CHECK(n > 3200 && n <= AUDITREC_MAX && utf8_oracle_safe(line, (size_t)n));
}

int main(void)
{
	RUN(test_value_escapes);
	RUN(test_value_bounds);
	RUN(test_record_safe_and_parses);
	RUN(test_record_bound);
	UT_END();
}
