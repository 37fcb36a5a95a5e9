/* unit tests for authkey.c */
#include "authkey.h"
#include "unittest.h"

#include <string.h>

#define ED25519_BLOB "AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX"
#define ECDSA_BLOB "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=" /* type and curve only */

static int accepted(const char *line)
{
	char why[128] = "";
	int rc = authkey_check(line, why, sizeof why);
	if (rc && !why[0])
		printf("  no reason given for '%s'\n", line);
	return rc == 0;
}

static void test_accepted(void)
{
	CHECK(accepted("ssh-ed25519 " ED25519_BLOB " ops@laptop"));
	CHECK(accepted("ssh-ed25519 " ED25519_BLOB));
	CHECK(accepted("ecdsa-sha2-nistp256 " ECDSA_BLOB " a comment with spaces"));
}

static void test_refused(void)
{
	char why[128];
	CHECK(!accepted(""));
	CHECK(!accepted("ssh-ed25519"));
	CHECK(!accepted("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB rsa@old"));
	CHECK(!accepted("command=\"/bin/sh\" ssh-ed25519 " ED25519_BLOB));
	CHECK(!accepted("ssh-ed25519 " ED25519_BLOB "x"));           /* not a multiple of 4 */
	CHECK(!accepted("ssh-ed25519 AAAA*3NzaC1lZDI1NTE5"));         /* not base64 */
	CHECK(!accepted("ssh-ed25519 AAAAC3NzaC1lZDI1NTE="));         /* type cut short */
	CHECK(!accepted("ssh-ed25519 A=AA"));                          /* padding inside */
	/* the type in the blob must be the one in front */
	CHECK(authkey_check("ecdsa-sha2-nistp256 " ED25519_BLOB, why, sizeof why) == -1 && strstr(why, "does not match"));
	CHECK(authkey_check("ssh-dss AAAA", why, sizeof why) == -1 && strstr(why, "not allowed"));
}

int main(void)
{
	RUN(test_accepted);
	RUN(test_refused);
	UT_END();
}
