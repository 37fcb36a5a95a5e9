/* unit tests for replay.c: the state file that keeps each user's last TOTP
 * step, failure count and lockout across restarts — parse (strict, line
 * numbers in errors), format, save (0600, atomic) and load. */
#include "guard.h"
#include "replay.h"
#include "../common/unittest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"
#define SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static const char conf_text[] =
	"[mfa]\nlockout-failures = 5\n"
	"[user ops]\nkey = " KEY "\ntotp-secret = " SECRET "\n"
	"[user nomfa]\nkey = " KEY "\nmfa = off\n"
	"[user rem]\nkey = " KEY "\ntotp-secret = " SECRET "\n"
	"[user dev]\nkey = " KEY "\ntotp-secret = " SECRET "\n";
enum { OPS, NOMFA, REM, DEV };

static struct siteconf conf;
static struct mfa m;

static void reset(void)
{
	mfa_init(&m, &conf);
}

static int rparse(const char *text, char *err, size_t errlen)
{
	return replay_parse(&m, text, strlen(text), 1000, err, errlen);
}

static void test_replay_parse(void)
{
	char err[128];
	struct bad { const char *text; size_t len; };
#define B(t) { (t), sizeof(t) - 1 }
	static const struct bad bads[] = {
		B("ops 1"), B("ops\n"), B("ops \n"), B("ops -1\n"), B("ops +1\n"), B("ops 1x\n"),
		B("ops 0x10\n"), B("OPS 1\n"), B("ops  1\n"), B(" ops 1\n"), B("ops 1 \n"), B("ops\t1\n"),
		B("\n"), B("ops 1\r\n"), B("ops 1\n\n"), B("ops 1\0\n"), B("ops\0 1\n"),
		B("ops 123456789012345678901\n"), B("ops 18446744073709551616\n"),
		B("ops 99999999999999999999\n"), B("ops 1\nrem\n"),
	};
#undef B
	reset();
	CHECK(rparse("", err, sizeof err) == 0);
	CHECK(rparse("ops 123\nnomfa 0\n", err, sizeof err) == 0);
	CHECK(m.last_step[OPS] == 123 && m.last_step[NOMFA] == 0 && m.last_step[REM] == 0);
	CHECK(rparse("ghost 5\nrem 37037037\n", err, sizeof err) == 0);
	CHECK(m.last_step[REM] == 37037037 && m.last_step[OPS] == 123);
	CHECK(rparse("dev 18446744073709551609\n", err, sizeof err) == 0);
	CHECK(m.last_step[DEV] == 18446744073709551609ULL);
	CHECK(rparse("ops 00042\n", err, sizeof err) == 0 && m.last_step[OPS] == 42);
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		err[0] = 0;
		if (replay_parse(&m, bads[i].text, bads[i].len, 1000, err, sizeof err) != -1 || strncmp(err, "line ", 5) != 0) {
			printf("  case %zu accepted or no message ('%s')\n", i, err);
			CHECK(0);
		}
	}
	CHECK(rparse("ops 1\nrem\n", err, sizeof err) == -1 && !strcmp(err, "line 2: expected 'USER STEP FAILURES LOCKED'"));
	CHECK(rparse("ops 1\nrem 2", err, sizeof err) == -1 && !strcmp(err, "line 2: not terminated"));
	/* a 32-character user name is a name; 33 is not */
	CHECK(rparse("abcdefghijklmnopqrstuvwxyz012345 1\n", err, sizeof err) == 0);
	CHECK(rparse("abcdefghijklmnopqrstuvwxyz0123456 1\n", err, sizeof err) == -1);
}

/* the user's failure count and admin-only lockout survive a save and a load
 * (a jumpd restart, a reboot); older files without them still load */
static void test_replay_keeps_lockouts(void)
{
	char err[128], text[SITECONF_MAX_USERS * 96];
	int locked;
	reset();
	for (unsigned i = 0; i < m.user_policy.limit; i++)
		guard_fail(&m.user_guard[OPS], &m.user_policy, 1, 5000 + i, &locked);
	guard_fail(&m.user_guard[REM], &m.user_policy, 1, 5000, &locked);
	CHECK(guard_locked(&m.user_guard[OPS], 6000) && !guard_locked(&m.user_guard[REM], 6000));
	size_t len = replay_format(&m, text, sizeof text);
	reset();
	CHECK(!guard_locked(&m.user_guard[OPS], 6000));
	CHECK(replay_parse(&m, text, len, 777, err, sizeof err) == 0);
	CHECK(guard_locked(&m.user_guard[OPS], 9000000) && m.user_guard[OPS].failures == m.user_policy.limit);
	CHECK(!guard_locked(&m.user_guard[REM], 9000000) && m.user_guard[REM].failures == 1);
	CHECK(m.user_guard[REM].last_fail_ms == 777); /* the leak restarts at the load */
	CHECK(m.user_guard[NOMFA].failures == 0 && m.user_guard[NOMFA].last_fail_ms == 0);
	/* an older image's two-field lines: no failures, not locked */
	reset();
	CHECK(rparse("ops 5\n", err, sizeof err) == 0 && m.last_step[OPS] == 5 && m.user_guard[OPS].failures == 0);
	CHECK(rparse("ops 5 3 2\n", err, sizeof err) == -1);  /* LOCKED is 0 or 1 */
	CHECK(rparse("ops 5 3\n", err, sizeof err) == -1);    /* both or neither */
	CHECK(rparse("ops 5 3 1 1\n", err, sizeof err) == -1);
}

static void test_replay_file(void)
{
	char dir[] = "/tmp/jb-replay-XXXXXX", path[128], tmp[160], err[256], buf[256];
	struct stat st;
	FILE *f;
	size_t n;
	reset();
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/replay", dir);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	/* missing: nothing used yet */
	CHECK(replay_load(&m, path, 1000, err, sizeof err) == 0 && m.last_step[OPS] == 0);
	m.last_step[OPS] = 37037037;
	m.last_step[REM] = 5;
	m.last_step[DEV] = 1234567890123ULL;
	CHECK(replay_save(&m, path) == 0);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600);
	CHECK(access(tmp, F_OK) == -1);
	f = fopen(path, "r");
	CHECK(f != NULL);
	n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
	CHECK(!strcmp(buf, "ops 37037037 0 0\nnomfa 0 0 0\nrem 5 0 0\ndev 1234567890123 0 0\n"));
	/* load into fresh state */
	reset();
	CHECK(replay_load(&m, path, 1000, err, sizeof err) == 0);
	CHECK(m.last_step[OPS] == 37037037 && m.last_step[NOMFA] == 0 && m.last_step[REM] == 5 &&
	      m.last_step[DEV] == 1234567890123ULL);
	/* saving again replaces the file, still 0600 */
	m.last_step[OPS]++;
	CHECK(replay_save(&m, path) == 0);
	reset();
	CHECK(replay_load(&m, path, 1000, err, sizeof err) == 0 && m.last_step[OPS] == 37037038);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
	/* malformed: refused, with the path in the message */
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("ops 1\nops x\n", f);
		fclose(f);
	}
	err[0] = 0;
	CHECK(replay_load(&m, path, 1000, err, sizeof err) == -1);
	CHECK(!strncmp(err, path, strlen(path)) && strstr(err, "line 2") != NULL);
	unlink(path);
	unlink(tmp);
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	struct siteconf_error e;
	if (siteconf_parse(&conf, conf_text, sizeof conf_text - 1, "t.conf", &e)) {
		printf("FAIL setup: %s\n", e.msg);
		return 1;
	}
	RUN(test_replay_parse);
	RUN(test_replay_keeps_lockouts);
	RUN(test_replay_file);
	UT_END();
}
