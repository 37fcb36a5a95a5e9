/* unit tests for hookproto.c: format/parse round trip, the exact wire
 * encoding, the strict parser's refusals (values must be safe text,
 * common/utf8.h), and hook_add/hook_format limits. */
#include "hookproto.h"
#include "unittest.h"
#include <string.h>

static int parse_str(const char *s, struct hook_msg *m)
{
	return hook_parse(s, strlen(s), m);
}

static void test_known_encoding(void)
{
	struct hook_msg m;
	char out[HOOK_MAX_LINE + 1];
	const char want[] = "challenge token=abc prompt=Verification%20code:%20\n";
	CHECK(hook_init(&m, "challenge") == 0);
	CHECK(hook_add(&m, "token", "abc") == 0);
	CHECK(hook_add(&m, "prompt", "Verification code: ") == 0);
	CHECK(hook_format(&m, out, sizeof out) == (int)strlen(want));
	CHECK(!strcmp(out, want));
	/* a bare verb */
	CHECK(hook_init(&m, "ping") == 0);
	CHECK(hook_format(&m, out, sizeof out) == 5 && !strcmp(out, "ping\n"));
	/* lower-case hex (common/hex.h), plain set passes as is */
	CHECK(hook_init(&m, "x_y") == 0);
	CHECK(hook_add(&m, "v", "aZ09._:/+=@,-%* \xc3\xa9") == 0);
	CHECK(hook_format(&m, out, sizeof out) > 0);
	CHECK(!strcmp(out, "x_y v=aZ09._:/+=@,-%25%2a%20%c3%a9\n"));
}

static void test_round_trip(void)
{
	static const char *vals[] = {
		"Verification code: ", "100%", "a=b=c", "caf\xc3\xa9 \xe2\x82\xac", "", "~`!#$^&*()[]{}|;'\"<>?\\",
		"SHA256:AbC+/def=", "10.0.0.1", "\xf0\x9f\x98\x80",
	};
	static const char *keys[] = { "a", "b", "c", "d", "e", "f", "g", "key_with_under" };
	struct hook_msg m, back;
	char out[HOOK_MAX_LINE + 1];
	CHECK(hook_init(&m, "round_trip") == 0);
	for (size_t i = 0; i < 8; i++)
		CHECK(hook_add(&m, keys[i], vals[i]) == 0);
	int n = hook_format(&m, out, sizeof out);
	CHECK(n > 0 && (size_t)n == strlen(out) && out[n - 1] == '\n');
	CHECK(strchr(out, '\n') == out + n - 1);
	CHECK(hook_parse(out, (size_t)n, &back) == 0);
	CHECK(!strcmp(back.verb, "round_trip") && back.nfields == 8);
	for (size_t i = 0; i < 8; i++) {
		CHECK(!strcmp(back.f[i].key, keys[i]));
		CHECK(hook_get(&back, keys[i]) && !strcmp(hook_get(&back, keys[i]), vals[i]));
	}
	CHECK(hook_get(&back, "nope") == NULL);
	CHECK(!strcmp(hook_get(&back, "e"), ""));
	/* the last value alone (a 4-byte UTF-8 character) */
	CHECK(hook_init(&m, "v") == 0 && hook_add(&m, "k", vals[8]) == 0);
	n = hook_format(&m, out, sizeof out);
	CHECK(n > 0 && !strcmp(out, "v k=%f0%9f%98%80\n"));
	CHECK(hook_parse(out, (size_t)n, &back) == 0 && !strcmp(hook_get(&back, "k"), vals[8]));
	/* a value of exactly HOOK_MAX_VALUE bytes, all encoded */
	char big[HOOK_MAX_VALUE + 1];
	memset(big, '%', HOOK_MAX_VALUE);
	big[HOOK_MAX_VALUE] = 0;
	CHECK(hook_init(&m, "v") == 0 && hook_add(&m, "k", big) == 0);
	n = hook_format(&m, out, sizeof out);
	CHECK(n == 4 + 3 * HOOK_MAX_VALUE + 1);
	CHECK(hook_parse(out, (size_t)n, &back) == 0 && !strcmp(hook_get(&back, "k"), big));
}

static void test_parse_good(void)
{
	struct hook_msg m;
	CHECK(parse_str("ok\n", &m) == 0 && !strcmp(m.verb, "ok") && m.nfields == 0);
	CHECK(parse_str("a b=\n", &m) == 0 && m.nfields == 1 && !strcmp(hook_get(&m, "b"), ""));
	CHECK(parse_str("a b==\n", &m) == 0 && !strcmp(hook_get(&m, "b"), "="));
	CHECK(parse_str("abcdefghijklmno k=v\n", &m) == 0);         /* 15-char verb */
	CHECK(parse_str("v abcdefghijklmno=v\n", &m) == 0);         /* 15-char key */
	CHECK(parse_str("file sha256=- k_2=x\n", &m) == 0 && !strcmp(hook_get(&m, "sha256"), "-")); /* digits in keys */
	CHECK(parse_str("v a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8\n", &m) == 0 && m.nfields == 8);
	CHECK(parse_str("v k=%c3%a9\n", &m) == 0 && !strcmp(hook_get(&m, "k"), "\xc3\xa9"));
	/* U+00A0, the first character after the C1 controls; the largest, U+10FFFF */
	CHECK(parse_str("v k=%c2%a0\n", &m) == 0 && !strcmp(hook_get(&m, "k"), "\xc2\xa0"));
	CHECK(parse_str("v k=%f4%8f%bf%bf\n", &m) == 0 && !strcmp(hook_get(&m, "k"), "\xf4\x8f\xbf\xbf"));
	CHECK(parse_str("v k=%7e\n", &m) == 0 && !strcmp(hook_get(&m, "k"), "~"));
}

struct bad { const char *line; size_t len; const char *what; };
#define B(s, what) { (s), sizeof(s) - 1, (what) }

static const struct bad bads[] = {
	B("", "empty"),
	B("verb k=v", "missing newline"),
	B("verb k=v\nx", "bytes after newline"),
	B("verb k=v\n\n", "second newline"),
	B("verb k=a\nb\n", "embedded newline"),
	B("\n", "empty verb"),
	B(" k=v\n", "empty verb before field"),
	B("Verb k=v\n", "upper-case verb"),
	B("verb1 k=v\n", "digit in verb"),
	B("abcdefghijklmnop k=v\n", "verb of 16 chars"),
	B("verb  k=v\n", "double space"),
	B("verb k=v  j=w\n", "double space between fields"),
	B("verb \n", "trailing space after verb"),
	B("verb k=v \n", "trailing space"),
	B("verb k\n", "key without '='"),
	B("verb =v\n", "empty key"),
	B("verb K=v\n", "upper-case key"),
	B("verb 1k=v\n", "digit first in key"),
	B("verb abcdefghijklmnop=v\n", "key of 16 chars"),
	B("verb k=v k=w\n", "repeated key"),
	B("verb k=v j=1 k=w\n", "repeated key later"),
	B("verb k=%2A\n", "upper-case hex"),
	B("verb k=%c3%A9\n", "mixed-case hex"),
	B("verb k=%g1\n", "bad hex"),
	B("verb k=%1g\n", "bad hex low"),
	B("verb k=%2\n", "truncated %2"),
	B("verb k=%\n", "truncated %"),
	B("verb k=a%2 j=b\n", "truncated % before space"),
	B("verb k=%0a\n", "encoded newline"),
	B("verb k=%00\n", "encoded NUL"),
	B("verb k=%1f\n", "encoded control byte"),
	B("verb k=%7f\n", "encoded DEL"),
	B("verb k=%1b%5b2J\n", "encoded ESC [ (a terminal escape)"),
	B("verb k=%80\n", "encoded lone continuation byte 0x80"),
	B("verb k=%9b2J\n", "encoded byte 0x9b (8-bit CSI)"),
	B("verb k=%c2%9b2J\n", "encoded U+009B (C1 CSI in UTF-8)"),
	B("verb k=%c2%80\n", "encoded U+0080 (first C1)"),
	B("verb k=%c2%9f\n", "encoded U+009F (last C1)"),
	B("verb k=%ff\n", "encoded byte 0xff"),
	B("verb k=caf%c3\n", "encoded UTF-8 cut short"),
	B("verb k=%e2%82 j=v\n", "encoded UTF-8 cut short before a field"),
	B("verb k=%c0%af\n", "encoded overlong UTF-8"),
	B("verb k=%ed%a0%80\n", "encoded surrogate"),
	B("verb k=%f4%90%80%80\n", "encoded code point past U+10FFFF"),
	B("verb k=\x80\n", "raw byte 0x80"),
	B("verb k=\xc3\xa9\n", "raw UTF-8"),
	B("verb k=a\tb\n", "raw tab"),
	B("verb k=a\x01\n", "raw control byte"),
	B("verb k=a\x7f\n", "raw DEL"),
	B("verb k=a\0b\n", "raw NUL"),
	B("verb\0 k=v\n", "NUL in verb"),
	B("verb k=a%b\n", "bad escape"),
	B("verb k=a\"b\n", "raw quote"),
	B("verb k=a\rb\n", "raw CR"),
	B("verb k=v\r\n", "CRLF"),
	B("v a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9\n", "9 fields"),
};

static void test_parse_bad(void)
{
	struct hook_msg m;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		if (hook_parse(bads[i].line, bads[i].len, &m) != -1) {
			printf("  case %zu (%s) accepted\n", i, bads[i].what);
			CHECK(0);
		}
	}
}

static void test_parse_lengths(void)
{
	static char line[HOOK_MAX_LINE + 64];
	struct hook_msg m;
	/* value of 255 decoded bytes passes, 256 does not (raw and encoded) */
	memcpy(line, "v k=", 4);
	memset(line + 4, 'x', 255);
	line[4 + 255] = '\n';
	CHECK(hook_parse(line, 4 + 255 + 1, &m) == 0 && strlen(hook_get(&m, "k")) == 255);
	memset(line + 4, 'x', 256);
	line[4 + 256] = '\n';
	CHECK(hook_parse(line, 4 + 256 + 1, &m) == -1);
	for (int i = 0; i < 256; i++)
		memcpy(line + 4 + (size_t)3 * i, "%41", 3);
	line[4 + 3 * 256] = '\n';
	CHECK(hook_parse(line, 4 + 3 * 256 + 1, &m) == -1);
	CHECK(hook_parse(line, 4 + 3 * 255, &m) == -1);      /* cut: no newline */
	line[4 + 3 * 255] = '\n';
	CHECK(hook_parse(line, 4 + 3 * 255 + 1, &m) == 0);

	/* exactly HOOK_MAX_LINE bytes passes, one more does not:
	 * "v a=" + 255 x + " b=" + 255 x + " c=" + 255 x + " d=" + N x + "\n" */
	size_t len = 0;
	memcpy(line, "v", 1);
	len = 1;
	for (int f = 0; f < 4; f++) {
		line[len++] = ' ';
		line[len++] = (char)('a' + f);
		line[len++] = '=';
		size_t n = f < 3 ? 255 : HOOK_MAX_LINE - 1 - len;
		memset(line + len, 'x', n);
		len += n;
	}
	line[len++] = '\n';
	CHECK(len == HOOK_MAX_LINE);
	CHECK(hook_parse(line, len, &m) == 0);
	line[len - 1] = 'x';
	line[len++] = '\n';
	CHECK(len == HOOK_MAX_LINE + 1);
	CHECK(hook_parse(line, len, &m) == -1);
}

static void test_add_refusals(void)
{
	struct hook_msg m;
	char big[HOOK_MAX_VALUE + 2];
	CHECK(hook_init(&m, "") == -1);
	CHECK(hook_init(&m, "Verb") == -1);
	CHECK(hook_init(&m, "verb1") == -1);
	CHECK(hook_init(&m, "abcdefghijklmnop") == -1);
	CHECK(hook_init(&m, "abcdefghijklmno") == 0);
	CHECK(hook_init(&m, "v") == 0);
	/* control bytes in values */
	CHECK(hook_add(&m, "k", "a\nb") == -1);
	CHECK(hook_add(&m, "k", "a\rb") == -1);
	CHECK(hook_add(&m, "k", "\x01") == -1);
	CHECK(hook_add(&m, "k", "\x1f") == -1);
	CHECK(hook_add(&m, "k", "a\x7f") == -1);
	CHECK(hook_add(&m, "k", "tab\there") == -1);
	/* what is not safe text (common/utf8.h): C1 controls, bytes of no character */
	CHECK(hook_add(&m, "k", "\x1b[2J") == -1);
	CHECK(hook_add(&m, "k", "\x9b" "2J") == -1);
	CHECK(hook_add(&m, "k", "\xc2\x9b" "2J") == -1);
	CHECK(hook_add(&m, "k", "\xc2\x85") == -1);
	CHECK(hook_add(&m, "k", "caf\xc3") == -1);
	CHECK(hook_add(&m, "k", "\xff\x80") == -1);
	CHECK(hook_add(&m, "k", "\xed\xa0\x80") == -1);
	/* bad keys */
	CHECK(hook_add(&m, "", "v") == -1);
	CHECK(hook_add(&m, "K", "v") == -1);
	CHECK(hook_add(&m, "k=", "v") == -1);
	CHECK(hook_add(&m, "k k", "v") == -1);
	CHECK(hook_add(&m, "1k", "v") == -1); /* a digit first (later ones are fine: sha256) */
	CHECK(hook_add(&m, "abcdefghijklmnop", "v") == -1);
	CHECK(m.nfields == 0);
	/* the positive control: UTF-8 text is taken */
	struct hook_msg ok;
	CHECK(hook_init(&ok, "v") == 0 && hook_add(&ok, "u", "caf\xc3\xa9 \xe2\x82\xac \xc2\xa0") == 0);
	/* value length */
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;                  /* 256 bytes */
	CHECK(hook_add(&m, "k", big) == -1);
	big[HOOK_MAX_VALUE] = 0;                  /* 255 bytes */
	CHECK(hook_add(&m, "k", big) == 0);
	/* repeated key */
	CHECK(hook_add(&m, "k", "other") == -1);
	CHECK(m.nfields == 1 && !strcmp(hook_get(&m, "k"), big));
	/* a 9th field */
	static const char *keys[] = { "b", "c", "d", "e", "f", "g", "h" };
	for (int i = 0; i < 7; i++)
		CHECK(hook_add(&m, keys[i], "v") == 0);
	CHECK(m.nfields == HOOK_MAX_FIELDS);
	CHECK(hook_add(&m, "i", "v") == -1);
	CHECK(m.nfields == HOOK_MAX_FIELDS);
}

static void test_format_limits(void)
{
	static char out[4 * HOOK_MAX_LINE];
	struct hook_msg m;
	char enc[HOOK_MAX_VALUE + 1], plain[HOOK_MAX_VALUE + 1];
	/* "v" + " a=" + 255 * "%25" + " b=" + N * "x" + "\n": 1024 bytes at N = 251 */
	memset(enc, '%', HOOK_MAX_VALUE);
	enc[HOOK_MAX_VALUE] = 0;
	memset(plain, 'x', 251);
	plain[251] = 0;
	CHECK(hook_init(&m, "v") == 0 && hook_add(&m, "a", enc) == 0 && hook_add(&m, "b", plain) == 0);
	CHECK(hook_format(&m, out, sizeof out) == HOOK_MAX_LINE);
	CHECK(hook_parse(out, HOOK_MAX_LINE, &m) == 0);
	/* the cap: len + 1 bytes needed, one less refused */
	CHECK(hook_format(&m, out, HOOK_MAX_LINE + 1) == HOOK_MAX_LINE);
	CHECK(hook_format(&m, out, HOOK_MAX_LINE) == -1);
	CHECK(hook_format(&m, out, 0) == -1);
	/* one byte more than HOOK_MAX_LINE: refused whatever the cap */
	plain[251] = 'x';
	plain[252] = 0;
	CHECK(hook_init(&m, "v") == 0 && hook_add(&m, "a", enc) == 0 && hook_add(&m, "b", plain) == 0);
	CHECK(hook_format(&m, out, sizeof out) == -1);
	/* way over: 8 fully encoded values */
	static const char *keys[] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	CHECK(hook_init(&m, "v") == 0);
	for (int i = 0; i < 8; i++)
		CHECK(hook_add(&m, keys[i], enc) == 0);
	CHECK(hook_format(&m, out, sizeof out) == -1);
	/* small caps on a short message */
	CHECK(hook_init(&m, "ping") == 0);
	for (size_t cap = 0; cap < 6; cap++)
		CHECK(hook_format(&m, out, cap) == -1);
	CHECK(hook_format(&m, out, 6) == 5);
}

int main(void)
{
	RUN(test_known_encoding);
	RUN(test_round_trip);
	RUN(test_parse_good);
	RUN(test_parse_bad);
	RUN(test_parse_lengths);
	RUN(test_add_refusals);
	RUN(test_format_limits);
	UT_END();
}
