/* mfa: login decisions and second-factor verdicts (see mfa.h). */
#include "mfa.h"
#include "../common/addr.h"
#include "../common/hex.h"
#include "../mfa/totp.h"

#include <stdio.h>
#include <string.h>

void mfa_init(struct mfa *m, const struct siteconf *conf)
{
	memset(m, 0, sizeof *m);
	m->conf = conf;
	m->user_policy.limit = conf->lockout_failures;
	m->user_policy.max_delay_ms = conf->max_delay_seconds * 1000;
	m->user_policy.source_lock_ms = (int64_t)conf->source_lockout_minutes * 60 * 1000;
	m->user_policy.forget_ms = MFA_USER_FORGET_MS;
	m->source_policy = m->user_policy;
	m->source_policy.limit = 2 * conf->lockout_failures;
}

int mfa_user_index(const struct mfa *m, const char *user)
{
	for (unsigned i = 0; i < m->conf->nusers; i++)
		if (!strcmp(m->conf->users[i].name, user))
			return (int)i;
	return -1;
}

/* tokens are compared without early exit: they are bearer secrets */
static int same_token(const char *a, const char *b)
{
	unsigned diff = 0;
	if (strlen(a) != MFA_TOKEN_HEX || strlen(b) != MFA_TOKEN_HEX)
		return 0;
	for (int i = 0; i < MFA_TOKEN_HEX; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0;
}

static void make_token(char out[MFA_TOKEN_HEX + 1], const uint8_t rnd[MFA_TOKEN_HEX / 2])
{
	hex_encode(rnd, MFA_TOKEN_HEX / 2, out);
}

void mfa_source_key(const char *src, char out[GUARD_ADDRLEN])
{
	uint8_t a[16];
	char text[ADDR_TEXT_MAX];
	if (addr_parse(src, a) < 0) {
		snprintf(out, GUARD_ADDRLEN, "%s", src);
	} else if (addr_is_v4(a)) {
		addr_format(a, out, GUARD_ADDRLEN);
	} else {
		memset(a + 8, 0, 8); /* one site's /64 is one source */
		addr_format(a, text, sizeof text);
		snprintf(out, GUARD_ADDRLEN, "%s/64", text);
	}
}

/* The source's guard entry, creating it (reusing the stalest unlocked slot
 * when full: a flood of addresses must not evict a locked one). */
static struct guard_entry *source_guard(struct mfa *m, const char *addr, int64_t now)
{
	struct mfa_source *free_slot = NULL, *stalest = NULL;
	char src[GUARD_ADDRLEN];
	mfa_source_key(addr, src);
	for (int i = 0; i < MFA_MAX_SOURCES; i++) {
		struct mfa_source *s = &m->sources[i];
		if (s->addr[0] && !strcmp(s->addr, src)) {
			guard_decay(&s->g, &m->source_policy, now);
			return &s->g;
		}
		if (!s->addr[0]) {
			if (!free_slot)
				free_slot = s;
		} else if (!guard_locked(&s->g, now) &&
			   (!stalest || s->g.last_fail_ms < stalest->g.last_fail_ms)) {
			stalest = s;
		}
	}
	struct mfa_source *s = free_slot ? free_slot : stalest;
	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	snprintf(s->addr, sizeof s->addr, "%s", src);
	return &s->g;
}

static int remembered(struct mfa *m, unsigned user, const char *fp, const char *src, int64_t now)
{
	for (int i = 0; i < MFA_MAX_REMEMBERED; i++) {
		struct mfa_remembered *r = &m->rem[i];
		if (r->expires_ms && r->expires_ms <= now)
			memset(r, 0, sizeof *r);
		if (r->expires_ms && r->user == user && !strcmp(r->fp, fp) && !strcmp(r->src, src))
			return 1;
	}
	return 0;
}

static void remember(struct mfa *m, unsigned user, const char *fp, const char *src, int64_t now,
		     unsigned minutes)
{
	struct mfa_remembered *slot = &m->rem[0];
	for (int i = 0; i < MFA_MAX_REMEMBERED; i++) {
		struct mfa_remembered *r = &m->rem[i];
		if (!r->expires_ms || r->expires_ms <= now ||
		    (r->user == user && !strcmp(r->fp, fp) && !strcmp(r->src, src))) {
			slot = r;
			break;
		}
		if (r->expires_ms < slot->expires_ms)
			slot = r;
	}
	slot->user = user;
	snprintf(slot->fp, sizeof slot->fp, "%s", fp);
	snprintf(slot->src, sizeof slot->src, "%s", src);
	slot->expires_ms = now + (int64_t)minutes * 60 * 1000;
}

static void new_challenge(struct mfa *m, unsigned user, const char *fp, const char *src, long conn,
			  int64_t now, const uint8_t rnd[16], struct mfa_result *r)
{
	/* a user past MFA_MAX_PER_USER live challenges replaces their own oldest,
	 * so one key holder cannot crowd everyone else out of the table */
	struct mfa_challenge *slot = &m->ch[0], *free_slot = NULL, *own_oldest = NULL;
	unsigned own = 0;
	for (int i = 0; i < MFA_MAX_CHALLENGES; i++) {
		struct mfa_challenge *c = &m->ch[i];
		if (!c->used || c->expires_ms <= now) {
			if (!free_slot)
				free_slot = c;
			continue;
		}
		if (c->user == user && (own++, !own_oldest || c->expires_ms < own_oldest->expires_ms))
			own_oldest = c;
		if (c->expires_ms < slot->expires_ms || !slot->used || slot->expires_ms <= now)
			slot = c;
	}
	if (own >= MFA_MAX_PER_USER)
		slot = own_oldest;
	else if (free_slot)
		slot = free_slot;
	memset(slot, 0, sizeof *slot);
	slot->used = 1;
	slot->user = user;
	snprintf(slot->fp, sizeof slot->fp, "%s", fp);
	snprintf(slot->src, sizeof slot->src, "%s", src);
	slot->conn = conn;
	slot->expires_ms = now + MFA_CHALLENGE_MS;
	make_token(slot->token, rnd);
	memcpy(r->token, slot->token, sizeof r->token);
}

static void init_result(struct mfa_result *r, int user, const char *fp, const char *src)
{
	memset(r, 0, sizeof *r);
	r->verdict = MFA_DENY;
	r->user = user;
	snprintf(r->fp, sizeof r->fp, "%s", fp);
	snprintf(r->src, sizeof r->src, "%s", src);
}

void mfa_pubkey(struct mfa *m, const char *user, const char *fp, const char *src, long conn,
		const struct mfa_clock *now, const uint8_t rnd[16], struct mfa_result *r)
{
	int ui = mfa_user_index(m, user);
	init_result(r, ui, fp, src);
	if (ui < 0) {
		r->reason = "unknown-user";
		return;
	}
	const struct siteconf_user *u = &m->conf->users[ui];
	if (!u->mfa) {
		r->verdict = MFA_ALLOW;
		r->reason = "mfa-off";
		return;
	}
	if (guard_locked(&m->user_guard[ui], now->mono_ms)) {
		r->reason = "user-locked";
		return;
	}
	struct guard_entry *sg = source_guard(m, src, now->mono_ms);
	if (!sg) {
		r->reason = "too-many-locked-sources";
		return;
	}
	if (guard_locked(sg, now->mono_ms)) {
		r->reason = "source-locked";
		return;
	}
	if (u->remember_minutes && remembered(m, (unsigned)ui, fp, src, now->mono_ms)) {
		r->verdict = MFA_ALLOW;
		r->reason = "remembered";
		return;
	}
	new_challenge(m, (unsigned)ui, fp, src, conn, now->mono_ms, rnd, r);
	r->verdict = MFA_CHALLENGE;
	r->reason = "totp-required";
}

static struct mfa_challenge *take_challenge(struct mfa *m, int ui, const char *token, int64_t now)
{
	struct mfa_challenge *found = NULL;
	for (int i = 0; i < MFA_MAX_CHALLENGES; i++) {
		struct mfa_challenge *c = &m->ch[i];
		if (c->used && same_token(c->token, token))
			found = c;
	}
	if (!found)
		return NULL;
	found->used = 0;
	if (found->expires_ms <= now || (int)found->user != ui)
		return NULL;
	return found;
}

void mfa_answer(struct mfa *m, const char *user, const char *token, const char *code, long conn,
		const struct mfa_clock *now, const uint8_t rnd[16], struct mfa_result *r)
{
	int ui = mfa_user_index(m, user);
	init_result(r, ui, "", "");
	struct mfa_challenge *c = ui < 0 ? NULL : take_challenge(m, ui, token, now->mono_ms);
	if (!c) {
		r->reason = "no-such-challenge";
		return;
	}
	snprintf(r->fp, sizeof r->fp, "%s", c->fp);
	snprintf(r->src, sizeof r->src, "%s", c->src);
	if (c->conn != conn) {
		/* a token that left its connection: not judged, not counted
		 * (the code is never checked), and gone (consumed above) */
		r->reason = "challenge-of-another-connection";
		return;
	}
	const struct siteconf_user *u = &m->conf->users[ui];
	struct guard_entry *ug = &m->user_guard[ui];
	struct guard_entry *sg = source_guard(m, c->src, now->mono_ms);
	guard_decay(ug, &m->user_policy, now->mono_ms);
	if (guard_locked(ug, now->mono_ms)) {
		r->reason = "user-locked";
		return;
	}
	if (!sg || guard_locked(sg, now->mono_ms)) {
		r->reason = "source-locked";
		return;
	}
	unsigned wait = guard_wait_ms(ug, now->mono_ms);
	if (guard_wait_ms(sg, now->mono_ms) > wait)
		wait = guard_wait_ms(sg, now->mono_ms);
	if (wait) {
		/* too soon after a failure: not judged, not counted; wait and retry */
		r->reason = "too-soon";
		r->delay_ms = wait;
		new_challenge(m, (unsigned)ui, c->fp, c->src, c->conn, now->mono_ms, rnd, r);
		return;
	}
	uint64_t step = 0;
	if (totp_check((enum totp_alg)u->totp_alg, u->totp_secret, u->totp_secret_len, u->totp_digits,
		       now->unix_s, code, m->last_step[ui], &step)) {
		m->last_step[ui] = step;
		r->persist = 1;
		guard_success(ug);
		if (u->remember_minutes)
			remember(m, (unsigned)ui, c->fp, c->src, now->mono_ms, u->remember_minutes);
		r->verdict = MFA_ALLOW;
		r->reason = "totp-ok";
		return;
	}
	/* name a replay in the audit: the same check without the replay floor */
	r->reason = totp_check((enum totp_alg)u->totp_alg, u->totp_secret, u->totp_secret_len,
			       u->totp_digits, now->unix_s, code, 0, &step)
		    ? "replayed-code" : "wrong-code";
	unsigned du = guard_fail(ug, &m->user_policy, 1, now->mono_ms, &r->locked_user);
	r->persist = 1; /* the user's count (and maybe lock) must outlive a restart */
	unsigned ds = guard_fail(sg, &m->source_policy, 0, now->mono_ms, &r->locked_source);
	r->delay_ms = du > ds ? du : ds;
	if (!r->locked_user && !r->locked_source)
		new_challenge(m, (unsigned)ui, c->fp, c->src, c->conn, now->mono_ms, rnd, r);
}

int mfa_unlock_user(struct mfa *m, const char *user)
{
	int ui = mfa_user_index(m, user);
	if (ui < 0)
		return -1;
	guard_reset(&m->user_guard[ui]);
	mfa_forget_remembered(m, ui);
	return 0;
}

void mfa_forget_remembered(struct mfa *m, int user)
{
	for (int i = 0; user >= 0 && i < MFA_MAX_REMEMBERED; i++)
		if (m->rem[i].expires_ms && m->rem[i].user == (unsigned)user)
			memset(&m->rem[i], 0, sizeof m->rem[i]);
}

int mfa_has_source(const struct mfa *m, const char *addr)
{
	char src[GUARD_ADDRLEN];
	mfa_source_key(addr, src);
	for (int i = 0; i < MFA_MAX_SOURCES; i++)
		if (m->sources[i].addr[0] && !strcmp(m->sources[i].addr, src))
			return 1;
	return 0;
}

int mfa_unlock_source(struct mfa *m, const char *addr)
{
	char src[GUARD_ADDRLEN];
	mfa_source_key(addr, src);
	for (int i = 0; i < MFA_MAX_SOURCES; i++)
		if (m->sources[i].addr[0] && !strcmp(m->sources[i].addr, src)) {
			guard_reset(&m->sources[i].g);
			return 0;
		}
	return -1;
}
