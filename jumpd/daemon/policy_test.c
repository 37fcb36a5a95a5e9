/* unit tests for policy.c: channel decisions by name and address, ports,
 * groups, expiry dates and weekly windows (UTC). */
#include "policy.h"
#include "../common/unittest.h"
#include "../common/siteconf.h"

#include <string.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX t@x"
static const char conf_text[] =
	"[segment prod]\ncidr = 10.20.0.0/16\ncidr = fd00:20::/64\n"
	"[target db1]\naddress = 10.20.0.5\nport = 22\nport = 5432\n"
	"[target db2]\naddress = fd00:20::7\n"
	"[target old]\naddress = 10.20.0.9\n"
	"[target office]\naddress = 10.20.0.10\n"
	"[grant dba]\nto = group:dba\ntarget = db1\ntarget = db2\nport = 22\n"
	"[grant vendor]\nto = user:vendor\ntarget = old\nexpires = 2026-11-23\n"
	"[grant weekdays]\nto = user:vendor\ntarget = office\nhours = 08:00-18:00\ndays = mon,tue,wed,thu,fri\n"
	"[user alice]\nkey = " KEY "\nmfa = off\ngroup = dba\n"
	"[user vendor]\nkey = " KEY "\nmfa = off\n";
static struct siteconf c;
static struct policy_result r;

/* 2026-11-23 was a Monday */
#define MON_1000 ((int64_t)1795428000) /* 2026-11-23T10:00:00Z */

static int decide(unsigned user, const char *host, unsigned port, int64_t now, const char *reason)
{
	policy_decide(&c, user, host, port, now, &r);
	if (strcmp(r.reason, reason) != 0)
		printf("  %s:%u -> %s (want %s)\n", host, port, r.reason, reason);
	return strcmp(r.reason, reason) == 0;
}

static void test_setup(void)
{
	struct siteconf_error e;
	CHECK(siteconf_parse(&c, conf_text, sizeof conf_text - 1, "t", &e) == 0);
}

static void test_by_name_and_address(void)
{
	CHECK(decide(0, "db1", 22, MON_1000, "granted") && r.allow && r.target == 0 && r.grant == 0);
	CHECK(decide(0, "10.20.0.5", 22, MON_1000, "granted") && r.target == 0);
	CHECK(decide(0, "db2", 22, MON_1000, "granted") && r.target == 1);
	CHECK(decide(0, "fd00:20::7", 22, MON_1000, "granted"));
	CHECK(decide(0, "db1.example.com", 22, MON_1000, "unknown-target") && !r.allow && r.target == -1);
	CHECK(decide(0, "10.20.0.6", 22, MON_1000, "not-a-target") && !r.allow);
	CHECK(decide(0, "10.21.0.5", 22, MON_1000, "forbidden-segment") && !r.allow);
	CHECK(decide(0, "fd00:21::7", 22, MON_1000, "forbidden-segment"));
}

static void test_ports_and_grants(void)
{
	CHECK(decide(0, "db1", 5432, MON_1000, "not-granted") && !r.allow);   /* grant limits to 22 */
	CHECK(decide(0, "db1", 80, MON_1000, "port-not-allowed") && !r.allow);
	CHECK(decide(1, "db1", 22, MON_1000, "not-granted") && !r.allow);     /* vendor is not in dba */
	CHECK(decide(0, "old", 22, MON_1000, "not-granted"));
}

static void test_expiry_and_window(void)
{
	int64_t end = (int64_t)1795478400; /* 2026-11-24T00:00:00Z: expires = 2026-11-23 ends here */
	CHECK(decide(1, "old", 22, end - 1, "granted") && r.allow);
	CHECK(decide(1, "old", 22, end, "grant-expired") && !r.allow);
	CHECK(decide(1, "office", 22, MON_1000, "granted"));
	CHECK(decide(1, "office", 22, MON_1000 - (int64_t)2 * 3600 - 1, "outside-window"));   /* 07:59:59 */
	CHECK(decide(1, "office", 22, MON_1000 + (int64_t)8 * 3600 - 1, "granted"));          /* 17:59:59 */
	CHECK(decide(1, "office", 22, MON_1000 + (int64_t)8 * 3600, "outside-window"));       /* 18:00 */
	CHECK(decide(1, "office", 22, MON_1000 - (int64_t)2 * 86400, "outside-window"));      /* Saturday */
	CHECK(decide(1, "office", 22, MON_1000 + (int64_t)4 * 86400, "granted"));             /* Friday */
}

/* recorded sessions: a second config with access modes and accounts */
static const char rec_text[] =
	"[segment prod]\ncidr = 10.20.0.0/16\n"
	"[target db1]\naddress = 10.20.0.5\naccess = recorded\nhost-key = SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8\n"
	"[target both]\naddress = 10.20.0.6\nport = 2222\nport = 22\naccess = both\n"
	"host-key = SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8\n"
	"[target jump]\naddress = 10.20.0.7\n"
	"[grant old]\nto = user:alice\ntarget = db1\naccount = legacy\nexpires = 2020-01-01\n"
	"[grant ops]\nto = user:alice\ntarget = db1\ntarget = both\ntarget = jump\naccount = deploy\naccount = root\n"
	"[grant late]\nto = user:vendor\ntarget = db1\naccount = vendor\nhours = 20:00-21:00\n"
	"[user alice]\nkey = " KEY "\nmfa = off\n[user vendor]\nkey = " KEY "\nmfa = off\n";

static int recorded(unsigned user, const char *selector, const char *reason, const char *account)
{
	policy_decide_recorded(&c, user, selector, MON_1000, &r);
	int ok = strcmp(r.reason, reason) == 0 && (account ? r.account && !strcmp(r.account, account) : !r.account);
	if (!ok)
		printf("  %s -> %s %s (want %s %s)\n", selector, r.reason, r.account ? r.account : "-", reason,
		       account ? account : "-");
	return ok;
}

static void test_recorded_sessions(void)
{
	struct siteconf_error e;
	CHECK(siteconf_parse(&c, rec_text, sizeof rec_text - 1, "t", &e) == 0);
	/* the first allowing grant's first account; a named one must be in it */
	CHECK(recorded(0, "db1", "granted", "deploy") && r.allow && r.target == 0 && r.grant == 1);
	CHECK(recorded(0, "root%db1", "granted", "root") && r.allow);
	CHECK(recorded(0, "legacy%db1", "no-account", NULL) && !r.allow); /* only in the expired grant */
	CHECK(recorded(0, "nobody%db1", "no-account", NULL) && !r.allow);
	CHECK(recorded(0, "%db1", "no-account", NULL));
	CHECK(recorded(0, "root%both", "granted", "root") && r.target == 1);
	CHECK(recorded(0, "jump", "not-recorded", NULL) && !r.allow);
	CHECK(recorded(0, "10.20.0.5", "unknown-target", NULL));   /* names only */
	CHECK(recorded(0, "deploy%db9", "unknown-target", NULL));
	CHECK(recorded(1, "db1", "outside-window", NULL) && !r.allow);
	CHECK(recorded(1, "both", "not-granted", NULL));
	/* ssh -J: recorded-only once granted; both and jump as before */
	CHECK(decide(0, "db1", 22, MON_1000, "recorded-only") && !r.allow && r.grant == 1);
	CHECK(decide(1, "db1", 22, MON_1000, "outside-window"));   /* not granted now: no hint */
	CHECK(decide(0, "both", 2222, MON_1000, "granted") && r.allow && !r.account);
	CHECK(decide(0, "jump", 22, MON_1000, "granted") && r.allow);
}

int main(void)
{
	RUN(test_setup);
	RUN(test_by_name_and_address);
	RUN(test_ports_and_grants);
	RUN(test_expiry_and_window);
	RUN(test_recorded_sessions);
	UT_END();
}
