/* unit tests for totp.c and base32.c */
#include "base32.h"
#include "totp.h"
#include "../common/unittest.h"
#include <string.h>

/* RFC 6238 Appendix A seeds: "1234567890" repeated to the hash's size */
#define SEED20 "12345678901234567890"
#define SEED32 SEED20 "123456789012"
#define SEED64 SEED20 SEED20 SEED20 "1234"

static const uint8_t *k20 = (const uint8_t *)SEED20;
static const uint8_t *k32 = (const uint8_t *)SEED32;
static const uint8_t *k64 = (const uint8_t *)SEED64;

static void test_hotp_rfc4226(void)
{
	/* RFC 4226 Appendix D */
	static const uint32_t want[10] = {
		755224, 287082, 359152, 969429, 338314,
		254676, 287922, 162583, 399871, 520489
	};
	for (uint64_t c = 0; c < 10; c++)
		CHECK(hotp(TOTP_SHA1, k20, 20, c, 6) == want[c]);
	CHECK(hotp(TOTP_SHA1, k20, 20, 0, 0) == UINT32_MAX);
	CHECK(hotp(TOTP_SHA1, k20, 20, 0, 10) == UINT32_MAX);
}

struct vec { uint64_t t; enum totp_alg alg; const char *code; };
/* RFC 6238 Appendix B, Table 1 */
static const struct vec rfc6238[] = {
	{ 59, TOTP_SHA1, "94287082" },
	{ 59, TOTP_SHA256, "46119246" },
	{ 59, TOTP_SHA512, "90693936" },
	{ 1111111109, TOTP_SHA1, "07081804" },
	{ 1111111109, TOTP_SHA256, "68084774" },
	{ 1111111109, TOTP_SHA512, "25091201" },
	{ 1111111111, TOTP_SHA1, "14050471" },
	{ 1111111111, TOTP_SHA256, "67062674" },
	{ 1111111111, TOTP_SHA512, "99943326" },
	{ 1234567890, TOTP_SHA1, "89005924" },
	{ 1234567890, TOTP_SHA256, "91819424" },
	{ 1234567890, TOTP_SHA512, "93441116" },
	{ 2000000000, TOTP_SHA1, "69279037" },
	{ 2000000000, TOTP_SHA256, "90698825" },
	{ 2000000000, TOTP_SHA512, "38618901" },
	{ 20000000000ULL, TOTP_SHA1, "65353130" },
	{ 20000000000ULL, TOTP_SHA256, "77737706" },
	{ 20000000000ULL, TOTP_SHA512, "47863826" },
};

static void seed_for(enum totp_alg alg, const uint8_t **k, size_t *len)
{
	*k = k20;
	*len = 20;
	switch (alg) {
	case TOTP_SHA1: break;
	case TOTP_SHA256: *k = k32; *len = 32; break;
	case TOTP_SHA512: *k = k64; *len = 64; break;
	}
}

static void test_totp_rfc6238(void)
{
	CHECK(sizeof rfc6238 / sizeof rfc6238[0] == 18);
	for (size_t i = 0; i < sizeof rfc6238 / sizeof rfc6238[0]; i++) {
		const struct vec *v = &rfc6238[i];
		const uint8_t *k;
		size_t kl;
		char buf[9];
		uint64_t m = 0;
		seed_for(v->alg, &k, &kl);
		totp_format(hotp(v->alg, k, kl, v->t / TOTP_STEP, 8), 8, buf);
		CHECK(!strcmp(buf, v->code));
		/* and the checker agrees, exactly at that step */
		CHECK(totp_check(v->alg, k, kl, 8, v->t, v->code, 0, &m) == 1);
		CHECK(m == v->t / TOTP_STEP);
	}
}

static void test_format(void)
{
	char b[9];
	totp_format(42, 6, b);
	CHECK(!strcmp(b, "000042"));
	totp_format(7081804, 8, b);
	CHECK(!strcmp(b, "07081804"));
	totp_format(123456789, 9, b);	/* clamped to 8 */
	CHECK(!strcmp(b, "23456789"));
	totp_format(5, 0, b);
	CHECK(!strcmp(b, ""));
}

/* code for `step` as text */
static const char *code_at(unsigned digits, uint64_t step, char out[9])
{
	totp_format(hotp(TOTP_SHA1, k20, 20, step, digits), digits, out);
	return out;
}

static void window(unsigned digits)
{
	const uint64_t now = 1111111111, s = now / TOTP_STEP;
	char c[5][9];
	uint64_t m;

	for (int i = 0; i < 5; i++)
		code_at(digits, s - 2 + (uint64_t)i, c[i]);
	/* the ±2 codes must not collide with the window, or the refusals below prove nothing */
	for (int i = 1; i < 4; i++)
		CHECK(strcmp(c[0], c[i]) != 0 && strcmp(c[4], c[i]) != 0);

	m = 0;
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[2], 0, &m) == 1 && m == s);
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[1], 0, &m) == 1 && m == s - 1);
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[3], 0, &m) == 1 && m == s + 1);
	m = 12345;
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[0], 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[4], 0, &m) == 0);
	CHECK(m == 12345);
	/* first and last second of the step use the same window */
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, s * TOTP_STEP, c[3], 0, &m) == 1);
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, s * TOTP_STEP + TOTP_STEP - 1, c[1], 0, &m) == 1);
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, (s + 1) * TOTP_STEP, c[1], 0, &m) == 0);
	/* wrong digit count for the configuration */
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits == 6 ? 8 : 6, now, c[2], 0, &m) == 0);
	/* NULL matched_step is allowed */
	CHECK(totp_check(TOTP_SHA1, k20, 20, digits, now, c[2], 0, NULL) == 1);
}

static void test_check_window_6(void) { window(6); }
static void test_check_window_8(void) { window(8); }

static void test_check_replay(void)
{
	const uint64_t now = 1234567890, s = now / TOTP_STEP;
	char c[9], prev[9], next[9];
	uint64_t m = 0;

	code_at(6, s, c);
	code_at(6, s - 1, prev);
	code_at(6, s + 1, next);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, c, 0, &m) == 1 && m == s);
	/* the same code again, and any code of an earlier step */
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, c, m, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, prev, s, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, prev, s - 1, &m) == 0);
	/* a later step is still fine */
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, next, s, &m) == 1 && m == s + 1);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, next, s + 1, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, c, s - 1, &m) == 1 && m == s);
}

static void test_check_bad_answer(void)
{
	const uint64_t now = 1111111111, s = now / TOTP_STEP;
	char c[9], buf[16];
	uint64_t m = 0;

	code_at(6, s, c);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, c, 0, &m) == 1);
	snprintf(buf, sizeof buf, "%s0", c);	/* too long */
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, buf, 0, &m) == 0);
	snprintf(buf, sizeof buf, " %s", c);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, buf, 0, &m) == 0);
	snprintf(buf, sizeof buf, "%.5s", c);	/* too short */
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, buf, 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, "", 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, NULL, 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, "12a456", 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, now, "-12345", 0, &m) == 0);
	/* unsupported digit counts never match */
	code_at(7, s, c);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 7, now, c, 0, &m) == 0);
	/* a different key does not match */
	code_at(6, s, c);
	CHECK(totp_check(TOTP_SHA1, k32, 32, 6, now, c, 0, &m) == 0);
	/* at step 0 there is no step -1 to wrap to */
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, 0, code_at(6, UINT64_MAX, c), 0, &m) == 0);
	CHECK(totp_check(TOTP_SHA1, k20, 20, 6, 0, code_at(6, 1, c), 0, &m) == 1 && m == 1);
}

static void test_alg_names(void)
{
	enum totp_alg a = TOTP_SHA1;
	CHECK(totp_alg_parse("sha256", &a) == 0 && a == TOTP_SHA256);
	CHECK(totp_alg_parse("Sha512", &a) == 0 && a == TOTP_SHA512);
	CHECK(totp_alg_parse("SHA1", &a) == 0 && a == TOTP_SHA1);
	CHECK(totp_alg_parse("SHA-1", &a) == -1 && a == TOTP_SHA1);
	CHECK(totp_alg_parse("SHA384", &a) == -1);
	CHECK(totp_alg_parse("", &a) == -1);
	CHECK(totp_alg_parse(NULL, &a) == -1);
	CHECK(!strcmp(totp_alg_name(TOTP_SHA1), "SHA1"));
	CHECK(!strcmp(totp_alg_name(TOTP_SHA256), "SHA256"));
	CHECK(!strcmp(totp_alg_name(TOTP_SHA512), "SHA512"));
	CHECK(totp_alg_name((enum totp_alg)7) == NULL);
}

static void test_base32_rfc4648(void)
{
	static const char *const v[][2] = {
		{ "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" }, { "foob", "MZXW6YQ" },
		{ "fooba", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI" },
	};
	char txt[32];
	uint8_t bin[16];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t n = strlen(v[i][0]);
		CHECK(base32_encode((const uint8_t *)v[i][0], n, txt, sizeof txt) == (int)strlen(v[i][1]));
		CHECK(!strcmp(txt, v[i][1]));
		CHECK(base32_decode(v[i][1], bin, sizeof bin) == (int)n);
		CHECK(!memcmp(bin, v[i][0], n));
	}
	/* RFC 4648 §10 padded forms decode too */
	CHECK(base32_decode("MZXW6YQ=", bin, sizeof bin) == 4 && !memcmp(bin, "foob", 4));
	CHECK(base32_decode("MY======", bin, sizeof bin) == 1 && bin[0] == 'f');
	CHECK(base32_encode(NULL, 0, txt, sizeof txt) == 0 && txt[0] == 0);
	CHECK(base32_decode("", bin, sizeof bin) == -1);
}

static uint32_t rng = 12345;
static uint8_t rnd(void) { rng = rng * 1103515245 + 12345; return (uint8_t)(rng >> 16); }

static void test_base32_roundtrip(void)
{
	uint8_t in[TOTP_MAX_SECRET], back[TOTP_MAX_SECRET];
	char txt[BASE32_ENCLEN(TOTP_MAX_SECRET) + 1];

	for (int iter = 0; iter < 500; iter++) {
		size_t n = 1 + rnd() % TOTP_MAX_SECRET;
		for (size_t i = 0; i < n; i++)
			in[i] = rnd();
		CHECK(base32_encode(in, n, txt, sizeof txt) == (int)BASE32_ENCLEN(n));
		CHECK(strlen(txt) == BASE32_ENCLEN(n) && !strchr(txt, '='));
		CHECK(base32_decode(txt, back, n) == (int)n);	/* exact cap */
		CHECK(!memcmp(in, back, n));
	}
}

static void test_base32_lenient(void)
{
	uint8_t a[16], b[16];
	CHECK(base32_decode("JBSWY3DPEHPK3PXP", a, sizeof a) == 10);
	CHECK(!memcmp(a, "Hello!\xde\xad\xbe\xef", 10));
	CHECK(base32_decode("jbsw y3dp ehpk 3pxp", b, sizeof b) == 10 && !memcmp(a, b, 10));
	CHECK(base32_decode(" JbSw Y3dP EHPK3PXP  ", b, sizeof b) == 10 && !memcmp(a, b, 10));
	CHECK(base32_decode("MZXW6YQ= ==", b, sizeof b) == 4);
	/* leftover bits that make no byte are ignored */
	CHECK(base32_decode("MZXW6YTBO", b, sizeof b) == 5 && !memcmp(b, "fooba", 5));
	CHECK(base32_decode("MZ", b, sizeof b) == 1 && b[0] == 'f');
}

static void test_base32_reject(void)
{
	uint8_t b[16];
	CHECK(base32_decode("JBSWY3DP1HPK3PXP", b, sizeof b) == -1);
	CHECK(base32_decode("JBSWY3DP8HPK3PXP", b, sizeof b) == -1);
	CHECK(base32_decode("JBSWY3DP0", b, sizeof b) == -1);
	CHECK(base32_decode("JBSW-Y3DP", b, sizeof b) == -1);
	CHECK(base32_decode("JBSW\tY3DP", b, sizeof b) == -1);
	CHECK(base32_decode("JBSW\xc3\x89", b, sizeof b) == -1);
	CHECK(base32_decode("MY==MY", b, sizeof b) == -1);	/* data after padding */
	CHECK(base32_decode("    ", b, sizeof b) == -1);	/* nothing */
	CHECK(base32_decode("====", b, sizeof b) == -1);
	CHECK(base32_decode("M", b, sizeof b) == -1);		/* 5 bits: no byte */
}

static void test_base32_overflow(void)
{
	uint8_t b[16];
	char t[16];
	CHECK(base32_decode("MZXW6YTBOI", b, 5) == -1);
	CHECK(base32_decode("MZXW6YTBOI", b, 6) == 6);
	CHECK(base32_decode("MY", b, 0) == -1);
	/* "foobar" needs 10 characters plus the NUL */
	CHECK(base32_encode((const uint8_t *)"foobar", 6, t, 10) == -1 && t[0] == 0);
	CHECK(base32_encode((const uint8_t *)"foobar", 6, t, 11) == 10);
	CHECK(base32_encode((const uint8_t *)"foobar", 6, t, 0) == -1);
	CHECK(base32_encode((const uint8_t *)"foobar", SIZE_MAX, t, sizeof t) == -1);
}

#define URI "otpauth://totp/ACME%20Bastion:ops%20user%3Aadmin%40site?secret=JBSWY3DPEHPK3PXP" \
	"&issuer=ACME%20Bastion&algorithm=SHA1&digits=6&period=30"

static void test_uri(void)
{
	char u[256];
	CHECK(totp_uri(u, sizeof u, "ACME Bastion", "ops user:admin@site", "JBSWY3DPEHPK3PXP",
		       TOTP_SHA1, 6) == (int)strlen(URI));
	CHECK(!strcmp(u, URI));
	CHECK(totp_uri(u, sizeof u, "jumpbox", "a-b_c.d~e", "GEZDGNBV", TOTP_SHA512, 8) > 0);
	CHECK(!strcmp(u, "otpauth://totp/jumpbox:a-b_c.d~e?secret=GEZDGNBV&issuer=jumpbox"
		      "&algorithm=SHA512&digits=8&period=30"));
	CHECK(totp_uri(u, sizeof u, NULL, "ops", "GEZDGNBV", TOTP_SHA256, 6) > 0);
	CHECK(!strcmp(u, "otpauth://totp/ops?secret=GEZDGNBV&algorithm=SHA256&digits=6&period=30"));
	/* parameters cannot be smuggled in through any field */
	CHECK(totp_uri(u, sizeof u, "a&b", "c?d=e#f/g", "X&digits=8", TOTP_SHA1, 6) > 0);
	CHECK(!strcmp(u, "otpauth://totp/a%26b:c%3Fd%3De%23f%2Fg?secret=X%26digits%3D8"
		      "&issuer=a%26b&algorithm=SHA1&digits=6&period=30"));
	CHECK(totp_uri(u, sizeof u, "x", "\xc3\xa9", "A", TOTP_SHA1, 6) > 0 && strstr(u, "/x:%C3%A9?"));
	CHECK(totp_uri(u, sizeof u, "x", "y", "A", TOTP_SHA1, 7) == -1 && u[0] == 0);
	CHECK(totp_uri(u, sizeof u, "x", "y", "A", (enum totp_alg)9, 6) == -1);
}

static void test_uri_too_small(void)
{
	char u[sizeof URI];
	const size_t len = sizeof URI - 1;
	/* no room for the NUL */
	CHECK(totp_uri(u, len, "ACME Bastion", "ops user:admin@site", "JBSWY3DPEHPK3PXP", TOTP_SHA1, 6) == -1);
	CHECK(u[0] == 0);
	CHECK(totp_uri(u, 1, "ACME Bastion", "ops user:admin@site", "JBSWY3DPEHPK3PXP", TOTP_SHA1, 6) == -1);
	CHECK(totp_uri(u, 0, "ACME Bastion", "ops user:admin@site", "JBSWY3DPEHPK3PXP", TOTP_SHA1, 6) == -1);
	CHECK(totp_uri(u, len + 1, "ACME Bastion", "ops user:admin@site", "JBSWY3DPEHPK3PXP", TOTP_SHA1, 6) == (int)len);
	CHECK(!strcmp(u, URI));
}

int main(void)
{
	RUN(test_hotp_rfc4226);
	RUN(test_totp_rfc6238);
	RUN(test_format);
	RUN(test_check_window_6);
	RUN(test_check_window_8);
	RUN(test_check_replay);
	RUN(test_check_bad_answer);
	RUN(test_alg_names);
	RUN(test_base32_rfc4648);
	RUN(test_base32_roundtrip);
	RUN(test_base32_lenient);
	RUN(test_base32_reject);
	RUN(test_base32_overflow);
	RUN(test_uri);
	RUN(test_uri_too_small);
	UT_END();
}
