/* unit tests for sha256x.c: the FIPS 180-2 vectors, and the same digest as
 * BearSSL's for every length 0..1100 and for the same data fed in odd
 * pieces (block boundaries, the 55/56/64-byte padding edges). Says which
 * path this CPU took; tests/unit.sh runs it under qemu64 too (no SHA-NI). */
#include "sha256x.h"
#include "hex.h"
#include "unittest.h"

#include <string.h>

static void digest(const void *p, size_t n, uint8_t out[32])
{
	struct sha256x c;
	sha256x_init(&c);
	sha256x_update(&c, p, n);
	sha256x_out(&c, out);
}

static void test_known_vectors(void)
{
	uint8_t d[32];
	char hex[65];
	digest("abc", 3, d);
	hex_encode(d, 32, hex);
	CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	digest("", 0, d);
	hex_encode(d, 32, hex);
	CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	digest(two, strlen(two), d);
	hex_encode(d, 32, hex);
	CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

static void test_same_as_bearssl_all_lengths_and_splits(void)
{
	static uint8_t data[1100];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 167 + (i >> 3));
	for (size_t n = 0; n <= sizeof data; n++) {
		uint8_t a[32], b[32];
		br_sha256_context br;
		br_sha256_init(&br);
		br_sha256_update(&br, data, n);
		br_sha256_out(&br, b);
		digest(data, n, a);
		CHECK(!memcmp(a, b, 32));
		struct sha256x c; /* in pieces of 1, 7, 63, 64, 65 ... bytes */
		static const size_t step[] = { 1, 7, 63, 64, 65, 3, 128 };
		sha256x_init(&c);
		for (size_t off = 0, k = 0; off < n; k++) {
			size_t m = step[k % 7] < n - off ? step[k % 7] : n - off;
			sha256x_update(&c, data + off, m);
			off += m;
		}
		sha256x_out(&c, a);
		CHECK(!memcmp(a, b, 32));
	}
	/* cppcheck-suppress knownConditionTrueFalse ; it reads the non-x86 branch, where this is 0 */
	printf("  (sha256x on this CPU: %s)\n", sha256x_accelerated() ? "SHA-NI" : "BearSSL portable");
}

int main(void)
{
	RUN(test_known_vectors);
	RUN(test_same_as_bearssl_all_lengths_and_splits);
	UT_END();
}
