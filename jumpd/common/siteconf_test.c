/* unit tests for siteconf.c */
#include "siteconf.h"
#include "siteconf_rec.h"
#include "unittest.h"
#include "../init/users.h"
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
	CHECK(c.channels_max == 0 && c.channels_per_user == 0); /* derived by jumpd */
}

static void test_channel_limits(void)
{
	CHECK(parse("[ssh]\nchannels-max = 6000\nchannels-per-user = 5500\n") == 0);
	CHECK(c.channels_max == 6000 && c.channels_per_user == 5500);
	CHECK(parse("[ssh]\nchannels-per-user = 0\n") == 0 && c.channels_per_user == 0 && c.channels_max == 0);
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

#define POLICY "[segment prod]\ncidr = 10.20.0.0/16\ncidr = fd00:20::/64\n" \
	"[segment lab]\ncidr = 192.0.2.0/24\n" \
	"[target db1]\naddress = 10.20.0.5\nport = 22\nport = 5432\nsegment = prod\n" \
	"[target web6]\naddress = fd00:20::7\n" \
	"[grant dba]\nto = group:dba\nto = user:bob\ntarget = db1\ntarget = web6\nport = 22\n" \
	"expires = 2027-01-31\nhours = 08:00-18:30\ndays = mon,tue,wed,thu,fri\n" \
	"[user alice]\nkey = " KEY "\nmfa = off\ngroup = dba\n[user bob]\nkey = " KEY "\nmfa = off\n"

static void test_policy_sections(void)
{
	CHECK(parse(POLICY) == 0);
	CHECK(c.nsegments == 2 && c.segments[0].ncidrs == 2 && c.segments[0].cidrs[0].prefix == 112);
	CHECK(c.segments[0].cidrs[1].prefix == 64);
	CHECK(c.ntargets == 2 && c.targets[0].nports == 2 && c.targets[0].ports[1] == 5432 && c.targets[0].segment == 0);
	CHECK(c.targets[1].nports == 1 && c.targets[1].ports[0] == 22 && c.targets[1].segment == 0);
	CHECK(c.ngrants == 1 && c.grants[0].nto == 2 && c.grants[0].ntargets == 2 && c.grants[0].targets[1] == 1);
	CHECK(c.grants[0].expires == 1801440000 && c.grants[0].window_from == 480 && c.grants[0].window_to == 1110);
	CHECK(c.grants[0].days == 0x1f && c.grants[0].nports == 1);
	CHECK(c.users[0].ngroups == 1 && !strcmp(c.users[0].groups[0], "dba"));
	CHECK(siteconf_find_target(&c, "web6") == 1 && siteconf_find_target(&c, "nope") == -1);
}

#define HK1 "SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8"
#define HK2 "SHA256:Kq4t8lst/xOmC5N4csD9Su9XipFdDfdCQtgOujhT6Vw"
#define REC_HEAD "[segment prod]\ncidr = 10.20.0.0/16\n"
#define REC_USERS "[user alice]\nkey = " KEY "\nmfa = off\ngroup = ops\n"

/* recorded sessions: [target] access/host-key/record-input, [grant]
 * account, [recording]; defaults and good values */
static void test_recorded_targets(void)
{
	CHECK(parse(REC_HEAD "[target db1]\naddress = 10.20.0.5\n" REC_USERS) == 0);
	CHECK(c.targets[0].access == SITECONF_ACCESS_JUMP && c.targets[0].nhost_keys == 0 && !c.targets[0].record_input);
	CHECK(c.rec_max_mb == 1024 && c.rec_fail_closed == 1 && c.rec_ship_rate_kb == 2048);
	CHECK(parse(REC_HEAD "[target db1]\naddress = 10.20.0.5\naccess = recorded\nhost-key = " HK1 "\n"
		    "host-key = " HK2 "\nrecord-input = yes\n"
		    "[target web]\naddress = 10.20.0.6\naccess = both\nhost-key = " HK2 "\n"
		    "[target j]\naddress = 10.20.0.7\naccess = jump\n"
		    "[grant ops]\nto = group:ops\ntarget = db1\ntarget = web\ntarget = j\naccount = deploy\n"
		    "account = root\naccount = ec2-user\n"
		    "[grant jonly]\nto = user:alice\ntarget = j\n"
		    "[recording]\nmax-mb = 4096\nfail-closed = no\nship-rate-kb = 512\n" REC_USERS) == 0);
	CHECK(c.targets[0].access == SITECONF_ACCESS_RECORDED && c.targets[0].nhost_keys == 2 &&
	      !strcmp(c.targets[0].host_keys[1], HK2) && c.targets[0].record_input == 1);
	CHECK(c.targets[1].access == SITECONF_ACCESS_BOTH && c.targets[1].record_input == 0);
	CHECK(c.targets[2].access == SITECONF_ACCESS_JUMP);
	CHECK(c.grants[0].naccounts == 3 && !strcmp(c.grants[0].accounts[0], "deploy") &&
	      !strcmp(c.grants[0].accounts[2], "ec2-user") && c.grants[1].naccounts == 0);
	CHECK(c.rec_max_mb == 4096 && c.rec_fail_closed == 0 && c.rec_ship_rate_kb == 512);
	CHECK(siteconf_valid_host_key(HK1) && siteconf_valid_host_key(HK2));
	/* 43 characters whose last one has bits set past the 32 bytes: not a SHA-256 */
	CHECK(!siteconf_valid_host_key("SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf9"));
	CHECK(!siteconf_valid_host_key("SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8="));
	CHECK(!siteconf_valid_host_key("MD5:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8xxx"));
}

/* each text is refused at its line, with its needle in the message */
struct bad { const char *text; unsigned line; const char *needle; };
static void check_bads(const struct bad *bads, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = parse(bads[i].text);
		if (rc != -1 || e.line != bads[i].line || !strstr(e.msg, bads[i].needle) || strcmp(e.file, "t.conf") != 0) {
			printf("  case %zu: rc=%d line=%u msg='%s' (want line %u, '%s')\n",
			       i, rc, e.line, e.msg, bads[i].line, bads[i].needle);
			CHECK(0);
		}
	}
}

#define DB1 REC_HEAD "[target db1]\naddress = 10.20.0.5\n"
static const struct bad rec_bads[] = {
	{ DB1 "access = recorde\n", 5, "bad access 'recorde' (expected jump, recorded or both)" },
	{ DB1 "access = jump\naccess = both\n", 6, "'access' given twice" },
	{ DB1 "access = recorded\n", 3, "target 'db1' has access = recorded but no host-key" },
	{ DB1 "access = both\n[user x]\n", 3, "has access = both but no host-key" },
	{ DB1 "host-key = SHA256:abc\n", 5, "bad host-key 'SHA256:abc' (expected SHA256: and 43 base64" },
	{ DB1 "host-key = " HK1 "x\n", 5, "bad host-key" },
	{ DB1 "host-key = SHA256:4Sfp*pin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8\n", 5, "bad host-key" },
	{ DB1 "host-key = " HK1 "\nhost-key = " HK1 "\n", 6, "given twice" },
	{ DB1 "host-key = " HK1 "\nhost-key = " HK2 "\nhost-key = SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
	  "host-key = SHA256:BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nhost-key = SHA256:CAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
	  9, "too many host-key lines (at most 4)" },
	{ DB1 "record-input = maybe\n", 5, "bad record-input 'maybe' (expected yes or no)" },
	{ DB1 "access = recorded\nhost-key = " HK1 "\nrecord-input = no\nrecord-input = no\n", 8, "given twice" },
	{ DB1 "record-input = yes\n", 3, "has record-input but access = jump" },
	{ DB1 "access = recorded\nhost-key = " HK1 "\n[grant g]\nto = user:alice\ntarget = db1\n" REC_USERS, 7,
	  "grant 'g' gives target 'db1' (access = recorded) but names no account" },
	{ DB1 "access = both\nhost-key = " HK1 "\n[grant g]\nto = user:alice\ntarget = db1\n" REC_USERS, 7,
	  "names no account" },
	{ DB1 "[grant g]\nto = user:alice\ntarget = db1\naccount = Deploy\n" REC_USERS, 8, "bad account 'Deploy'" },
	{ DB1 "[grant g]\nto = user:alice\ntarget = db1\naccount = a b\n" REC_USERS, 8, "bad account" },
	{ DB1 "[grant g]\nto = user:alice\ntarget = db1\naccount = x\naccount = x\n" REC_USERS, 9,
	  "account 'x' given twice" },
	{ DB1 "[grant g]\nto = user:alice\ntarget = db1\naccount = a1\naccount = a2\naccount = a3\naccount = a4\n"
	  "account = a5\naccount = a6\naccount = a7\naccount = a8\naccount = a9\n" REC_USERS, 16,
	  "too many account lines (at most 8)" },
	{ "[recording]\nmax-mb = 0\n", 2, "bad max-mb '0' (expected 1-1048576)" },
	{ "[recording]\nmax-mb = 1048577\n", 2, "bad max-mb" },
	{ "[recording]\nmax-mb = 12x\n", 2, "bad max-mb" },
	{ "[recording]\nmax-mb = 5\nmax-mb = 5\n", 3, "'max-mb' given twice" },
	{ "[recording]\nfail-closed = on\n", 2, "bad fail-closed 'on' (expected yes or no)" },
	{ "[recording]\nship-rate-kb = -1\n", 2, "bad ship-rate-kb '-1' (expected 1-1048576)" },
	{ "[recording]\nship-rate-kb = 99999999999\n", 2, "bad ship-rate-kb" },
	{ "[recording]\nspeed = 1\n", 2, "unknown key 'speed'" },
	{ "[recording]\n[recording]\n", 2, "appears twice" },
};

static void test_recorded_bad_inputs(void)
{
	check_bads(rec_bads, sizeof rec_bads / sizeof rec_bads[0]);
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

static void test_syslog(void)
{
	CHECK(parse("") == 0 && !c.have_syslog && c.syslog_port == 6514);
	CHECK(c.spool_max_bytes == (uint64_t)256 << 20 && c.fail_closed == 1 && c.spool_keep_hours == 24);
	CHECK(parse("[syslog]\ncollector = 192.0.2.50\nserver-name = logs.example.net\nca = /config/ca.pem\n") == 0);
	CHECK(c.have_syslog && c.syslog_port == 6514 && !strcmp(c.syslog_addr_text, "192.0.2.50"));
	CHECK(c.syslog_addr[10] == 0xff && c.syslog_addr[11] == 0xff && c.syslog_addr[12] == 192 && c.syslog_addr[15] == 50);
	CHECK(!strcmp(c.syslog_server_name, "logs.example.net") && !strcmp(c.syslog_ca, "/config/ca.pem"));
	CHECK(!c.syslog_client_cert[0] && !c.syslog_client_key[0]);
	CHECK(parse("[syslog]\ncollector = fd00:5::10\nport = 10514\nserver-name = collector\nca = /config/ca.pem\n"
		    "client-cert = /config/box.crt\nclient-key = /config/box.key\nspool-max-mb = 65536\nfail-closed = no\n") == 0);
	CHECK(c.have_syslog && c.syslog_addr[0] == 0xfd && c.syslog_addr[15] == 0x10 && c.syslog_port == 10514);
	CHECK(!strcmp(c.syslog_client_cert, "/config/box.crt") && !strcmp(c.syslog_client_key, "/config/box.key"));
	CHECK(c.spool_max_bytes == (uint64_t)65536 << 20 && c.fail_closed == 0);
	/* the spool settings stand on their own, without a collector */
	CHECK(parse("[syslog]\nspool-max-mb = 1\n") == 0 && !c.have_syslog && c.spool_max_bytes == 1 << 20);
	CHECK(parse("[syslog]\nspool-keep-hours = 0\n") == 0 && c.spool_keep_hours == 0);
	CHECK(parse("[syslog]\nspool-keep-hours = 8760\n") == 0 && c.spool_keep_hours == 8760);
}

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
	{ "[user root]\nkey = " KEY "\n", 1, "is a system account" },
	{ "[user ship]\nkey = " KEY "\n", 1, "is a system account" },
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
	/* segments, targets, grants */
	{ "[segment s]\ncidr = 10.0.0.0/33\n", 2, "bad cidr" },
	{ "[segment s]\ncidr = 10.0.0.1/24\n", 2, "host bits set" },
	{ "[segment s]\ncidr = 10.0.0.0\n", 2, "bad cidr" },
	{ "[segment s]\ncidr = fd00::/129\n", 2, "bad cidr" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[segment s]\n", 3, "defined twice" },
	{ "[segment s]\nrange = 10.0.0.0/8\n", 2, "unknown key 'range'" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = db1.example\n", 4, "names are not resolved" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\nport = 0\n", 5, "bad port" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\nport = 22\n", 3, "has no address" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\nsegment = x\n", 5, "unknown segment" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 11.0.0.1\n", 3, "outside every approved segment" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[segment u]\ncidr = 11.0.0.0/8\n[target t]\naddress = 11.0.0.1\nsegment = s\n", 5, "outside its segment" },
	{ "[target t]\naddress = 10.0.0.1\n[system]\n", 1, "outside every approved segment" },
	{ "[grant g]\ntarget = db1\n", 2, "unknown target 'db1'" },
	{ "[segment s]\ncidr = 0.0.0.0/0\n[target t]\naddress = 127.0.0.1\n", 3, "loopback" },
	{ "[segment s]\ncidr = 0.0.0.0/0\n[target t]\naddress = 0.0.0.0\n", 3, "loopback" },
	{ "[segment s]\ncidr = ::/0\n[target t]\naddress = ::ffff:127.0.0.2\n", 3, "loopback" },
	{ "[segment s]\ncidr = ::/0\n[target t]\naddress = fe80::1\n", 3, "link-local" },
	{ "[segment s]\ncidr = 0.0.0.0/0\n[target t]\naddress = 169.254.169.254\n", 3, "link-local" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\n[grant g]\ntarget = t\n", 5, "needs at least one 'to'" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\n[grant g]\nto = user:nobody1\ntarget = t\n", 5, "user 'nobody1' is not defined" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\n[grant g]\nto = group:ops\ntarget = t\n", 5, "group 'ops' has no member" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\n[grant g]\nto = everyone\n", 6, "expected user:NAME or group:NAME" },
	{ "[segment s]\ncidr = 10.0.0.0/8\n[target t]\naddress = 10.0.0.1\n[grant g]\nto = user:a\ntarget = t\nport = 80\n[user a]\nkey = " KEY "\nmfa = off\n", 5, "port 80 is not a port of target 't'" },
	{ "[grant g]\nexpires = 2027-02-29\n", 2, "bad expires" },
	{ "[grant g]\nexpires = 27-01-01\n", 2, "bad expires" },
	{ "[grant g]\nhours = 18:00-08:00\n", 2, "bad hours" },
	{ "[grant g]\nhours = 8:00-18:00\n", 2, "bad hours" },
	{ "[grant g]\ndays = mon,funday\n", 2, "bad days" },
	{ "[grant g]\ndays = mon,mon\n", 2, "bad days" },
	{ "[user a]\ngroup = Bad\n", 2, "bad group name" },
	{ "[user ops]\nkey = " KEY "\n[user ops]\n", 3, "defined twice" },
	{ "[user ops]\nkey = ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x\n", 2, "not allowed" },
	{ "[user ops]\nkey = ssh-ed25519 AAAAC3NzaC1yc2EAAAADAQABAAABAQ== x\n", 2, "does not match" },
	{ "[user ops]\nkey = ssh-ed25519 !!!!\n", 2, "not valid base64" },
	{ "[user ops]\nkey = from=\"1.2.3.4\" " KEY "\n", 2, "options" },
	{ "[system]\nhostname x\n", 2, "expected 'key = value'" },
	{ "[system\n", 1, "expected ']'" },
	{ "[system]\nhostname =\n", 2, "missing value" },
	{ "[system]\nhostname = a\x01\n", 2, "control character" },
	/* [syslog] */
	{ "[syslog]\ncollector = logs.example.net\n", 2, "bad collector" },
	{ "[syslog]\ncollector = 10.0.0.256\n", 2, "bad collector" },
	{ "[syslog]\ncollector = 10.0.0.1\ncollector = 10.0.0.2\n", 3, "given twice" },
	{ "[syslog]\ncollector = 10.0.0.1\nport = 0\n", 3, "bad port" },
	{ "[syslog]\ncollector = 10.0.0.1\nport = 70000\n", 3, "bad port" },
	{ "[syslog]\nserver-name = -logs.example\n", 2, "bad server-name" },
	{ "[syslog]\nserver-name = logs..example\n", 2, "bad server-name" },
	{ "[syslog]\nserver-name = logs_1.example\n", 2, "bad server-name" },
	{ "[syslog]\nca = config/ca.pem\n", 2, "bad ca" },
	{ "[syslog]\nca = /config/../etc/ca.pem\n", 2, "bad ca" },
	{ "[syslog]\nclient-key = /config/my key.pem\n", 2, "bad client-key" },
	{ "[syslog]\nspool-max-mb = 0\n", 2, "expected 1-65536" },
	{ "[syslog]\nspool-keep-hours = 8761\n", 2, "expected 0-8760" },
	{ "[syslog]\nspool-keep-hours = 1\nspool-keep-hours = 2\n", 3, "spool-keep-hours" },
	{ "[ssh]\nchannels-max = 1000001\n", 2, "bad channels-max" },
	{ "[ssh]\nchannels-per-user = -1\n", 2, "bad channels-per-user" },
	{ "[ssh]\nchannels-max = 5\nchannels-max = 5\n", 3, "given twice" },
	{ "[syslog]\nspool-max-mb = 65537\n", 2, "expected 1-65536" },
	{ "[syslog]\nfail-closed = off\n", 2, "expected yes or no" },
	{ "[syslog]\nfail-closed = no\nfail-closed = no\n", 3, "given twice" },
	{ "[syslog]\nretries = 3\n", 2, "unknown key 'retries'" },
	{ "[syslog]\n[syslog]\n", 2, "appears twice" },
	{ "[system]\n[syslog]\ncollector = 10.0.0.1\nca = /config/ca.pem\n", 2, "needs server-name" },
	{ "[syslog]\ncollector = 10.0.0.1\nserver-name = logs\n", 1, "needs ca" },
	{ "[syslog]\nserver-name = logs\nca = /config/ca.pem\n", 1, "need a collector" },
	{ "[syslog]\ncollector = 10.0.0.1\nserver-name = logs\nca = /c/ca.pem\nclient-cert = /c/b.crt\n", 1, "both or neither" },
};

static void test_bad_inputs(void)
{
	check_bads(bads, sizeof bads / sizeof bads[0]);
}

/* [user NAME] may not take a system account's name: every account and group
 * of the image (as jumpd/init/users.c renders them) is refused, with file,
 * line and what was expected; names that only look alike are taken */
static int refused_as_system(const char *name)
{
	char text[256];
	snprintf(text, sizeof text, "[system]\nhostname = x\n[user %s]\nkey = " KEY "\nmfa = off\n", name);
	int ok = parse(text) == -1 && e.line == 3 && !strcmp(e.file, "t.conf") &&
		 strstr(e.msg, "is a system account") && strstr(e.msg, "expected a name other than root, dhcp, sshd, jumpd, fw, ship");
	if (!ok)
		printf("  [user %s]: line %u, '%s'\n", name, e.line, e.msg);
	return ok;
}

static void test_system_accounts(void)
{
	static const char *const image[] = { "root", "dhcp", "sshd", "jumpd", "fw", "ship", "rec", "nobody", "nogroup",
					     "auth-sock", "ctl-sock", "fw-sock", "rec-sock" };
	static const char *const alike[] = { "fw1", "fwx", "shipper", "roots", "_root", "sshd-ops", "jumpd2", "nobody_" };
	static char passwd[4096], group[4096];
	for (size_t i = 0; i < sizeof image / sizeof image[0]; i++)
		CHECK(refused_as_system(image[i]));
	for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "[user %s]\nkey = " KEY "\nmfa = off\n", alike[i]);
		CHECK(parse(text) == 0 && c.nusers == 1 && !strcmp(c.users[0].name, alike[i]));
	}
	/* what the image really renders, so a new system account cannot be missed */
	siteconf_defaults(&c);
	CHECK(users_render(&c, passwd, sizeof passwd, group, sizeof group) == 0);
	unsigned names = 0;
	const char *files[] = { passwd, group };
	for (int f = 0; f < 2; f++)
		for (const char *line = files[f]; *line; names++) {
			char name[64];
			size_t n = strcspn(line, ":\n"), len = strcspn(line, "\n");
			memcpy(name, line, n < sizeof name ? n : sizeof name - 1);
			name[n < sizeof name ? n : sizeof name - 1] = 0;
			CHECK(refused_as_system(name));
			line += len + (line[len] == '\n');
		}
	CHECK(names >= 19); /* today 8 accounts and 11 groups (the shipper has jumpd's; 4 socket groups) */
}

/* an error message quotes the file: it reaches the console only as
 * printable ASCII (no C1 control, no half of a UTF-8 character) */
static int printable_msg(void)
{
	for (const char *p = e.msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

static void test_messages_printable(void)
{
	CHECK(parse("[user caf\xc3\xa9]\n") == -1 && e.line == 1 && printable_msg() &&
	      strstr(e.msg, "bad user name 'caf\?\?'"));
	CHECK(parse("[system]\nhostname = a\x9b" "2J\x7f\n") == -1 && e.line == 2 && printable_msg() &&
	      strstr(e.msg, "bad hostname 'a?2J?'"));
	CHECK(parse("[system]\n[user ops]\nkey = " KEY "\nmfa = sms\xc2\x9b\n") == -1 && e.line == 4 &&
	      printable_msg() && strstr(e.msg, "bad mfa 'sms\?\?'"));
	/* the positive control: a plain message is as it was */
	CHECK(parse("[user Bad]\n") == -1 && printable_msg() && strstr(e.msg, "bad user name 'Bad' (expected [a-z_]"));
}

static void test_nul_byte(void)
{
	const char t[] = "[system]\nhost\0name = x\n";
	CHECK(siteconf_parse(&c, t, sizeof t - 1, "t.conf", &e) == -1 && e.line == 2);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_full_config);
	RUN(test_channel_limits);
	RUN(test_mfa_settings);
	RUN(test_policy_sections);
	RUN(test_syslog);
	RUN(test_recorded_targets);
	RUN(test_recorded_bad_inputs);
	RUN(test_bad_inputs);
	RUN(test_system_accounts);
	RUN(test_messages_printable);
	RUN(test_nul_byte);
	UT_END();
}
