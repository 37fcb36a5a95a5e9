/* unit tests for jb-setup: the config check and its record (what the
 * supervisor reads back), and the accounts rendered from the config */
#include "bootpaths.h"
#include "setup.h"
#include "testutil.h"
#include "users.h"
#include "../common/unittest.h"
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct siteconf c, back;

#define GOOD "[system]\nhostname = bastion-1\n[network]\naddress = 192.0.2.10/24\n" \
	"[user ops]\nkey = " TEST_KEY "\ntotp-secret = " TEST_SECRET "\n[user vendor]\nkey = " TEST_KEY "\nmfa = off\n"

static void test_applied_record_is_the_checked_bytes(void)
{
	const char *dir = test_dir("setup");
	char file[300], rec[300], why[400];
	struct stat st;
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(file, sizeof file, "%s/jumpbox.conf", dir);
	CHECK(test_write(file, GOOD, 0600) == 0);
	CHECK(setup_check_config(file, dir, &c, why, sizeof why) == SETUP_OK);
	CHECK(why[0] == 0 && c.nusers == 2 && !strcmp(c.hostname, "bastion-1") && !c.dhcp);
	snprintf(rec, sizeof rec, "%s/%s", dir, SETUP_APPLIED);
	CHECK(stat(rec, &st) == 0 && (st.st_mode & 0777) == 0600); /* TOTP secrets inside */
	CHECK(!strcmp(test_read(rec), GOOD));
	/* the supervisor sees the same: users, secrets, address */
	CHECK(setup_read_outcome(dir, &back, why, sizeof why) == SETUP_OK);
	CHECK(back.nusers == 2 && back.users[0].totp_secret_len == 20 && back.address == 0xc000020a);
	/* the original may change afterwards: the record does not */
	CHECK(test_write(file, "[system]\nhostname = other\n", 0600) == 0);
	CHECK(setup_read_outcome(dir, &back, why, sizeof why) == SETUP_OK && back.nusers == 2);
}

static void test_refusal_recorded_with_file_and_line(void)
{
	const char *dir = test_dir("setup");
	char file[300], why[400], back_why[400], rec[300];
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(file, sizeof file, "%s/jumpbox.conf", dir);
	CHECK(test_write(file, GOOD "colour = blue\n", 0600) == 0);
	CHECK(setup_check_config(file, dir, &c, why, sizeof why) == SETUP_REFUSE);
	CHECK(strstr(why, "jumpbox.conf:11: unknown key 'colour'") != NULL);
	CHECK(c.nusers == 0 && !strcmp(c.hostname, "jumpbox")); /* the defaults: nobody gets in */
	snprintf(rec, sizeof rec, "%s/%s", dir, SETUP_APPLIED);
	CHECK(access(rec, F_OK) != 0);
	CHECK(setup_read_outcome(dir, &back, back_why, sizeof back_why) == SETUP_REFUSE);
	CHECK(!strcmp(why, back_why) && back.nusers == 0);
	/* a good file on the next check replaces the refusal */
	CHECK(test_write(file, GOOD, 0600) == 0);
	CHECK(setup_check_config(file, dir, &c, why, sizeof why) == SETUP_OK);
	CHECK(setup_read_outcome(dir, &back, back_why, sizeof back_why) == SETUP_OK && back_why[0] == 0);
}

static void test_missing_and_unreadable(void)
{
	const char *dir = test_dir("setup");
	char file[300], why[400];
	CHECK(dir != NULL);
	if (!dir)
		return;
	CHECK(setup_check_config(NULL, dir, &c, why, sizeof why) == SETUP_NONE && c.nusers == 0);
	CHECK(setup_read_outcome(dir, &back, why, sizeof why) == SETUP_NONE && why[0] == 0);
	/* a config volume without the file: refused, as siteconf_load says it */
	snprintf(file, sizeof file, "%s/absent.conf", dir);
	CHECK(setup_check_config(file, dir, &c, why, sizeof why) == SETUP_REFUSE);
	CHECK(strstr(why, "absent.conf: cannot read: ") != NULL);
	/* a refusal longer than the reader's buffer is still a refusal */
	char small[16];
	CHECK(test_write(file, GOOD "colour = blue\n", 0600) == 0);
	CHECK(setup_check_config(file, dir, &c, why, sizeof why) == SETUP_REFUSE);
	CHECK(setup_read_outcome(dir, &back, small, sizeof small) == SETUP_REFUSE && small[0] != 0);
	/* a broken record is a refusal, never an empty config served */
	snprintf(file, sizeof file, "%s/%s", dir, SETUP_REFUSED);
	unlink(file);
	snprintf(file, sizeof file, "%s/%s", dir, SETUP_APPLIED);
	CHECK(test_write(file, "[nonsense\n", 0600) == 0);
	CHECK(setup_read_outcome(dir, &back, why, sizeof why) == SETUP_REFUSE && why[0] != 0);
}

static void test_users_render(void)
{
	static char pw[4096], gr[4096];
	siteconf_defaults(&c);
	strcpy(c.users[0].name, "ops");
	c.users[0].uid = 2000;
	c.users[0].nkeys = 1;
	c.nusers = 1;
	CHECK(users_render(&c, pw, sizeof pw, gr, sizeof gr) == 0);
	CHECK(strstr(pw, "root:x:0:0:root:/:/bin/false\n") != NULL);
	CHECK(strstr(pw, "ops:x:2000:2000:ops:/run/home/ops:/bin/jumpmenu\n") != NULL);
	CHECK(strstr(gr, "ops:x:2000:\n") != NULL);
	CHECK(strstr(pw, "fw:x:104:104:") != NULL && strstr(pw, "ship:x:105:103:") != NULL);
	/* the socket groups (common/sockgroups.h): ops, no admin, reaches auth.sock and rec.sock only */
	CHECK(strstr(gr, "auth-sock:x:110:jumpd,sshd,fw,ship,rec,ops\n") != NULL);
	CHECK(strstr(gr, "ctl-sock:x:111:jumpd,rec\n") != NULL);
	CHECK(strstr(gr, "fw-sock:x:112:jumpd,fw\n") != NULL);
	CHECK(strstr(gr, "rec-sock:x:113:rec,ops\n") != NULL);
	strcpy(c.users[1].name, "adm");
	c.users[1].uid = 2001;
	c.users[1].nkeys = 1;
	c.users[1].admin = 1;
	c.nusers = 2;
	CHECK(users_render(&c, pw, sizeof pw, gr, sizeof gr) == 0);
	CHECK(strstr(gr, "ctl-sock:x:111:jumpd,rec,adm\n") != NULL && strstr(gr, "auth-sock:x:110:jumpd,sshd,fw,ship,rec,ops,adm\n"));
	c.nusers = 1;
	c.users[0].diagnostic_shell = 1; /* only admins get it (siteconf checks) */
	CHECK(users_render(&c, pw, sizeof pw, gr, sizeof gr) == 0);
	CHECK(strstr(pw, "ops:x:2000:2000:ops:/run/home/ops:/bin/sh\n") != NULL);
	CHECK(users_render(&c, pw, 20, gr, sizeof gr) == -1);
}

static void test_users_apply_writes_keys(void)
{
	const char *dir = test_dir("users");
	char etc[300], home[300], path[400];
	struct siteconf_error err;
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(etc, sizeof etc, "%s", dir);
	snprintf(home, sizeof home, "%s/home", dir);
	CHECK(siteconf_parse(&c, GOOD, strlen(GOOD), "t.conf", &err) == 0);
	CHECK(users_apply(&c, etc, home) == 0);
	snprintf(path, sizeof path, "%s/passwd", etc);
	CHECK(strstr(test_read(path), "vendor:x:2001:2001:") != NULL);
	snprintf(path, sizeof path, "%s/ops/.ssh/authorized_keys", home);
	CHECK(!strcmp(test_read(path), TEST_KEY "\n"));
}

int main(void)
{
	RUN(test_applied_record_is_the_checked_bytes);
	RUN(test_refusal_recorded_with_file_and_line);
	RUN(test_missing_and_unreadable);
	RUN(test_users_render);
	RUN(test_users_apply_writes_keys);
	UT_END();
}
