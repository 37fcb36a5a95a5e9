/* auditsign: the box's audit signing key and the signature of a checkpoint.
 * The hash chain (auditrec.h) proves order: whoever can rewrite a stored
 * trail can also recompute plain SHA-256 over it. A checkpoint record
 * (AUDIT_CHECKPOINT, written by jumpd every minute, every
 * AUDITSIGN_EVERY_RECORDS records and at a stop) carries an ECDSA P-256
 * signature, made with a per-box key that never leaves the box, over the
 * chain value it follows (its own prev) and its own sequenceId and host:
 * since prev is the hash of everything before, one signature covers the
 * whole trail up to that checkpoint, and nobody without the key (a
 * collector, whoever holds the log server) can make a valid one after an
 * edit. Deterministic signatures (BearSSL: RFC 6979 nonces), so a weak
 * random source at signing time cannot leak the key.
 * The key file (jumpd's, 0600, on the state volume) holds the private
 * scalar as one line "jumpbox-audit-key 1 <64 hex>"; the verifier gets the
 * public key (130 hex: an uncompressed point) from the operator, who read
 * it once off the console or JUMPD_START at first boot.
 * Caller-owned buffers, no allocation. */
#ifndef JB_AUDITSIGN_H
#define JB_AUDITSIGN_H
#include <stddef.h>
#include <stdint.h>

#define AUDITSIGN_PK_LEN 65            /* 0x04 || X || Y */
#define AUDITSIGN_SIG_LEN 64           /* r || s, raw */
#define AUDITSIGN_PK_HEX (2 * AUDITSIGN_PK_LEN + 1)
#define AUDITSIGN_SIG_HEX (2 * AUDITSIGN_SIG_LEN + 1)
#define AUDITSIGN_FP_HEX 33            /* SHA-256 of the public key, first 16 bytes, hex */
#define AUDITSIGN_EVERY_RECORDS 256    /* a checkpoint after at most this many records */
#define AUDITSIGN_EVERY_MS 60000       /* and at least once a minute (the heartbeat) */

struct auditsign_key {
	uint8_t sk[32];                /* private scalar (all zero in a verify-only key) */
	uint8_t pk[AUDITSIGN_PK_LEN];
	int can_sign;
};

/* Loads the key at path (opened O_NOFOLLOW), or, if there is none, makes
 * one from getrandom and writes it durably (0600). *created: 1 if it was
 * made now. Returns 0, or -1 with a reason in err (a file that is not a key
 * is an error, never replaced). */
int auditsign_load_or_create(struct auditsign_key *k, const char *path, int *created, char *err, size_t errlen);

/* A verify-only key from 130 lower-case hex digits (an uncompressed P-256
 * point on the curve). Returns 0, or -1. */
int auditsign_pub_from_hex(struct auditsign_key *k, const char *hex, size_t len);

/* The public key as hex (AUDITSIGN_PK_HEX bytes) and its fingerprint
 * (AUDITSIGN_FP_HEX bytes), the short form checkpoints name. */
void auditsign_pub_hex(const struct auditsign_key *k, char out[AUDITSIGN_PK_HEX]);
void auditsign_fingerprint(const struct auditsign_key *k, char out[AUDITSIGN_FP_HEX]);

/* The value a checkpoint signs: SHA-256 over a fixed label, the host, the
 * checkpoint's sequenceId (decimal) and its prev, NUL-separated. */
void auditsign_digest(const char *host, uint64_t seq, const uint8_t prev[32], uint8_t out[32]);

/* Signs digest (a key that can sign). Returns 0, or -1. */
int auditsign_sign(const struct auditsign_key *k, const uint8_t digest[32], uint8_t sig[AUDITSIGN_SIG_LEN]);

/* 1 if sig is the key's signature of digest, 0 if not. */
int auditsign_verify(const struct auditsign_key *k, const uint8_t digest[32], const uint8_t sig[AUDITSIGN_SIG_LEN]);
#endif
