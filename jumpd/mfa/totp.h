/* totp: RFC 4226 HOTP and RFC 6238 TOTP one-time codes.
 *
 * Owns computing codes from a shared secret, checking a user's answer
 * against the clock (±1 step of skew, in constant time, with replay
 * protection), and building the otpauth:// URI that enrolls a secret in an
 * authenticator app. Storing secrets and the last used step is the
 * caller's job.
 *
 * No allocation: all buffers belong to the caller. HMAC comes from
 * BearSSL's public API. */
#ifndef JB_TOTP_H
#define JB_TOTP_H

#include <stddef.h>
#include <stdint.h>

enum totp_alg { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

#define TOTP_STEP 30          /* seconds per step; what every app assumes */
#define TOTP_MAX_SECRET 64    /* bytes; size for buffers holding a decoded secret */

/* RFC 4226 HOTP: HMAC(key, counter as 8 big-endian bytes), dynamic
 * truncation (§5.3) using the last byte of the full digest, then mod
 * 10^digits. `digits` is 6 or 8 (any value 1..9 follows the same formula);
 * outside 1..9 it returns UINT32_MAX, which equals no code. `key` may be of
 * any length, NULL only when keylen is 0. */
uint32_t hotp(enum totp_alg alg, const uint8_t *key, size_t keylen,
	uint64_t counter, unsigned digits);

/* Writes the low `digits` decimal digits of `code`, zero-padded, and a NUL
 * into `out`. `digits` is 6 or 8; values above 8 are treated as 8 so the
 * write always fits `out`. */
void totp_format(uint32_t code, unsigned digits, char out[9]);

/* Checks the NUL-terminated `answer` against the codes for steps
 * now/TOTP_STEP - 1, now/TOTP_STEP and now/TOTP_STEP + 1 (`now` in Unix
 * seconds). A step matches only if its code equals `answer` exactly
 * (`digits` ASCII digits, nothing more) and the step is greater than
 * `last_used_step`, which refuses replays; pass 0 when no code was ever
 * used (step 0 lies in 1970). `answer` may be NULL (never matches).
 * All three codes are always computed and compared in time independent of
 * the secret, the codes and which step matched.
 * Returns 1 on a match and stores the highest matching step in
 * *matched_step (if not NULL), which the caller must persist as the new
 * last_used_step; returns 0 otherwise, leaving *matched_step alone.
 * `digits` other than 6 or 8 always gives 0. */
int totp_check(enum totp_alg alg, const uint8_t *key, size_t keylen,
	unsigned digits, uint64_t now, const char *answer,
	uint64_t last_used_step, uint64_t *matched_step);

/* Parses "SHA1", "SHA256" or "SHA512" (any case) into *out.
 * Returns 0, or -1 (leaving *out alone) for any other name or NULL. */
int totp_alg_parse(const char *name, enum totp_alg *out);

/* Returns the canonical upper-case name of `alg` ("SHA1", ...), or NULL if
 * `alg` is not one of the enum values. */
const char *totp_alg_name(enum totp_alg alg);

/* Writes into `out` (`cap` bytes, NUL-terminated) the enrollment URI
 *   otpauth://totp/ISSUER:ACCOUNT?secret=S&issuer=ISSUER&algorithm=A&digits=D&period=P
 * with `issuer`, `account` and `secret_b32` percent-encoded (RFC 3986
 * unreserved characters pass, all other bytes become %XX, upper-case hex)
 * and P = TOTP_STEP.
 * If `issuer` is NULL or "", the "ISSUER:" prefix and the issuer parameter
 * are left out. `account` and `secret_b32` must not be NULL.
 * Returns the length written (excluding the NUL), or -1 if it does not fit
 * in `cap` or `alg`/`digits` (6 or 8) is invalid; after -1, `out` holds ""
 * when cap > 0. */
int totp_uri(char *out, size_t cap, const char *issuer, const char *account,
	const char *secret_b32, enum totp_alg alg, unsigned digits);

#endif
