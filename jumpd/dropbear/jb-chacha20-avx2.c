/* jb-chacha20-avx2: ChaCha20 eight blocks at a time (see the header). Lane j
 * of vector i holds word i of block cc + j; after the rounds, 4x4 transposes
 * in each 128-bit half and a swap of halves give the blocks in order. */
#include "jb-chacha20-avx2.h"

#include <bearssl.h>
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int jb_chacha20_avx2_supported(void)
{
	unsigned a, b, c, d, lo, hi;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 6) != 6) /* XMM and YMM state saved by the OS */
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & bit_AVX2) != 0;
}

#define TGT __attribute__((target("avx2")))

TGT static inline __m256i rotl(__m256i v, int n)
{
	return _mm256_or_si256(_mm256_slli_epi32(v, n), _mm256_srli_epi32(v, 32 - n));
}

#define INL __attribute__((target("avx2"), always_inline)) static inline

INL void qr(__m256i *a, __m256i *b, __m256i *c, __m256i *d, __m256i r16, __m256i r8)
{
	*a = _mm256_add_epi32(*a, *b); *d = _mm256_shuffle_epi8(_mm256_xor_si256(*d, *a), r16);
	*c = _mm256_add_epi32(*c, *d); *b = rotl(_mm256_xor_si256(*b, *c), 12);
	*a = _mm256_add_epi32(*a, *b); *d = _mm256_shuffle_epi8(_mm256_xor_si256(*d, *a), r8);
	*c = _mm256_add_epi32(*c, *d); *b = rotl(_mm256_xor_si256(*b, *c), 7);
}

/* 4x4 transpose of 32-bit words in each 128-bit half of v[0..3] */
INL void t4(__m256i v[4])
{
	__m256i t0 = _mm256_unpacklo_epi32(v[0], v[1]), t1 = _mm256_unpackhi_epi32(v[0], v[1]);
	__m256i t2 = _mm256_unpacklo_epi32(v[2], v[3]), t3 = _mm256_unpackhi_epi32(v[2], v[3]);
	v[0] = _mm256_unpacklo_epi64(t0, t2); v[1] = _mm256_unpackhi_epi64(t0, t2);
	v[2] = _mm256_unpacklo_epi64(t1, t3); v[3] = _mm256_unpackhi_epi64(t1, t3);
}

/* xor 32 bytes at p with v */
INL void xor32(unsigned char *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p,
		_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)p), v));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

TGT static void eight_blocks(const __m256i s[16], unsigned char *out)
{
	const __m256i r16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
		2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
	const __m256i r8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
		3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
	__m256i x[16];
	for (int i = 0; i < 16; i++)
		x[i] = s[i];
	for (int i = 0; i < 10; i++) {
		qr(&x[0], &x[4], &x[8], &x[12], r16, r8); qr(&x[1], &x[5], &x[9], &x[13], r16, r8);
		qr(&x[2], &x[6], &x[10], &x[14], r16, r8); qr(&x[3], &x[7], &x[11], &x[15], r16, r8);
		qr(&x[0], &x[5], &x[10], &x[15], r16, r8); qr(&x[1], &x[6], &x[11], &x[12], r16, r8);
		qr(&x[2], &x[7], &x[8], &x[13], r16, r8); qr(&x[3], &x[4], &x[9], &x[14], r16, r8);
	}
	for (int i = 0; i < 16; i++)
		x[i] = _mm256_add_epi32(x[i], s[i]);
	/* after t4: x[0] = words 0-3 of blocks 0 | 4, x[1] = blocks 1 | 5, ... */
	t4(x); t4(x + 4); t4(x + 8); t4(x + 12);
	for (size_t j = 0; j < 4; j++) {
		xor32(out + 64 * j, _mm256_permute2x128_si256(x[j], x[4 + j], 0x20));
		xor32(out + 64 * j + 32, _mm256_permute2x128_si256(x[8 + j], x[12 + j], 0x20));
		xor32(out + 64 * (j + 4), _mm256_permute2x128_si256(x[j], x[4 + j], 0x31));
		xor32(out + 64 * (j + 4) + 32, _mm256_permute2x128_si256(x[8 + j], x[12 + j], 0x31));
	}
}

TGT uint32_t jb_chacha20_avx2_run(const void *key, const void *iv, uint32_t cc,
		void *data, size_t len)
{
	const unsigned char *k = key, *n = iv;
	unsigned char *p = data;
	__m256i s[16];
	s[0] = _mm256_set1_epi32(0x61707865);
	s[1] = _mm256_set1_epi32(0x3320646e);
	s[2] = _mm256_set1_epi32(0x79622d32);
	s[3] = _mm256_set1_epi32(0x6b206574);
	for (size_t i = 0; i < 8; i++)
		s[4 + i] = _mm256_set1_epi32((int)le32(k + 4 * i));
	for (size_t i = 0; i < 3; i++)
		s[13 + i] = _mm256_set1_epi32((int)le32(n + 4 * i));
	while (len >= 512) {
		s[12] = _mm256_add_epi32(_mm256_set1_epi32((int)cc), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
		eight_blocks(s, p);
		cc += 8;
		p += 512;
		len -= 512;
	}
	memset(s, 0, sizeof s);
	if (len) {
		/* picked once: the CPU check costs a cpuid */
		static br_chacha20_run tail;
		if (!tail)
			tail = br_chacha20_sse2_get();
		if (!tail)
			tail = br_chacha20_ct_run;
		cc = tail(key, iv, cc, p, len);
	}
	return cc;
}
