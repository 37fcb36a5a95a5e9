/* auditsign: the audit signing key and checkpoint signatures (see
 * auditsign.h). BearSSL's constant-time P-256 (m31) and ECDSA (i31). */
#include "auditsign.h"
#include "durable.h"
#include "hex.h"
#include "readfile.h"

#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define KEY_TAG "jumpbox-audit-key 1 "
#define DIGEST_LABEL "jumpbox audit checkpoint v1"

static const br_ec_impl *ec(void)
{
	return &br_ec_p256_m31;
}

static int derive_pub(struct auditsign_key *k)
{
	br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = k->sk, .xlen = sizeof k->sk };
	br_ec_public_key pk;
	unsigned char kbuf[BR_EC_KBUF_PUB_MAX_SIZE];
	if (br_ec_compute_pub(ec(), &pk, kbuf, &sk) != AUDITSIGN_PK_LEN)
		return -1;
	memcpy(k->pk, pk.q, AUDITSIGN_PK_LEN);
	k->can_sign = 1;
	return 0;
}

static int make_key(struct auditsign_key *k)
{
	uint8_t seed[48];
	br_hmac_drbg_context drbg;
	br_ec_private_key sk;
	unsigned char kbuf[BR_EC_KBUF_PRIV_MAX_SIZE];
	size_t got = 0;
	while (got < sizeof seed) {
		ssize_t n = getrandom(seed + got, sizeof seed - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	br_hmac_drbg_init(&drbg, &br_sha256_vtable, seed, sizeof seed);
	memset(seed, 0, sizeof seed);
	size_t len = br_ec_keygen(&drbg.vtable, ec(), &sk, kbuf, BR_EC_secp256r1);
	if (len != sizeof k->sk)
		return -1;
	memcpy(k->sk, sk.x, sizeof k->sk);
	memset(kbuf, 0, sizeof kbuf);
	memset(&drbg, 0, sizeof drbg);
	return derive_pub(k);
}

int auditsign_load_or_create(struct auditsign_key *k, const char *path, int *created, char *err, size_t errlen)
{
	char buf[256];
	size_t len;
	memset(k, 0, sizeof *k);
	*created = 0;
	if (readfile_whole(path, O_NOFOLLOW, buf, sizeof buf, &len) == 0) {
		size_t tag = sizeof KEY_TAG - 1;
		if (len != tag + 65 || memcmp(buf, KEY_TAG, tag) != 0 || buf[tag + 64] != '\n' ||
		    hex_decode(buf + tag, k->sk, sizeof k->sk) || derive_pub(k)) {
			memset(buf, 0, sizeof buf);
			memset(k, 0, sizeof *k);
			snprintf(err, errlen, "%s: not an audit signing key (want one line \"%s<64 hex>\")", path, KEY_TAG);
			return -1;
		}
		memset(buf, 0, sizeof buf);
		return 0;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (make_key(k)) {
		snprintf(err, errlen, "cannot make an audit signing key: no randomness");
		return -1;
	}
	memcpy(buf, KEY_TAG, sizeof KEY_TAG - 1);
	hex_encode(k->sk, sizeof k->sk, buf + sizeof KEY_TAG - 1);
	len = sizeof KEY_TAG - 1 + 64;
	buf[len++] = '\n';
	int rc = durable_replace(path, buf, len, 0600);
	memset(buf, 0, sizeof buf);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		memset(k, 0, sizeof *k);
		return -1;
	}
	*created = 1;
	return 0;
}

int auditsign_pub_from_hex(struct auditsign_key *k, const char *hex, size_t len)
{
	static const unsigned char one[1] = { 1 };
	unsigned char point[AUDITSIGN_PK_LEN];
	memset(k, 0, sizeof *k);
	if (len != (size_t)2 * AUDITSIGN_PK_LEN || hex_decode(hex, k->pk, AUDITSIGN_PK_LEN) || k->pk[0] != 4)
		return -1;
	/* on the curve: the implementation's multiply refuses any other point */
	memcpy(point, k->pk, sizeof point);
	if (!ec()->mul(point, sizeof point, one, sizeof one, BR_EC_secp256r1))
		return -1;
	return 0;
}

void auditsign_pub_hex(const struct auditsign_key *k, char out[AUDITSIGN_PK_HEX])
{
	hex_encode(k->pk, AUDITSIGN_PK_LEN, out);
}

void auditsign_fingerprint(const struct auditsign_key *k, char out[AUDITSIGN_FP_HEX])
{
	br_sha256_context c;
	uint8_t h[32];
	br_sha256_init(&c);
	br_sha256_update(&c, k->pk, AUDITSIGN_PK_LEN);
	br_sha256_out(&c, h);
	hex_encode(h, 16, out);
}

void auditsign_digest(const char *host, uint64_t seq, const uint8_t prev[32], uint8_t out[32])
{
	br_sha256_context c;
	char num[24];
	int n = snprintf(num, sizeof num, "%llu", (unsigned long long)seq);
	br_sha256_init(&c);
	br_sha256_update(&c, DIGEST_LABEL, sizeof DIGEST_LABEL); /* with its NUL */
	br_sha256_update(&c, host, strlen(host) + 1);
	br_sha256_update(&c, num, (size_t)n + 1);
	br_sha256_update(&c, prev, 32);
	br_sha256_out(&c, out);
}

int auditsign_sign(const struct auditsign_key *k, const uint8_t digest[32], uint8_t sig[AUDITSIGN_SIG_LEN])
{
	if (!k->can_sign)
		return -1;
	br_ec_private_key sk = { .curve = BR_EC_secp256r1, .x = (unsigned char *)k->sk, .xlen = sizeof k->sk };
	return br_ecdsa_i31_sign_raw(ec(), &br_sha256_vtable, digest, &sk, sig) == AUDITSIGN_SIG_LEN ? 0 : -1;
}

int auditsign_verify(const struct auditsign_key *k, const uint8_t digest[32], const uint8_t sig[AUDITSIGN_SIG_LEN])
{
	br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = (unsigned char *)k->pk, .qlen = AUDITSIGN_PK_LEN };
	return br_ecdsa_i31_vrfy_raw(ec(), digest, 32, &pk, sig, AUDITSIGN_SIG_LEN) == 1;
}
