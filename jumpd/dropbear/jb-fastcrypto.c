/* jb-fastcrypto: SSH's bulk packet ciphers over BearSSL (see the header):
 * the implementation of each primitive is picked when a key is set up, the
 * fast one when the CPU has its instructions, the portable constant-time one
 * otherwise; Poly1305 for OpenSSH's chacha20-poly1305 construction. */
#include "jb-fastcrypto.h"

#include <stdio.h>
#include <string.h>

static int portable_only;

void jb_fastcrypto_portable(int on) { portable_only = on; }

static br_chacha20_run pick_chacha(void)
{
	br_chacha20_run r = portable_only ? 0 : br_chacha20_sse2_get();
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
	snprintf(s, sizeof s, "chacha20=%s aes=%s ghash=%s poly1305=radix44",
		pick_chacha() == br_chacha20_ct_run ? "ct" : "sse2",
		pick_aes_ctr() == &br_aes_ct64_ctr_vtable ? "ct64" : "x86ni",
		pick_ghash() == br_ghash_ctmul64 ? "ctmul64" : "pclmul");
	return s;
}

/* ---- Poly1305: h = (h + block) * r mod 2^130 - 5 in three limbs of
 * 44, 44 and 42 bits; the products fit 128 bits. */
typedef unsigned __int128 u128;
#define M44 0xfffffffffffULL
#define M42 0x3ffffffffffULL

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

void jb_poly1305(unsigned char tag[16], const unsigned char key[32],
		const unsigned char *msg, size_t len)
{
	uint64_t t0 = le64(key), t1 = le64(key + 8);
	/* r clamped (RFC 8439 2.5.1), split into limbs */
	const uint64_t r0 = t0 & 0xffc0fffffffULL;
	const uint64_t r1 = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffffULL;
	const uint64_t r2 = (t1 >> 24) & 0x00ffffffc0fULL;
	/* 2^132 = 4 * 2^130 = 20 mod p: the wrapped products */
	const uint64_t s1 = r1 * 20, s2 = r2 * 20;
	uint64_t h0 = 0, h1 = 0, h2 = 0, c;
	unsigned char last[16];

	while (len > 0) {
		const unsigned char *m = msg;
		uint64_t hibit = 1ULL << 40; /* the 2^128 bit, in limb 2 */
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
		t0 = le64(m);
		t1 = le64(m + 8);
		h0 += t0 & M44;
		h1 += ((t0 >> 44) | (t1 << 20)) & M44;
		h2 += ((t1 >> 24) & M42) | hibit;
		u128 d0 = (u128)h0 * r0 + (u128)h1 * s2 + (u128)h2 * s1;
		u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s2;
		u128 d2 = (u128)h0 * r2 + (u128)h1 * r1 + (u128)h2 * r0;
		c = (uint64_t)(d0 >> 44);
		h0 = (uint64_t)d0 & M44;
		d1 += c;
		c = (uint64_t)(d1 >> 44);
		h1 = (uint64_t)d1 & M44;
		d2 += c;
		c = (uint64_t)(d2 >> 42);
		h2 = (uint64_t)d2 & M42;
		h0 += c * 5;
		c = h0 >> 44;
		h0 &= M44;
		h1 += c;
	}
	/* full carry, twice */
	for (int i = 0; i < 2; i++) {
		c = h1 >> 44; h1 &= M44; h2 += c;
		c = h2 >> 42; h2 &= M42; h0 += c * 5;
		c = h0 >> 44; h0 &= M44; h1 += c;
	}
	/* g = h - p; keep h if that went negative (masks, no branch) */
	uint64_t g0 = h0 + 5;
	c = g0 >> 44; g0 &= M44;
	uint64_t g1 = h1 + c;
	c = g1 >> 44; g1 &= M44;
	uint64_t g2 = h2 + c - (1ULL << 42);
	c = (g2 >> 63) - 1; /* all ones when h >= p */
	h0 = (h0 & ~c) | (g0 & c);
	h1 = (h1 & ~c) | (g1 & c);
	h2 = (h2 & ~c) | (g2 & c);
	/* tag = (h + s) mod 2^128 */
	t0 = le64(key + 16);
	t1 = le64(key + 24);
	h0 += t0 & M44;
	c = h0 >> 44; h0 &= M44;
	h1 += (((t0 >> 44) | (t1 << 20)) & M44) + c;
	c = h1 >> 44; h1 &= M44;
	h2 += ((t1 >> 24) & M42) + c;
	h2 &= M42;
	put_le64(tag, h0 | (h1 << 44));
	put_le64(tag + 8, (h1 >> 20) | (h2 << 24));
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
	unsigned char iv[12], pkey[32], tag[16];
	if (len < 4 || len > 0x3fffffffUL)
		return -1;
	seq_nonce(iv, seq);
	memset(pkey, 0, sizeof pkey);
	c->run(c->k_main, iv, 0, pkey, sizeof pkey);
	if (!encrypt) {
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
