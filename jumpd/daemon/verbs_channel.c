/* verbs_channel: the life of a direct-tcpip channel. `channel` (a user's
 * connection process asks; policy.c decides; with the firewall helper the
 * pinhole exists before the answer), `close` (its end, with bytes), `logout`
 * (the end of the login), and the periodic refresh that closes channels
 * whose process is gone and keeps live pinholes open. Every step audited:
 * CHANNEL, CHANNEL_CLOSE, PINHOLE_OPEN/CLOSE, SESSION_CLOSE. */
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

/* Asks the firewall helper to open (or refresh) or close ch's pinhole.
 * Returns 0, or -1 (logged). */
static int pinhole(const struct jumpd *jd, const struct channel *ch, int open)
{
	const char *addr = jd->conf.targets[ch->target].addr_text;
	struct hook_msg req, rep = { 0 };
	char uid[16], port[8], ttl[8], why[160] = "";
	snprintf(uid, sizeof uid, "%u", ch->uid);
	snprintf(port, sizeof port, "%u", ch->port);
	snprintf(ttl, sizeof ttl, "%d", PINHOLE_TTL_S);
	if (hook_init(&req, open ? "pin" : "unpin") || hook_add(&req, "uid", uid) || hook_add(&req, "addr", addr) ||
	    hook_add(&req, "port", port) || (open && hook_add(&req, "ttl", ttl)))
		return -1;
	if (jb_hook_ask(jd->fw_socket, &req, &rep, why, sizeof why) == 0 && !strcmp(rep.verb, "ok"))
		return 0;
	fprintf(stderr, "jumpd: firewall helper: %s %s %s:%s: %s\n", req.verb, uid, addr, port,
		hook_get(&rep, "reason") ? hook_get(&rep, "reason") : why);
	return -1;
}

static void pinhole_event(const struct jumpd *jd, const char *msgid, const struct channel *ch, const char *reason)
{
	const struct siteconf_target *tg = &jd->conf.targets[ch->target];
	char uid[16], port[8];
	snprintf(uid, sizeof uid, "%u", ch->uid);
	snprintf(port, sizeof port, "%u", ch->port);
	event_emit(msgid, "user", jd->conf.users[ch->user].name, "uid", uid, "target", tg->name, "address",
		   tg->addr_text, "port", port, "reason", reason, EV_END);
}

static void channel_drop(struct channel *ch)
{
	if (ch->pidfd >= 0)
		close(ch->pidfd);
	channels_remove(ch);
}

/* 1 if the connection process that opened ch has exited (a pidfd, unlike a
 * pid, cannot be mistaken for a later process that got the same number) */
static int process_gone(const struct channel *ch)
{
	if (ch->pidfd >= 0) {
		struct pollfd p = { .fd = ch->pidfd, .events = POLLIN };
		return poll(&p, 1, 0) > 0;
	}
	return kill(ch->pid, 0) && errno == ESRCH;
}

/* ch has ended: audit it, and close its pinhole if it was the last one */
static void channel_closed(struct jumpd *jd, struct channel *ch, const char *reason, const char *to_target,
			   const char *from_target)
{
	char port[8], dur[24];
	snprintf(port, sizeof port, "%u", ch->port);
	snprintf(dur, sizeof dur, "%lld", (long long)(mono_ms() - ch->opened_ms));
	event_emit("CHANNEL_CLOSE", "user", jd->conf.users[ch->user].name, "channel", ch->id,
		   "target", jd->conf.targets[ch->target].name, "port", port, "to_target", to_target,
		   "from_target", from_target, "duration_ms", dur, "reason", reason, EV_END);
	if (jd->fw_socket && channels_sharing(&jd->channels, ch) == 0) {
		int failed = pinhole(jd, ch, 0);
		pinhole_event(jd, "PINHOLE_CLOSE", ch, failed ? "helper-failed-timeout-closes-it" : reason);
	}
	channel_drop(ch);
}

void channels_refresh_all(struct jumpd *jd)
{
	for (int i = 0; i < CHANNELS_MAX; i++) {
		struct channel *ch = &jd->channels.c[i];
		if (ch->used && process_gone(ch))
			channel_closed(jd, ch, "connection-gone", "-", "-");
	}
	if (!jd->fw_socket)
		return;
	for (int i = 0; i < CHANNELS_MAX; i++) {
		struct channel *ch = &jd->channels.c[i];
		if (ch->used && channels_first_of_pinhole(&jd->channels, ch))
			pinhole(jd, ch, 1);
	}
}

/* `close channel= to_target= from_target=`: the end of a channel, from the
 * connection process (the channel's own user's uid) that opened it */
void verb_close(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *id = hook_get(req, "channel"), *to = hook_get(req, "to_target"), *from = hook_get(req, "from_target");
	struct channel *ch = id ? channels_find(&jd->channels, id) : NULL;
	if (!ch || c->uid != ch->uid || !to || !from) {
		conn_reply_reason(c, "error", "no such channel");
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
	char peer[16];
	snprintf(peer, sizeof peer, "%d", (int)c->pid);
	if (ui < 0 || jd->conf.users[ui].uid != c->uid || !dur) {
		conn_reply_reason(c, "error", "bad-request");
		return;
	}
	int rc = event_emit("SESSION_CLOSE", "user", user, "conn", peer, "duration_s", dur, "reason",
			    reason ? reason : "-", EV_END);
	conn_reply_reason(c, rc ? "error" : "ok", NULL);
}

/* Records an allowed channel and opens its pinhole; on failure r says why. */
static struct channel *channel_open(struct jumpd *jd, const struct conn *c, unsigned ui, unsigned port,
				    struct policy_result *r, int *new_pinhole, char *pin_us, size_t pin_cap)
{
	uint32_t uid = jd->conf.users[ui].uid;
	uint8_t rnd[8];
	if (channels_of_uid(&jd->channels, uid) >= CHANNELS_PER_USER) {
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
	if (jd->fw_socket) {
		/* the pinhole exists before the client hears yes */
		int64_t t0 = mono_us();
		if (pinhole(jd, ch, 1)) {
			r->allow = 0;
			r->reason = "firewall-unavailable";
		}
		snprintf(pin_us, pin_cap, "%lld", (long long)(mono_us() - t0));
	}
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
	char port_s[8], peer[32], pin_us[24] = "-";
	struct channel *ch = NULL;
	int new_pinhole = 0;

	if (ui < 0 || jd->conf.users[ui].uid != c->uid || !host || !port || !end || *end || port_n == 0 ||
	    port_n > 65535) {
		event_emit("HOOK_ERROR", "reason", "bad channel request", "user", user ? user : "-", EV_END);
		conn_reply_reason(c, "deny", "bad-request");
		return;
	}
	policy_decide(&jd->conf, (unsigned)ui, host, (unsigned)port_n, (int64_t)time(NULL), &r);
	snprintf(port_s, sizeof port_s, "%lu", port_n);
	snprintf(peer, sizeof peer, "%d", (int)c->pid); /* from SO_PEERCRED, not the request */
	const char *target = r.target >= 0 ? jd->conf.targets[r.target].name : "-";
	if (r.allow)
		ch = channel_open(jd, c, (unsigned)ui, (unsigned)port_n, &r, &new_pinhole, pin_us, sizeof pin_us);
	if (event_emit("CHANNEL", "user", user, "host", host, "port", port_s, "target", target, "grant",
		       r.grant >= 0 ? jd->conf.grants[r.grant].name : "-", "conn", conn ? conn : "-", "peer_pid", peer,
		       "result", r.allow ? "allow" : "deny", "reason", r.reason, "channel", r.allow ? ch->id : "-",
		       "pinhole_us", pin_us, EV_END) && r.allow) {
		r.allow = 0;
		r.reason = "audit-unavailable";
	}
	if (r.allow && new_pinhole && jd->fw_socket)
		pinhole_event(jd, "PINHOLE_OPEN", ch, "channel");
	if (!r.allow && ch) {
		if (jd->fw_socket && new_pinhole && strcmp(r.reason, "firewall-unavailable") != 0)
			pinhole(jd, ch, 0);
		channel_drop(ch);
	}
	struct hook_msg out;
	hook_init(&out, r.allow ? "allow" : "deny");
	hook_add(&out, "reason", r.reason);
	if (r.allow) {
		hook_add(&out, "target", target);
		hook_add(&out, "address", jd->conf.targets[r.target].addr_text);
		hook_add(&out, "port", port_s);
		hook_add(&out, "channel", ch->id);
	}
	conn_reply(c, &out);
}
