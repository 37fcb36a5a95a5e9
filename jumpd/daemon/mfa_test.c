/* unit tests for the daemon's pure parts: mfa.c (login decisions, second
 * factor verdicts, replay refusal, delays and lockouts, remember window),
 * (guard.c: guard_test.c; replay.c: replay_test.c).
 */
#include "mfa.h"
#include "guard.h"
#include "../mfa/totp.h"
#include "../common/unittest.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"
#define SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" /* "12345678901234567890" */
#define MIN_MS ((int64_t)60 * 1000)

static const char conf_text[] =
	"[mfa]\nlockout-failures = 5\nmax-delay-seconds = 2\n"
	"[user ops]\nkey = " KEY "\ntotp-secret = " SECRET "\n"
	"[user nomfa]\nkey = " KEY "\nmfa = off\n"
	"[user rem]\nkey = " KEY "\ntotp-secret = " SECRET "\nmfa-remember-minutes = 10\n"
	"[user dev]\nkey = " KEY "\ntotp-secret = " SECRET "\n";
enum { OPS, NOMFA, REM, DEV };

static const uint8_t seed[20] = "12345678901234567890";
static struct siteconf conf;
static struct mfa m;
static struct mfa_clock clk;
static struct mfa_result r;
static uint8_t rnd[16];
static uint32_t rnd_ctr;
static long cur_conn = 100; /* the connection (process id) asking */

/* distinct random bytes per call, so no two tokens collide */
static const uint8_t *fresh(void)
{
	rnd_ctr++;
	memset(rnd, 0xab, sizeof rnd);
	rnd[0] = (uint8_t)(rnd_ctr >> 24);
	rnd[1] = (uint8_t)(rnd_ctr >> 16);
	rnd[2] = (uint8_t)(rnd_ctr >> 8);
	rnd[3] = (uint8_t)rnd_ctr;
	return rnd;
}

static void reset(void)
{
	mfa_init(&m, &conf);
	clk.mono_ms = (int64_t)5 * 1000 * 1000;
	clk.unix_s = 1111111111;
}

static uint64_t step(void) { return clk.unix_s / TOTP_STEP; }

static const char *code_at(uint64_t s, char out[9])
{
	totp_format(hotp(TOTP_SHA1, seed, sizeof seed, s, 6), 6, out);
	return out;
}

/* a 6-digit code that is none of the three in the window */
static const char *wrong_code(char out[9])
{
	char c[3][9];
	for (int i = 0; i < 3; i++)
		code_at(step() - 1 + (uint64_t)i, c[i]);
	for (unsigned v = 0;; v++) {
		totp_format(v, 6, out);
		if (strcmp(out, c[0]) != 0 && strcmp(out, c[1]) != 0 && strcmp(out, c[2]) != 0)
			return out;
	}
}

static void pubkey(const char *user, const char *fp, const char *src)
{
	mfa_pubkey(&m, user, fp, src, cur_conn, &clk, fresh(), &r);
}

static void answer(const char *user, const char *token, const char *code)
{
	mfa_answer(&m, user, token, code, cur_conn, &clk, fresh(), &r);
}

static int is(enum mfa_verdict v, const char *reason)
{
	if (r.verdict == v && r.reason && !strcmp(r.reason, reason))
		return 1;
	printf("  got verdict %d reason '%s', want %d '%s'\n", r.verdict, r.reason ? r.reason : "(null)", v, reason);
	return 0;
}

/* a fresh challenge for user; copies its token into tok */
static int challenge(const char *user, const char *fp, const char *src, char tok[MFA_TOKEN_HEX + 1])
{
	pubkey(user, fp, src);
	memcpy(tok, r.token, MFA_TOKEN_HEX + 1);
	return is(MFA_CHALLENGE, "totp-required") && strlen(tok) == MFA_TOKEN_HEX;
}

/* wait out any delay, then one wrong answer to a fresh challenge */
static void fail_once(const char *user, const char *src)
{
	char tok[MFA_TOKEN_HEX + 1], bad[9];
	clk.mono_ms += 2000;
	CHECK(challenge(user, "SHA256:fp", src, tok));
	answer(user, tok, wrong_code(bad));
	CHECK(is(MFA_DENY, "wrong-code"));
}

static void test_setup(void)
{
	struct siteconf_error e;
	CHECK(siteconf_parse(&conf, conf_text, sizeof conf_text - 1, "t.conf", &e) == 0);
	CHECK(conf.nusers == 4 && conf.lockout_failures == 5 && conf.max_delay_seconds == 2);
	CHECK(conf.source_lockout_minutes == 15);
	CHECK(conf.users[OPS].totp_secret_len == 20 && !memcmp(conf.users[OPS].totp_secret, seed, 20));
	CHECK(conf.users[NOMFA].mfa == 0 && conf.users[REM].remember_minutes == 10);
	reset();
	CHECK(m.user_policy.limit == 5 && m.source_policy.limit == 10);
	CHECK(m.user_policy.max_delay_ms == 2000 && m.source_policy.source_lock_ms == 15 * MIN_MS);
	CHECK(mfa_user_index(&m, "rem") == REM && mfa_user_index(&m, "nobody") == -1);
}

static void test_unknown_and_off(void)
{
	char tok[MFA_TOKEN_HEX + 1];
	reset();
	pubkey("nobody", "SHA256:x", "10.0.0.1");
	CHECK(is(MFA_DENY, "unknown-user") && r.user == -1 && r.token[0] == 0);
	pubkey("", "SHA256:x", "10.0.0.1");
	CHECK(is(MFA_DENY, "unknown-user"));
	pubkey("nomfa", "SHA256:x", "10.0.0.1");
	CHECK(is(MFA_ALLOW, "mfa-off") && r.user == NOMFA && r.token[0] == 0);
	CHECK(!strcmp(r.fp, "SHA256:x") && !strcmp(r.src, "10.0.0.1"));
	/* an unknown user's answer, even with a live token */
	CHECK(challenge("ops", "SHA256:x", "10.0.0.1", tok));
	answer("nobody", tok, "123456");
	CHECK(is(MFA_DENY, "no-such-challenge") && r.user == -1);
}

static void test_right_code(void)
{
	char tok[MFA_TOKEN_HEX + 1], c[9], want_tok[MFA_TOKEN_HEX + 1];
	reset();
	pubkey("ops", "SHA256:abc", "10.0.0.1");
	CHECK(is(MFA_CHALLENGE, "totp-required") && r.user == OPS && r.delay_ms == 0 && !r.persist);
	for (int i = 0; i < 16; i++)
		snprintf(want_tok + (size_t)2 * i, 3, "%02x", rnd[i]);
	CHECK(!strcmp(r.token, want_tok));
	memcpy(tok, r.token, sizeof tok);
	answer("ops", tok, code_at(step(), c));
	CHECK(is(MFA_ALLOW, "totp-ok") && r.persist == 1 && r.delay_ms == 0 && r.token[0] == 0);
	CHECK(m.last_step[OPS] == step() && m.last_step[REM] == 0);
	CHECK(r.user == OPS && !strcmp(r.fp, "SHA256:abc") && !strcmp(r.src, "10.0.0.1"));
	CHECK(!r.locked_user && !r.locked_source);
	/* the token is consumed */
	answer("ops", tok, c);
	CHECK(is(MFA_DENY, "no-such-challenge") && !r.persist);
	/* the same code again, on a new challenge: a replay */
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c);
	/* persist: not the step (unchanged), the failure it counts */
	CHECK(is(MFA_DENY, "replayed-code") && r.persist && m.last_step[OPS] == step());
	CHECK(r.delay_ms == 250 && strlen(r.token) == MFA_TOKEN_HEX && strcmp(r.token, tok) != 0);
	CHECK(m.user_guard[OPS].failures == 1);
	/* a success ends the wait but keeps the count (it fades after a quiet day) */
	clk.mono_ms += 250;
	clk.unix_s += TOTP_STEP;
	memcpy(tok, r.token, sizeof tok);
	answer("ops", tok, code_at(step(), c));
	CHECK(is(MFA_ALLOW, "totp-ok") && m.last_step[OPS] == step());
	CHECK(m.user_guard[OPS].failures == 1 && guard_wait_ms(&m.user_guard[OPS], clk.mono_ms) == 0);
	/* no remember window for ops */
	pubkey("ops", "SHA256:abc", "10.0.0.1");
	CHECK(is(MFA_CHALLENGE, "totp-required"));
}

static void test_window(void)
{
	char tok[MFA_TOKEN_HEX + 1], c[5][9];
	const uint64_t s = 1111111111 / TOTP_STEP;
	reset();
	for (int i = 0; i < 5; i++)
		code_at(s - 2 + (uint64_t)i, c[i]);
	for (int i = 1; i < 4; i++)  /* else the refusal below proves nothing */
		CHECK(strcmp(c[0], c[i]) != 0 && strcmp(c[4], c[i]) != 0);
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c[0]);
	CHECK(is(MFA_DENY, "wrong-code") && m.last_step[OPS] == 0 && r.delay_ms == 250);
	reset();
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c[4]);
	CHECK(is(MFA_DENY, "wrong-code"));
	reset();
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c[1]);
	CHECK(is(MFA_ALLOW, "totp-ok") && m.last_step[OPS] == s - 1);
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c[3]);
	CHECK(is(MFA_ALLOW, "totp-ok") && m.last_step[OPS] == s + 1);
	/* now the current step is behind the floor */
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c[2]);
	CHECK(is(MFA_DENY, "replayed-code") && m.last_step[OPS] == s + 1);
}

static void test_tokens(void)
{
	char tok[MFA_TOKEN_HEX + 1], other[MFA_TOKEN_HEX + 1], c[9];
	int64_t t0;
	reset();
	code_at(step(), c);
	/* another user's token */
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("rem", tok, c);
	CHECK(is(MFA_DENY, "no-such-challenge") && m.last_step[REM] == 0);
	answer("ops", tok, c);        /* consumed by the attempt */
	CHECK(is(MFA_DENY, "no-such-challenge") && m.last_step[OPS] == 0);
	/* unknown, malformed and empty tokens; none of this counts as a failure */
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	memcpy(other, tok, sizeof other);
	other[0] = other[0] == '0' ? '1' : '0';
	answer("ops", other, c);
	CHECK(is(MFA_DENY, "no-such-challenge"));
	answer("ops", "", c);
	CHECK(is(MFA_DENY, "no-such-challenge"));
	other[MFA_TOKEN_HEX - 1] = 0;
	answer("ops", other, c);
	CHECK(is(MFA_DENY, "no-such-challenge"));
	CHECK(m.user_guard[OPS].failures == 0 && r.delay_ms == 0 && r.token[0] == 0);
	answer("ops", tok, c);        /* the real one still works */
	CHECK(is(MFA_ALLOW, "totp-ok"));
	/* expiry: still good 1 ms before, refused at MFA_CHALLENGE_MS */
	clk.unix_s += TOTP_STEP;
	code_at(step(), c);
	t0 = clk.mono_ms;
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	clk.mono_ms = t0 + MFA_CHALLENGE_MS;
	answer("ops", tok, c);
	CHECK(is(MFA_DENY, "no-such-challenge") && m.user_guard[OPS].failures == 0);
	t0 = clk.mono_ms;
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	clk.mono_ms = t0 + MFA_CHALLENGE_MS - 1;
	answer("ops", tok, c);
	CHECK(is(MFA_ALLOW, "totp-ok"));
}

/* a token is bound to the connection it was given to: answered on another
 * (with the right code) it is refused unjudged and consumed; a retry token
 * after a wrong answer stays bound to the first connection */
static void test_token_bound_to_connection(void)
{
	char tok[MFA_TOKEN_HEX + 1], c[9], bad[9];
	reset();
	code_at(step(), c);
	cur_conn = 100;
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	cur_conn = 200;
	answer("ops", tok, c);
	CHECK(is(MFA_DENY, "challenge-of-another-connection") && r.token[0] == 0 && !r.persist);
	CHECK(m.last_step[OPS] == 0 && m.user_guard[OPS].failures == 0 && r.delay_ms == 0);
	CHECK(!strcmp(r.src, "10.0.0.1") && !strcmp(r.fp, "SHA256:abc")); /* named in the record */
	cur_conn = 100;
	answer("ops", tok, c); /* consumed: the thief's try spent it */
	CHECK(is(MFA_DENY, "no-such-challenge"));
	/* the positive control: the same code on the token's own connection */
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, wrong_code(bad));
	CHECK(is(MFA_DENY, "wrong-code") && r.token[0]);
	memcpy(tok, r.token, sizeof tok);
	clk.mono_ms += 3000; /* past the delay */
	cur_conn = 200;
	answer("ops", tok, c);
	CHECK(is(MFA_DENY, "challenge-of-another-connection"));
	cur_conn = 100;
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c);
	CHECK(is(MFA_ALLOW, "totp-ok"));
}

/* one user holding many open challenges (connections that stop after the
 * key) replaces only their own: another user's challenge survives */
static void test_challenge_table_per_user_cap(void)
{
	char tok[MFA_TOKEN_HEX + 1], first[MFA_TOKEN_HEX + 1], last[MFA_TOKEN_HEX + 1], c[9];
	reset();
	code_at(step(), c);
	CHECK(challenge("rem", "SHA256:r", "10.0.0.2", tok));
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", first));
	for (int i = 0; i < 3 * MFA_MAX_CHALLENGES; i++) {
		clk.mono_ms += 1;
		CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", last));
	}
	unsigned live = 0;
	for (int i = 0; i < MFA_MAX_CHALLENGES; i++)
		live += m.ch[i].used && m.ch[i].user == OPS;
	CHECK(live == MFA_MAX_PER_USER);
	answer("ops", first, c);      /* the oldest were replaced */
	CHECK(is(MFA_DENY, "no-such-challenge"));
	answer("rem", tok, c);        /* the other user's is intact */
	CHECK(is(MFA_ALLOW, "totp-ok"));
	answer("ops", last, c);
	CHECK(is(MFA_ALLOW, "totp-ok"));
}

/* a key thief guessing between the real user's logins: the successes do
 * not hand out a fresh budget; a quiet day does */
static void test_success_does_not_reset_count(void)
{
	char tok[MFA_TOKEN_HEX + 1], c[9];
	reset();
	for (unsigned i = 0; i < conf.lockout_failures - 1; i++) {
		fail_once("ops", "10.0.0.66");
		clk.mono_ms += 2000;
		clk.unix_s += TOTP_STEP;
		CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
		answer("ops", tok, code_at(step(), c));
		CHECK(is(MFA_ALLOW, "totp-ok"));
	}
	fail_once("ops", "10.0.0.66");
	CHECK(r.locked_user && guard_locked(&m.user_guard[OPS], clk.mono_ms));
	/* the same number spread over a day and more does not lock: the count leaks */
	reset();
	for (unsigned i = 0; i < 3 * conf.lockout_failures; i++) {
		fail_once("ops", "10.0.0.66");
		clk.mono_ms += MFA_USER_FORGET_MS / conf.lockout_failures + 1;
	}
	CHECK(!guard_locked(&m.user_guard[OPS], clk.mono_ms));
}

static void test_source_key(void)
{
	char k[GUARD_ADDRLEN];
	mfa_source_key("10.0.0.1", k);
	CHECK(!strcmp(k, "10.0.0.1"));
	mfa_source_key("::ffff:10.0.0.1", k);
	CHECK(!strcmp(k, "10.0.0.1"));
	mfa_source_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", k);
	CHECK(!strcmp(k, "2001:db8:1:2::/64"));
	mfa_source_key("not-an-address", k);
	CHECK(!strcmp(k, "not-an-address"));
	/* two addresses of one /64 fail on one count */
	reset();
	fail_once("ops", "2001:db8:1:2::1");
	fail_once("rem", "2001:db8:1:2::99");
	unsigned n = 0;
	for (int i = 0; i < MFA_MAX_SOURCES; i++)
		if (!strcmp(m.sources[i].addr, "2001:db8:1:2::/64"))
			n = m.sources[i].g.failures;
	CHECK(n == 2);
	CHECK(mfa_unlock_source(&m, "2001:db8:1:2::7") == 0);
}

static void test_delays_and_user_lock(void)
{
	static const unsigned want[5] = { 250, 500, 1000, 2000, 2000 };
	char tok[MFA_TOKEN_HEX + 1], bad[9], c[9];
	reset();
	wrong_code(bad);
	code_at(step(), c);
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	for (int i = 0; i < 5; i++) {
		answer("ops", tok, bad);
		CHECK(is(MFA_DENY, "wrong-code"));
		CHECK(r.delay_ms == want[i]);
		CHECK(m.user_guard[OPS].failures == (unsigned)i + 1);
		if (i < 4) {
			CHECK(!r.locked_user && !r.locked_source);
			CHECK(strlen(r.token) == MFA_TOKEN_HEX && strcmp(r.token, tok) != 0);
		} else {
			CHECK(r.locked_user == 1 && !r.locked_source && r.token[0] == 0);
			break;
		}
		memcpy(tok, r.token, sizeof tok);
		if (i == 0) {
			/* too soon: not judged, not counted, another token */
			clk.mono_ms += 100;
			answer("ops", tok, bad);
			CHECK(is(MFA_DENY, "too-soon") && r.delay_ms == 150);
			CHECK(m.user_guard[OPS].failures == 1 && !r.locked_user);
			CHECK(strlen(r.token) == MFA_TOKEN_HEX && strcmp(r.token, tok) != 0);
			memcpy(tok, r.token, sizeof tok);
			clk.mono_ms += 150;
			continue;
		}
		if (i == 1) {
			/* even the right code is not judged early */
			clk.mono_ms += 1;
			answer("ops", tok, c);
			CHECK(is(MFA_DENY, "too-soon") && r.delay_ms == want[i] - 1);
			CHECK(m.user_guard[OPS].failures == 2 && m.last_step[OPS] == 0 && !r.persist);
			memcpy(tok, r.token, sizeof tok);
			clk.mono_ms += want[i] - 1;
			continue;
		}
		clk.mono_ms += want[i];
	}
	/* locked until an admin unlocks, however long it waits */
	clk.mono_ms += 2000;
	pubkey("ops", "SHA256:abc", "10.0.0.1");
	CHECK(is(MFA_DENY, "user-locked") && r.token[0] == 0);
	clk.mono_ms += 30LL * 24 * 3600 * 1000;
	pubkey("ops", "SHA256:abc", "10.0.0.2");
	CHECK(is(MFA_DENY, "user-locked"));
	/* other users are not affected */
	CHECK(challenge("dev", "SHA256:abc", "10.0.0.1", tok));
	CHECK(mfa_unlock_user(&m, "nobody") == -1);
	CHECK(mfa_unlock_user(&m, "ops") == 0);
	CHECK(m.user_guard[OPS].failures == 0 && m.user_guard[OPS].locked_until_ms == 0);
	CHECK(challenge("ops", "SHA256:abc", "10.0.0.1", tok));
	answer("ops", tok, c);
	CHECK(is(MFA_ALLOW, "totp-ok") && r.persist);
}

static struct mfa_source *find_source(const char *addr)
{
	for (int i = 0; i < MFA_MAX_SOURCES; i++)
		if (!strcmp(m.sources[i].addr, addr))
			return &m.sources[i];
	return NULL;
}

static void test_source_lock(void)
{
	const char *src = "192.0.2.7";
	char tok[MFA_TOKEN_HEX + 1], pending[MFA_TOKEN_HEX + 1], c[9];
	int64_t t_lock;
	reset();
	code_at(step(), c);
	for (int i = 0; i < 4; i++)
		fail_once("ops", src);
	for (int i = 0; i < 4; i++)
		fail_once("rem", src);
	fail_once("dev", src);
	CHECK(!r.locked_user && !r.locked_source);
	CHECK(find_source(src) && find_source(src)->g.failures == 9);
	/* a challenge issued before the lock */
	clk.mono_ms += 2000;
	CHECK(challenge("rem", "SHA256:fp", src, pending));
	fail_once("dev", src);         /* the 10th failure from src, dev's 2nd */
	CHECK(r.locked_source == 1 && !r.locked_user && r.token[0] == 0);
	CHECK(m.user_guard[DEV].failures == 2 && m.user_guard[OPS].failures == 4);
	t_lock = clk.mono_ms;
	/* every user from that source is refused; others are not */
	pubkey("dev", "SHA256:fp", src);
	CHECK(is(MFA_DENY, "source-locked") && r.token[0] == 0);
	pubkey("ops", "SHA256:fp", src);
	CHECK(is(MFA_DENY, "source-locked"));
	answer("rem", pending, c);
	CHECK(is(MFA_DENY, "source-locked") && m.last_step[REM] == 0);
	pubkey("nomfa", "SHA256:fp", src);       /* no second factor, no guard */
	CHECK(is(MFA_ALLOW, "mfa-off"));
	CHECK(challenge("dev", "SHA256:fp", "192.0.2.8", tok));
	/* an admin unlock of a user does not lift the source */
	CHECK(mfa_unlock_user(&m, "ops") == 0);
	pubkey("ops", "SHA256:fp", src);
	CHECK(is(MFA_DENY, "source-locked"));
	/* the lock expires after source-lockout-minutes, with the count */
	clk.mono_ms = t_lock + 15 * MIN_MS - 1;
	pubkey("dev", "SHA256:fp", src);
	CHECK(is(MFA_DENY, "source-locked"));
	clk.mono_ms = t_lock + 15 * MIN_MS;
	CHECK(challenge("dev", "SHA256:fp", src, tok));
	CHECK(find_source(src)->g.failures == 0 && find_source(src)->g.locked_until_ms == 0);
	answer("dev", tok, c);
	CHECK(is(MFA_ALLOW, "totp-ok"));
	/* admin unlock of a source */
	reset();
	CHECK(mfa_unlock_source(&m, "203.0.113.1") == -1);
	for (int i = 0; i < 10; i++)
		fail_once(i < 4 ? "ops" : i < 8 ? "rem" : "dev", src);
	CHECK(r.locked_source == 1);
	pubkey("dev", "SHA256:fp", src);
	CHECK(is(MFA_DENY, "source-locked"));
	CHECK(mfa_unlock_source(&m, src) == 0);
	CHECK(challenge("dev", "SHA256:fp", src, tok));
}

static void test_remember(void)
{
	char tok[MFA_TOKEN_HEX + 1], c[9];
	const char *fp1 = "SHA256:one", *fp2 = "SHA256:two", *s1 = "10.0.0.1", *s2 = "10.0.0.2";
	int64_t t_ok;
	reset();
	CHECK(challenge("rem", fp1, s1, tok));
	answer("rem", tok, code_at(step(), c));
	CHECK(is(MFA_ALLOW, "totp-ok"));
	t_ok = clk.mono_ms;
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_ALLOW, "remembered") && r.token[0] == 0 && r.user == REM);
	clk.mono_ms = t_ok + 10 * MIN_MS - 1;
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_ALLOW, "remembered"));
	pubkey("rem", fp2, s1);
	CHECK(is(MFA_CHALLENGE, "totp-required"));
	pubkey("rem", fp1, s2);
	CHECK(is(MFA_CHALLENGE, "totp-required"));
	pubkey("dev", fp1, s1);
	CHECK(is(MFA_CHALLENGE, "totp-required"));
	clk.mono_ms = t_ok + 10 * MIN_MS;
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_CHALLENGE, "totp-required"));
	/* again, then an admin unlock forgets it */
	memcpy(tok, r.token, sizeof tok);
	clk.unix_s += TOTP_STEP;
	answer("rem", tok, code_at(step(), c));
	CHECK(is(MFA_ALLOW, "totp-ok"));
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_ALLOW, "remembered"));
	CHECK(mfa_unlock_user(&m, "rem") == 0);
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_CHALLENGE, "totp-required"));
	/* a locked user is not let in by a remembered key */
	memcpy(tok, r.token, sizeof tok);
	clk.unix_s += TOTP_STEP;
	answer("rem", tok, code_at(step(), c));
	CHECK(is(MFA_ALLOW, "totp-ok"));
	for (int i = 0; i < 5; i++)
		fail_once("rem", s2);
	CHECK(r.locked_user == 1);
	pubkey("rem", fp1, s1);
	CHECK(is(MFA_DENY, "user-locked"));
}

/* a wrong code asks the caller to save the state (the user's count changed:
 * replay.c keeps it across restarts) */
static void test_wrong_code_asks_for_save(void)
{
	char code[9], tok[MFA_TOKEN_HEX + 1];
	reset();
	CHECK(challenge("ops", "SHA256:k", "10.0.0.9", tok));
	answer("ops", tok, wrong_code(code));
	CHECK(r.persist && m.user_guard[OPS].failures == 1);
}

int main(void)
{
	RUN(test_setup);
	RUN(test_unknown_and_off);
	RUN(test_right_code);
	RUN(test_window);
	RUN(test_tokens);
	RUN(test_token_bound_to_connection);
	RUN(test_challenge_table_per_user_cap);
	RUN(test_success_does_not_reset_count);
	RUN(test_source_key);
	RUN(test_delays_and_user_lock);
	RUN(test_source_lock);
	RUN(test_remember);
	RUN(test_wrong_code_asks_for_save);
	UT_END();
}
