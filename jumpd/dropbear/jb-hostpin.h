/* jb-hostpin: the host key decision of dbclient as the recorder's relay
 * client (Dropbear patch 0016, docs/recording.md). The recorder (jumprec)
 * runs dbclient with the target's pinned fingerprints in JB_HOSTKEY
 * ("SHA256:x[,SHA256:y]", the text of `ssh-keygen -lf`): the server's key
 * must be one of them, else dbclient exits with "host key SHA256:... of
 * HOST is not the pinned one", never asking anyone (in a relay the
 * terminal is the user's) and never reading or writing known_hosts. With
 * JB_HOSTKEY_SCAN=1 instead (`jumpctl target-pin`), dbclient prints the
 * key it was shown (after the server proved it holds it) as config lines
 * and exits 0. Anything else in those variables fails closed.
 * Owns the mode, the pin list's syntax and match, and the scan's output
 * text; the fingerprint itself is Dropbear's sign_key_fingerprint().
 * Pure functions over caller buffers, unit-tested. */
#ifndef JB_HOSTPIN_H
#define JB_HOSTPIN_H
#include <stddef.h>

#define JB_HOSTPIN_FP_LEN 50   /* "SHA256:" + 43 characters of unpadded base64 */
#define JB_HOSTPIN_MAX_PINS 8

enum jb_hostpin_mode {
	JB_HOSTPIN_BAD = -1,   /* a variable with a value that means nothing: refuse to run */
	JB_HOSTPIN_OFF = 0,    /* neither variable: upstream dbclient */
	JB_HOSTPIN_RELAY = 1,  /* JB_HOSTKEY: pinned, relay restrictions on */
	JB_HOSTPIN_SCAN = 2,   /* JB_HOSTKEY_SCAN=1: print the key, exit 0 */
};

/* The mode from the values of JB_HOSTKEY and JB_HOSTKEY_SCAN (NULL: unset).
 * RELAY needs a well-formed pin list (jb_hostpin_list_valid); SCAN needs
 * the value "1" and no JB_HOSTKEY; every other combination is BAD. */
int jb_hostpin_mode(const char *hostkey, const char *scan);

/* 1 if pins is 1 to JB_HOSTPIN_MAX_PINS fingerprints "SHA256:" + 43 of
 * [A-Za-z0-9+/], separated by single commas, nothing else; else 0. */
int jb_hostpin_list_valid(const char *pins);

/* 1 if fp is exactly one of the pins of a valid list, 0 if not, -1 if the
 * list is not valid (a caller takes anything but 1 as a refusal). */
int jb_hostpin_match(const char *pins, const char *fp);

/* Writes the scan's output into out (cap bytes): a comment line naming the
 * host and the key type, then `host-key = FP` (a site config line).
 * Returns the length, or 0 if it does not fit (out is then ""). */
size_t jb_hostpin_scan_text(char *out, size_t cap, const char *host, const char *keytype, const char *fp);

#endif
