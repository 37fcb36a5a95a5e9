/* unit tests for jb-hostkeys, with a stand-in for dropbearkey that records
 * each call: keys are made once, on the first boot, then only shown */
#include "hostkeys.h"
#include "testutil.h"
#include "../common/unittest.h"
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], keydir[300], fake[300], calls[300];

/* called as: FAKE dropbearkey -t TYPE -f PATH | FAKE dropbearkey -y -f PATH */
static void make_fake(int generate_fails)
{
	char script[1024];
	snprintf(script, sizeof script,
		 "#!/bin/sh\n"
		 "echo \"$2 $3\" >> %s\n"
		 "case $2 in\n"
		 "-t) %s echo \"key $3\" > \"$5\" ;;\n"
		 "-y) [ -r \"$4\" ] ;;\n"
		 "esac\n",
		 calls, generate_fails ? "exit 1;" : "");
	CHECK(test_write(fake, script, 0755) == 0);
}

static int count(const char *what)
{
	int n = 0;
	for (const char *p = test_read(calls); (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_generated_once_then_kept(void)
{
	struct stat st;
	make_fake(0);
	CHECK(hostkeys_ensure(keydir, fake) == 0);
	CHECK(stat(keydir, &st) == 0 && (st.st_mode & 0777) == 0750 && st.st_uid == 0 && st.st_gid == 102);
	CHECK(count("-t ed25519") == 1 && count("-t ecdsa") == 1 && count("-y") == 2);
	char key[400];
	snprintf(key, sizeof key, "%s/dropbear_ed25519_host_key", keydir);
	CHECK(!strcmp(test_read(key), "key ed25519\n"));
	CHECK(stat(key, &st) == 0 && (st.st_mode & 0777) == 0640 && st.st_uid == 0 && st.st_gid == 102);
	/* the next boot: nothing generated, both shown again */
	CHECK(hostkeys_ensure(keydir, fake) == 0);
	CHECK(count("-t ") == 2 && count("-y") == 4);
	/* one lost (say, a restored volume): only that one is made again */
	unlink(key);
	CHECK(hostkeys_ensure(keydir, fake) == 0);
	CHECK(count("-t ed25519") == 2 && count("-t ecdsa") == 1);
}

/* security finding 9: an older image gave the SSH server's uid the
 * directory; a link it left in a key's place (to a root file it wants to
 * read) is removed, never followed: the target keeps its owner and mode */
static void test_link_in_a_key_place_not_followed(void)
{
	char key[400], victim[400];
	struct stat st;
	make_fake(0);
	snprintf(key, sizeof key, "%s/dropbear_ecdsa_host_key", keydir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	CHECK(test_write(victim, "secret\n", 0600) == 0);
	CHECK(chown(keydir, 102, 102) == 0 && chmod(keydir, 0700) == 0); /* as an older image left it */
	unlink(key);
	CHECK(symlink(victim, key) == 0);
	int before = count("-t ecdsa");
	CHECK(hostkeys_ensure(keydir, fake) == 0);
	CHECK(stat(victim, &st) == 0 && st.st_uid == 0 && st.st_gid == 0 && (st.st_mode & 0777) == 0600);
	CHECK(!strcmp(test_read(victim), "secret\n"));
	CHECK(lstat(key, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 && st.st_gid == 102);
	CHECK(count("-t ecdsa") == before + 1);
	CHECK(stat(keydir, &st) == 0 && st.st_uid == 0 && (st.st_mode & 0777) == 0750);
}

static void test_generation_failure_counted(void)
{
	char key[400];
	snprintf(key, sizeof key, "%s/dropbear_ecdsa_host_key", keydir);
	unlink(key);
	make_fake(1);
	CHECK(hostkeys_ensure(keydir, fake) == 1);
	CHECK(hostkeys_ensure(keydir, "/nonexistent/dropbearmulti") == 1);
}

int main(void)
{
	const char *d = test_dir("hostkeys");
	if (!d)
		return 1;
	snprintf(dir, sizeof dir, "%s", d);
	snprintf(keydir, sizeof keydir, "%s/ssh", dir);
	snprintf(fake, sizeof fake, "%s/fake-dropbear", dir);
	snprintf(calls, sizeof calls, "%s/calls", dir);
	RUN(test_generated_once_then_kept);
	RUN(test_link_in_a_key_place_not_followed);
	RUN(test_generation_failure_counted);
	UT_END();
}
