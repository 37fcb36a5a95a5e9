/* Unit tests for jb-selector: the login name split and the selector syntax. */
#include "jb-selector.h"
#include "../common/unittest.h"

#include <string.h>

static char user[101], sel[JB_SELECTOR_MAX + 1];

static void plain_name_is_the_user(void)
{
	CHECK(jb_login_split("alice", user, sizeof user, sel) == JB_LOGIN_PLAIN);
	CHECK(!strcmp(user, "alice") && sel[0] == 0);
}

static void target_selector_split_at_first_plus(void)
{
	CHECK(jb_login_split("alice+db1", user, sizeof user, sel) == JB_LOGIN_SELECTOR);
	CHECK(!strcmp(user, "alice") && !strcmp(sel, "db1"));
	CHECK(jb_login_split("alice+deploy%db1", user, sizeof user, sel) == JB_LOGIN_SELECTOR);
	CHECK(!strcmp(user, "alice") && !strcmp(sel, "deploy%db1"));
	CHECK(jb_login_split("a.b+web_2-x", user, sizeof user, sel) == JB_LOGIN_SELECTOR);
	CHECK(!strcmp(user, "a.b") && !strcmp(sel, "web_2-x"));
}

static void malformed_selectors_refused(void)
{
	const char *bad[] = { "alice+", "alice+DB1", "alice+db1+x", "alice+db 1", "alice+%db1", "alice+deploy%",
			      "alice+a%b%c", "alice+db1\n", "alice+d\xc3\xa9", "+db1", "alice+../etc", "alice+db1%%x",
			      "alice+db1;id", "alice+$(id)" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		strcpy(user, "junk");
		strcpy(sel, "junk");
		CHECK(jb_login_split(bad[i], user, sizeof user, sel) == JB_LOGIN_BAD);
		CHECK(user[0] == 0 && sel[0] == 0);
	}
}

static void part_lengths_bounded_at_32(void)
{
	char name[128], s32[33], s33[34];
	memset(s32, 'a', 32);
	s32[32] = 0;
	memset(s33, 'b', 33);
	s33[33] = 0;
	snprintf(name, sizeof name, "u+%s", s32);
	CHECK(jb_login_split(name, user, sizeof user, sel) == JB_LOGIN_SELECTOR && strlen(sel) == 32);
	snprintf(name, sizeof name, "u+%s%%%s", s32, s32);
	CHECK(jb_login_split(name, user, sizeof user, sel) == JB_LOGIN_SELECTOR && strlen(sel) == JB_SELECTOR_MAX);
	snprintf(name, sizeof name, "u+%s", s33);
	CHECK(jb_login_split(name, user, sizeof user, sel) == JB_LOGIN_BAD);
	snprintf(name, sizeof name, "u+%s%%%s", s32, s33);
	CHECK(jb_login_split(name, user, sizeof user, sel) == JB_LOGIN_BAD);
	snprintf(name, sizeof name, "u+%s%%x", s33);
	CHECK(jb_login_split(name, user, sizeof user, sel) == JB_LOGIN_BAD);
}

static void user_must_fit(void)
{
	char small[6];
	CHECK(jb_login_split("alice+db1", small, sizeof small, sel) == JB_LOGIN_SELECTOR);
	CHECK(jb_login_split("alicex+db1", small, sizeof small, sel) == JB_LOGIN_BAD && small[0] == 0);
	CHECK(jb_login_split("alicex", small, sizeof small, sel) == JB_LOGIN_BAD);
}

static void selector_valid_alone(void)
{
	CHECK(jb_selector_valid("db1") && jb_selector_valid("deploy%db1") && jb_selector_valid("-_9"));
	CHECK(!jb_selector_valid("") && !jb_selector_valid("%") && !jb_selector_valid("a%") && !jb_selector_valid("Db"));
}

int main(void)
{
	RUN(plain_name_is_the_user);
	RUN(target_selector_split_at_first_plus);
	RUN(malformed_selectors_refused);
	RUN(part_lengths_bounded_at_32);
	RUN(user_must_fit);
	RUN(selector_valid_alone);
	UT_END();
}
