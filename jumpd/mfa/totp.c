/* totp: RFC 4226 HOTP / RFC 6238 TOTP (see totp.h). */
#include "totp.h"

#include <bearssl.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

static const br_hash_class *alg_hash(enum totp_alg alg)
{
	switch (alg) {
	case TOTP_SHA1: return &br_sha1_vtable;
	case TOTP_SHA256: return &br_sha256_vtable;
	case TOTP_SHA512: return &br_sha512_vtable;
	}
	return NULL;
}

/* Clears key-derived state. Through a volatile pointer, because a memset
 * right before the object dies is a dead store the compiler may drop. */
static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n-- > 0)
		*v++ = 0;
}

static const uint32_t pow10[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000
};

uint32_t hotp(enum totp_alg alg, const uint8_t *key, size_t keylen,
	uint64_t counter, unsigned digits)
{
	const br_hash_class *h = alg_hash(alg);
	br_hmac_key_context kc;
	br_hmac_context hc;
	uint8_t msg[8], mac[64];
	size_t maclen;
	unsigned off;
	uint32_t bin;

	if (h == NULL || digits < 1 || digits > 9)
		return UINT32_MAX;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)counter;
		counter >>= 8;
	}
	br_hmac_key_init(&kc, h, key, keylen);
	br_hmac_init(&hc, &kc, 0);
	br_hmac_update(&hc, msg, sizeof msg);
	maclen = br_hmac_out(&hc, mac);
	/* the RFC 6238 reference takes the offset from the last byte of the
	 * full digest for SHA-256/512 too; at most 15 + 3 < 20 */
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16)
		| ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	/* the HMAC key schedule and digest are as secret as the key */
	wipe(&kc, sizeof kc);
	wipe(&hc, sizeof hc);
	wipe(mac, sizeof mac);
	return bin % pow10[digits];
}

void totp_format(uint32_t code, unsigned digits, char out[9])
{
	if (digits > 8)
		digits = 8;
	out[digits] = 0;
	while (digits-- > 0) {
		out[digits] = (char)('0' + code % 10);
		code /= 10;
	}
}

/* 1 if x > y, else 0, without a branch (BearSSL's GT, widened to 64 bits). */
static uint32_t gt64(uint64_t x, uint64_t y)
{
	uint64_t z = y - x;
	return (uint32_t)((z ^ ((x ^ y) & (x ^ z))) >> 63);
}

int totp_check(enum totp_alg alg, const uint8_t *key, size_t keylen,
	unsigned digits, uint64_t now, const char *answer,
	uint64_t last_used_step, uint64_t *matched_step)
{
	char given[9], code[9];
	uint64_t base = now / TOTP_STEP, best = 0;
	uint32_t wellformed = 1, any = 0;
	size_t i;

	if ((digits != 6 && digits != 8) || alg_hash(alg) == NULL)
		return 0;

	/* Shape of the answer is the attacker's own input, so branching on it
	 * leaks nothing; it only decides whether any comparison may succeed. */
	memset(given, 0, sizeof given);
	if (answer == NULL)
		answer = "";
	for (i = 0; i < digits && answer[i] != 0; i++) {
		given[i] = answer[i];
		if (answer[i] < '0' || answer[i] > '9')
			wellformed = 0;
	}
	if (i != digits || answer[i] != 0)
		wellformed = 0;

	for (int d = -1; d <= 1; d++) {
		/* at step 0 there is no step -1: compute a wrapped one anyway
		 * so the work does not depend on the clock either */
		uint64_t step = base + (uint64_t)(int64_t)d;
		uint32_t exists = (d >= 0) | gt64(base, 0);
		uint32_t diff = 0, ok;
		uint64_t mask;

		totp_format(hotp(alg, key, keylen, step, digits), digits, code);
		for (i = 0; i < digits; i++)
			diff |= (uint32_t)(unsigned char)(code[i] ^ given[i]);
		ok = ((diff - 1) >> 31) & wellformed & exists & gt64(step, last_used_step);
		/* steps ascend, so the last one kept is the highest match */
		mask = -(uint64_t)ok;
		best = (best & ~mask) | (step & mask);
		any |= ok;
	}
	wipe(code, sizeof code);
	if (any && matched_step != NULL)
		*matched_step = best;
	return (int)any;
}

int totp_alg_parse(const char *name, enum totp_alg *out)
{
	static const enum totp_alg all[] = { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcasecmp(name, totp_alg_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	return -1;
}

const char *totp_alg_name(enum totp_alg alg)
{
	switch (alg) {
	case TOTP_SHA1: return "SHA1";
	case TOTP_SHA256: return "SHA256";
	case TOTP_SHA512: return "SHA512";
	}
	return NULL;
}

#define STR(x) #x
#define XSTR(x) STR(x)

/* Appends into a fixed buffer; once something did not fit, the result is
 * discarded as a whole rather than returned truncated. */
struct sink {
	char *buf;
	size_t cap, len;
	int overflow;
};

static void put(struct sink *s, const char *str, size_t n)
{
	if (s->overflow || n >= s->cap - s->len) {
		s->overflow = 1;
		return;
	}
	memcpy(s->buf + s->len, str, n);
	s->len += n;
}

static void puts_raw(struct sink *s, const char *str)
{
	put(s, str, strlen(str));
}

/* upper-case hex, as RFC 3986 2.1 asks of URI producers: this text goes
 * to authenticator apps and is never read back by the box (common/hex.h
 * is the spelling of what we read back) */
static void puts_pct(struct sink *s, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		    || c == '-' || c == '.' || c == '_' || c == '~') {
			put(s, (const char *)&c, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			put(s, e, 3);
		}
	}
}

int totp_uri(char *out, size_t cap, const char *issuer, const char *account,
	const char *secret_b32, enum totp_alg alg, unsigned digits)
{
	struct sink s = { out, cap, 0, 0 };
	const char *name = totp_alg_name(alg);
	int has_issuer = issuer != NULL && *issuer != 0;

	if (cap == 0)
		return -1;
	if (name == NULL || (digits != 6 && digits != 8))
		goto fail;
	puts_raw(&s, "otpauth://totp/");
	if (has_issuer) {
		puts_pct(&s, issuer);
		puts_raw(&s, ":");
	}
	puts_pct(&s, account);
	puts_raw(&s, "?secret=");
	/* already base32 in practice; encoding it anyway means a bad secret
	 * can never inject parameters */
	puts_pct(&s, secret_b32);
	if (has_issuer) {
		puts_raw(&s, "&issuer=");
		puts_pct(&s, issuer);
	}
	puts_raw(&s, "&algorithm=");
	puts_raw(&s, name);
	puts_raw(&s, digits == 8 ? "&digits=8" : "&digits=6");
	puts_raw(&s, "&period=" XSTR(TOTP_STEP));
	if (s.overflow || s.len > INT_MAX)
		goto fail;
	out[s.len] = 0;
	return (int)s.len;
fail:
	out[0] = 0;
	return -1;
}
