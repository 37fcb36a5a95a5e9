/* Unit tests for the verb table (verbs.c): the table cell by cell against a
 * matrix written here independently (every verb x every peer class), and the
 * real dispatcher on real handlers over a socketpair: a permitted request
 * reaches its handler, a refused one gets `not-permitted` and exactly one
 * HOOK_REFUSED record; malformed lines and refusal floods are braked. */
#include "brake.h"
#include "event.h"
#include "verbs.h"
#include "../common/unittest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"

/* what the design says, not copied from the table */
static const struct {
	const char *verb;
	enum jumpd_socket sock;
	unsigned peers;
	enum rate_class rate;
} expected[] = {
	{ "pubkey", SOCK_AUTH, PEER_SSHD, RATE_NONE },
	{ "answer", SOCK_AUTH, PEER_SSHD, RATE_NONE },
	{ "channel", SOCK_AUTH, PEER_USER, RATE_USER },
	/* reported by the connection process, which runs as the user after the
	 * login: the SSH server's uid has no business ending anyone's channels */
	/* bounded by what is open (a close per open channel of that process, a
	 * logout per session), not by a rate: a mass close loses none */
	{ "close", SOCK_AUTH, PEER_USER, RATE_OPEN },
	{ "logout", SOCK_AUTH, PEER_USER, RATE_OPEN },
	{ "targets", SOCK_AUTH, PEER_USER, RATE_USER },
	{ "egress", SOCK_AUTH, PEER_FW, RATE_SERVICE },
	{ "collector", SOCK_AUTH, PEER_SHIP, RATE_SERVICE },
	{ "unlock", SOCK_CTL, PEER_ADMIN | PEER_ROOT, RATE_NONE },
	{ "status", SOCK_CTL, PEER_ADMIN | PEER_ROOT, RATE_NONE },
	{ "service", SOCK_CTL, PEER_ROOT, RATE_NONE },
};
#define NEXPECTED (sizeof expected / sizeof expected[0])

static const struct {
	enum peer_class peer;
	enum jumpd_socket sock;
	uid_t uid;
} peers[] = {
	{ PEER_SSHD, SOCK_AUTH, 102 }, { PEER_USER, SOCK_AUTH, 2000 }, { PEER_FW, SOCK_AUTH, 104 },
	{ PEER_SHIP, SOCK_AUTH, 105 }, { PEER_ADMIN, SOCK_CTL, 2001 }, { PEER_ROOT, SOCK_CTL, 0 },
};
#define NPEERS (sizeof peers / sizeof peers[0])

static struct jumpd jd;
static char dir[] = "/tmp/verbstest.XXXXXX", spool[96];

static void setup(void)
{
	static const char conf[] = "[user alice]\nkey = " KEY "\nmfa = off\n[user harry]\nkey = " KEY
				   "\nmfa = off\nadmin = yes\n";
	struct siteconf_error err;
	char e[256];
	long torn;
	if (!mkdtemp(dir) || siteconf_parse(&jd.conf, conf, sizeof conf - 1, "test.conf", &err)) {
		printf("FAIL setup: %s\n", err.msg);
		exit(1);
	}
	jd.sshd_uid = 102, jd.fw_uid = 104, jd.ship_uid = 105;
	budget_derive(&jd.budget, 4096, 1ull << 30, 0, 0);
	if (channels_init(&jd.channels, jd.budget.channels_max) || sessions_init(&jd.sessions, jd.budget.sessions_max)) {
		printf("FAIL setup: tables\n");
		exit(1);
	}
	mfa_init(&jd.mfa, &jd.conf);
	snprintf(jd.steps_path, sizeof jd.steps_path, "%s/totp-steps", dir);
	snprintf(spool, sizeof spool, "%s/audit.spool", dir);
	if (event_open(spool, "bastion", "test", 1 << 24, &torn, e, sizeof e)) {
		printf("FAIL setup: %s\n", e);
		exit(1);
	}
}

static unsigned records(const char *msgid)
{
	char line[4096], pat[64];
	unsigned n = 0;
	FILE *f = fopen(spool, "r");
	snprintf(pat, sizeof pat, " %s [", msgid);
	while (f && fgets(line, sizeof line, f))
		n += !msgid[0] || strstr(line, pat) != NULL;
	if (f)
		fclose(f);
	return n;
}

/* serves one line from (sock, uid, pid); the reply lands in rep */
static void ask_pid(enum jumpd_socket sock, uid_t uid, pid_t pid, const char *line, char *rep, size_t cap)
{
	int sv[2];
	struct conn c = { .sock = sock, .uid = uid, .pid = pid };
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		abort();
	c.fd = sv[0];
	c.len = strlen(line);
	memcpy(c.buf, line, c.len);
	verbs_serve(&jd, &c);
	close(sv[0]);
	ssize_t n = read(sv[1], rep, cap - 1);
	rep[n > 0 ? n : 0] = 0;
	close(sv[1]);
}

static void ask(enum jumpd_socket sock, uid_t uid, const char *line, char *rep, size_t cap)
{
	ask_pid(sock, uid, getpid(), line, rep, cap);
}

static void test_table_matches_the_design(void)
{
	CHECK(jumpd_nverbs == NEXPECTED);
	for (size_t i = 0; i < NEXPECTED; i++) {
		const struct verb_row *row = verbs_find(jumpd_verbs, jumpd_nverbs, expected[i].sock, expected[i].verb);
		CHECK(row != NULL);
		if (!row)
			continue;
		CHECK(row->rate == expected[i].rate);
		CHECK(row->handler != NULL);
		for (unsigned p = 1; p < 1u << PEER_CLASSES; p <<= 1)
			CHECK(!(row->peers & p) == !(expected[i].peers & p));
		/* the same verb is not read on the other socket */
		CHECK(verbs_find(jumpd_verbs, jumpd_nverbs, expected[i].sock == SOCK_AUTH ? SOCK_CTL : SOCK_AUTH,
				 expected[i].verb) == NULL);
	}
}

static void test_peer_classes(void)
{
	for (size_t i = 0; i < NPEERS; i++)
		CHECK(verbs_peer_class(&jd, peers[i].sock, peers[i].uid) == peers[i].peer);
	CHECK(verbs_peer_class(&jd, SOCK_AUTH, 65534) == PEER_NONE);
	CHECK(verbs_peer_class(&jd, SOCK_CTL, 2000) == PEER_NONE);  /* alice is no admin */
	CHECK(verbs_peer_class(&jd, SOCK_AUTH, 2001) == PEER_USER); /* harry's own processes */
	CHECK(verbs_peer_class(&jd, SOCK_CTL, 102) == PEER_NONE);   /* the SSH server is no admin */
}

/* every verb x every peer class that can reach its socket: refused ones get
 * not-permitted and one HOOK_REFUSED naming verb and peer; permitted ones
 * reach the handler (whatever it then says of the request) and no refusal */
static void test_every_verb_every_peer(void)
{
	for (size_t i = 0; i < NEXPECTED; i++) {
		for (size_t p = 0; p < NPEERS; p++) {
			char line[128], rep[512];
			if (peers[p].sock != expected[i].sock)
				continue;
			brake_reset();
			unsigned before = records(""), refused_before = records("HOOK_REFUSED");
			snprintf(line, sizeof line, "%s user=alice\n", expected[i].verb);
			ask(peers[p].sock, peers[p].uid, line, rep, sizeof rep);
			int permitted = (expected[i].peers & peers[p].peer) != 0;
			if (permitted) {
				CHECK(strstr(rep, "not-permitted") == NULL && rep[0]);
				CHECK(records("HOOK_REFUSED") == refused_before);
			} else {
				char want[160];
				snprintf(want, sizeof want, "verb=\"%s\" reason=\"not-permitted\"", expected[i].verb);
				CHECK(strstr(rep, "reason=not-permitted") != NULL);
				CHECK(records("") == before + 1 && records("HOOK_REFUSED") == refused_before + 1);
				FILE *f = fopen(spool, "r");
				char last[4096] = "", buf[4096];
				while (f && fgets(buf, sizeof buf, f))
					snprintf(last, sizeof last, "%s", buf);
				if (f)
					fclose(f);
				CHECK(strstr(last, want) != NULL);
				snprintf(want, sizeof want, "peer=\"%s\"", verbs_peer_name(peers[p].peer));
				CHECK(strstr(last, want) != NULL);
			}
			if (ut_case_failed) {
				printf("  (verb %s, peer %s: reply '%s')\n", expected[i].verb,
				       verbs_peer_name(peers[p].peer), rep);
				return;
			}
		}
	}
}

static void test_unknown_and_malformed_braked(void)
{
	char rep[256];
	brake_reset();
	unsigned refused = records("HOOK_REFUSED"), errors = records("HOOK_ERROR");
	ask(SOCK_AUTH, 2000, "pubkey_please user=alice\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=unknown-verb") == rep);
	CHECK(records("HOOK_REFUSED") == refused + 1);
	ask(SOCK_AUTH, 2000, "channel \x01\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=malformed") == rep);
	CHECK(records("HOOK_ERROR") == errors + 1);
	/* a flood from one uid alternating both: one record of each per window */
	for (int i = 0; i < 2000; i++) {
		ask(SOCK_AUTH, 2000, "unlock user=alice\n", rep, sizeof rep);
		ask(SOCK_AUTH, 2000, "\x7f\n", rep, sizeof rep);
	}
	CHECK(records("HOOK_REFUSED") == refused + 1 && records("HOOK_ERROR") == errors + 1);
	/* the positive control in the same run: another uid's first refusal is recorded */
	ask(SOCK_AUTH, 2001, "pubkey user=harry\n", rep, sizeof rep);
	CHECK(records("HOOK_REFUSED") == refused + 2);
}

static void test_user_requests_braked_ssh_server_not(void)
{
	char rep[256];
	int braked = 0;
	/* the bucket refills while the loop runs (each record is fdatasync'ed):
	 * what got through is the burst plus the refill over the loop's time */
	brake_reset();
	int64_t t0 = mono_ms();
	for (int i = 0; i < BRAKE_BURST + 5; i++) {
		ask(SOCK_AUTH, 2000, "targets user=alice\n", rep, sizeof rep);
		braked += strstr(rep, "error reason=rate-limited") == rep;
	}
	int64_t refill = (mono_ms() - t0) * BRAKE_PER_SEC / 1000 + 1;
	CHECK((braked >= 1 || refill >= 5) && BRAKE_BURST + 5 - braked >= BRAKE_BURST &&
	      BRAKE_BURST + 5 - braked <= BRAKE_BURST + refill);
	braked = 0;
	for (int i = 0; i < BRAKE_BURST + 5; i++) {
		ask(SOCK_AUTH, 102, "answer user=alice\n", rep, sizeof rep);
		braked += strstr(rep, "rate-limited") != NULL;
	}
	CHECK(braked == 0);
	/* a service's reports: a larger bucket, but a bucket (a flood from the
	 * firewall helper's uid makes at most its burst of records) */
	unsigned blocked = records("EGRESS_BLOCKED");
	braked = 0;
	t0 = mono_ms();
	for (int i = 0; i < BRAKE_SERVICE_BURST + 50; i++) {
		ask(SOCK_AUTH, 104, "egress uid=0 addr=10.0.0.1 proto=6 port=1 count=1\n", rep, sizeof rep);
		braked += strstr(rep, "error reason=rate-limited") == rep;
	}
	refill = (mono_ms() - t0) * BRAKE_SERVICE_PER_SEC / 1000 + 1;
	unsigned passed = BRAKE_SERVICE_BURST + 50 - (unsigned)braked;
	CHECK((braked >= 1 || refill >= 50) && passed >= BRAKE_SERVICE_BURST && passed <= BRAKE_SERVICE_BURST + refill);
	CHECK(records("EGRESS_BLOCKED") - blocked == passed);
}

/* 300 sessions of one user ending in the same instant: every close and
 * every logout is recorded (what is open bounds them, not a rate); a close
 * from a process that does not have the channel open is refused, and a
 * logout's session is ended once */
static void test_mass_close_bounded_by_what_is_open(void)
{
	enum { N = 300 };
	static char ids[N][CHANNEL_ID_LEN + 1];
	char rep[256], line[256];
	uint8_t addr[16] = { 0 }, rnd[8];
	brake_reset();
	unsigned closes = records("CHANNEL_CLOSE"), logouts = records("SESSION_CLOSE");
	for (int i = 0; i < N; i++) {
		CHECK(sessions_login(&jd, 0, 100000 + i) == 0);
		memcpy(rnd, &i, sizeof i);
		memset(rnd + sizeof i, 0x5a, sizeof rnd - sizeof i);
		struct channel *ch = channels_add(&jd.channels, 2000, 0, 0, addr, 22, 100000 + i, mono_ms(), rnd);
		CHECK(ch != NULL);
		if (ch)
			snprintf(ids[i], sizeof ids[i], "%s", ch->id);
	}
	CHECK(sessions_of_user(&jd.sessions, 0) == N);
	/* not this process's channel: refused, and it stays open */
	snprintf(line, sizeof line, "close user=alice channel=%s to_target=1 from_target=1\n", ids[1]);
	ask_pid(SOCK_AUTH, 2000, 100000, line, rep, sizeof rep);
	CHECK(strstr(rep, "error reason=no%20such%20channel") == rep && channels_find(&jd.channels, ids[1]));
	int refused = 0;
	for (int i = 0; i < N; i++) {
		snprintf(line, sizeof line, "close user=alice channel=%s to_target=%d from_target=7\n", ids[i], i);
		ask_pid(SOCK_AUTH, 2000, 100000 + i, line, rep, sizeof rep);
		refused += strcmp(rep, "ok\n") != 0;
		ask_pid(SOCK_AUTH, 2000, 100000 + i, "logout user=alice duration_s=3 reason=Exited\n", rep, sizeof rep);
		refused += strcmp(rep, "ok\n") != 0;
	}
	CHECK(refused == 0);
	CHECK(records("CHANNEL_CLOSE") == closes + N && records("SESSION_CLOSE") == logouts + N);
	CHECK(sessions_of_user(&jd.sessions, 0) == 0 && jd.channels.n == 0);
	/* a channel closed once is gone: a second close is refused */
	snprintf(line, sizeof line, "close user=alice channel=%s to_target=1 from_target=1\n", ids[0]);
	ask_pid(SOCK_AUTH, 2000, 100000, line, rep, sizeof rep);
	CHECK(strstr(rep, "error reason=no%20such%20channel") == rep && records("CHANNEL_CLOSE") == closes + N);
}

int main(void)
{
	setup();
	RUN(test_table_matches_the_design);
	RUN(test_peer_classes);
	RUN(test_every_verb_every_peer);
	RUN(test_unknown_and_malformed_braked);
	RUN(test_user_requests_braked_ssh_server_not);
	RUN(test_mass_close_bounded_by_what_is_open);
	unlink(spool);
	unlink(jd.steps_path);
	rmdir(dir);
	UT_END();
}
