/* sha256x: SHA-256 for the hash chains (auditrec_hash over every record
 * line, recchain over every recorded byte), with the CPU's SHA extensions
 * (SHA-NI) when it has them and BearSSL's portable code when not (QEMU's
 * default CPU, older x86). The recording trail hashes each byte of a
 * session's output about 2.5 times (the chunk, then the line holding its
 * base64): with BearSSL's portable rounds that is most of the recorder's
 * CPU, with SHA-NI a small part of it. Same digests either way (the unit
 * test checks them against BearSSL over many lengths and splits).
 * The CPU check runs once (cpuid). Caller-owned context, no allocation.
 * Header-only (static inline), like hex.h: every program that links
 * auditrec.c gets it without a new object in its build lines. */
#ifndef JB_SHA256X_H
#define JB_SHA256X_H
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

struct sha256x {
	br_sha256_context br;         /* without SHA-NI */
	uint32_t h[8];                /* with it: the state, */
	uint8_t buf[64];              /* a partial block */
	size_t fill;
	uint64_t count;               /* bytes hashed */
	int ni;
};

#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* sha256x_init, sha256x_update, sha256x_out: as br_sha256_*; the digest
 * of everything given, the context then spent. sha256x_accelerated: 1 if
 * this CPU's SHA extensions are used, 0 if BearSSL's portable code. */
#if defined(__x86_64__)

static const uint32_t sha256x_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* nblocks 64-byte blocks into state: two rounds per SHA256RNDS2, the
 * message schedule by SHA256MSG1/MSG2, the state kept as ABEF and CDGH
 * as the instructions want it */
__attribute__((target("sha,sse4.1,ssse3"))) static inline void sha256x_blocks_ni(uint32_t state[8], const uint8_t *p,
								   size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&state[0]), 0xb1); /* CDAB */
	__m128i st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&state[4]), 0x1b); /* EFGH */
	__m128i st0 = _mm_alignr_epi8(tmp, st1, 8);  /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xf0);        /* CDGH */
	for (; nblocks > 0; nblocks--, p += 64) {
		__m128i abef = st0, cdgh = st1, w[4];
		for (int k = 0; k < 4; k++)
			w[k] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k)), bswap);
		for (int i = 0; i < 16; i++) {
			__m128i m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)(const void *)&sha256x_k[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, m);
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0e));
			if (i < 12) { /* W[4i+16 .. 4i+19] into the slot just used */
				__m128i w7 = _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4);
				w[i & 3] = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]), w7), w[(i + 3) & 3]);
			}
		}
		st0 = _mm_add_epi32(st0, abef);
		st1 = _mm_add_epi32(st1, cdgh);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1b);           /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xb1);           /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xf0);        /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);           /* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&state[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&state[4], st1);
}

static inline int sha256x_accelerated(void)
{
	static int known = -1;
	unsigned a, b, c, d;
	if (known < 0) {
		int sse = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
		known = sse && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA) ? 1 : 0;
	}
	return known;
}
#else
static inline void sha256x_blocks_ni(uint32_t state[8], const uint8_t *p, size_t nblocks)
{
	(void)state, (void)p, (void)nblocks;
}

static inline int sha256x_accelerated(void)
{
	return 0;
}
#endif

static inline void sha256x_init(struct sha256x *c)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	c->ni = sha256x_accelerated();
	c->fill = 0;
	c->count = 0;
	if (!c->ni)
		br_sha256_init(&c->br);
	memcpy(c->h, iv, sizeof iv);
}

static inline void sha256x_update(struct sha256x *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	if (!c->ni) {
		br_sha256_update(&c->br, data, len);
		return;
	}
	c->count += len;
	if (c->fill) {
		size_t n = 64 - c->fill < len ? 64 - c->fill : len;
		memcpy(c->buf + c->fill, p, n);
		c->fill += n;
		p += n;
		len -= n;
		if (c->fill < 64)
			return;
		sha256x_blocks_ni(c->h, c->buf, 1);
		c->fill = 0;
	}
	if (len >= 64) {
		sha256x_blocks_ni(c->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	memcpy(c->buf, p, len);
	c->fill = len;
}

static inline void sha256x_out(struct sha256x *c, uint8_t out[32])
{
	if (!c->ni) {
		br_sha256_out(&c->br, out);
		return;
	}
	uint64_t bits = c->count * 8;
	c->buf[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->buf + c->fill, 0, 64 - c->fill);
		sha256x_blocks_ni(c->h, c->buf, 1);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256x_blocks_ni(c->h, c->buf, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}
#endif
