/* jb-kbdint: the two keyboard-interactive messages of RFC 4256 that the
 * server handles, as pure byte codecs so they can be unit-tested and fuzzed
 * outside Dropbear. Compiled into Dropbear by build/pkg/dropbear (patch 0002
 * calls it); the SSH packet framing stays Dropbear's.
 *
 * SSH_MSG_USERAUTH_INFO_REQUEST (60) after the message byte:
 *   string name, string instruction, string language tag (empty),
 *   uint32 num-prompts, then per prompt: string prompt, boolean echo.
 * SSH_MSG_USERAUTH_INFO_RESPONSE (61) after the message byte:
 *   uint32 num-responses, then per response: string (UTF-8). */
#ifndef JB_KBDINT_H
#define JB_KBDINT_H
#include <stddef.h>

/* Largest answer we accept: a TOTP code is 6 or 8 digits; anything longer
 * than this is refused as malformed rather than truncated. */
#define JB_KBDINT_MAX_ANSWER 64

/* Builds the body of an INFO_REQUEST with one prompt into out.
 * Returns the number of bytes written, or 0 if cap is too small. */
size_t jb_kbdint_build_request(unsigned char *out, size_t cap, const char *name,
			       const char *instruction, const char *prompt, int echo);

/* Parses the body of an INFO_RESPONSE (len bytes after the message byte).
 * Exactly one response is expected, of at most JB_KBDINT_MAX_ANSWER bytes,
 * with no NUL or control byte, and nothing may follow it. On success copies
 * it NUL-terminated into answer (cap > JB_KBDINT_MAX_ANSWER) and returns 0;
 * otherwise returns -1 and answer is an empty string. */
int jb_kbdint_parse_response(const unsigned char *in, size_t len, char *answer, size_t cap);
#endif
