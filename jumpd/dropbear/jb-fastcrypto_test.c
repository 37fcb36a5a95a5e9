/* unit tests for jb-fastcrypto.c: every primitive on both paths (the CPU's
 * fast one and the portable constant-time one, forced) against known
 * answers (RFC 8439, the GCM specification's test cases, NIST SP 800-38A)
 * and against each other on random inputs; OpenSSH's chacha20-poly1305
 * packet construction against a packet computed with OpenSSL (through
 * python3-cryptography); refusals of forged tags. */
#include "jb-fastcrypto.h"
#include "jb-chacha20-avx2.h"
#include "../common/unittest.h"
#include <stdint.h>
#include <string.h>

static int nibble(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static size_t unhex(unsigned char *out, const char *hex)
{
	size_t n = 0;
	for (; hex[0] && hex[1]; hex += 2)
		out[n++] = (unsigned char)(nibble(hex[0]) << 4 | nibble(hex[1]));
	return n;
}

static int same_hex(const unsigned char *b, size_t n, const char *hex)
{
	unsigned char want[512];
	return unhex(want, hex) == n && !memcmp(b, want, n);
}

/* deterministic filler for the differential tests */
static uint32_t rng = 0x12345678;
static void fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rng = rng * 1103515245u + 12345u;
		p[i] = (unsigned char)(rng >> 16);
	}
}

/* RFC 8439 2.5.2 and appendix A.3's edge cases (final reduction) */
static void test_poly1305_rfc8439(void)
{
	unsigned char key[32], msg[64], tag[16];
	unhex(key, "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
	jb_poly1305(tag, key, (const unsigned char *)"Cryptographic Forum Research Group", 34);
	CHECK(same_hex(tag, 16, "a8061dc1305136c6c22b8baf0c0127a9"));
	/* A.3 #5: h reaches p exactly */
	memset(key, 0, 32); key[0] = 2;
	memset(msg, 0xff, 16);
	jb_poly1305(tag, key, msg, 16);
	CHECK(same_hex(tag, 16, "03000000000000000000000000000000"));
	/* A.3 #6: s wraps 2^128 */
	memset(key + 16, 0xff, 16);
	memset(msg, 0, 16); msg[0] = 2;
	jb_poly1305(tag, key, msg, 16);
	CHECK(same_hex(tag, 16, "03000000000000000000000000000000"));
	/* A.3 #8 */
	memset(key, 0, 32); key[0] = 1;
	memset(msg, 0xff, 16); memset(msg + 16, 0xfe, 16); msg[16] = 0xfb; memset(msg + 32, 0x01, 16);
	jb_poly1305(tag, key, msg, 48);
	CHECK(same_hex(tag, 16, "00000000000000000000000000000000"));
	/* A.3 #9 */
	memset(key, 0, 32); key[0] = 2;
	memset(msg, 0xff, 16); msg[0] = 0xfd;
	jb_poly1305(tag, key, msg, 16);
	CHECK(same_hex(tag, 16, "faffffffffffffffffffffffffffffff"));
}

/* Poly1305 against BearSSL's own (ctmul, and ctmulq where the CPU has
 * it) through RFC 8439's AEAD: with no AAD its tag is Poly1305 over the
 * ciphertext, zero padding, le64(0), le64(length) */
static void test_poly1305_against_bearssl(void)
{
	static unsigned char key[32], iv[12], data[1100], mac[1200], otk[32], tag[16], want[16];
	br_poly1305_run q = br_poly1305_ctmulq_get();
	for (size_t len = 0; len <= 1040; len += (len < 70 ? 1 : 97)) {
		for (int impl = 0; impl < 2; impl++) {
			br_poly1305_run run = impl == 0 ? br_poly1305_ctmul_run : q;
			if (!run)
				continue;
			fill(key, 32); fill(iv, 12); fill(data, len);
			run(key, iv, data, len, NULL, 0, want, br_chacha20_ct_run, 1);
			memset(otk, 0, 32);
			br_chacha20_ct_run(key, iv, 0, otk, 32);
			size_t padded = (len + 15) / 16 * 16;
			memset(mac, 0, sizeof mac);
			memcpy(mac, data, len);
			for (int i = 0; i < 8; i++)
				mac[padded + 8 + i] = (unsigned char)((uint64_t)len >> (8 * i));
			jb_poly1305(tag, otk, mac, padded + 16);
			CHECK(!memcmp(tag, want, 16));
		}
	}
}

/* RFC 8439 2.3.2: the block function, through the picked ChaCha20 */
static void test_chacha20_block_both_paths(void)
{
	unsigned char key[64], iv[12], blk[64];
	for (int portable = 0; portable < 2; portable++) {
		struct jb_chachapoly c;
		jb_fastcrypto_portable(portable);
		for (int i = 0; i < 64; i++)
			key[i] = (unsigned char)(i & 31);
		CHECK(jb_chachapoly_init(&c, key, 64) == 0);
		CHECK((c.run == br_chacha20_ct_run) == (portable || (!br_chacha20_sse2_get() && !jb_chacha20_avx2_supported())));
		unhex(iv, "000000090000004a00000000");
		memset(blk, 0, sizeof blk);
		CHECK(c.run(c.k_main, iv, 1, blk, 64) == 2);
		CHECK(same_hex(blk, 64, "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
			"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
	}
	jb_fastcrypto_portable(0);
}

/* the three ChaCha20s (ours in AVX2, BearSSL's SSE2 and portable ones)
 * give the same stream on every length around the 512-byte stride, from
 * any counter, in one call or two */
static void test_chacha20_implementations_agree(void)
{
	static unsigned char key[32], iv[12], ref[2100], buf[2100], work[2101];
	br_chacha20_run impl[2] = { jb_chacha20_avx2_supported() ? jb_chacha20_avx2_run : NULL,
		br_chacha20_sse2_get() };
	if (!impl[0] && !impl[1])
		printf("  (neither AVX2 nor SSE2 here: only the portable ChaCha20 runs)\n");
	for (size_t len = 0; len <= 2060; len += (len < 1100 ? 1 : 37)) {
		fill(key, 32); fill(iv, 12);
		uint32_t cc;
		fill((unsigned char *)&cc, 4);
		if (len % 5 == 0)
			cc = 0xfffffff0u; /* the 32-bit counter wraps mid-call */
		fill(ref, len);
		memcpy(buf, ref, len);
		uint32_t want = br_chacha20_ct_run(key, iv, cc, ref, len);
		for (int i = 0; i < 2; i++) {
			if (!impl[i])
				continue;
			unsigned char *b = work + 1; /* unaligned */
			memcpy(b, buf, len);
			size_t half = len / 64 / 2 * 64;
			uint32_t got = impl[i](key, iv, cc, b, half);
			got = impl[i](key, iv, got, b + half, len - half);
			CHECK(got == want);
			CHECK(!memcmp(b, ref, len));
		}
	}
}

/* OpenSSH's packet: K_2 = key[0..32] (payload, Poly1305 key), K_1 =
 * key[32..64] (length), sequence number 7, a 300-byte body */
static const unsigned char ossh_packet[] = {
	0xa3, 0x9a, 0xfd, 0x86, 0x2b, 0x4c, 0x04, 0x5b, 0x51, 0xa5, 0x07, 0x6a,
	0x57, 0x2f, 0xf2, 0xa0, 0x80, 0xd1, 0xb6, 0x40, 0x47, 0xc8, 0xb1, 0xbe,
	0xf1, 0x75, 0xa0, 0x27, 0xeb, 0xd8, 0xa2, 0x1f, 0x47, 0x9d, 0xd6, 0x88,
	0x47, 0xbd, 0x00, 0x5d, 0xea, 0x64, 0xf9, 0xad, 0xb7, 0xf0, 0x4f, 0x1e,
	0x24, 0x0c, 0x4e, 0x3b, 0x24, 0xf6, 0xf1, 0xb7, 0xf0, 0x55, 0x35, 0x77,
	0xf1, 0x76, 0xbf, 0x1a, 0x74, 0x00, 0xe2, 0x4d, 0xc6, 0x08, 0x34, 0xe2,
	0xfe, 0xa4, 0xb9, 0x12, 0xdf, 0xea, 0x86, 0xf3, 0x71, 0x5b, 0xd8, 0xdc,
	0x5b, 0xf7, 0x52, 0xf4, 0xb2, 0x63, 0xa9, 0x96, 0xad, 0xe6, 0x44, 0x7b,
	0xe1, 0xb5, 0xe4, 0xaa, 0x03, 0x3f, 0xe1, 0xe0, 0xea, 0x8f, 0xe8, 0xe3,
	0x91, 0xb8, 0x48, 0xeb, 0x2c, 0xb0, 0xf1, 0xbb, 0x71, 0x57, 0xe1, 0xed,
	0x02, 0x38, 0x6a, 0x95, 0xcd, 0x3a, 0x1c, 0x39, 0x1f, 0xaa, 0xfe, 0x7d,
	0x9e, 0xb2, 0xe0, 0x59, 0x53, 0x07, 0x1f, 0x19, 0x9f, 0xc9, 0xd1, 0x49,
	0x21, 0x3a, 0x29, 0x31, 0xd3, 0xbd, 0xf5, 0x76, 0x7d, 0x10, 0x39, 0x14,
	0xaf, 0x80, 0x83, 0x36, 0x58, 0x39, 0xe1, 0x98, 0xba, 0x3d, 0x43, 0x9e,
	0x26, 0x4f, 0xb0, 0xb2, 0xf2, 0xcb, 0xc5, 0x0f, 0xce, 0xe4, 0xdd, 0xf8,
	0x04, 0xf4, 0x28, 0x0d, 0xd2, 0x9c, 0x6e, 0x59, 0xe9, 0xbe, 0x2a, 0xa9,
	0x63, 0x23, 0x71, 0x35, 0x39, 0x2e, 0xb5, 0x03, 0xeb, 0xe4, 0xc6, 0x5c,
	0x11, 0x86, 0x7a, 0x30, 0x1f, 0x55, 0x8c, 0x53, 0x46, 0xbd, 0x35, 0xf2,
	0x95, 0x1c, 0xdb, 0x35, 0x62, 0x95, 0x3d, 0xdf, 0xc4, 0x47, 0xda, 0x9f,
	0x29, 0x08, 0x46, 0xe4, 0xa7, 0xb8, 0x8e, 0x89, 0x5d, 0x17, 0xcd, 0x86,
	0x1e, 0xe6, 0x1c, 0xaf, 0xda, 0x14, 0xd5, 0xf5, 0x5f, 0x94, 0x05, 0xc8,
	0xa0, 0x03, 0x2e, 0x48, 0x2e, 0xc8, 0x46, 0xb5, 0x6d, 0xeb, 0x33, 0xaa,
	0x24, 0xcc, 0xff, 0xd8, 0x2d, 0x55, 0x37, 0x88, 0x33, 0x25, 0xaa, 0xe9,
	0x45, 0xc2, 0x4a, 0xb4, 0xee, 0xd1, 0x1c, 0x43, 0x73, 0x79, 0xed, 0x80,
	0x93, 0xf9, 0x36, 0xad, 0x5b, 0x17, 0x90, 0x0a, 0xe4, 0x94, 0x11, 0x7d,
	0x84, 0x50, 0x31, 0x77, 0xd9, 0x8d, 0x85, 0xf7, 0x9a, 0xc7, 0x53, 0xfd,
	0xa9, 0xd4, 0x20, 0xaf, 0xd4, 0xc1, 0x16, 0x16,
};

static void test_openssh_chachapoly_both_paths(void)
{
	unsigned char key[64], pkt[320], buf[320], len4[4];
	for (int i = 0; i < 64; i++)
		key[i] = (unsigned char)i;
	pkt[0] = 0; pkt[1] = 0; pkt[2] = 0x01; pkt[3] = 0x2c; /* 300 */
	for (int i = 0; i < 300; i++)
		pkt[4 + i] = (unsigned char)(i * 7 + 3);
	CHECK(sizeof ossh_packet == 320);
	for (int portable = 0; portable < 2; portable++) {
		struct jb_chachapoly c;
		jb_fastcrypto_portable(portable);
		CHECK(jb_chachapoly_init(&c, key, 64) == 0);
		CHECK(jb_chachapoly_init(&c, key, 32) == -1);
		memcpy(buf, pkt, 304);
		CHECK(jb_chachapoly_crypt(&c, 7, buf, buf, 304, 1) == 0);
		CHECK(!memcmp(buf, ossh_packet, 320));
		jb_chachapoly_length(&c, 7, ossh_packet, len4);
		CHECK(!memcmp(len4, pkt, 4));
		/* decrypt into another buffer, then in place */
		CHECK(jb_chachapoly_crypt(&c, 7, ossh_packet, buf, 304, 0) == 0);
		CHECK(!memcmp(buf, pkt, 304));
		memcpy(buf, ossh_packet, 320);
		CHECK(jb_chachapoly_crypt(&c, 7, buf, buf, 304, 0) == 0 && !memcmp(buf, pkt, 304));
		/* a flipped bit anywhere, or the wrong sequence number: refused, untouched */
		for (size_t at = 0; at < 320; at += 53) {
			memcpy(buf, ossh_packet, 320);
			buf[at] ^= 0x10;
			CHECK(jb_chachapoly_crypt(&c, 7, buf, buf, 304, 0) == -1);
			buf[at] ^= 0x10;
			CHECK(!memcmp(buf, ossh_packet, 320));
		}
		CHECK(jb_chachapoly_crypt(&c, 8, buf, buf, 304, 0) == -1);
		CHECK(jb_chachapoly_crypt(&c, 7, buf, buf, 3, 0) == -1);
	}
	jb_fastcrypto_portable(0);
}

/* the GCM specification's test cases 4 (AES-128) and 16 (AES-256) */
static void test_gcm_kat_both_paths(void)
{
	unsigned char k[32], iv[12], p[60], a[20], buf[60], tag[16];
	const char *pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
	unhex(k, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
	unhex(iv, "cafebabefacedbaddecaf888");
	unhex(p, pt);
	unhex(a, "feedfacedeadbeeffeedfacedeadbeefabaddad2");
	for (int portable = 0; portable < 2; portable++) {
		struct jb_gcm g;
		jb_fastcrypto_portable(portable);
		CHECK(jb_gcm_init(&g, k, 16, iv) == 0);
		memcpy(buf, p, 60);
		jb_gcm_aead(&g, iv, a, 20, buf, 60, tag, 1);
		CHECK(same_hex(buf, 60, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"));
		CHECK(same_hex(tag, 16, "5bc94fbc3221a5db94fae95ae7121a47"));
		jb_gcm_aead(&g, iv, a, 20, buf, 60, tag, 0);
		CHECK(!memcmp(buf, p, 60) && same_hex(tag, 16, "5bc94fbc3221a5db94fae95ae7121a47"));
		CHECK(jb_gcm_init(&g, k, 32, iv) == 0);
		jb_gcm_aead(&g, iv, a, 20, buf, 60, tag, 1);
		CHECK(same_hex(buf, 60, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"));
		CHECK(same_hex(tag, 16, "76fc6ece0f4e1768cddf8853bb2d551b"));
		CHECK(jb_gcm_init(&g, k, 24, iv) == -1);
	}
	jb_fastcrypto_portable(0);
}

/* NIST SP 800-38A F.5.1 (CTR-AES128), and carries across 64 and 128 bits
 * (expected blocks computed with OpenSSL through python3-cryptography) */
static void test_ctr_kat_both_paths(void)
{
	unsigned char k[16], ic[16], buf[64];
	unhex(k, "2b7e151628aed2a6abf7158809cf4f3c");
	for (int portable = 0; portable < 2; portable++) {
		struct jb_ctr c;
		jb_fastcrypto_portable(portable);
		unhex(ic, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
		CHECK(jb_ctr_init(&c, k, 16, ic) == 0);
		unhex(buf, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
		/* in two calls, as Dropbear does (first block, then the rest) */
		CHECK(jb_ctr_crypt(&c, buf, buf, 16) == 0 && jb_ctr_crypt(&c, buf + 16, buf + 16, 48) == 0);
		CHECK(same_hex(buf, 64, "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
			"5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"));
		static const char *const wrap[][2] = {
			{ "fffffffffffffffffffffffffffffffe",
			  "d1b714b6fbf5fff1289aee2a4c4eeda38af2860142f786f409307c1a3f7eaaac"
			  "7df76b0c1ab899b33e42f047b91b546f57127d4034b1bebfaef466b9c7726fc6" },
			{ "00000000000000fffffffffffffffffe",
			  "95fff4d7f38cd67de17cf07e7d0717dfdacc9148febbffe342d5805537ea155f"
			  "f644566de02f529aa57d9a6064ac0ab681bca66820a2754afa4e7b135caed7a9" },
		};
		for (size_t w = 0; w < sizeof wrap / sizeof wrap[0]; w++) {
			unhex(ic, wrap[w][0]);
			CHECK(jb_ctr_init(&c, k, 16, ic) == 0);
			memset(buf, 0, 64);
			CHECK(jb_ctr_crypt(&c, buf, buf, 64) == 0);
			CHECK(same_hex(buf, 64, wrap[w][1]));
		}
		CHECK(jb_ctr_crypt(&c, buf, buf, 15) == -1);
	}
	jb_fastcrypto_portable(0);
}

/* the fast and the portable paths give the same packets, on every size a
 * packet can have, through the packet-level calls */
static void test_paths_agree(void)
{
	static unsigned char key[64], iv[16], a[2100], b[2100], pt[2100];
	for (size_t len = 16; len <= 2048; len += 16 + (len < 256 ? 0 : 112)) {
		fill(key, 64); fill(iv, 16); fill(pt, len);
		struct jb_chachapoly c1, c2;
		struct jb_gcm g1, g2;
		struct jb_ctr t1, t2;
		jb_fastcrypto_portable(0);
		jb_chachapoly_init(&c1, key, 64);
		jb_gcm_init(&g1, key, len % 32 ? 16 : 32, iv);
		jb_ctr_init(&t1, key, len % 32 ? 16 : 32, iv);
		jb_fastcrypto_portable(1);
		jb_chachapoly_init(&c2, key, 64);
		jb_gcm_init(&g2, key, len % 32 ? 16 : 32, iv);
		jb_ctr_init(&t2, key, len % 32 ? 16 : 32, iv);
		memcpy(a, pt, len); memcpy(b, pt, len);
		CHECK(jb_chachapoly_crypt(&c1, (uint32_t)len, a, a, len, 1) == 0);
		CHECK(jb_chachapoly_crypt(&c2, (uint32_t)len, b, b, len, 1) == 0);
		CHECK(!memcmp(a, b, len + 16));
		CHECK(jb_chachapoly_crypt(&c1, (uint32_t)len, b, b, len, 0) == 0 && !memcmp(b, pt, len));
		memcpy(a, pt, len); memcpy(b, pt, len);
		CHECK(jb_gcm_crypt(&g1, a, a, len, 1) == 0 && jb_gcm_crypt(&g2, b, b, len, 1) == 0);
		CHECK(!memcmp(a, b, len + 16));
		/* the next packet uses the next nonce on both sides */
		CHECK(jb_gcm_crypt(&g1, a, a, len, 1) == 0 && jb_gcm_crypt(&g2, b, b, len, 1) == 0);
		CHECK(!memcmp(a, b, len + 16));
		memcpy(a, pt, len); memcpy(b, pt, len);
		CHECK(jb_ctr_crypt(&t1, a, a, len) == 0 && jb_ctr_crypt(&t2, b, b, len) == 0);
		CHECK(!memcmp(a, b, len));
	}
	jb_fastcrypto_portable(0);
}

static void test_gcm_packets_and_forgery(void)
{
	unsigned char key[16], iv[12], pkt[100], buf[120];
	struct jb_gcm enc, dec;
	fill(key, 16); fill(iv, 12); fill(pkt, 100);
	iv[11] = 0xff; /* the invocation counter carries into the next byte */
	jb_gcm_init(&enc, key, 16, iv);
	jb_gcm_init(&dec, key, 16, iv);
	for (int n = 0; n < 3; n++) {
		memcpy(buf, pkt, 100);
		CHECK(jb_gcm_crypt(&enc, buf, buf, 100, 1) == 0);
		CHECK(!memcmp(buf, pkt, 4)); /* the length is AAD, in clear */
		CHECK(jb_gcm_crypt(&dec, buf, buf, 100, 0) == 0 && !memcmp(buf, pkt, 100));
	}
	CHECK(enc.iv[11] == 0x02 && enc.iv[10] == (unsigned char)(iv[10] + 1));
	memcpy(buf, pkt, 100);
	CHECK(jb_gcm_crypt(&enc, buf, buf, 100, 1) == 0);
	buf[2] ^= 1; /* the length field is authenticated too */
	CHECK(jb_gcm_crypt(&dec, buf, buf, 100, 0) == -1);
}

static void test_paths_named(void)
{
	jb_fastcrypto_portable(1);
	CHECK(!strcmp(jb_fastcrypto_paths(), "chacha20=ct aes=ct64 ghash=ctmul64 poly1305=radix64"));
	jb_fastcrypto_portable(0);
	const char *p = jb_fastcrypto_paths();
	printf("  (this CPU: %s)\n", p);
	CHECK(strstr(p, br_aes_x86ni_ctr_get_vtable() ? "aes=x86ni" : "aes=ct64") != NULL);
	CHECK(strstr(p, br_ghash_pclmul_get() ? "ghash=pclmul" : "ghash=ctmul64") != NULL);
	CHECK(strstr(p, jb_chacha20_avx2_supported() ? "chacha20=avx2" :
		br_chacha20_sse2_get() ? "chacha20=sse2" : "chacha20=ct") != NULL);
}

int main(void)
{
	RUN(test_poly1305_rfc8439);
	RUN(test_poly1305_against_bearssl);
	RUN(test_chacha20_block_both_paths);
	RUN(test_chacha20_implementations_agree);
	RUN(test_openssh_chachapoly_both_paths);
	RUN(test_gcm_kat_both_paths);
	RUN(test_ctr_kat_both_paths);
	RUN(test_paths_agree);
	RUN(test_gcm_packets_and_forgery);
	RUN(test_paths_named);
	UT_END();
}
