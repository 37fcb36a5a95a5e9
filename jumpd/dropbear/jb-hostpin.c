/* jb-hostpin: dbclient's pinned host keys (see jb-hostpin.h). */
#include "jb-hostpin.h"

#include <stdio.h>
#include <string.h>

static int b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* length of the well-formed fingerprint at s (ending at NUL or ','), or 0 */
static size_t fp_len(const char *s)
{
	if (strncmp(s, "SHA256:", 7) != 0)
		return 0;
	for (size_t i = 7; i < JB_HOSTPIN_FP_LEN; i++)
		if (!b64_char(s[i]))
			return 0;
	return s[JB_HOSTPIN_FP_LEN] == 0 || s[JB_HOSTPIN_FP_LEN] == ',' ? JB_HOSTPIN_FP_LEN : 0;
}

int jb_hostpin_list_valid(const char *pins)
{
	if (!pins)
		return 0;
	for (int n = 1; n <= JB_HOSTPIN_MAX_PINS; n++) {
		size_t len = fp_len(pins);
		if (!len)
			return 0;
		if (pins[len] == 0)
			return 1;
		pins += len + 1;
	}
	return 0;
}

int jb_hostpin_mode(const char *hostkey, const char *scan)
{
	if (hostkey && scan)
		return JB_HOSTPIN_BAD;
	if (hostkey)
		return jb_hostpin_list_valid(hostkey) ? JB_HOSTPIN_RELAY : JB_HOSTPIN_BAD;
	if (scan)
		return strcmp(scan, "1") == 0 ? JB_HOSTPIN_SCAN : JB_HOSTPIN_BAD;
	return JB_HOSTPIN_OFF;
}

int jb_hostpin_match(const char *pins, const char *fp)
{
	if (!jb_hostpin_list_valid(pins))
		return -1;
	if (!fp || strlen(fp) != JB_HOSTPIN_FP_LEN)
		return 0;
	for (const char *p = pins;; p += JB_HOSTPIN_FP_LEN + 1) {
		if (memcmp(p, fp, JB_HOSTPIN_FP_LEN) == 0)
			return 1;
		if (p[JB_HOSTPIN_FP_LEN] == 0)
			return 0;
	}
}

size_t jb_hostpin_scan_text(char *out, size_t cap, const char *host, const char *keytype, const char *fp)
{
	int n = snprintf(out, cap, "# %s %s\nhost-key = %s\n", host, keytype, fp);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = 0;
		return 0;
	}
	return (size_t)n;
}
