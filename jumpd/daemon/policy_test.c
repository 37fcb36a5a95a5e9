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

int main(void)
{
	RUN(test_setup);
	RUN(test_by_name_and_address);
	RUN(test_ports_and_grants);
	RUN(test_expiry_and_window);
	UT_END();
}
