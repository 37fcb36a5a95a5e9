/* authkey: which authorized_keys lines the box accepts. Owns the rule: a
 * key of an allowed type (Ed25519, ECDSA, and their FIDO "sk-" variants;
 * no RSA, no DSA), its base64 blob well-formed and naming the same type,
 * an optional comment, and no options (command=, from=, ...: the box's
 * policy is the config's, not a key's). A leaf: used by the site config's
 * parser. No allocation. */
#ifndef JB_AUTHKEY_H
#define JB_AUTHKEY_H
#include <stddef.h>

#define AUTHKEY_MAX_LINE 2048      /* bytes of the longest line kept, its NUL included */

/* Checks one NUL-terminated line, "TYPE BASE64 [COMMENT]" without '\n'.
 * Returns 0, or -1 with a reason in why (128 bytes hold any reason whole). */
int authkey_check(const char *line, char *why, size_t whylen);
#endif
