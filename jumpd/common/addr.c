/* addr: addresses in the 16-byte form and CIDR networks (see addr.h). */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const uint8_t addr_v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int addr_is_v4(const uint8_t a[16])
{
	return memcmp(a, addr_v4_mapped_prefix, sizeof addr_v4_mapped_prefix) == 0;
}

void addr_from_v4(uint8_t out[16], const uint8_t v4[4])
{
	memcpy(out, addr_v4_mapped_prefix, sizeof addr_v4_mapped_prefix);
	memcpy(out + 12, v4, 4);
}

int addr_parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned n = 0, digits = 0;
		while (*s >= '0' && *s <= '9') {
			n = n * 10 + (unsigned)(*s - '0');
			if (++digits > 3 || n > 255)
				return -1;
			s++;
		}
		if (digits == 0 || (digits > 1 && s[-(long)digits] == '0'))
			return -1;
		v = (v << 8) | n;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*out = v;
	return 0;
}

int addr_parse(const char *s, uint8_t out[16])
{
	if (strchr(s, ':')) {
		struct in6_addr a6;
		if (inet_pton(AF_INET6, s, &a6) != 1)
			return -1;
		memcpy(out, a6.s6_addr, 16);
		return 6;
	}
	uint32_t v4;
	if (addr_parse_ipv4(s, &v4))
		return -1;
	const uint8_t bytes[4] = { (uint8_t)(v4 >> 24), (uint8_t)(v4 >> 16), (uint8_t)(v4 >> 8), (uint8_t)v4 };
	addr_from_v4(out, bytes);
	return 4;
}

/* as IPv4 text only when both the address and the prefix are IPv4 ones,
 * so that whatever is formatted parses back to the same network */
static int text_as_v4(const uint8_t a[16], unsigned prefix)
{
	return addr_is_v4(a) && prefix >= 96;
}

static int format_family(const uint8_t a[16], int v4, char *out, size_t cap)
{
	socklen_t room = (socklen_t)(cap < ADDR_TEXT_MAX ? cap : ADDR_TEXT_MAX);
	if (cap > 0 && inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a + 12 : a, out, room))
		return 0;
	if (cap > 0)
		out[0] = 0;
	return -1;
}

int addr_format(const uint8_t a[16], char *out, size_t cap)
{
	return format_family(a, addr_is_v4(a), out, cap);
}

void addr_prefix_mask(unsigned prefix, uint8_t mask[16])
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned lo = i * 8;
		mask[i] = prefix >= lo + 8 ? 0xff : prefix > lo ? (uint8_t)(0xff << (lo + 8 - prefix)) : 0;
	}
}

int addr_cidr_parse(const char *s, struct addr_cidr *out)
{
	char text[ADDR_TEXT_MAX];
	const char *slash = strchr(s, '/');
	unsigned long p = 0;
	if (!slash || (size_t)(slash - s) >= sizeof text || !slash[1] || strlen(slash + 1) > 3)
		return -1;
	memcpy(text, s, (size_t)(slash - s));
	text[slash - s] = 0;
	int fam = addr_parse(text, out->addr);
	if (fam < 0)
		return -1;
	for (const char *d = slash + 1; *d; d++) {
		if (*d < '0' || *d > '9' || (d == slash + 1 && *d == '0' && d[1]))
			return -1;
		p = p * 10 + (unsigned long)(*d - '0');
	}
	if (p > (fam == 4 ? 32u : 128u))
		return -1;
	out->prefix = (unsigned)p + (fam == 4 ? 96u : 0u);
	uint8_t mask[16];
	addr_prefix_mask(out->prefix, mask);
	for (unsigned i = 0; i < 16; i++)
		if (out->addr[i] & ~mask[i])
			return -2;
	return 0;
}

int addr_cidr_contains(const struct addr_cidr *c, const uint8_t a[16])
{
	uint8_t mask[16];
	addr_prefix_mask(c->prefix, mask);
	for (unsigned i = 0; i < 16; i++)
		if ((c->addr[i] ^ a[i]) & mask[i])
			return 0;
	return 1;
}

int addr_cidr_format(const struct addr_cidr *c, char *out, size_t cap)
{
	int v4 = text_as_v4(c->addr, c->prefix);
	if (c->prefix > 128 || format_family(c->addr, v4, out, cap))
		return cap > 0 ? (out[0] = 0, -1) : -1;
	size_t len = strlen(out);
	int n = snprintf(out + len, cap - len, "/%u", v4 ? c->prefix - 96 : c->prefix);
	if (n < 0 || (size_t)n >= cap - len)
		return out[0] = 0, -1;
	return 0;
}
