/* verbs_channel: the life of a direct-tcpip channel and of the session
 * around it. `channel` (a user's connection process asks; policy.c decides;
 * its CHANNEL record is made durable with the round's, then the pinhole
 * opens, then PINHOLE_OPEN is made durable, then the client hears yes: no
 * connection gets through that the trail does not hold; on any failure
 * after the pinhole opened it is revoked — closed and its connections cut
 * — and the channel dropped: verbs_settle.c), `close`
 * (its end, with bytes: accepted only from the process that has it open),
 * `logout` (the end of the login: once per session), and the periodic
 * refresh that ends channels and sessions whose process is gone and keeps
 * live pinholes open. Every step audited: CHANNEL, CHANNEL_CLOSE,
 * PINHOLE_OPEN/CLOSE, SESSION_CLOSE. */
#include "brake.h"
#include "event.h"
#include "policy.h"
#include "verbs.h"
#include "../dropbear/jb-authhook.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void random_bytes(uint8_t *out, size_t n)
{
	if (getrandom(out, n, 0) != (ssize_t)n)
		abort(); /* ids must not be guessable; never go on without randomness */
}

int jumpd_pinhole(const struct jumpd *jd, uint32_t uid, const char *addr, unsigned port, int op)
{
	struct hook_msg req, rep = { 0 };
	char uid_s[16], port_s[8], ttl[8], why[160] = "";
	int open = op == PIN_OPEN;
	snprintf(uid_s, sizeof uid_s, "%u", uid);
	snprintf(port_s, sizeof port_s, "%u", port);
	snprintf(ttl, sizeof ttl, "%d", PINHOLE_TTL_S);
	if (hook_init(&req, open ? "pin" : op == PIN_REVOKE ? "revoke" : "unpin") || hook_add(&req, "uid", uid_s) || hook_add(&req, "addr", addr) ||
	    hook_add(&req, "port", port_s) || (open && hook_add(&req, "ttl", ttl)))
		return -1;
	if (jb_hook_ask(jd->fw_socket, &req, &rep, why, sizeof why) == 0 && !strcmp(rep.verb, "ok"))
		return 0;
	fprintf(stderr, "jumpd: firewall helper: %s %s %s:%s: %s\n", req.verb, uid_s, addr, port_s,
		hook_get(&rep, "reason") ? hook_get(&rep, "reason") : why);
	return -1;
}

/* Asks the firewall helper to open (or refresh), close or revoke ch's pinhole. */
static int pinhole(const struct jumpd *jd, const struct channel *ch, int op)
{
	return jumpd_pinhole(jd, ch->uid, jd->conf.targets[ch->target].addr_text, ch->port, op);
}

void channel_forget(struct jumpd *jd, struct channel *ch)
{
	if (ch->pidfd >= 0)
		close(ch->pidfd);
	channels_remove(&jd->channels, ch);
}

/* 1 if the process (pidfd, or pid if -1) has exited (a pidfd, unlike a pid,
 * cannot be mistaken for a later process that got the same number) */
static int process_gone(int pidfd, pid_t pid)
{
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		return poll(&p, 1, 0) > 0;
	}
	return kill(pid, 0) && errno == ESRCH;
}

/* a session ended: audited (its logout, or its process gone), forgotten */
static int session_end(struct jumpd *jd, struct session *s, const char *dur, const char *reason)
{
	char peer[16];
	snprintf(peer, sizeof peer, "%d", (int)s->pid);
	int rc = event_emit("SESSION_CLOSE", "user", jd->conf.users[s->user].name, "conn", peer, "duration_s", dur,
			    "reason", reason, EV_END);
	if (s->pidfd >= 0)
		close(s->pidfd);
	sessions_remove(&jd->sessions, s);
	return rc;
}

/* A login was allowed for the connection process pid (the SO_PEERCRED of
 * its request): its session, which bounds its logout and a share of the
 * connection slots. Returns 0, or -1 if the table is full (the login is
 * refused: too-many-sessions). */
int sessions_login(struct jumpd *jd, unsigned user, pid_t pid)
{
	struct session *old = sessions_find(&jd->sessions, pid);
	if (old) { /* the process's number was reused: that one is gone */
		if (old->pidfd >= 0)
			close(old->pidfd);
		sessions_remove(&jd->sessions, old);
	}
	struct session *s = sessions_add(&jd->sessions, user, pid, mono_ms());
	if (!s)
		return -1;
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* -1: fall back to the pid */
	return 0;
}

/* the AUTH that allowed pid's login could not be made durable: no session */
void sessions_login_undo(struct jumpd *jd, pid_t pid)
{
	struct session *s = sessions_find(&jd->sessions, pid);
	if (s) {
		if (s->pidfd >= 0)
			close(s->pidfd);
		sessions_remove(&jd->sessions, s);
	}
}

static void channel_close_record(struct jumpd *jd, const struct channel *ch, const char *reason,
				 const char *to_target, const char *from_target)
{
	char port[8], dur[24];
	snprintf(port, sizeof port, "%u", ch->port);
	snprintf(dur, sizeof dur, "%lld", (long long)(mono_ms() - ch->opened_ms));
	event_emit("CHANNEL_CLOSE", "user", jd->conf.users[ch->user].name, "channel", ch->id,
		   "target", jd->conf.targets[ch->target].name, "port", port, "to_target", to_target,
		   "from_target", from_target, "duration_ms", dur, "reason", reason, EV_END);
}

/* ch has ended: audit it, and close (op PIN_CLOSE) or revoke (PIN_REVOKE)
 * its pinhole if it was the last one */
static void channel_end(struct jumpd *jd, struct channel *ch, const char *reason, const char *to_target,
			const char *from_target, int op)
{
	channel_close_record(jd, ch, reason, to_target, from_target);
	if (jd->fw_socket && channels_sharing(&jd->channels, ch) == 0) {
		const char *user = jd->conf.users[ch->user].name;
		if (op == PIN_REVOKE) /* queued for a retry if the helper does not answer */
			pinhole_revoke(jd, ch->uid, (unsigned)ch->target, ch->port, user, reason);
		else
			pinhole_record(jd, "PINHOLE_CLOSE", ch->uid, (unsigned)ch->target, ch->port, user,
				       pinhole(jd, ch, op) ? "helper-failed-timeout-closes-it" : reason, NULL);
	}
	channel_forget(jd, ch);
}

void channel_unmade(struct jumpd *jd, struct channel *ch, const char *why)
{
	channel_close_record(jd, ch, why, "0", "0");
	channel_forget(jd, ch);
}

void channel_lost(struct jumpd *jd, struct channel *ch)
{
	channel_end(jd, ch, "reply-lost", "0", "0", PIN_REVOKE);
}

static void channel_closed(struct jumpd *jd, struct channel *ch, const char *reason, const char *to_target,
			   const char *from_target)
{
	channel_end(jd, ch, reason, to_target, from_target, PIN_CLOSE);
}

void channels_refresh_all(struct jumpd *jd)
{
	for (unsigned i = 0; i < jd->channels.cap; i++) {
		struct channel *ch = &jd->channels.c[i];
		if (ch->used && process_gone(ch->pidfd, ch->pid))
			channel_closed(jd, ch, "connection-gone", "-", "-");
	}
	/* a session whose process is gone without a logout (killed, or its
	 * report lost): its end is recorded all the same */
	int64_t now = mono_ms();
	for (unsigned i = 0; i < jd->sessions.cap; i++) {
		struct session *s = &jd->sessions.s[i];
		char dur[24];
		if (!s->used || !process_gone(s->pidfd, s->pid))
			continue;
		snprintf(dur, sizeof dur, "%lld", (long long)((now - s->opened_ms) / 1000));
		session_end(jd, s, dur, "connection-gone");
	}
	if (!jd->fw_socket)
		return;
	for (unsigned i = 0; i < jd->channels.cap; i++) {
		struct channel *ch = &jd->channels.c[i];
		if (ch->used && channels_first_of_pinhole(&jd->channels, ch))
			pinhole(jd, ch, 1);
	}
}

/* a close or logout that nothing open accounts for: refused, the refusal
 * braked (the first per 10 s recorded, the rest summed in RATE_LIMITED) */
static void refuse_unbounded(struct conn *c, const char *verb, const char *why)
{
	if (brake_refusal(c->uid, REFUSED_VERB, mono_ms()))
		verbs_hook_error(c, why, verb, NULL);
	conn_reply_reason(c, "error", why);
}

/* `close channel= to_target= from_target=`: the end of a channel, from the
 * connection process that opened it (its pid and uid, SO_PEERCRED): what is
 * open bounds these, so they pass no rate limit (verbs.c, RATE_OPEN) */
void verb_close(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *id = hook_get(req, "channel"), *to = hook_get(req, "to_target"), *from = hook_get(req, "from_target");
	struct channel *ch = id ? channels_find(&jd->channels, id) : NULL;
	if (!ch || c->uid != ch->uid || c->pid != ch->pid || !to || !from) {
		refuse_unbounded(c, "close", "no such channel");
		return;
	}
	channel_closed(jd, ch, "closed", to, from);
	conn_reply_reason(c, "ok", NULL);
}

/* `logout user= duration_s= [reason=]`: an authenticated connection ended
 * (Dropbear patch 0007), from that user's own connection process */
void verb_logout(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *user = hook_get(req, "user"), *dur = hook_get(req, "duration_s"), *reason = hook_get(req, "reason");
	int ui = user ? mfa_user_index(&jd->mfa, user) : -1;
	if (ui < 0 || jd->conf.users[ui].uid != c->uid || !dur) {
		conn_reply_reason(c, "error", "bad-request");
		return;
	}
	struct session *s = sessions_find(&jd->sessions, c->pid);
	if (!s || s->user != (unsigned)ui) {
		/* no session of this process: its login predates this jumpd
		 * (restarted since), or it logged out already. Such logouts are
		 * recorded through the user's bucket, as before sessions */
		char peer[16];
		snprintf(peer, sizeof peer, "%d", (int)c->pid);
		if (!brake_take(c->uid, mono_ms(), BRAKE_BURST, BRAKE_PER_SEC)) {
			conn_reply_reason(c, "error", "rate-limited");
			return;
		}
		int rc = event_emit("SESSION_CLOSE", "user", user, "conn", peer, "duration_s", dur, "reason",
				    reason ? reason : "-", EV_END);
		conn_reply_reason(c, rc ? "error" : "ok", NULL);
		return;
	}
	int rc = session_end(jd, s, dur, reason ? reason : "-");
	conn_reply_reason(c, rc ? "error" : "ok", NULL);
}

/* Reserves an allowed channel (its pinhole opens in pinholes_settle, once
 * its record is durable); on failure r says why. */
static struct channel *channel_reserve(struct jumpd *jd, const struct conn *c, unsigned ui, unsigned port,
				       struct policy_result *r, int *new_pinhole)
{
	uint32_t uid = jd->conf.users[ui].uid;
	uint8_t rnd[8];
	if (channels_of_uid(&jd->channels, uid) >= jd->budget.channels_per_user) {
		r->allow = 0;
		r->reason = "too-many-channels";
		return NULL;
	}
	random_bytes(rnd, sizeof rnd);
	struct channel *ch = channels_add(&jd->channels, uid, ui, r->target, jd->conf.targets[r->target].addr, port,
					  c->pid, mono_ms(), rnd);
	if (!ch) {
		r->allow = 0;
		r->reason = "too-many-channels";
		return NULL;
	}
	ch->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0); /* -1: fall back to the pid */
	*new_pinhole = channels_sharing(&jd->channels, ch) == 0;
	return ch;
}

/* `channel user= host= port= [conn=]`: a direct-tcpip channel. Policy
 * decides; the reply names the address to connect to (from the config: the
 * client's name is never resolved). */
void verb_channel(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *user = hook_get(req, "user"), *host = hook_get(req, "host"), *port = hook_get(req, "port"),
		   *conn = hook_get(req, "conn");
	char *end = NULL;
	unsigned long port_n = port ? strtoul(port, &end, 10) : 0;
	int ui = user ? mfa_user_index(&jd->mfa, user) : -1;
	struct policy_result r;
	char port_s[8], peer[32];
	struct channel *ch = NULL;
	int new_pinhole = 0;

	if (ui < 0 || jd->conf.users[ui].uid != c->uid || !host || !port || !end || *end || port_n == 0 ||
	    port_n > 65535) {
		verbs_hook_error(c, "bad channel request", "channel", user ? user : "-");
		conn_reply_reason(c, "deny", "bad-request");
		return;
	}
	policy_decide(&jd->conf, (unsigned)ui, host, (unsigned)port_n, (int64_t)time(NULL), &r);
	snprintf(port_s, sizeof port_s, "%lu", port_n);
	snprintf(peer, sizeof peer, "%d", (int)c->pid); /* from SO_PEERCRED, not the request */
	const char *target = r.target >= 0 ? jd->conf.targets[r.target].name : "-";
	if (r.allow)
		ch = channel_reserve(jd, c, (unsigned)ui, (unsigned)port_n, &r, &new_pinhole);
	if (event_emit("CHANNEL", "user", user, "host", host, "port", port_s, "target", target, "grant",
		       r.grant >= 0 ? jd->conf.grants[r.grant].name : "-", "conn", conn ? conn : "-", "peer_pid", peer,
		       "result", r.allow ? "allow" : "deny", "reason", r.reason, "channel", r.allow ? ch->id : "-",
		       EV_END) && r.allow) {
		r.allow = 0;
		r.reason = "audit-unavailable";
	}
	if (!r.allow && ch) {
		channel_forget(jd, ch); /* nothing was opened for it */
		ch = NULL;
	}
	struct hook_msg out;
	hook_init(&out, r.allow ? "allow" : "deny");
	hook_add(&out, "reason", r.reason);
	if (!strcmp(r.reason, "recorded-only")) {
		/* Dropbear patch 0017: the client's "open failed" message */
		char hint[HOOK_MAX_VALUE + 1], box[SITECONF_HOSTLEN];
		snprintf(hint, sizeof hint, "recorded target: use ssh %s+%s@%s", user, target,
			 jumpd_box_name(jd, box, sizeof box));
		hook_add(&out, "message", hint);
	}
	if (r.allow) {
		hook_add(&out, "target", target);
		hook_add(&out, "address", jd->conf.targets[r.target].addr_text);
		hook_add(&out, "port", port_s);
		hook_add(&out, "channel", ch->id);
	}
	conn_reply(c, &out);
	if (ch) { /* its pinhole, then its yes: pinholes_settle */
		c->pend_kind = PEND_CHANNEL;
		c->pend_ch = ch;
		c->pend_fresh = new_pinhole;
	}
}
