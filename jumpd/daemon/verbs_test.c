/* Unit tests for the verb table (verbs.c): the table cell by cell against a
 * matrix written here independently (every verb x every peer class), and the
 * real dispatcher on real handlers over a socketpair: a permitted request
 * reaches its handler, a refused one gets `not-permitted` and exactly one
 * HOOK_REFUSED record; malformed lines and refusal floods are braked. */
#include "brake.h"
#include "event.h"
#include "verbs.h"
#include "../common/unittest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define HK1 "SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8"
#define HK2 "SHA256:Kq4t8lst/xOmC5N4csD9Su9XipFdDfdCQtgOujhT6Vw"
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
	/* the recorder's: its uid only (a user's processes must not open,
	 * forge or end recordings, nor ask who is an admin) */
	{ "rec_open", SOCK_AUTH, PEER_REC, RATE_SERVICE },
	{ "rec_start", SOCK_AUTH, PEER_REC, RATE_SERVICE },
	{ "rec_mark", SOCK_AUTH, PEER_REC, RATE_SERVICE },
	/* one per recorded session: a mass end (storage full) loses none */
	{ "rec_end", SOCK_AUTH, PEER_REC, RATE_OPEN },
	{ "command", SOCK_AUTH, PEER_REC, RATE_SERVICE },
	{ "file", SOCK_AUTH, PEER_REC, RATE_SERVICE },
	{ "rec_admin", SOCK_AUTH, PEER_REC, RATE_SERVICE },
};
#define NEXPECTED (sizeof expected / sizeof expected[0])

static const struct {
	enum peer_class peer;
	enum jumpd_socket sock;
	uid_t uid;
} peers[] = {
	{ PEER_SSHD, SOCK_AUTH, 102 }, { PEER_USER, SOCK_AUTH, 2000 }, { PEER_FW, SOCK_AUTH, 104 },
	{ PEER_SHIP, SOCK_AUTH, 105 }, { PEER_ADMIN, SOCK_CTL, 2001 }, { PEER_ROOT, SOCK_CTL, 0 },
	{ PEER_REC, SOCK_AUTH, 106 },
};
#define NPEERS (sizeof peers / sizeof peers[0])

static struct jumpd jd;
static char dir[] = "/tmp/verbstest.XXXXXX", spool[96];

static void setup(void)
{
	static const char conf[] = "[segment lab]\ncidr = 10.89.0.0/16\n"
				   "[target db1]\naddress = 10.89.2.2\naccess = recorded\nhost-key = " HK1 "\n"
				   "record-input = yes\n"
				   "[target both1]\naddress = 10.89.2.3\naccess = both\nhost-key = " HK1 "\nhost-key = " HK2 "\n"
				   "[target j1]\naddress = 10.89.2.4\n"
				   "[grant g1]\nto = user:alice\ntarget = db1\ntarget = both1\naccount = deploy\naccount = root\n"
				   "[grant g2]\nto = user:alice\nto = user:harry\ntarget = j1\n"
				   "[user alice]\nkey = " KEY "\nmfa = off\n[user harry]\nkey = " KEY
				   "\nmfa = off\nadmin = yes\n"
				   "[user dora]\nkey = " KEY "\nmfa = off\nadmin = yes\nshell = diagnostic\n";
	struct siteconf_error err;
	char e[256];
	long torn;
	if (!mkdtemp(dir) || siteconf_parse(&jd.conf, conf, sizeof conf - 1, "test.conf", &err)) {
		printf("FAIL setup: %s\n", err.msg);
		exit(1);
	}
	jd.sshd_uid = 102, jd.fw_uid = 104, jd.ship_uid = 105, jd.rec_uid = 106;
	budget_derive(&jd.budget, 4096, 1ull << 30, 0, 0);
	if (channels_init(&jd.channels, jd.budget.channels_max) || sessions_init(&jd.sessions, jd.budget.sessions_max) ||
	    recs_init(&jd.recs, 4)) {
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

/* the last record with msgid (into out), or "" */
static void last_record(const char *msgid, char *out, size_t cap)
{
	char line[4096], pat[64];
	FILE *f = fopen(spool, "r");
	snprintf(pat, sizeof pat, " %s [", msgid);
	out[0] = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, pat))
			snprintf(out, cap, "%s", line);
	if (f)
		fclose(f);
}

/* a field of a reply line ("key=value" up to the next space), or "" */
static const char *field(const char *rep, const char *key, char *out, size_t cap)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s=", key);
	const char *p = strstr(rep, pat);
	size_t n = p ? strcspn(p + strlen(pat), " \n") : 0;
	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), p ? p + strlen(pat) : "");
	return out;
}

#define REC 106
#define CHAIN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* rec_open's decision: a live login, a grant naming target and account,
 * a recorded target; each refusal with its reason in REC_DENIED, and the
 * allow (with its positive control next to each refusal) in REC_OPEN */
static char stub_pid[16]; /* the recorded login's stub: a child of alice's connection process */
static pid_t alice_conn;  /* that connection process (killed, with its stub, at the end) */

/* rec_open ARGS conn=<the stub>, from the recorder */
static void rec_open_ask(const char *args, char *rep, size_t cap)
{
	char line[256];
	snprintf(line, sizeof line, "rec_open %s conn=%s\n", args, stub_pid);
	ask(SOCK_AUTH, REC, line, rep, cap);
}

/* a connection process (returned) with a child of its own (*stub): both
 * sleep until killed */
static pid_t connection_with_stub(pid_t *stub)
{
	int p[2];
	if (pipe(p))
		abort();
	pid_t conn = fork();
	if (conn == 0) {
		setpgid(0, 0); /* killed together at the end */
		pid_t s = fork();
		if (s == 0) {
			pause();
			_exit(0);
		}
		if (write(p[1], &s, sizeof s) != sizeof s)
			_exit(1);
		pause();
		_exit(0);
	}
	if (conn < 0 || read(p[0], stub, sizeof *stub) != sizeof *stub)
		abort();
	close(p[0]);
	close(p[1]);
	return conn;
}

static void test_rec_open_decisions(void)
{
	char rep[512], rec[4096], v[128];
	brake_reset();
	unsigned denied = records("REC_DENIED"), opened = records("REC_OPEN");
	/* no live login of alice yet */
	ask(SOCK_AUTH, REC, "rec_open uid=2000 target=db1 mode=shell conn=77\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=no-session") == rep && records("REC_DENIED") == denied + 1);
	pid_t stub, conn = alice_conn = connection_with_stub(&stub);
	snprintf(stub_pid, sizeof stub_pid, "%d", (int)stub);
	CHECK(sessions_login(&jd, 0, conn) == 0 && sessions_login(&jd, 1, 4243) == 0);
	/* conn= must be alice's login or under it: not another process of
	 * hers, not harry's login, not a process that is not there; the
	 * control (her stub) is allowed below */
	char line[160];
	snprintf(line, sizeof line, "rec_open uid=2000 target=db1 mode=shell conn=%d\n", (int)getpid());
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=conn-not-a-session-of-user") == rep);
	last_record("REC_DENIED", rec, sizeof rec);
	CHECK(strstr(rec, "reason=\"conn-not-a-session-of-user\"") != NULL);
	ask(SOCK_AUTH, REC, "rec_open uid=2000 target=db1 mode=shell conn=4243\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=conn-not-a-session-of-user") == rep);
	ask(SOCK_AUTH, REC, "rec_open uid=2000 target=db1 mode=shell\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=conn-not-a-session-of-user") == rep);
	denied += 3;
	rec_open_ask("uid=2000 target=db1 mode=shell", rep, sizeof rep);
	CHECK(strstr(rep, "allow session=") == rep && records("REC_OPEN") == opened + 1);
	CHECK(!strcmp(field(rep, "account", v, sizeof v), "deploy") && !strcmp(field(rep, "target", v, sizeof v), "db1"));
	CHECK(!strcmp(field(rep, "address", v, sizeof v), "10.89.2.2") && !strcmp(field(rep, "port", v, sizeof v), "22"));
	CHECK(!strcmp(field(rep, "hostkey", v, sizeof v), HK1) && !strcmp(field(rep, "input", v, sizeof v), "yes"));
	last_record("REC_OPEN", rec, sizeof rec);
	CHECK(strstr(rec, "user=\"alice\" target=\"db1\" account=\"deploy\" mode=\"shell\" session=\"") != NULL);
	/* ACCOUNT%TARGET: one of the grant's accounts, else no-account */
	rec_open_ask("uid=2000 target=root%25both1 mode=exec", rep, sizeof rep);
	CHECK(strstr(rep, "allow ") == rep && !strcmp(field(rep, "account", v, sizeof v), "root"));
	CHECK(!strcmp(field(rep, "hostkey", v, sizeof v), HK1 "," HK2) && !strcmp(field(rep, "input", v, sizeof v), "no"));
	rec_open_ask("uid=2000 target=admin%25db1 mode=shell", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=no-account") == rep);
	last_record("REC_DENIED", rec, sizeof rec);
	CHECK(strstr(rec, "user=\"alice\" target=\"db1\" mode=\"shell\" reason=\"no-account\"") != NULL);
	/* a jump target is not recorded; harry has no grant of db1; names */
	rec_open_ask("uid=2000 target=j1 mode=shell", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=not-recorded") == rep);
	ask(SOCK_AUTH, REC, "rec_open uid=2001 target=db1 mode=shell conn=4243\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=not-granted") == rep);
	rec_open_ask("uid=2000 target=db9 mode=sftp", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=unknown-target") == rep);
	rec_open_ask("uid=3000 target=db1 mode=shell", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=unknown-user") == rep);
	rec_open_ask("uid=2000 target=db1 mode=tty", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=bad-request") == rep);
	CHECK(records("REC_DENIED") == denied + 6 && records("REC_OPEN") == opened + 2 && jd.recs.n == 2);
	/* the table is bounded (4 here): the fifth is refused */
	rec_open_ask("uid=2000 target=db1 mode=exec", rep, sizeof rep);
	rec_open_ask("uid=2000 target=db1 mode=exec", rep, sizeof rep);
	CHECK(strstr(rep, "allow ") == rep && jd.recs.n == 4);
	rec_open_ask("uid=2000 target=db1 mode=exec", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=too-many-sessions") == rep && jd.recs.n == 4);
	/* from a user's own uid: the table refuses it */
	ask(SOCK_AUTH, 2000, "rec_open uid=2000 target=db1 mode=shell\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=not-permitted") == rep);
}

/* a session's reports: anchors recorded; COMMAND/FILE through its bucket
 * (burst RECS_BURST), the refusals summed in one RATE_LIMITED; rec_end
 * forgets it; an unknown session is refused, but for reason=recovered */
static void test_rec_reports_and_end(void)
{
	char rep[512], line[512], rec[4096], id[32];
	brake_reset();
	rec_open_ask("uid=2000 target=db1 mode=shell", rep, sizeof rep);
	if (strstr(rep, "allow ") != rep) { /* the last test left the table full: end one */
		snprintf(line, sizeof line, "rec_end session=%s chunks=0 bytes=0 chain=" CHAIN
			 " duration_ms=1 exit=- reason=exit\n", jd.recs.s[0].id);
		ask(SOCK_AUTH, REC, line, rep, sizeof rep);
		CHECK(strcmp(rep, "ok\n") == 0);
		rec_open_ask("uid=2000 target=db1 mode=shell", rep, sizeof rep);
	}
	field(rep, "session", id, sizeof id);
	CHECK(strlen(id) == REC_ID_LEN);
	unsigned starts = records("REC_START"), marks = records("REC_CHECKPOINT"), cmds = records("COMMAND"),
		 files = records("FILE"), ends = records("REC_END"), limited = records("RATE_LIMITED");
	snprintf(line, sizeof line, "rec_start session=%s cols=80 rows=24 cmd=-\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strcmp(rep, "ok\n") == 0 && records("REC_START") == starts + 1);
	last_record("REC_START", rec, sizeof rec);
	CHECK(strstr(rec, "user=\"alice\" target=\"db1\" account=\"deploy\" mode=\"shell\" cols=\"80\"") != NULL);
	snprintf(line, sizeof line, "rec_mark session=%s chunk=64 bytes=150000 chain=" CHAIN "\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strcmp(rep, "ok\n") == 0 && records("REC_CHECKPOINT") == marks + 1);
	snprintf(line, sizeof line, "rec_mark session=%s chunk=64 bytes=150000 chain=ABCDEF\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strstr(rep, "error reason=bad-request") == rep && records("REC_CHECKPOINT") == marks + 1);
	snprintf(line, sizeof line, "file session=%s dir=upload path=/tmp/a%%20b size=5 sha256=" CHAIN " proto=scp\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strcmp(rep, "ok\n") == 0 && records("FILE") == files + 1);
	last_record("FILE", rec, sizeof rec);
	CHECK(strstr(rec, "target=\"db1\" proto=\"scp\" dir=\"upload\" path=\"/tmp/a b\" size=\"5\"") != NULL);
	/* a flood of commands: the burst passes (plus the refill over the loop), the rest refused */
	int ok = 0, limited_replies = 0;
	int64_t t0 = mono_ms();
	for (int i = 0; i < RECS_BURST + 20; i++) {
		snprintf(line, sizeof line, "command session=%s line=ls%%20-l kind=typed truncated=0\n", id);
		ask(SOCK_AUTH, REC, line, rep, sizeof rep);
		ok += strcmp(rep, "ok\n") == 0;
		limited_replies += strstr(rep, "deny reason=rate-limited") == rep;
	}
	int64_t refill = (mono_ms() - t0) * RECS_PER_SEC / 1000 + 1;
	CHECK(ok >= RECS_BURST - 1 && ok <= RECS_BURST - 1 + refill && ok + limited_replies == RECS_BURST + 20);
	CHECK(records("COMMAND") == cmds + (unsigned)ok && records("RATE_LIMITED") == limited);
	last_record("COMMAND", rec, sizeof rec);
	CHECK(strstr(rec, "user=\"alice\" target=\"db1\" kind=\"typed\" line=\"ls -l\" truncated=\"0\"") != NULL);
	/* the end: the refusals summed once, the session forgotten */
	unsigned live = jd.recs.n;
	snprintf(line, sizeof line, "rec_end session=%s chunks=70 bytes=160000 chain=" CHAIN
		 " duration_ms=5000 exit=0 reason=exit\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strcmp(rep, "ok\n") == 0 && records("REC_END") == ends + 1 && jd.recs.n == live - 1);
	CHECK(records("RATE_LIMITED") == limited + 1);
	last_record("RATE_LIMITED", rec, sizeof rec);
	snprintf(line, sizeof line, "reports_refused=\"%d\"", limited_replies);
	CHECK(strstr(rec, line) != NULL);
	/* now unknown: refused (and its reports too), but for reason=recovered */
	snprintf(line, sizeof line, "rec_end session=%s chunks=70 bytes=160000 chain=" CHAIN
		 " duration_ms=5000 exit=0 reason=exit\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strstr(rep, "error reason=unknown-session") == rep && records("REC_END") == ends + 1);
	snprintf(line, sizeof line, "command session=%s line=id kind=exec truncated=0\n", id);
	ask(SOCK_AUTH, REC, line, rep, sizeof rep);
	CHECK(strstr(rep, "error reason=unknown-session") == rep && records("COMMAND") == cmds + (unsigned)ok);
	ask(SOCK_AUTH, REC, "rec_end session=00112233445566ff chunks=3 bytes=7000 chain=" CHAIN
	    " duration_ms=0 exit=- reason=recovered\n", rep, sizeof rep);
	CHECK(strcmp(rep, "ok\n") == 0 && records("REC_END") == ends + 2);
}

/* ssh -J to a recorded-only target: recorded-only, with the hint for the
 * client; a `both` and a jump target are allowed in the same run */
static void test_channel_to_recorded_target(void)
{
	char rep[512], rec[4096], v[256];
	brake_reset();
	ask(SOCK_AUTH, 2000, "channel user=alice host=db1 port=22 conn=1\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=recorded-only message=") == rep);
	CHECK(!strcmp(field(rep, "message", v, sizeof v), "recorded%20target:%20use%20ssh%20alice+db1@jumpbox"));
	last_record("CHANNEL", rec, sizeof rec);
	CHECK(strstr(rec, "target=\"db1\" grant=\"g1\"") && strstr(rec, "result=\"deny\" reason=\"recorded-only\""));
	ask(SOCK_AUTH, 2000, "channel user=alice host=10.89.2.2 port=22 conn=1\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=recorded-only") == rep);
	/* no grant: not-granted, and no hint about what the target is */
	ask(SOCK_AUTH, 2001, "channel user=harry host=db1 port=22 conn=1\n", rep, sizeof rep);
	CHECK(strcmp(rep, "deny reason=not-granted\n") == 0);
	ask(SOCK_AUTH, 2000, "channel user=alice host=both1 port=22 conn=1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow reason=granted target=both1") == rep);
	ask(SOCK_AUTH, 2000, "channel user=alice host=j1 port=22 conn=1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow reason=granted target=j1") == rep);
}

/* rec_admin: admins and root allowed, users refused (audited); the
 * target-key and target-pin answers */
static void test_rec_admin(void)
{
	char rep[512], rec[4096], v[256];
	brake_reset();
	unsigned admins = records("REC_ADMIN");
	ask(SOCK_AUTH, REC, "rec_admin uid=2000 action=watch session=00112233445566ff target=-\n", rep, sizeof rep);
	CHECK(strcmp(rep, "deny reason=not-admin\n") == 0 && records("REC_ADMIN") == admins + 1);
	last_record("REC_ADMIN", rec, sizeof rec);
	CHECK(strstr(rec, "admin=\"alice\" uid=\"2000\" action=\"watch\"") && strstr(rec, "result=\"deny\""));
	ask(SOCK_AUTH, REC, "rec_admin uid=2001 action=watch session=00112233445566ff target=-\n", rep, sizeof rep);
	CHECK(strcmp(rep, "allow\n") == 0 && records("REC_ADMIN") == admins + 2);
	ask(SOCK_AUTH, REC, "rec_admin uid=2001 action=list session=- target=-\n", rep, sizeof rep);
	CHECK(strcmp(rep, "allow\n") == 0 && records("REC_ADMIN") == admins + 2); /* a read */
	ask(SOCK_AUTH, REC, "rec_admin uid=0 action=target-key session=- target=db1\n", rep, sizeof rep);
	CHECK(strcmp(rep, "allow address=- port=22\n") == 0 && records("REC_ADMIN") == admins + 3);
	ask(SOCK_AUTH, REC, "rec_admin uid=2001 action=target-pin session=- target=db1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow address=10.89.2.2 port=22 hostkey=") == rep && !strcmp(field(rep, "hostkey", v, sizeof v), HK1));
	ask(SOCK_AUTH, REC, "rec_admin uid=2001 action=target-key session=- target=nope\n", rep, sizeof rep);
	CHECK(strcmp(rep, "deny reason=unknown-target\n") == 0 && records("REC_ADMIN") == admins + 5);
	ask(SOCK_AUTH, REC, "rec_admin uid=2001 action=reboot session=- target=-\n", rep, sizeof rep);
	CHECK(strstr(rep, "deny reason=bad-request") == rep);
}

/* the menu's list carries each target's access mode; the login's selector
 * lands in its AUTH record */
static void test_menu_access_and_auth_target(void)
{
	char rep[512], rec[4096];
	brake_reset();
	ask(SOCK_AUTH, 2000, "targets user=alice\n", rep, sizeof rep);
	CHECK(strcmp(rep, "ok ta=db1%2010.89.2.2%2022%20recorded tb=both1%2010.89.2.3%2022%20both "
			  "tc=j1%2010.89.2.4%2022%20jump total=3\n") == 0);
	ask(SOCK_AUTH, 2001, "targets user=harry\n", rep, sizeof rep);
	CHECK(strcmp(rep, "ok ta=j1%2010.89.2.4%2022%20jump total=1\n") == 0);
	ask_pid(SOCK_AUTH, 102, 5151, "pubkey user=alice fp=SHA256:x src=10.0.0.1 target=deploy%25db1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow ") == rep);
	last_record("AUTH", rec, sizeof rec);
	CHECK(strstr(rec, "target=\"deploy%db1\"") != NULL);
	ask_pid(SOCK_AUTH, 102, 5152, "pubkey user=alice fp=SHA256:x src=10.0.0.1\n", rep, sizeof rep);
	last_record("AUTH", rec, sizeof rec);
	CHECK(strstr(rep, "allow ") == rep && strstr(rec, "target=\"-\"") != NULL);
}

/* a selector with the diagnostic shell would give that shell, unrecorded:
 * refused, with its reason on the record; the same admin without one, and a
 * menu user with one, are let in */
static void test_selector_refused_with_diagnostic_shell(void)
{
	char rep[512], rec[4096];
	brake_reset();
	ask_pid(SOCK_AUTH, 102, 5161, "pubkey user=dora fp=SHA256:x src=10.0.0.1 target=db1\n", rep, sizeof rep);
	last_record("AUTH", rec, sizeof rec);
	CHECK(strstr(rep, "deny reason=selector-with-diagnostic-shell") == rep);
	CHECK(strstr(rec, "result=\"deny\"") && strstr(rec, "reason=\"selector-with-diagnostic-shell\""));
	ask_pid(SOCK_AUTH, 102, 5162, "pubkey user=dora fp=SHA256:x src=10.0.0.1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow ") == rep);
	ask_pid(SOCK_AUTH, 102, 5163, "pubkey user=alice fp=SHA256:x src=10.0.0.1 target=db1\n", rep, sizeof rep);
	CHECK(strstr(rep, "allow ") == rep);
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
	RUN(test_rec_open_decisions);
	RUN(test_rec_reports_and_end);
	RUN(test_channel_to_recorded_target);
	RUN(test_rec_admin);
	RUN(test_menu_access_and_auth_target);
	RUN(test_selector_refused_with_diagnostic_shell);
	if (alice_conn > 0) {
		kill(-alice_conn, SIGKILL);
		waitpid(alice_conn, NULL, 0);
	}
	unlink(spool);
	unlink(jd.steps_path);
	rmdir(dir);
	UT_END();
}
