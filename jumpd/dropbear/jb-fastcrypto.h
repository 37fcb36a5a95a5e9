/* jb-fastcrypto: the SSH packet ciphers Dropbear uses for bulk data, over
 * BearSSL's constant-time code with run-time CPU checks (patch 0009 calls
 * these from Dropbear's chachapoly.c, gcm.c and common-algo.c):
 *   chacha20-poly1305@openssh.com  ChaCha20 ours in AVX2 (jb-chacha20-avx2.c),
 *                                  else br_chacha20_sse2_run (SSE2), else
 *                                  br_chacha20_ct_run; Poly1305 ours (below)
 *   aes128/256-gcm@openssh.com     AES br_aes_x86ni_ctr (AES-NI) or
 *                                  br_aes_ct64_ctr; GHASH br_ghash_pclmul
 *                                  (PCLMULQDQ) or br_ghash_ctmul64
 *   aes128/256-ctr                 br_aes_x86ni_ctrcbc or br_aes_ct64_ctrcbc
 *                                  (128-bit big-endian counter, as RFC 4344)
 * Poly1305 is computed here (radix 2^64, 64x64->128 multiplications, no
 * secret-dependent branch or index): OpenSSH's construction MACs the raw
 * packet, and BearSSL exposes Poly1305 only inside RFC 8439's AEAD framing.
 * No Dropbear header is used, so the unit test builds it alone. */
#ifndef JB_FASTCRYPTO_H
#define JB_FASTCRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include <bearssl.h>

/* chacha20-poly1305@openssh.com: K_2 (main, first 32 bytes of the key
 * material) and K_1 (the length header's, next 32) */
struct jb_chachapoly {
	unsigned char k_main[32];
	unsigned char k_hdr[32];
	br_chacha20_run run; /* picked once: the CPU check costs a cpuid */
};

/* aes*-gcm@openssh.com (RFC 5647): the AES context, GHASH state, nonce */
struct jb_gcm {
	union {
		const br_block_ctr_class *vtable;
		br_aes_x86ni_ctr_keys ni;
		br_aes_ct64_ctr_keys ct64;
	} aes;
	br_gcm_context gcm;
	unsigned char iv[12];
};

/* aes*-ctr (RFC 4344): the AES context and the 128-bit counter */
struct jb_ctr {
	union {
		const br_block_ctrcbc_class *vtable;
		br_aes_x86ni_ctrcbc_keys ni;
		br_aes_ct64_ctrcbc_keys ct64;
	} aes;
	unsigned char ctr[16];
};

/* Force the portable paths (1) or let the CPU check decide (0, the
 * default). Applies to contexts set up afterwards; for tests. */
void jb_fastcrypto_portable(int on);
/* The paths set-ups now take, e.g. "chacha20=avx2 aes=x86ni ghash=pclmul
 * poly1305=radix64" */
const char *jb_fastcrypto_paths(void);

/* Poly1305 (RFC 8439 section 2.5) of msg under a one-time 32-byte key */
void jb_poly1305(unsigned char tag[16], const unsigned char key[32],
		const unsigned char *msg, size_t len);

/* All return 0, or -1 on a bad argument or (decryption) a wrong tag; in
 * and out may be the same buffer. */
int jb_chachapoly_init(struct jb_chachapoly *c, const unsigned char *key, size_t keylen);
/* the packet length field of packet seq, decrypted (4 bytes) */
void jb_chachapoly_length(const struct jb_chachapoly *c, uint32_t seq,
		const unsigned char in[4], unsigned char out[4]);
/* len bytes (length field included) then the 16-byte tag at in + len;
 * encrypting writes the tag at out + len; decrypting checks it first */
int jb_chachapoly_crypt(const struct jb_chachapoly *c, uint32_t seq,
		const unsigned char *in, unsigned char *out, size_t len, int encrypt);

int jb_gcm_init(struct jb_gcm *g, const unsigned char *key, size_t keylen,
		const unsigned char iv[12]);
/* RFC 5647: the 4-byte length field is AAD, the tag follows at +len; the
 * invocation counter (last 8 bytes of the nonce) advances per packet */
int jb_gcm_crypt(struct jb_gcm *g, const unsigned char *in, unsigned char *out,
		size_t len, int encrypt);
/* one GCM operation with any nonce and AAD, data in place; tag gets the
 * computed tag either way (what jb_gcm_crypt does per packet) */
void jb_gcm_aead(struct jb_gcm *g, const unsigned char iv[12], const unsigned char *aad,
		size_t aadlen, unsigned char *data, size_t len, unsigned char tag[16], int encrypt);

int jb_ctr_init(struct jb_ctr *c, const unsigned char *key, size_t keylen,
		const unsigned char iv[16]);
/* len must be a multiple of 16 (SSH packets are, with a 16-byte block) */
int jb_ctr_crypt(struct jb_ctr *c, const unsigned char *in, unsigned char *out, size_t len);

#endif
