/* base32: RFC 4648 base32 (alphabet A-Z2-7) for TOTP secrets.
 *
 * Owns converting secrets between bytes and the text form that
 * authenticator apps show and accept. Encoding writes no '=' padding,
 * because several apps refuse padded secrets. Decoding is lenient about
 * the ways people copy a secret by hand (case, spaces, trailing '=') and
 * strict about everything else.
 *
 * No allocation: all buffers belong to the caller. */
#ifndef JB_BASE32_H
#define JB_BASE32_H

#include <stddef.h>
#include <stdint.h>

/* Characters base32_encode writes for `len` input bytes, without the NUL. */
#define BASE32_ENCLEN(len) (((len) * 8 + 4) / 5)

/* Encodes `len` bytes of `in` (may be NULL when len is 0) into `out` as
 * NUL-terminated upper-case text without padding. `cap` is the size of
 * `out` and must be at least BASE32_ENCLEN(len) + 1.
 * Returns the number of characters written (excluding the NUL), or -1 if
 * `cap` is too small, in which case `out` holds "" when cap > 0. */
int base32_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/* Decodes the NUL-terminated text `in` into `out` (`cap` bytes).
 * Accepts upper and lower case, skips spaces anywhere, and accepts '='
 * only as trailing padding (followed by nothing but '=' and spaces).
 * Leftover bits that do not fill a whole byte are ignored.
 * Returns the number of bytes written (at least 1), or -1 if `in` holds
 * any other character, decodes to nothing, or needs more than `cap` bytes.
 * After -1 the contents of `out` are unspecified. */
int base32_decode(const char *in, uint8_t *out, size_t cap);

#endif
