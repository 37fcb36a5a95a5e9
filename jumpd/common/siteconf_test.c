/* unit tests for siteconf.c */
#include "siteconf.h"
#include "unittest.h"
#include <string.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"
static struct siteconf c;
static struct siteconf_error e;

static int parse(const char *s) { return siteconf_parse(&c, s, strlen(s), "t.conf", &e); }

static void test_defaults(void)
{
	CHECK(parse("") == 0);
	CHECK(!strcmp(c.hostname, "jumpbox"));
	CHECK(c.dhcp == 1 && c.ssh_port == 22 && c.nusers == 0);
}

static void test_full_config(void)
{
	CHECK(parse("# site\n[system]\nhostname = bastion-1\n\n[network]\ninterface = ens3\n"
		    "address = 192.0.2.10/24\ngateway = 192.0.2.1\ndns = 192.0.2.53\n"
		    "[ssh]\nport = 2222\n[user ops]\nkey = " KEY "\nkey = " KEY "\n[user vendor_a]\nkey=" KEY "\n") == 0);
	CHECK(!strcmp(c.hostname, "bastion-1"));
	CHECK(!strcmp(c.interface, "ens3"));
	CHECK(c.dhcp == 0 && c.address == 0xc000020a && c.prefix == 24 && c.gateway == 0xc0000201);
	CHECK(c.ndns == 1 && c.dns[0] == 0xc0000235);
	CHECK(c.ssh_port == 2222);
	CHECK(c.nusers == 2 && c.users[0].nkeys == 2 && c.users[1].nkeys == 1);
	CHECK(c.users[0].uid == 2000 && c.users[1].uid == 2001);
	CHECK(!strcmp(c.keys[c.users[1].first_key], KEY));
}

struct bad { const char *text; unsigned line; const char *needle; };
static const struct bad bads[] = {
	{ "[system]\nhostnme = x\n", 2, "unknown key 'hostnme'" },
	{ "[sytem]\n", 1, "unknown section" },
	{ "hostname = x\n", 1, "outside any section" },
	{ "[system]\nhostname = -bad\n", 2, "bad hostname" },
	{ "[system]\nhostname = a\nhostname = b\n", 3, "given twice" },
	{ "[system]\n[system]\n", 2, "appears twice" },
	{ "[network]\naddress = 10.0.0.1\n", 2, "expected 'dhcp' or A.B.C.D/PREFIX" },
	{ "[network]\naddress = 10.0.0.256/24\n", 2, "bad address" },
	{ "[network]\naddress = 10.0.0.1/33\n", 2, "bad address" },
	{ "[network]\naddress = 010.0.0.1/8\n", 2, "bad address" },
	{ "[network]\naddress = 10.0.0.1/8\ngateway = 10.0.0\n", 3, "bad gateway" },
	{ "[network]\ndns = 1.1.1.1\n", 0, "need a static 'address'" },
	{ "[ssh]\nport = 0\n", 2, "bad port" },
	{ "[ssh]\nport = 65536\n", 2, "bad port" },
	{ "[user root]\nkey = " KEY "\n", 1, "reserved" },
	{ "[user Bad]\n", 1, "bad user name" },
	{ "[user ops]\n", 0, "has no key" },
	{ "[user ops]\nkey = " KEY "\n[user ops]\n", 3, "defined twice" },
	{ "[user ops]\nkey = ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x\n", 2, "not allowed" },
	{ "[user ops]\nkey = ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQABAAABAQ== x\n", 2, "does not match" },
	{ "[user ops]\nkey = ssh-ed25519 !!!!\n", 2, "not valid base64" },
	{ "[user ops]\nkey = from=\"1.2.3.4\" " KEY "\n", 2, "options" },
	{ "[system]\nhostname x\n", 2, "expected 'key = value'" },
	{ "[system\n", 1, "expected ']'" },
	{ "[system]\nhostname =\n", 2, "missing value" },
	{ "[system]\nhostname = a\x01\n", 2, "control character" },
};

static void test_bad_inputs(void)
{
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		int rc = parse(bads[i].text);
		if (rc != -1 || e.line != bads[i].line || !strstr(e.msg, bads[i].needle) || strcmp(e.file, "t.conf") != 0) {
			printf("  case %zu: rc=%d line=%u msg='%s' (want line %u, '%s')\n",
			       i, rc, e.line, e.msg, bads[i].line, bads[i].needle);
			CHECK(0);
		}
	}
}

static void test_nul_byte(void)
{
	const char t[] = "[system]\nhost\0name = x\n";
	CHECK(siteconf_parse(&c, t, sizeof t - 1, "t.conf", &e) == -1 && e.line == 2);
}

static void test_ipv4(void)
{
	uint32_t v;
	CHECK(siteconf_parse_ipv4("0.0.0.0", &v) == 0 && v == 0);
	CHECK(siteconf_parse_ipv4("255.255.255.255", &v) == 0 && v == 0xffffffff);
	CHECK(siteconf_parse_ipv4("1.2.3", &v) == -1);
	CHECK(siteconf_parse_ipv4("1.2.3.4.5", &v) == -1);
	CHECK(siteconf_parse_ipv4("1.2.3.-4", &v) == -1);
	CHECK(siteconf_parse_ipv4("", &v) == -1);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_full_config);
	RUN(test_bad_inputs);
	RUN(test_nul_byte);
	RUN(test_ipv4);
	UT_END();
}
