/* authkey: the authorized_keys lines the box accepts (see authkey.h). */
#include "authkey.h"

#include <stdio.h>
#include <string.h>

static const char *const key_types[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com", NULL
};

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z') return ch - 'A';
	if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9') return ch - '0' + 52;
	if (ch == '+') return 62;
	if (ch == '/') return 63;
	return -1;
}

/* decodes base64 (with padding) into out; returns length or -1 */
static long b64decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	size_t o = 0;
	if (n == 0 || n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		int pad = 0;
		for (int j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				v[j] = 0;
				pad++;
			} else if (pad || (v[j] = b64val((unsigned char)s[i + j])) < 0) {
				return -1;
			}
		}
		unsigned long w = ((unsigned long)v[0] << 18) | ((unsigned long)v[1] << 12) |
				  ((unsigned long)v[2] << 6) | (unsigned long)v[3];
		const unsigned char b[3] = { (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w };
		for (int j = 0; j < 3 - pad; j++) {
			if (o >= cap)
				return -1;
			out[o++] = b[j];
		}
	}
	return (long)o;
}

int authkey_check(const char *line, char *why, size_t whylen)
{
	const char *sp = strchr(line, ' ');
	size_t tlen;
	const char *type_ok = NULL;
	unsigned char blob[AUTHKEY_MAX_LINE];

	if (!sp) {
		snprintf(why, whylen, "expected 'TYPE BASE64 [COMMENT]' (options are not allowed)");
		return -1;
	}
	tlen = (size_t)(sp - line);
	for (int i = 0; key_types[i]; i++)
		if (strlen(key_types[i]) == tlen && !memcmp(key_types[i], line, tlen))
			type_ok = key_types[i];
	if (!type_ok) {
		snprintf(why, whylen, "key type '%.*s' not allowed (expected ssh-ed25519, ecdsa-sha2-nistp256/384/521 or an sk- variant; options before the type are not allowed)",
			 (int)(tlen > 40 ? 40 : tlen), line);
		return -1;
	}
	const char *b = sp + 1;
	size_t blen = strcspn(b, " ");
	long n = b64decode(b, blen, blob, sizeof blob);
	if (n < 4) {
		snprintf(why, whylen, "key data is not valid base64");
		return -1;
	}
	unsigned long inner = ((unsigned long)blob[0] << 24) | ((unsigned long)blob[1] << 16) |
			      ((unsigned long)blob[2] << 8) | blob[3];
	if (inner != tlen || (unsigned long)n < 4 + inner || memcmp(blob + 4, type_ok, tlen) != 0) {
		snprintf(why, whylen, "key data does not match its type '%s'", type_ok);
		return -1;
	}
	return 0;
}
