/* jumpd: the jump daemon. Owns the local sockets and turns their requests
 * into decisions: the auth hook (Dropbear, peer uid = the sshd account)
 * and the admin socket (jumpctl, peer uid 0 or a user with admin = yes).
 * A channel request may also come from a user's own connection process
 * (which runs as the user once authenticated), for that user only.
 * Every decision is audited (event.c) before it is answered; the TOTP
 * replay state is saved (replay.c) before a code is accepted.
 *
 * With the firewall helper (-f, jumpd/fw/jumpfw.c), an allowed channel
 * also gets a pinhole for the user's uid to the target address and port
 * before it is answered, refreshed while the channel lives and removed with
 * its last channel (channels.c); the helper's blocked-egress summaries
 * (peer uid FW_UID) and the shipper's collector state changes (peer uid
 * SHIP_UID) arrive on the auth socket and are audited.
 *
 * Usage: jumpd -c CONFIG -s STATEDIR -r RUNDIR -u SSHD_UID
 *              [-f FW_SOCKET -w FW_UID] [-x SHIP_UID]
 *        jumpd -R REASON -s STATEDIR -r RUNDIR -u SSHD_UID
 *              (init refused the site config: no user, nothing allowed; the
 *              refusal is audited as CONFIG_REFUSED) 
 * Runs as its own unprivileged account; needs no capability. */
#include "channels.h"
#include "event.h"
#include "mfa.h"
#include "policy.h"
#include "replay.h"
#include "spool.h"
#include "../common/hookproto.h"
#include "../common/siteconf.h"
#include "../dropbear/jb-authhook.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define CONN_TIMEOUT_MS 5000
#define SLOTS_PER_UID 4        /* open connections one uid other than the SSH server's may hold */
#define PROMPT "Verification code: "

enum kind { AUTH_SOCK, CTL_SOCK };

struct conn {
	int fd;
	enum kind kind;
	uid_t uid;
	pid_t pid;
	size_t len;
	int64_t deadline;
	char buf[HOOK_MAX_LINE];
};

/* Per-uid brake on what a logged-in user's processes can make jumpd write:
 * channel requests (a token bucket) and refused connections. What exceeds
 * it is refused and counted, and the count audited once per window, so no
 * user can flood the spool (which, full, would lock everyone out). */
#define RATE_SLOTS 64
#define CHANNEL_BURST 30
#define CHANNEL_PER_SEC 10
#define SUMMARY_MS 10000
struct rate {
	uid_t uid;
	int used;
	double tokens;
	int64_t last_ms, summary_ms;
	unsigned suppressed, refused;
};
static struct rate rates[RATE_SLOTS];

static struct siteconf conf;
static struct mfa mfa;
static struct conn conns[MAX_CONNS];
static char steps_path[512];
static uid_t sshd_uid;
static uid_t fw_uid = (uid_t)-1, ship_uid = (uid_t)-1;
static const char *fw_socket;  /* NULL: no firewall helper (no pinholes) */
static struct channels channels;

/* pinholes live this long unless refreshed; jumpd refreshes them well before */
#define PINHOLE_TTL_S 60
#define REFRESH_MS 20000
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int64_t mono_ms(void)
{
	return mono_us() / 1000;
}

static struct rate *rate_for(uid_t uid, int64_t now)
{
	struct rate *oldest = &rates[0];
	for (int i = 0; i < RATE_SLOTS; i++) {
		if (rates[i].used && rates[i].uid == uid)
			return &rates[i];
		if (!rates[i].used || rates[i].last_ms < oldest->last_ms)
			oldest = &rates[i];
	}
	*oldest = (struct rate){ .uid = uid, .used = 1, .tokens = CHANNEL_BURST, .last_ms = now,
				 .summary_ms = now - SUMMARY_MS };
	return oldest;
}

/* Audits what was suppressed for this uid, at most once per window. */
static void rate_summary(struct rate *r, int64_t now)
{
	if ((r->suppressed || r->refused) && now - r->summary_ms >= SUMMARY_MS) {
		char uid[16], sup[16], ref[16];
		snprintf(uid, sizeof uid, "%u", (unsigned)r->uid);
		snprintf(sup, sizeof sup, "%u", r->suppressed);
		snprintf(ref, sizeof ref, "%u", r->refused);
		if (event_emit("RATE_LIMITED", "peer_uid", uid, "channels_refused", sup, "connections_refused", ref,
			       "window_ms", "10000", EV_END) == 0)
			r->suppressed = r->refused = 0;
		r->summary_ms = now;
	}
}

/* 1 if this uid may make one more channel request now */
static int channel_allowed(uid_t uid)
{
	int64_t now = mono_ms();
	struct rate *r = rate_for(uid, now);
	r->tokens += (double)(now - r->last_ms) * CHANNEL_PER_SEC / 1000.0;
	if (r->tokens > CHANNEL_BURST)
		r->tokens = CHANNEL_BURST;
	r->last_ms = now;
	rate_summary(r, now);
	if (r->tokens < 1) {
		r->suppressed++;
		return 0;
	}
	r->tokens -= 1;
	return 1;
}

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

static int listen_on(const char *dir, const char *name, char *path, size_t cap)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = snprintf(path, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap || (size_t)n >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, path, (size_t)n + 1);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || chmod(path, 0666) || listen(fd, 64)) {
		fprintf(stderr, "jumpd: cannot listen on %s: %s\n", path, strerror(errno));
		return -1;
	}
	return fd;
}

static void reply(struct conn *c, const struct hook_msg *m)
{
	char line[HOOK_MAX_LINE + 1];
	int n = hook_format(m, line, sizeof line);
	if (n > 0 && send(c->fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
		fprintf(stderr, "jumpd: reply to pid %d lost\n", (int)c->pid);
}

static const char *verdict_name(enum mfa_verdict v)
{
	return v == MFA_ALLOW ? "allow" : v == MFA_CHALLENGE ? "challenge" : "deny";
}

/* Audits a result and turns it into the hook reply. */
static void answer_result(struct conn *c, struct mfa_result *r, const char *user, const char *method,
			  const struct hook_msg *req)
{
	struct hook_msg out;
	char delay[16], limit[16];
	const char *keytype = hook_get(req, "keytype"), *port = hook_get(req, "port"),
		   *connid = hook_get(req, "conn");

	snprintf(delay, sizeof delay, "%u", r->delay_ms);
	int was_allow = r->verdict == MFA_ALLOW;
	if (r->persist && replay_save(&mfa, steps_path)) {
		fprintf(stderr, "jumpd: cannot save %s: %s\n", steps_path, strerror(errno));
		r->verdict = MFA_DENY;
		r->reason = "replay-state-unwritable";
		r->token[0] = 0;
	}
	if (event_emit("AUTH", "user", user, "fp", r->fp, "keytype", keytype ? keytype : "-",
		       "src", r->src, "port", port ? port : "-", "conn", connid ? connid : "-",
		       "method", method, "result", verdict_name(r->verdict), "reason", r->reason,
		       "delay_ms", delay, EV_END) && r->verdict != MFA_DENY) {
		r->verdict = MFA_DENY;
		r->reason = "audit-unavailable";
		r->token[0] = 0;
	}
	if (was_allow && r->verdict != MFA_ALLOW)
		mfa_forget_remembered(&mfa, r->user); /* a login not made durable is not remembered */
	if (r->locked_user) {
		snprintf(limit, sizeof limit, "%u", mfa.user_policy.limit);
		event_emit("LOCKOUT", "user", user, "src", r->src, "scope", "user", "failures", limit,
			   "until", "admin-unlock", EV_END);
	}
	if (r->locked_source) {
		snprintf(limit, sizeof limit, "%u", mfa.source_policy.limit);
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
	reply(c, &out);
}

static void random_bytes(uint8_t *out, size_t n)
{
	if (getrandom(out, n, 0) != (ssize_t)n)
		abort(); /* ids must not be guessable; never go on without randomness */
}

/* Asks the firewall helper to open (or refresh) or close ch's pinhole.
 * Returns 0, or -1 (logged). */
static int pinhole(const struct channel *ch, int open)
{
	struct hook_msg req, rep = { 0 };
	char uid[16], port[8], ttl[8], why[160] = "";
	snprintf(uid, sizeof uid, "%u", ch->uid);
	snprintf(port, sizeof port, "%u", ch->port);
	snprintf(ttl, sizeof ttl, "%d", PINHOLE_TTL_S);
	if (hook_init(&req, open ? "pin" : "unpin") || hook_add(&req, "uid", uid) ||
	    hook_add(&req, "addr", conf.targets[ch->target].addr_text) || hook_add(&req, "port", port) ||
	    (open && hook_add(&req, "ttl", ttl)))
		return -1;
	if (jb_hook_ask(fw_socket, &req, &rep, why, sizeof why) == 0 && !strcmp(rep.verb, "ok"))
		return 0;
	fprintf(stderr, "jumpd: firewall helper: %s %s %s:%s: %s\n", req.verb, uid,
		conf.targets[ch->target].addr_text, port, hook_get(&rep, "reason") ? hook_get(&rep, "reason") : why);
	return -1;
}

static void pinhole_event(const char *msgid, const struct channel *ch, const char *reason)
{
	char uid[16], port[8];
	snprintf(uid, sizeof uid, "%u", ch->uid);
	snprintf(port, sizeof port, "%u", ch->port);
	event_emit(msgid, "user", conf.users[ch->user].name, "uid", uid, "target", conf.targets[ch->target].name,
		   "address", conf.targets[ch->target].addr_text, "port", port, "reason", reason, EV_END);
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
static void channel_closed(struct channel *ch, const char *reason, const char *to_target, const char *from_target)
{
	char port[8], dur[24];
	snprintf(port, sizeof port, "%u", ch->port);
	snprintf(dur, sizeof dur, "%lld", (long long)(mono_ms() - ch->opened_ms));
	event_emit("CHANNEL_CLOSE", "user", conf.users[ch->user].name, "channel", ch->id,
		   "target", conf.targets[ch->target].name, "port", port, "to_target", to_target,
		   "from_target", from_target, "duration_ms", dur, "reason", reason, EV_END);
	if (fw_socket && channels_sharing(&channels, ch) == 0) {
		int failed = pinhole(ch, 0);
		pinhole_event("PINHOLE_CLOSE", ch, failed ? "helper-failed-timeout-closes-it" : reason);
	}
	channel_drop(ch);
}

/* Every REFRESH_MS: channels whose connection process is gone are closed
 * (it was killed, or its close report was lost); live pinholes are
 * refreshed, each once. */
static void refresh_channels(void)
{
	for (int i = 0; i < CHANNELS_MAX; i++) {
		struct channel *ch = &channels.c[i];
		if (!ch->used)
			continue;
		if (process_gone(ch))
			channel_closed(ch, "connection-gone", "-", "-");
	}
	if (!fw_socket)
		return;
	for (int i = 0; i < CHANNELS_MAX; i++) {
		struct channel *ch = &channels.c[i];
		if (ch->used && channels_first_of_pinhole(&channels, ch))
			pinhole(ch, 1);
	}
}

/* `close`: the connection process reports the end of a channel it opened */
static void handle_close(struct conn *c, const struct hook_msg *req)
{
	struct hook_msg out;
	const char *id = hook_get(req, "channel"), *to = hook_get(req, "to_target"), *from = hook_get(req, "from_target");
	struct channel *ch = id ? channels_find(&channels, id) : NULL;
	if (!ch || (c->uid != ch->uid && c->uid != sshd_uid) || !to || !from) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "no such channel");
	} else {
		channel_closed(ch, "closed", to, from);
		hook_init(&out, "ok");
	}
	reply(c, &out);
}

/* `logout`: an authenticated connection ended (Dropbear patch 0007), from
 * the user's own connection process or the SSH server's uid */
static void handle_logout(struct conn *c, const struct hook_msg *req, const char *user)
{
	struct hook_msg out;
	int ui = user ? mfa_user_index(&mfa, user) : -1;
	const char *dur = hook_get(req, "duration_s"), *reason = hook_get(req, "reason");
	char peer[16];
	snprintf(peer, sizeof peer, "%d", (int)c->pid);
	if (ui < 0 || (conf.users[ui].uid != c->uid && c->uid != sshd_uid) || !dur) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "bad-request");
	} else {
		int rc = event_emit("SESSION_CLOSE", "user", user, "conn", peer, "duration_s", dur, "reason",
				    reason ? reason : "-", EV_END);
		hook_init(&out, rc ? "error" : "ok");
	}
	reply(c, &out);
}

/* `service` (init, root on the admin socket): a service exited and is restarted */
static void handle_service(struct conn *c, const struct hook_msg *req)
{
	struct hook_msg out;
	const char *name = hook_get(req, "name"), *status = hook_get(req, "status"),
		   *restarts = hook_get(req, "restarts"), *in = hook_get(req, "restart_in_s");
	if (c->uid != 0 || !name || !status) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "bad-request");
	} else {
		int rc = event_emit("SERVICE_RESTART", "service", name, "status", status, "restarts",
				    restarts ? restarts : "-", "restart_in_s", in ? in : "-", EV_END);
		hook_init(&out, rc ? "error" : "ok");
	}
	reply(c, &out);
}

static const char *user_of_uid(const char *uid_text)
{
	char *end;
	unsigned long uid = strtoul(uid_text, &end, 10);
	if (*uid_text && !*end)
		for (unsigned i = 0; i < conf.nusers; i++)
			if (conf.users[i].uid == uid)
				return conf.users[i].name;
	return "-";
}

/* `egress` (firewall helper): packets the policy dropped on the way out */
static void handle_egress(struct conn *c, const struct hook_msg *req)
{
	struct hook_msg out;
	const char *uid = hook_get(req, "uid"), *addr = hook_get(req, "addr"), *proto = hook_get(req, "proto"),
		   *port = hook_get(req, "port"), *count = hook_get(req, "count");
	if (!uid || !addr || !proto || !port || !count) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "malformed");
	} else {
		int rc = event_emit("EGRESS_BLOCKED", "uid", uid, "user", user_of_uid(uid), "address", addr,
				    "proto", proto, "port", port, "count", count, "window_s", "10", EV_END);
		hook_init(&out, rc ? "error" : "ok");
	}
	reply(c, &out);
}

/* `collector` (shipper): the connection to the syslog collector changed */
static void handle_collector(struct conn *c, const struct hook_msg *req)
{
	struct hook_msg out;
	const char *state = hook_get(req, "state"), *reason = hook_get(req, "reason"),
		   *backlog = hook_get(req, "backlog"), *seq = hook_get(req, "seq");
	if (!state || (strcmp(state, "up") != 0 && strcmp(state, "down") != 0)) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "malformed");
	} else {
		int rc = event_emit(!strcmp(state, "up") ? "COLLECTOR_UP" : "COLLECTOR_DOWN", "reason",
				    reason ? reason : "-", "backlog", backlog ? backlog : "-", "delivered_seq",
				    seq ? seq : "-", EV_END);
		hook_init(&out, rc ? "error" : "ok");
	}
	reply(c, &out);
}

/* `targets` (a user's jump menu): what this user may reach now, by policy,
 * MENU_PAGE at a time from `offset`: ta, tb, ... = "name address port,port" */
#define MENU_PAGE 6
static void handle_targets(struct conn *c, const struct hook_msg *req, const char *user)
{
	struct hook_msg out;
	const char *off_s = hook_get(req, "offset");
	char *end = NULL;
	unsigned long off = off_s ? strtoul(off_s, &end, 10) : 0;
	int ui = mfa_user_index(&mfa, user);
	unsigned total = 0, shown = 0;
	int64_t now = (int64_t)time(NULL);

	if (ui < 0 || conf.users[ui].uid != c->uid || (off_s && (!*off_s || *end))) {
		hook_init(&out, "error");
		hook_add(&out, "reason", "bad-request");
		reply(c, &out);
		return;
	}
	hook_init(&out, "ok");
	for (unsigned t = 0; t < conf.ntargets; t++) {
		const struct siteconf_target *tg = &conf.targets[t];
		uint16_t ports[SITECONF_MAX_PORTS] = { 22 }; /* none in the file: 22 */
		unsigned nports = tg->nports ? tg->nports : 1u;
		char list[64] = "";
		if (tg->nports)
			memcpy(ports, tg->ports, sizeof ports);
		for (unsigned i = 0; i < nports; i++) {
			struct policy_result r;
			policy_decide(&conf, (unsigned)ui, tg->name, ports[i], now, &r);
			if (r.allow)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", list[0] ? "," : "", ports[i]);
		}
		if (!list[0])
			continue;
		if (total >= off && shown < MENU_PAGE) {
			char key[8], val[HOOK_MAX_VALUE + 1];
			snprintf(key, sizeof key, "t%c", 'a' + shown++); /* keys are [a-z_] */
			snprintf(val, sizeof val, "%s %s %s", tg->name, tg->addr_text, list);
			hook_add(&out, key, val);
		}
		total++;
	}
	char total_s[16];
	snprintf(total_s, sizeof total_s, "%u", total);
	hook_add(&out, "total", total_s);
	reply(c, &out);
}

/* A direct-tcpip channel: policy decides; the reply names the address to
 * connect to (from the config: the client's name is never resolved). */
static void handle_channel(struct conn *c, const struct hook_msg *req, const char *user)
{
	struct policy_result r;
	struct hook_msg out;
	char port_s[8];
	const char *host = hook_get(req, "host"), *port = hook_get(req, "port"), *conn = hook_get(req, "conn");
	char *end = NULL;
	unsigned long port_n = port ? strtoul(port, &end, 10) : 0;
	int ui = mfa_user_index(&mfa, user);

	if (ui < 0 || conf.users[ui].uid != c->uid || !host || !port || !end || *end || port_n == 0 || port_n > 65535) {
		event_emit("HOOK_ERROR", "reason", "bad channel request", "user", user, EV_END);
		hook_init(&out, "deny");
		hook_add(&out, "reason", "bad-request");
		reply(c, &out);
		return;
	}
	policy_decide(&conf, (unsigned)ui, host, (unsigned)port_n, (int64_t)time(NULL), &r);
	snprintf(port_s, sizeof port_s, "%lu", port_n);
	const char *target = r.target >= 0 ? conf.targets[r.target].name : "-";
	char peer[32], pin_us[24] = "-";
	struct channel *ch = NULL;
	snprintf(peer, sizeof peer, "%d", (int)c->pid); /* from SO_PEERCRED, not the request */
	if (r.allow && channels_of_uid(&channels, conf.users[ui].uid) >= CHANNELS_PER_USER) {
		r.allow = 0;
		r.reason = "too-many-channels";
	}
	if (r.allow) {
		uint8_t rnd[8];
		random_bytes(rnd, sizeof rnd);
		ch = channels_add(&channels, conf.users[ui].uid, (unsigned)ui, r.target, conf.targets[r.target].addr,
				  (unsigned)port_n, c->pid, mono_ms(), rnd);
		if (!ch) {
			r.allow = 0;
			r.reason = "too-many-channels";
		} else {
			ch->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0); /* -1: fall back to the pid */
		}
	}
	int new_pinhole = r.allow && channels_sharing(&channels, ch) == 0;
	if (r.allow && fw_socket) {
		/* the pinhole exists before the client hears yes */
		int64_t t0 = mono_us();
		if (pinhole(ch, 1)) {
			r.allow = 0;
			r.reason = "firewall-unavailable";
		}
		snprintf(pin_us, sizeof pin_us, "%lld", (long long)(mono_us() - t0));
	}
	if (event_emit("CHANNEL", "user", user, "host", host, "port", port_s, "target", target,
		       "grant", r.grant >= 0 ? conf.grants[r.grant].name : "-", "conn", conn ? conn : "-", "peer_pid", peer,
		       "result", r.allow ? "allow" : "deny", "reason", r.reason, "channel", r.allow ? ch->id : "-",
		       "pinhole_us", pin_us, EV_END) && r.allow) {
		r.allow = 0;
		r.reason = "audit-unavailable";
	}
	if (r.allow && new_pinhole && fw_socket)
		pinhole_event("PINHOLE_OPEN", ch, "channel");
	if (!r.allow && ch) {
		if (fw_socket && new_pinhole && strcmp(r.reason, "firewall-unavailable") != 0)
			pinhole(ch, 0);
		channel_drop(ch);
	}
	hook_init(&out, r.allow ? "allow" : "deny");
	hook_add(&out, "reason", r.reason);
	if (r.allow) {
		hook_add(&out, "target", target);
		hook_add(&out, "address", conf.targets[r.target].addr_text);
		hook_add(&out, "port", port_s);
		hook_add(&out, "channel", ch->id);
	}
	reply(c, &out);
}

static void handle_auth(struct conn *c, const struct hook_msg *req)
{
	struct mfa_result r;
	struct mfa_clock now;
	uint8_t rnd[16];
	const char *user = hook_get(req, "user");

	if (c->uid == fw_uid || c->uid == ship_uid) {
		if (c->uid == fw_uid && !strcmp(req->verb, "egress"))
			handle_egress(c, req);
		else if (c->uid == ship_uid && !strcmp(req->verb, "collector"))
			handle_collector(c, req);
		else {
			struct hook_msg out;
			hook_init(&out, "error");
			hook_add(&out, "reason", "bad-request");
			reply(c, &out);
		}
		return;
	}
	/* what a user's own processes may send is braked like channel requests,
	 * so none of it can flood the spool (the SSH server's uid is not braked) */
	if (c->uid != sshd_uid && (!strcmp(req->verb, "close") || !strcmp(req->verb, "logout") ||
				   !strcmp(req->verb, "targets")) && !channel_allowed(c->uid)) {
		struct hook_msg out;
		hook_init(&out, "error");
		hook_add(&out, "reason", "rate-limited");
		reply(c, &out);
		return;
	}
	if (!strcmp(req->verb, "close")) {
		handle_close(c, req);
		return;
	}
	if (!strcmp(req->verb, "logout")) {
		handle_logout(c, req, user);
		return;
	}
	if (user && !strcmp(req->verb, "targets")) {
		handle_targets(c, req, user);
		return;
	}
	if (user && !strcmp(req->verb, "channel")) {
		if (channel_allowed(c->uid)) {
			handle_channel(c, req, user);
		} else {
			struct hook_msg out;
			hook_init(&out, "deny");
			hook_add(&out, "reason", "rate-limited");
			reply(c, &out);
		}
		return;
	}
	if (c->uid != sshd_uid) {
		struct hook_msg out;
		char uid[16];
		snprintf(uid, sizeof uid, "%u", (unsigned)c->uid);
		event_emit("HOOK_REFUSED", "socket", "auth", "peer_uid", uid, "verb", req->verb, EV_END);
		hook_init(&out, "deny");
		hook_add(&out, "reason", "not-the-ssh-server");
		reply(c, &out);
		return;
	}
	clock_now(&now);
	random16(rnd);
	if (!strcmp(req->verb, "pubkey") && user && hook_get(req, "fp") && hook_get(req, "src")) {
		mfa_pubkey(&mfa, user, hook_get(req, "fp"), hook_get(req, "src"), &now, rnd, &r);
		answer_result(c, &r, user, "publickey", req);
	} else if (!strcmp(req->verb, "answer") && user && hook_get(req, "token") && hook_get(req, "code")) {
		mfa_answer(&mfa, user, hook_get(req, "token"), hook_get(req, "code"), &now, rnd, &r);
		answer_result(c, &r, user, "keyboard-interactive", req);
	} else {
		struct hook_msg out;
		event_emit("HOOK_ERROR", "peer_pid", "-", "reason", "unknown request", "verb", req->verb, EV_END);
		hook_init(&out, "deny");
		hook_add(&out, "reason", "bad-request");
		reply(c, &out);
	}
}

static int is_user(uid_t uid)
{
	for (unsigned i = 0; i < conf.nusers; i++)
		if (conf.users[i].uid == uid)
			return 1;
	return 0;
}

static int is_admin(uid_t uid)
{
	if (uid == 0)
		return 1;
	for (unsigned i = 0; i < conf.nusers; i++)
		if (conf.users[i].uid == uid && conf.users[i].admin)
			return 1;
	return 0;
}

static void handle_ctl(struct conn *c, const struct hook_msg *req)
{
	struct hook_msg out;
	char by[16];
	const char *user = hook_get(req, "user"), *src = hook_get(req, "src");

	snprintf(by, sizeof by, "%u", (unsigned)c->uid);
	if (!strcmp(req->verb, "unlock") && (user || src) && !(user && src)) {
		/* audited first: an unlock that cannot be recorded is not done */
		int rc = event_emit("UNLOCK", user ? "user" : "src", user ? user : src, "by_uid", by, EV_END)
			 ? -2 : user ? mfa_unlock_user(&mfa, user) : mfa_unlock_source(&mfa, src);
		hook_init(&out, rc ? "error" : "ok");
		if (rc)
			hook_add(&out, "reason", rc == -2 ? "audit spool not writable"
					 : user ? "no such user" : "no record of that source address");
	} else if (!strcmp(req->verb, "service")) {
		handle_service(c, req);
		return;
	} else if (!strcmp(req->verb, "status")) {
		char locked[HOOK_MAX_VALUE + 1] = "";
		size_t len = 0;
		int64_t now = mono_ms();
		for (unsigned i = 0; i < conf.nusers; i++)
			if (guard_locked(&mfa.user_guard[i], now) && len + strlen(conf.users[i].name) + 2 < sizeof locked)
				len += (size_t)snprintf(locked + len, sizeof locked - len, "%s%s", len ? "," : "",
							conf.users[i].name);
		hook_init(&out, "ok");
		hook_add(&out, "locked_users", locked);
		len = 0;
		locked[0] = 0;
		for (int i = 0; i < MFA_MAX_SOURCES; i++) {
			struct mfa_source *s = &mfa.sources[i];
			if (s->addr[0] && guard_locked(&s->g, now) && len + strlen(s->addr) + 2 < sizeof locked)
				len += (size_t)snprintf(locked + len, sizeof locked - len, "%s%s", len ? "," : "", s->addr);
		}
		hook_add(&out, "locked_sources", locked);
	} else {
		hook_init(&out, "error");
		hook_add(&out, "reason", "unknown command");
	}
	reply(c, &out);
}

static void serve(struct conn *c)
{
	struct hook_msg req;
	if (hook_parse(c->buf, c->len, &req)) {
		struct hook_msg out;
		event_emit("HOOK_ERROR", "peer_uid", "-", "reason", "malformed request", EV_END);
		hook_init(&out, c->kind == AUTH_SOCK ? "deny" : "error");
		hook_add(&out, "reason", "malformed");
		reply(c, &out);
		return;
	}
	if (c->kind == AUTH_SOCK)
		handle_auth(c, &req);
	else
		handle_ctl(c, &req);
}

static void close_conn(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

static void accept_one(int lfd, enum kind kind)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    (kind == AUTH_SOCK ? cred.uid != sshd_uid && cred.uid != fw_uid && cred.uid != ship_uid && !is_user(cred.uid)
			       : !is_admin(cred.uid))) {
		char uid[16];
		int64_t now = mono_ms();
		struct rate *r = rate_for(cred.uid, now);
		snprintf(uid, sizeof uid, "%u", (unsigned)cred.uid);
		r->last_ms = now;
		/* the first in a window is recorded as itself, the rest summed up */
		if (now - r->summary_ms >= SUMMARY_MS && !r->refused) {
			event_emit("HOOK_REFUSED", "socket", kind == AUTH_SOCK ? "auth" : "ctl", "peer_uid", uid, EV_END);
			r->summary_ms = now;
		} else {
			r->refused++;
			rate_summary(r, now);
		}
		if (kind == CTL_SOCK) {
			struct conn tmp = { .fd = fd };
			struct hook_msg out;
			hook_init(&out, "error");
			hook_add(&out, "reason", "not an admin");
			reply(&tmp, &out);
		}
		close(fd);
		return;
	}
	/* a user's (or any other non-SSH-server) processes may hold only a few
	 * slots, and only half of them together: the SSH server's logins always
	 * find room, whatever a logged-in user's processes keep open */
	unsigned mine = 0, others = 0;
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd < 0 || conns[i].uid == sshd_uid)
			continue;
		others++;
		mine += conns[i].uid == cred.uid;
	}
	if (cred.uid != sshd_uid && (mine >= SLOTS_PER_UID || others >= MAX_CONNS / 2)) {
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i].fd < 0) {
			conns[i] = (struct conn){ .fd = fd, .kind = kind, .uid = cred.uid, .pid = cred.pid,
						  .deadline = mono_ms() + CONN_TIMEOUT_MS };
			return;
		}
	}
	close(fd); /* full: the client fails closed */
}

static void read_conn(struct conn *c)
{
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		close_conn(c);
		return;
	}
	c->len += (size_t)r;
	if (memchr(c->buf, '\n', c->len)) {
		serve(c);
		close_conn(c);
	} else if (c->len == sizeof c->buf) {
		close_conn(c);
	}
}

/* the image's version, for every audit record */
static const char *image_version(void)
{
	static char v[96] = "unknown";
	FILE *f = fopen("/etc/jumpbox-version", "re");
	if (f) {
		if (fgets(v, sizeof v, f))
			v[strcspn(v, "\n")] = 0;
		fclose(f);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: jumpd -c CONFIG -s STATEDIR -r RUNDIR -u SSHD_UID [-f FW_SOCKET -w FW_UID] [-x SHIP_UID]\n"
			"       jumpd -R REFUSAL -s STATEDIR -r RUNDIR -u SSHD_UID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *config = NULL, *statedir = NULL, *rundir = NULL;
	char path[512], auth_path[256], ctl_path[256], err[320];
	struct siteconf_error cerr;
	int opt;

	const char *refusal = NULL;
	while ((opt = getopt(argc, argv, "c:s:r:u:f:w:x:R:")) != -1) {
		switch (opt) {
		case 'R': refusal = optarg; break;
		case 'f': fw_socket = optarg; break;
		case 'w': fw_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'x': ship_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'c': config = optarg; break;
		case 's': statedir = optarg; break;
		case 'r': rundir = optarg; break;
		case 'u': sshd_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!(config || refusal) || (config && refusal) || !statedir || !rundir || !sshd_uid ||
	    (fw_socket && fw_uid == (uid_t)-1))
		usage();
	umask(077);
	{
		/* a pidfd per open channel: room for the whole table */
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (refusal) {
		siteconf_defaults(&conf); /* no user: every request is refused */
		config = "-";
	} else if (siteconf_load(&conf, config, &cerr)) {
		fprintf(stderr, "jumpd: %s:%u: %s\n", cerr.file, cerr.line, cerr.msg);
		return 1;
	}
	mfa_init(&mfa, &conf);
	snprintf(steps_path, sizeof steps_path, "%s/totp-steps", statedir);
	if (replay_load(&mfa, steps_path, err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to start: TOTP replay state %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/audit.spool", statedir);
	long torn = 0;
	event_set_fail_closed(conf.fail_closed);
	if (event_open(path, conf.hostname, image_version(), (off_t)conf.spool_max_bytes, &torn, err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to start: audit spool %s\n", err);
		return 1;
	}
	if (torn)
		fprintf(stderr, "jumpd: audit spool recovered: %ld torn bytes after the last whole record removed\n", torn);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int afd = listen_on(rundir, "auth.sock", auth_path, sizeof auth_path);
	int cfd = listen_on(rundir, "ctl.sock", ctl_path, sizeof ctl_path);
	if (afd < 0 || cfd < 0)
		return 1;
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	char nusers[16];
	snprintf(nusers, sizeof nusers, "%u", conf.nusers);
	char torn_s[24];
	snprintf(torn_s, sizeof torn_s, "%ld", torn);
	/* a previous jumpd's pinholes belong to channels nobody tracks now */
	const char *flushed = "no-firewall-helper";
	if (fw_socket) {
		struct hook_msg req, rep = { 0 };
		char why[160] = "";
		hook_init(&req, "flush");
		/* init starts the helper alongside: give it a few seconds to listen */
		for (int i = 0; i < 50; i++) {
			if (jb_hook_ask(fw_socket, &req, &rep, why, sizeof why) == 0) {
				flushed = !strcmp(rep.verb, "ok") ? "yes" : "failed";
				break;
			}
			flushed = "failed";
			usleep(100000);
		}
		if (strcmp(flushed, "yes") != 0)
			fprintf(stderr, "jumpd: firewall helper did not flush the pinholes: %s\n", why);
	}
	if (event_emit("JUMPD_START", "config", config, "users", nusers, "spool_torn_bytes", torn_s,
		       "pinholes_flushed", flushed, EV_END)) {
		fprintf(stderr, "jumpd: refusing to start: event log not writable\n");
		return 1;
	}
	if (refusal && event_emit("CONFIG_REFUSED", "reason", refusal, EV_END)) {
		fprintf(stderr, "jumpd: the config refusal could not be audited\n");
		return 1;
	}
	int64_t next_refresh = mono_ms() + REFRESH_MS;
	while (!stop) {
		struct pollfd p[MAX_CONNS + 2];
		struct conn *owner[MAX_CONNS + 2];
		int n = 0;
		p[n++] = (struct pollfd){ .fd = afd, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = cfd, .events = POLLIN };
		int64_t now = mono_ms();
		for (int i = 0; i < MAX_CONNS; i++) {
			if (conns[i].fd < 0)
				continue;
			if (conns[i].deadline <= now) {
				close_conn(&conns[i]);
				continue;
			}
			owner[n] = &conns[i];
			p[n++] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
		}
		if (poll(p, (nfds_t)n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "jumpd: poll: %s\n", strerror(errno));
			return 1;
		}
		for (int i = 2; i < n; i++)
			if (p[i].revents)
				read_conn(owner[i]);
		if (p[0].revents & POLLIN)
			accept_one(afd, AUTH_SOCK);
		if (p[1].revents & POLLIN)
			accept_one(cfd, CTL_SOCK);
		if (mono_ms() >= next_refresh) {
			refresh_channels();
			next_refresh = mono_ms() + REFRESH_MS;
		}
	}
	event_emit("JUMPD_STOP", "reason", "signal", EV_END);
	unlink(auth_path);
	unlink(ctl_path);
	return 0;
}
