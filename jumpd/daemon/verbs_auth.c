/* verbs_auth: the SSH server's login requests — `pubkey` (a verified key:
 * allow, or challenge for a code) and `answer` (the code) — decided by
 * mfa.c, audited (AUTH, LOCKOUT) before they are answered; the TOTP replay
 * state is made durable before a code is accepted. An allowed login becomes
 * a session (sessions.h) of the asking process. */
#include "brake.h"
#include "event.h"
#include "replay.h"
#include "verbs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define PROMPT "Verification code: "

static void clock_now(struct mfa_clock *c)
{
	c->mono_ms = mono_ms();
	c->unix_s = (uint64_t)time(NULL);
}

static void random16(uint8_t out[16])
{
	/* getrandom blocks only before the pool is seeded; init seeds it */
	while (getrandom(out, 16, 0) != 16)
		;
}

static const char *verdict_name(enum mfa_verdict v)
{
	return v == MFA_ALLOW ? "allow" : v == MFA_CHALLENGE ? "challenge" : "deny";
}

/* Audits a result and turns it into the hook reply. */
static void answer_result(struct jumpd *jd, struct conn *c, struct mfa_result *r, const char *user,
			  const char *method, const struct hook_msg *req)
{
	struct hook_msg out;
	char delay[16], limit[16];
	const char *keytype = hook_get(req, "keytype"), *port = hook_get(req, "port"),
		   *target = hook_get(req, "target");
	char connid[16]; /* the connection: its process (SO_PEERCRED), as SESSION_CLOSE names it */

	snprintf(connid, sizeof connid, "%d", (int)c->pid);
	snprintf(delay, sizeof delay, "%u", r->delay_ms);
	int was_allow = r->verdict == MFA_ALLOW;
	if (r->persist && replay_save(&jd->mfa, jd->steps_path)) {
		fprintf(stderr, "jumpd: cannot save %s: %s\n", jd->steps_path, strerror(errno));
		r->verdict = MFA_DENY;
		r->reason = "replay-state-unwritable";
		r->token[0] = 0;
	}
	/* a target selector asks for a recorded session, which only the jump
	 * menu starts: an admin whose shell is the diagnostic shell would get
	 * that shell instead, unrecorded, so the login is refused */
	if (r->verdict != MFA_DENY && target && r->user >= 0 && (unsigned)r->user < jd->conf.nusers &&
	    jd->conf.users[r->user].diagnostic_shell) {
		r->verdict = MFA_DENY;
		r->reason = "selector-with-diagnostic-shell";
		r->token[0] = 0;
	}
	/* an allowed login is a session (sessions.h): a full table refuses it */
	if (r->verdict == MFA_ALLOW && (r->user < 0 || sessions_login(jd, (unsigned)r->user, c->pid))) {
		r->verdict = MFA_DENY;
		r->reason = "too-many-sessions";
		r->token[0] = 0;
	}
	/* before a login, what is not an allow is braked per client address
	 * and box-wide (brake.h): beyond the bound it is answered unrecorded
	 * (a deny: nothing was let in; a challenge becomes one), and counted
	 * into the source's RATE_LIMITED */
	int recorded = 1;
	if (r->verdict != MFA_ALLOW) {
		char key[GUARD_ADDRLEN];
		mfa_source_key(r->src, key);
		if (!brake_auth(key, mono_ms())) {
			recorded = 0;
			if (r->verdict == MFA_CHALLENGE) {
				r->verdict = MFA_DENY;
				r->reason = "rate-limited";
				r->token[0] = 0;
			}
		}
	}
	/* an admin's login is recorded in the spool's reserve (event.h) */
	event_allow_reserve(r->user >= 0 && (unsigned)r->user < jd->conf.nusers && jd->conf.users[r->user].admin
				    ? EV_RESERVE_ADMIN : EV_RESERVE_NONE);
	if (recorded && event_emit("AUTH", "user", user, "fp", r->fp, "keytype", keytype ? keytype : "-",
		       "src", r->src, "port", port ? port : "-", "conn", connid,
		       "method", method, "result", verdict_name(r->verdict), "reason", r->reason,
		       "delay_ms", delay, "target", target ? target : "-", EV_END) && r->verdict != MFA_DENY) {
		r->verdict = MFA_DENY;
		r->reason = event_refusal(); /* audit-unavailable, or the reserve's reason */
		r->token[0] = 0;
	}
	if (was_allow && r->verdict != MFA_ALLOW) {
		mfa_forget_remembered(&jd->mfa, r->user); /* a login not made durable is not remembered */
		sessions_login_undo(jd, c->pid);
	}
	if (r->locked_user) {
		snprintf(limit, sizeof limit, "%u", jd->mfa.user_policy.limit);
		event_emit("LOCKOUT", "user", user, "src", r->src, "scope", "user", "failures", limit,
			   "until", "admin-unlock", EV_END);
	}
	if (r->locked_source) {
		snprintf(limit, sizeof limit, "%u", jd->mfa.source_policy.limit);
		event_emit("LOCKOUT", "user", user, "src", r->src, "scope", "source", "failures", limit,
			   "until", "timeout", EV_END);
	}
	hook_init(&out, verdict_name(r->verdict));
	hook_add(&out, "reason", r->reason);
	if (r->verdict == MFA_CHALLENGE) {
		hook_add(&out, "token", r->token);
		hook_add(&out, "prompt", PROMPT);
	} else if (r->verdict == MFA_DENY) {
		if (r->delay_ms)
			hook_add(&out, "delay_ms", delay);
		if (r->token[0])
			hook_add(&out, "token", r->token);
	}
	conn_reply(c, &out);
}

/* The three fields a login step needs (names k) into v; a request without
 * them is audited and refused, and 0 returned. */
static int login_fields(struct conn *c, const struct hook_msg *req, const char *const k[3], const char *v[3])
{
	for (int i = 0; i < 3; i++)
		if (!(v[i] = hook_get(req, k[i]))) {
			verbs_hook_error(c, "incomplete request", req->verb, NULL);
			conn_reply_reason(c, "deny", "bad-request");
			return 0;
		}
	return 1;
}

typedef void login_step_fn(struct mfa *m, const char *user, const char *a, const char *b, long conn,
			   const struct mfa_clock *now, const uint8_t rnd[16], struct mfa_result *out);

static void login_step(struct jumpd *jd, struct conn *c, const struct hook_msg *req, const char *const k[3],
		       login_step_fn *step, const char *method)
{
	const char *v[3];
	struct mfa_result r;
	struct mfa_clock now;
	uint8_t rnd[16];
	if (!login_fields(c, req, k, v))
		return;
	clock_now(&now);
	random16(rnd);
	/* the connection is the asking process (the kernel's word); one that
	 * names another in its request (conn=) is no connection a token was
	 * given to */
	const char *claimed = hook_get(req, "conn");
	long conn = c->pid;
	if (step == mfa_answer && claimed && strtol(claimed, NULL, 10) != (long)c->pid)
		conn = -1;
	step(&jd->mfa, v[0], v[1], v[2], conn, &now, rnd, &r);
	answer_result(jd, c, &r, v[0], method, req);
}

/* `pubkey user= fp= src= [keytype= port= conn= target=]`: a key Dropbear
 * verified; target: the login name's selector (USER+SELECTOR, patch 0015),
 * recorded in the AUTH record (the recorder decides on it later) */
void verb_pubkey(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	static const char *const k[3] = { "user", "fp", "src" };
	login_step(jd, c, req, k, mfa_pubkey, "publickey");
}

/* `answer user= token= code= [conn=] [target=]`: the code the user typed
 * for a challenge, from the connection that got it (mfa.h: tokens are
 * bound to their connection) */
void verb_answer(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	static const char *const k[3] = { "user", "token", "code" };
	login_step(jd, c, req, k, mfa_answer, "keyboard-interactive");
}
