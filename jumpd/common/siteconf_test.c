/* unit tests for siteconf.c */
#include "siteconf.h"
#include "unittest.h"
#include "../mfa/totp.h"
#include <string.h>

#define SECRET "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" /* 20 bytes */
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
		    "[ssh]\nport = 2222\n[user ops]\nkey = " KEY "\nkey = " KEY "\ntotp-secret = " SECRET "\n"
		    "[user vendor_a]\nkey=" KEY "\nmfa = off\n") == 0);
	CHECK(!strcmp(c.hostname, "bastion-1"));
	CHECK(!strcmp(c.interface, "ens3"));
	CHECK(c.dhcp == 0 && c.address == 0xc000020a && c.prefix == 24 && c.gateway == 0xc0000201);
	CHECK(c.ndns == 1 && c.dns[0] == 0xc0000235);
	CHECK(c.ssh_port == 2222);
	CHECK(c.nusers == 2 && c.users[0].nkeys == 2 && c.users[1].nkeys == 1);
	CHECK(c.users[0].uid == 2000 && c.users[1].uid == 2001);
	CHECK(!strcmp(c.keys[c.users[1].first_key], KEY));
	CHECK(c.users[0].mfa == 1 && c.users[0].totp_secret_len == 20 && c.users[0].totp_digits == 6);
	CHECK(c.users[0].totp_alg == TOTP_SHA1 && c.users[0].remember_minutes == 0 && !c.users[0].admin);
	CHECK(c.users[1].mfa == 0 && c.users[1].totp_secret_len == 0);
	CHECK(c.lockout_failures == 20 && c.max_delay_seconds == 8 && c.source_lockout_minutes == 15);
}

static void test_mfa_settings(void)
{
	CHECK(parse("[mfa]\nlockout-failures = 5\nmax-delay-seconds = 1\nsource-lockout-minutes = 2\n"
		    "[user ops]\nkey = " KEY "\ntotp-secret = jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp\n"
		    "totp-algorithm = sha256\ntotp-digits = 8\nmfa-remember-minutes = 720\nadmin = yes\n") == 0);
	CHECK(c.lockout_failures == 5 && c.max_delay_seconds == 1 && c.source_lockout_minutes == 2);
	CHECK(c.users[0].totp_alg == TOTP_SHA256 && c.users[0].totp_digits == 8);
	CHECK(c.users[0].remember_minutes == 720 && c.users[0].admin == 1 && c.users[0].line == 5);
	CHECK(c.users[0].totp_secret[0] == 'H' && c.users[0].totp_secret[1] == 'e');
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
	{ "[user ops]\n", 1, "has no key" },
	{ "[user ops]\nkey = " KEY "\n", 1, "has no totp-secret" },
	{ "[system]\n[user ops]\nkey = " KEY "\nmfa = off\ntotp-secret = " SECRET "\n", 2, "mfa = off but TOTP" },
	{ "[user ops]\nkey = " KEY "\nmfa = sms\n", 3, "expected totp or off" },
	{ "[user ops]\nkey = " KEY "\ntotp-secret = JBSWY3DPEHPK3PXP\n", 3, "bad totp-secret" },
	{ "[user ops]\nkey = " KEY "\ntotp-secret = JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PXP\n", 3, "bad totp-secret" },
	{ "[user ops]\nkey = " KEY "\ntotp-secret = " SECRET "\ntotp-secret = " SECRET "\n", 4, "given twice" },
	{ "[user ops]\nkey = " KEY "\ntotp-algorithm = MD5\n", 3, "bad totp-algorithm" },
	{ "[user ops]\nkey = " KEY "\ntotp-digits = 7\n", 3, "bad totp-digits" },
	{ "[user ops]\nkey = " KEY "\nmfa-remember-minutes = 721\n", 3, "bad mfa-remember-minutes" },
	{ "[user ops]\nkey = " KEY "\nadmin = true\n", 3, "expected yes or no" },
	{ "[mfa]\nlockout-failures = 2\n", 2, "expected 3-1000" },
	{ "[mfa]\nmax-delay-seconds = 0\n", 2, "expected 1-60" },
	{ "[mfa]\nsource-lockout-minutes = 1441\n", 2, "expected 1-1440" },
	{ "[mfa]\n[mfa]\n", 2, "appears twice" },
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
	RUN(test_mfa_settings);
	RUN(test_bad_inputs);
	RUN(test_nul_byte);
	RUN(test_ipv4);
	UT_END();
}
