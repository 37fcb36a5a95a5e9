/* unit tests for addr.c */
#include "addr.h"
#include "unittest.h"

#include <string.h>

static const uint8_t v4_10_89_2_10[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 89, 2, 10 };

static void test_ipv4_text(void)
{
	uint32_t v = 7;
	CHECK(addr_parse_ipv4("0.0.0.0", &v) == 0 && v == 0);
	CHECK(addr_parse_ipv4("255.255.255.255", &v) == 0 && v == 0xffffffff);
	CHECK(addr_parse_ipv4("10.89.2.10", &v) == 0 && v == 0x0a59020a);
	v = 7;
	CHECK(addr_parse_ipv4("1.2.3", &v) == -1);
	CHECK(addr_parse_ipv4("1.2.3.4.5", &v) == -1);
	CHECK(addr_parse_ipv4("1.2.3.-4", &v) == -1);
	CHECK(addr_parse_ipv4("1.2.3.256", &v) == -1);
	CHECK(addr_parse_ipv4("010.1.1.1", &v) == -1); /* octal to some readers */
	CHECK(addr_parse_ipv4("1.2.3.4 ", &v) == -1);
	CHECK(addr_parse_ipv4("", &v) == -1);
	CHECK(v == 7);
}

static void test_parse_and_format(void)
{
	uint8_t a[16];
	char t[ADDR_TEXT_MAX];
	CHECK(addr_parse("10.89.2.10", a) == 4 && !memcmp(a, v4_10_89_2_10, 16) && addr_is_v4(a));
	CHECK(addr_format(a, t, sizeof t) == 0 && !strcmp(t, "10.89.2.10"));
	CHECK(addr_parse("FD89:0:0::2", a) == 6 && !addr_is_v4(a) && a[0] == 0xfd && a[15] == 2);
	CHECK(addr_format(a, t, sizeof t) == 0 && !strcmp(t, "fd89::2"));
	/* an IPv6 spelling of an IPv4 address is the same address */
	CHECK(addr_parse("::ffff:10.89.2.10", a) == 6 && !memcmp(a, v4_10_89_2_10, 16));
	CHECK(addr_parse("10.89.2", a) == -1 && addr_parse("fd89:::2", a) == -1 && addr_parse("host", a) == -1);
	CHECK(addr_parse("", a) == -1);
	/* too small a buffer: an error and an empty string, never a cut address */
	CHECK(addr_format(v4_10_89_2_10, t, 8) == -1 && t[0] == 0);
	CHECK(addr_format(v4_10_89_2_10, t, 0) == -1);
	const uint8_t v4[4] = { 192, 0, 2, 1 };
	addr_from_v4(a, v4);
	CHECK(addr_is_v4(a) && !memcmp(a, addr_v4_mapped_prefix, 12) && !memcmp(a + 12, v4, 4));
}

static void test_prefix_mask(void)
{
	uint8_t m[16];
	addr_prefix_mask(0, m);
	CHECK(m[0] == 0 && m[15] == 0);
	addr_prefix_mask(96 + 20, m);
	CHECK(m[11] == 0xff && m[13] == 0xff && m[14] == 0xf0 && m[15] == 0);
	addr_prefix_mask(128, m);
	CHECK(m[0] == 0xff && m[15] == 0xff);
	addr_prefix_mask(500, m);
	CHECK(m[15] == 0xff);
}

static void test_cidr(void)
{
	struct addr_cidr c;
	char t[ADDR_CIDR_TEXT_MAX];
	uint8_t a[16];
	CHECK(addr_cidr_parse("10.89.2.0/24", &c) == 0 && c.prefix == 120 && addr_is_v4(c.addr));
	CHECK(addr_cidr_contains(&c, v4_10_89_2_10));
	CHECK(addr_parse("10.89.3.10", a) == 4 && !addr_cidr_contains(&c, a));
	CHECK(addr_cidr_format(&c, t, sizeof t) == 0 && !strcmp(t, "10.89.2.0/24"));
	CHECK(addr_cidr_parse("10.89.0.0/20", &c) == 0 && addr_parse("10.89.15.255", a) == 4 &&
	      addr_cidr_contains(&c, a) && addr_parse("10.89.16.0", a) == 4 && !addr_cidr_contains(&c, a));
	CHECK(addr_cidr_parse("0.0.0.0/0", &c) == 0 && c.prefix == 96 && addr_cidr_contains(&c, v4_10_89_2_10));
	/* every IPv4 network is inside ::ffff:0:0/96 and none contains an IPv6 address */
	CHECK(addr_parse("fd89::1", a) == 6 && !addr_cidr_contains(&c, a));
	CHECK(addr_cidr_parse("fd89::/16", &c) == 0 && c.prefix == 16 && addr_cidr_contains(&c, a));
	CHECK(addr_cidr_format(&c, t, sizeof t) == 0 && !strcmp(t, "fd89::/16"));
	CHECK(addr_cidr_parse("::/0", &c) == 0 && addr_cidr_contains(&c, a) && addr_cidr_contains(&c, v4_10_89_2_10));
	CHECK(addr_cidr_parse("10.89.2.10/32", &c) == 0 && addr_cidr_contains(&c, v4_10_89_2_10));
	CHECK(addr_cidr_parse("10.89.2.1/24", &c) == -2);
	CHECK(addr_cidr_parse("fd89::1/64", &c) == -2);
	CHECK(addr_cidr_parse("10.89.2.0/33", &c) == -1 && addr_cidr_parse("fd89::/129", &c) == -1);
	CHECK(addr_cidr_parse("10.89.2.0/024", &c) == -1 && addr_cidr_parse("10.89.2.0/", &c) == -1);
	CHECK(addr_cidr_parse("10.89.2.0", &c) == -1 && addr_cidr_parse("/24", &c) == -1);
	CHECK(addr_cidr_parse("10.89.2.0/2x", &c) == -1);
}

/* what addr_cidr_format writes, addr_cidr_parse reads back as the same network */
static void test_cidr_round_trip(void)
{
	static const char *const nets[] = { "10.0.0.0/8", "192.0.2.128/25", "0.0.0.0/0", "fd00::/8",
					    "2001:db8::/32", "::/0", "::ffff:10.0.0.0/104" };
	for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
		struct addr_cidr c, back;
		char t[ADDR_CIDR_TEXT_MAX];
		int ok = addr_cidr_parse(nets[i], &c) == 0 && addr_cidr_format(&c, t, sizeof t) == 0 &&
			 addr_cidr_parse(t, &back) == 0 && !memcmp(&c, &back, sizeof c);
		if (!ok)
			printf("  %s -> '%s'\n", nets[i], t);
		CHECK(ok);
	}
	struct addr_cidr c = { .prefix = 129 };
	char t[ADDR_CIDR_TEXT_MAX];
	CHECK(addr_cidr_format(&c, t, sizeof t) == -1 && t[0] == 0);
	CHECK(addr_cidr_parse("10.0.0.0/8", &c) == 0 && addr_cidr_format(&c, t, 10) == -1 && t[0] == 0);
}

int main(void)
{
	RUN(test_ipv4_text);
	RUN(test_parse_and_format);
	RUN(test_prefix_mask);
	RUN(test_cidr);
	RUN(test_cidr_round_trip);
	UT_END();
}
