/* unit tests for reckeys.c: target names that can be file names (no path,
 * no hidden file), the public half found in dropbearkey's output, the
 * authorized_keys line and its refusals, a key made 0600 on first use and
 * a key another uid could read refused. */
#include "reckeys.h"
#include "rectest.h"
#include "../common/unittest.h"

#include <string.h>
#include <sys/stat.h>

static const char *PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake";

static void names(void)
{
	CHECK(reckeys_name_ok("db1"));
	CHECK(reckeys_name_ok("web-2.lab_x"));
	CHECK(!reckeys_name_ok(""));
	CHECK(!reckeys_name_ok("../etc"));
	CHECK(!reckeys_name_ok("a/b"));
	CHECK(!reckeys_name_ok(".hidden"));
	CHECK(!reckeys_name_ok("DB1"));
	char long_name[80];
	memset(long_name, 'a', 64);
	long_name[64] = 0;
	CHECK(!reckeys_name_ok(long_name));
	long_name[63] = 0;
	CHECK(reckeys_name_ok(long_name));
	char p[64];
	CHECK(reckeys_path("/state/rec/keys", "db1", p, sizeof p) == 0 && !strcmp(p, "/state/rec/keys/db1"));
	CHECK(reckeys_path("/state/rec/keys", "../x", p, sizeof p) == -1);
	CHECK(reckeys_path("/state/rec/keys", "db1", p, 10) == -1);
}

static void public_half(void)
{
	char out[200];
	const char *o = "Public key portion is:\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake root@box\n"
			"Fingerprint: sha256!! SHA256:x\n";
	CHECK(reckeys_public_from_output(o, out, sizeof out) == 0 && !strcmp(out, PUB));
	CHECK(reckeys_public_from_output("no key here\n", out, sizeof out) == -1);
	CHECK(reckeys_public_from_output("text ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFake\n",
					 out, sizeof out) == -1); /* not at a line start */
	CHECK(reckeys_public_from_output("ssh-ed25519 AAAA\n", out, sizeof out) == -1); /* too short to be a key */
	CHECK(reckeys_public_from_output(o, out, 20) == -1);
}

static void authorized_line(void)
{
	char out[300];
	CHECK(reckeys_authorized_line(out, sizeof out, "10.89.1.1", PUB, "t1") == 0);
	CHECK(!strcmp(out, "from=\"10.89.1.1\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake jumpbox-rec@t1"));
	CHECK(reckeys_authorized_line(out, sizeof out, "fd89::1", PUB, "t1") == 0);
	CHECK(reckeys_authorized_line(out, sizeof out, NULL, PUB, "t1") == 0 && !strncmp(out, "ssh-ed25519 AAAA", 16) &&
	      strstr(out, " jumpbox-rec@t1"));
	CHECK(reckeys_authorized_line(out, sizeof out, "10.0.0.1\" x", PUB, "t1") == -1);
	CHECK(reckeys_authorized_line(out, sizeof out, "", PUB, "t1") == -1);
	CHECK(reckeys_authorized_line(out, sizeof out, "10.0.0.1", "ssh-rsa AAAA", "t1") == -1);
	CHECK(reckeys_authorized_line(out, sizeof out, "10.0.0.1", "ssh-ed25519 AAA BBB", "t1") == -1);
	CHECK(reckeys_authorized_line(out, sizeof out, "10.0.0.1", PUB, "../t1") == -1);
	CHECK(reckeys_authorized_line(out, 50, "10.0.0.1", PUB, "t1") == -1);
}

static void made_on_first_use(void)
{
	char bin[512], dir[256], path[320], err[256], line[300];
	struct stat st;
	rectest_fake_bin(bin, sizeof bin);
	ut_path(dir, sizeof dir, "keys");
	CHECK(reckeys_ensure(bin, dir, "t1", path, sizeof path, err, sizeof err) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 && S_ISREG(st.st_mode));
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	/* a second use keeps it (the fake dropbearkey refuses an existing file) */
	CHECK(reckeys_ensure(bin, dir, "t1", path, sizeof path, err, sizeof err) == 0);
	CHECK(reckeys_target_line(bin, dir, "t1", "10.89.1.1", line, sizeof line, err, sizeof err) == 0);
	CHECK(!strncmp(line, "from=\"10.89.1.1\" ssh-ed25519 AAAA", 33) && strstr(line, " jumpbox-rec@t1"));
	/* readable by others: refused, and so is a bad name */
	chmod(path, 0640);
	CHECK(reckeys_ensure(bin, dir, "t1", path, sizeof path, err, sizeof err) == -1 && strstr(err, "0600"));
	CHECK(reckeys_ensure(bin, dir, "../t1", path, sizeof path, err, sizeof err) == -1);
	unlink(path);
	/* dropbearkey failing: no key, an error */
	CHECK(reckeys_ensure("/nonexistent/dropbearmulti", dir, "t2", path, sizeof path, err, sizeof err) == -1);
	CHECK(access(path, F_OK) != 0);
	rmdir(dir);
}

int main(void)
{
	RUN(names);
	RUN(public_half);
	RUN(authorized_line);
	RUN(made_on_first_use);
	UT_END();
}
