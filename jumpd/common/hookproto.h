/* hookproto: the line protocol spoken on jumpd's local sockets (the auth
 * hook Dropbear asks, and the admin socket jumpctl uses).
 *
 * One message is one line: a verb, then `key=value` fields, separated by
 * single spaces, ended by '\n'. Verbs are [a-z_]{1,15}, keys [a-z_][a-z0-9_]{0,14}. Values are
 * percent-encoded: bytes outside [A-Za-z0-9._:/+=@,-] travel as %xx, in
 * lower-case hex, the only spelling accepted (common/hex.h). A decoded
 * value is safe text (common/utf8.h): printable ASCII and well-formed UTF-8,
 * no C0 control, DEL or C1 control (U+0080-U+009F), no byte that is not
 * part of a character. So nothing taken from the wire can forge a log line,
 * put a terminal escape on a screen, or break an audit record's UTF-8.
 * Documented for operators in docs/hook-protocol.md.
 *
 * Caller-owned structs, no allocation; parsing is strict (anything
 * unexpected is an error, and the caller fails closed). */
#ifndef JB_HOOKPROTO_H
#define JB_HOOKPROTO_H

#include <stddef.h>

#define HOOK_MAX_LINE 1024     /* bytes including the '\n' */
#define HOOK_MAX_FIELDS 8
#define HOOK_MAX_NAME 15       /* verb and key length */
#define HOOK_MAX_VALUE 255     /* decoded value length */

struct hook_field {
	char key[HOOK_MAX_NAME + 1];
	char val[HOOK_MAX_VALUE + 1];
};

struct hook_msg {
	char verb[HOOK_MAX_NAME + 1];
	unsigned nfields;
	struct hook_field f[HOOK_MAX_FIELDS];
};

/* Starts an empty message with `verb`. Returns 0, or -1 if the verb is not
 * [a-z_]{1,15}. */
int hook_init(struct hook_msg *m, const char *verb);

/* Appends a field. Returns 0, or -1 if the key is malformed or repeated, the
 * value is too long or not safe text, or the message is full. */
int hook_add(struct hook_msg *m, const char *key, const char *val);

/* The decoded value of `key`, or NULL if absent. */
const char *hook_get(const struct hook_msg *m, const char *key);

/* Writes the encoded line, '\n' included, NUL-terminated, into out.
 * Returns its length (without the NUL), or -1 if it does not fit in cap or
 * would exceed HOOK_MAX_LINE. */
int hook_format(const struct hook_msg *m, char *out, size_t cap);

/* Parses exactly `len` bytes of `line`; the final '\n' is required and
 * nothing may follow it. Returns 0, or -1 on any malformation (bad verb or
 * key, repeated key, bad %xx, a value that is not safe text, overlong
 * value, too many fields, double or trailing space). *m is unspecified after -1. */
int hook_parse(const char *line, size_t len, struct hook_msg *m);

#endif
