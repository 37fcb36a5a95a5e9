/* jb-kbdint: RFC 4256 INFO_REQUEST builder and INFO_RESPONSE parser (see
 * jb-kbdint.h). */
#include "jb-kbdint.h"

#include <stdint.h>
#include <string.h>

static size_t put_u32(unsigned char *out, size_t cap, size_t pos, uint32_t v)
{
	if (cap < pos || cap - pos < 4)
		return 0;
	out[pos] = (unsigned char)(v >> 24);
	out[pos + 1] = (unsigned char)(v >> 16);
	out[pos + 2] = (unsigned char)(v >> 8);
	out[pos + 3] = (unsigned char)v;
	return pos + 4;
}

static size_t put_string(unsigned char *out, size_t cap, size_t pos, const char *s)
{
	size_t n = strlen(s);
	size_t p = put_u32(out, cap, pos, (uint32_t)n);
	if (p == 0 || cap - p < n)
		return 0;
	memcpy(out + p, s, n); /* NOLINT(bugprone-not-null-terminated-result): an SSH string (RFC 4251 5) is length-prefixed, no NUL */
	return p + n;
}

size_t jb_kbdint_build_request(unsigned char *out, size_t cap, const char *name,
			       const char *instruction, const char *prompt, int echo)
{
	size_t p = 0;
	if ((p = put_string(out, cap, p, name)) == 0 ||
	    (p = put_string(out, cap, p, instruction)) == 0 ||
	    (p = put_string(out, cap, p, "")) == 0 ||
	    (p = put_u32(out, cap, p, 1)) == 0 ||
	    (p = put_string(out, cap, p, prompt)) == 0 || p >= cap)
		return 0;
	out[p++] = echo ? 1 : 0;
	return p;
}

static int get_u32(const unsigned char *in, size_t len, size_t *pos, uint32_t *v)
{
	if (len - *pos < 4)
		return -1;
	*v = (uint32_t)in[*pos] << 24 | (uint32_t)in[*pos + 1] << 16 |
	     (uint32_t)in[*pos + 2] << 8 | in[*pos + 3];
	*pos += 4;
	return 0;
}

int jb_kbdint_parse_response(const unsigned char *in, size_t len, char *answer, size_t cap)
{
	size_t pos = 0;
	uint32_t n, slen;
	if (cap == 0)
		return -1;
	answer[0] = 0;
	if (cap <= JB_KBDINT_MAX_ANSWER || get_u32(in, len, &pos, &n) || n != 1 ||
	    get_u32(in, len, &pos, &slen) || slen > JB_KBDINT_MAX_ANSWER || len - pos != slen)
		return -1;
	for (uint32_t i = 0; i < slen; i++)
		if (in[pos + i] < 0x20 || in[pos + i] == 0x7f)
			return -1;
	memcpy(answer, in + pos, slen);
	answer[slen] = 0;
	return 0;
}
