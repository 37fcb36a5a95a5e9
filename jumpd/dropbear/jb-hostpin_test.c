/* Unit tests for jb-hostpin: the relay client's mode, pin list and match. */
#include "jb-hostpin.h"
#include "../common/unittest.h"

#include <string.h>

#define FP_A "SHA256:98NsxRJ0Jx1mhQvJ1u1C7Y0bUvaPk6q8r6h0Yq1KZ3E"
#define FP_B "SHA256:P9szN0L2ls6KxkVv7Bppv3asnZCn03rY7Msm/c8+ZgA"

static void mode_from_environment(void)
{
	CHECK(jb_hostpin_mode(NULL, NULL) == JB_HOSTPIN_OFF);
	CHECK(jb_hostpin_mode(FP_A, NULL) == JB_HOSTPIN_RELAY);
	CHECK(jb_hostpin_mode(FP_A "," FP_B, NULL) == JB_HOSTPIN_RELAY);
	CHECK(jb_hostpin_mode(NULL, "1") == JB_HOSTPIN_SCAN);
	/* fail closed: an empty or malformed pin, a scan value other than 1, both */
	CHECK(jb_hostpin_mode("", NULL) == JB_HOSTPIN_BAD);
	CHECK(jb_hostpin_mode("SHA256:short", NULL) == JB_HOSTPIN_BAD);
	CHECK(jb_hostpin_mode(NULL, "yes") == JB_HOSTPIN_BAD);
	CHECK(jb_hostpin_mode(NULL, "") == JB_HOSTPIN_BAD);
	CHECK(jb_hostpin_mode(FP_A, "1") == JB_HOSTPIN_BAD);
}

static void pin_list_syntax(void)
{
	char many[9 * (JB_HOSTPIN_FP_LEN + 1) + 1];
	size_t len = 0;
	CHECK(jb_hostpin_list_valid(FP_A));
	CHECK(!jb_hostpin_list_valid(NULL) && !jb_hostpin_list_valid(""));
	CHECK(!jb_hostpin_list_valid(FP_A ","));
	CHECK(!jb_hostpin_list_valid("," FP_A));
	CHECK(!jb_hostpin_list_valid(FP_A ",," FP_B));
	CHECK(!jb_hostpin_list_valid(FP_A " "));
	CHECK(!jb_hostpin_list_valid(FP_A "="));                  /* padded */
	CHECK(!jb_hostpin_list_valid("sha256:98NsxRJ0Jx1mhQvJ1u1C7Y0bUvaPk6q8r6h0Yq1KZ3E"));
	CHECK(!jb_hostpin_list_valid("SHA256:98NsxRJ0Jx1mhQvJ1u1C7Y0bUvaPk6q8r6h0Yq1KZ3"));  /* 42 */
	CHECK(!jb_hostpin_list_valid("SHA256:98NsxRJ0Jx1mhQvJ1u1C7Y0bUvaPk6q8r6h0Yq1KZ3-"));
	for (int i = 0; i < 8; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, "%s%s", i ? "," : "", FP_B);
	CHECK(jb_hostpin_list_valid(many));
	snprintf(many + len, sizeof many - len, ",%s", FP_A);
	CHECK(!jb_hostpin_list_valid(many));
}

static void match_exact_member_only(void)
{
	CHECK(jb_hostpin_match(FP_A, FP_A) == 1);
	CHECK(jb_hostpin_match(FP_A "," FP_B, FP_B) == 1);
	CHECK(jb_hostpin_match(FP_B "," FP_A, FP_A) == 1);
	CHECK(jb_hostpin_match(FP_A, FP_B) == 0);
	CHECK(jb_hostpin_match(FP_A, "SHA256:98NsxRJ0Jx1mhQvJ1u1C7Y0bUvaPk6q8r6h0Yq1KZ3") == 0); /* prefix */
	CHECK(jb_hostpin_match(FP_A, FP_A "x") == 0);
	CHECK(jb_hostpin_match(FP_A, "") == 0 && jb_hostpin_match(FP_A, NULL) == 0);
	CHECK(jb_hostpin_match("", FP_A) == -1 && jb_hostpin_match(NULL, FP_A) == -1);
	CHECK(jb_hostpin_match(FP_A ",junk", FP_A) == -1); /* a bad list matches nothing, even its good part */
}

static void scan_text_is_config_lines(void)
{
	char out[256], small[40];
	size_t n = jb_hostpin_scan_text(out, sizeof out, "10.89.2.2", "ssh-ed25519", FP_A);
	CHECK(n == strlen(out));
	CHECK(!strcmp(out, "# 10.89.2.2 ssh-ed25519\nhost-key = " FP_A "\n"));
	CHECK(jb_hostpin_scan_text(small, sizeof small, "10.89.2.2", "ssh-ed25519", FP_A) == 0 && small[0] == 0);
}

int main(void)
{
	RUN(mode_from_environment);
	RUN(pin_list_syntax);
	RUN(match_exact_member_only);
	RUN(scan_text_is_config_lines);
	UT_END();
}
