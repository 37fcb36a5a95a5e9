/* jb-fastcrypto: SSH's bulk packet ciphers over BearSSL (see the header):
 * the implementation of each primitive is picked when a key is set up, the
 * fast one when the CPU has its instructions, the portable constant-time one
 * otherwise; Poly1305 for OpenSSH's chacha20-poly1305 construction. */
#include "jb-fastcrypto.h"
#include "jb-chacha20-avx2.h"

#include <stdio.h>
#include <string.h>

static int portable_only;

void jb_fastcrypto_portable(int on) { portable_only = on; }

static br_chacha20_run pick_chacha(void)
{
	if (portable_only)
		return br_chacha20_ct_run;
	if (jb_chacha20_avx2_supported())
		return jb_chacha20_avx2_run;
	br_chacha20_run r = br_chacha20_sse2_get();
	return r ? r : br_chacha20_ct_run;
}

static const br_block_ctr_class *pick_aes_ctr(void)
{
	const br_block_ctr_class *v = portable_only ? NULL : br_aes_x86ni_ctr_get_vtable();
	return v ? v : &br_aes_ct64_ctr_vtable;
}

static const br_block_ctrcbc_class *pick_aes_ctrcbc(void)
{
	const br_block_ctrcbc_class *v = portable_only ? NULL : br_aes_x86ni_ctrcbc_get_vtable();
	return v ? v : &br_aes_ct64_ctrcbc_vtable;
}

static br_ghash pick_ghash(void)
{
	br_ghash g = portable_only ? 0 : br_ghash_pclmul_get();
	return g ? g : br_ghash_ctmul64;
}

const char *jb_fastcrypto_paths(void)
{
	static char s[80];
	snprintf(s, sizeof s, "chacha20=%s aes=%s ghash=%s poly1305=radix64",
		pick_chacha() == br_chacha20_ct_run ? "ct" :
		pick_chacha() == jb_chacha20_avx2_run ? "avx2" : "sse2",
		pick_aes_ctr() == &br_aes_ct64_ctr_vtable ? "ct64" : "x86ni",
		pick_ghash() == br_ghash_ctmul64 ? "ctmul64" : "pclmul");
	return s;
}

/* ---- Poly1305: h = (h + block) * r mod 2^130 - 5, h in two 64-bit words
 * and a small third, r in two words (clamped: r1 is a multiple of 4, so
 * r1 * 2^128 = (r1 / 4) * 2^130 = 5 * r1 / 4 mod p); four 64x64->128 and two
 * 64x64 multiplications per block, no secret-dependent branch or index. */
typedef unsigned __int128 u128;

static uint64_t le64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8); /* x86-64: little-endian */
	return v;
}

void jb_poly1305(unsigned char tag[16], const unsigned char key[32],
		const unsigned char *msg, size_t len)
{
	const uint64_t r0 = le64(key) & 0x0ffffffc0fffffffULL;
	const uint64_t r1 = le64(key + 8) & 0x0ffffffc0ffffffcULL;
	const uint64_t s1 = r1 + (r1 >> 2);
	uint64_t h0 = 0, h1 = 0, h2 = 0;
	unsigned char last[16];

	while (len > 0) {
		const unsigned char *m = msg;
		uint64_t hibit = 1; /* the 2^128 bit */
		if (len >= 16) {
			msg += 16;
			len -= 16;
		} else {
			memset(last, 0, sizeof last);
			memcpy(last, msg, len);
			last[len] = 1;
			m = last;
			hibit = 0;
			len = 0;
		}
		u128 t = (u128)h0 + le64(m);
		h0 = (uint64_t)t;
		t = (t >> 64) + h1 + le64(m + 8);
		h1 = (uint64_t)t;
		h2 += (uint64_t)(t >> 64) + hibit;
		/* h2 <= 5 and r0, s1 < 2^61: no sum below overflows */
		u128 d0 = (u128)h0 * r0 + (u128)h1 * s1;
		u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)(h2 * s1) + (d0 >> 64);
		uint64_t d2 = h2 * r0 + (uint64_t)(d1 >> 64);
		/* the bits from 2^130 up, times 5, back at the bottom */
		t = (u128)(uint64_t)d0 + ((d2 & ~3ULL) + (d2 >> 2));
		h0 = (uint64_t)t;
		t = (t >> 64) + (uint64_t)d1;
		h1 = (uint64_t)t;
		h2 = (d2 & 3) + (uint64_t)(t >> 64);
	}
	/* h < 2p: h - p when h + 5 reaches 2^130 (masks, no branch) */
	u128 t = (u128)h0 + 5;
	uint64_t g0 = (uint64_t)t;
	t = (t >> 64) + h1;
	uint64_t g1 = (uint64_t)t;
	uint64_t g2 = h2 + (uint64_t)(t >> 64);
	uint64_t mask = 0 - (g2 >> 2);
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	/* tag = (h + s) mod 2^128 */
	t = (u128)h0 + le64(key + 16);
	h0 = (uint64_t)t;
	h1 += le64(key + 24) + (uint64_t)(t >> 64);
	memcpy(tag, &h0, 8);
	memcpy(tag + 8, &h1, 8);
	memset(last, 0, sizeof last);
}

/* constant-time comparison of two 16-byte tags: 0 when equal */
static int tag_differs(const unsigned char *a, const unsigned char *b)
{
	unsigned char d = 0;
	for (int i = 0; i < 16; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d != 0;
}

/* ---- chacha20-poly1305@openssh.com (OpenSSH's PROTOCOL.chacha20poly1305):
 * the nonce is the 64-bit sequence number; the original ChaCha20's words
 * 12-13 (64-bit counter) and 14-15 (nonce) are RFC 8439's counter word and
 * a 96-bit nonce of 4 zero bytes then the sequence number, big-endian,
 * as long as the block counter stays below 2^32 (a packet is < 256 KiB) */
int jb_chachapoly_init(struct jb_chachapoly *c, const unsigned char *key, size_t keylen)
{
	if (keylen != 64)
		return -1;
	memcpy(c->k_main, key, 32);
	memcpy(c->k_hdr, key + 32, 32);
	c->run = pick_chacha();
	return 0;
}

static void seq_nonce(unsigned char iv[12], uint32_t seq)
{
	memset(iv, 0, 8);
	iv[8] = (unsigned char)(seq >> 24);
	iv[9] = (unsigned char)(seq >> 16);
	iv[10] = (unsigned char)(seq >> 8);
	iv[11] = (unsigned char)seq;
}

void jb_chachapoly_length(const struct jb_chachapoly *c, uint32_t seq,
		const unsigned char in[4], unsigned char out[4])
{
	unsigned char iv[12];
	seq_nonce(iv, seq);
	memmove(out, in, 4);
	c->run(c->k_hdr, iv, 0, out, 4);
}

int jb_chachapoly_crypt(const struct jb_chachapoly *c, uint32_t seq,
		const unsigned char *in, unsigned char *out, size_t len, int encrypt)
{
	unsigned char iv[12], pkey[32];
	if (len < 4 || len > 0x3fffffffUL)
		return -1;
	seq_nonce(iv, seq);
	memset(pkey, 0, sizeof pkey);
	c->run(c->k_main, iv, 0, pkey, sizeof pkey);
	if (!encrypt) {
		unsigned char tag[16];
		jb_poly1305(tag, pkey, in, len);
		if (tag_differs(tag, in + len)) {
			memset(pkey, 0, sizeof pkey);
			return -1;
		}
	}
	if (in != out)
		memmove(out, in, len);
	c->run(c->k_hdr, iv, 0, out, 4);
	c->run(c->k_main, iv, 1, out + 4, len - 4);
	if (encrypt)
		jb_poly1305(out + len, pkey, out, len);
	memset(pkey, 0, sizeof pkey);
	return 0;
}

/* ---- aes*-gcm@openssh.com (RFC 5647) */
int jb_gcm_init(struct jb_gcm *g, const unsigned char *key, size_t keylen,
		const unsigned char iv[12])
{
	if (keylen != 16 && keylen != 32)
		return -1;
	const br_block_ctr_class *vt = pick_aes_ctr();
	vt->init(&g->aes.vtable, key, keylen);
	br_gcm_init(&g->gcm, &g->aes.vtable, pick_ghash());
	memcpy(g->iv, iv, 12);
	return 0;
}

void jb_gcm_aead(struct jb_gcm *g, const unsigned char iv[12], const unsigned char *aad,
		size_t aadlen, unsigned char *data, size_t len, unsigned char tag[16], int encrypt)
{
	/* the context may have been copied since br_gcm_init */
	g->gcm.bctx = &g->aes.vtable;
	br_gcm_reset(&g->gcm, iv, 12);
	br_gcm_aad_inject(&g->gcm, aad, aadlen);
	br_gcm_flip(&g->gcm);
	br_gcm_run(&g->gcm, encrypt, data, len);
	br_gcm_get_tag(&g->gcm, tag);
}

int jb_gcm_crypt(struct jb_gcm *g, const unsigned char *in, unsigned char *out,
		size_t len, int encrypt)
{
	unsigned char tag[16];
	int bad = 0;
	if (len < 4)
		return -1;
	if (in != out)
		memmove(out, in, len);
	jb_gcm_aead(g, g->iv, out, 4, out + 4, len - 4, tag, encrypt);
	if (encrypt)
		memcpy(out + len, tag, 16);
	else
		bad = tag_differs(tag, in + len);
	/* the invocation counter: the nonce's last 8 bytes, big-endian */
	for (int i = 11; i >= 4 && ++g->iv[i] == 0; i--)
		;
	return bad ? -1 : 0;
}

/* ---- aes*-ctr (RFC 4344) */
int jb_ctr_init(struct jb_ctr *c, const unsigned char *key, size_t keylen,
		const unsigned char iv[16])
{
	if (keylen != 16 && keylen != 24 && keylen != 32)
		return -1;
	const br_block_ctrcbc_class *vt = pick_aes_ctrcbc();
	vt->init(&c->aes.vtable, key, keylen);
	memcpy(c->ctr, iv, 16);
	return 0;
}

int jb_ctr_crypt(struct jb_ctr *c, const unsigned char *in, unsigned char *out, size_t len)
{
	if (len % 16 != 0)
		return -1;
	if (in != out)
		memmove(out, in, len);
	if (len)
		c->aes.vtable->ctr(&c->aes.vtable, c->ctr, out, len);
	return 0;
}
