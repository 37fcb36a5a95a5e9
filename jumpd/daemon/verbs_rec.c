/* verbs_rec: the recorder's requests (jumprec, peer class PEER_REC: the
 * recorder's uid). `rec_open` decides a recorded session (policy.c: the
 * user has a live login, conn= is that login or under it, and a grant
 * names the target and the account; the target's access is recorded or
 * both) and enters the session in the table (recsessions.h); the
 * recorder's uid is pinned to the target once REC_OPEN is durable, and the
 * yes follows PINHOLE_OPEN's sync (verbs_settle.c: a failure there forgets
 * the session and revokes the pinhole); `rec_start`, `rec_mark`, `rec_end`,
 * `command` and `file` are the session's audit anchors and reports
 * (COMMAND and FILE through the session's bucket); `rec_end` forgets it and
 * closes the pinhole with the target's last session. `rec_admin` answers
 * whether a uid may watch, end or set up recorded sessions (an admin or
 * root). Every record is written before the answer (REC_OPEN, REC_DENIED,
 * REC_START, REC_CHECKPOINT, REC_END, COMMAND, FILE, REC_ADMIN,
 * RATE_LIMITED, PINHOLE_OPEN/CLOSE); docs/hook-protocol.md has the lines. */
#include "brake.h"
#include "event.h"
#include "policy.h"
#include "verbs.h"
#include "../common/hex.h"
#include "../common/siteconf_rec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* the request fields counted in uint64_t: at most 20 digits */
static int decimal_text20(const char *s)
{
	return decimal_text(s, 20);
}

/* s is one of the '|'-separated words of list */
static int one_of(const char *s, const char *list)
{
	size_t n = s ? strlen(s) : 0;
	for (const char *p = list; s && n; p = strchr(p, '|') + 1) {
		if (!strncmp(p, s, n) && (p[n] == '|' || p[n] == 0))
			return 1;
		if (!strchr(p, '|'))
			break;
	}
	return 0;
}

/* a request jumpd cannot take (bad fields, a session it does not know):
 * refused, the refusal recorded and braked like the verb table's */
static void refuse(struct conn *c, const char *verb, const char *reply, const char *why)
{
	if (brake_refusal(c->uid, REFUSED_VERB, mono_ms()))
		verbs_hook_error(c, why, verb, NULL);
	conn_reply_reason(c, reply, why);
}

/* the reply to a report: ok once its record is written */
static void reported(struct conn *c, int rc)
{
	conn_reply_reason(c, rc ? "error" : "ok", rc ? "audit-unavailable" : NULL);
}

/* the refusals of s's reports not yet summed, if due (or force) */
static void rate_summary(const struct jumpd *jd, struct rec_session *s, int64_t now, int force)
{
	unsigned n = recs_summary_due(s, now, force);
	char uid[16], count[16], window[16];
	if (!n)
		return;
	snprintf(uid, sizeof uid, "%u", (unsigned)jd->rec_uid);
	snprintf(count, sizeof count, "%u", n);
	snprintf(window, sizeof window, "%d", RECS_WINDOW_MS);
	event_emit("RATE_LIMITED", "peer_uid", uid, "session", s->id, "user", jd->conf.users[s->user].name,
		   "reports_refused", count, "window_ms", window, EV_END);
}

static void host_keys(const struct siteconf_target *tg, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
	for (unsigned i = 0; i < tg->nhost_keys && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", tg->host_keys[i]);
	if (!out[0])
		snprintf(out, cap, "-");
}

/* the decision of rec_open; on allow, *sp is the new session */
static void rec_decide(struct jumpd *jd, int ui, const char *selector, const char *mode, const char *conn,
		       struct policy_result *r, struct rec_session **sp, int *new_pinhole)
{
	uint8_t rnd[8];
	*sp = NULL;
	/* conn: the recorder's peer (the stub, SO_PEERCRED) must be that
	 * user's live login or its descendant, not any process of the user */
	const char *why = ui < 0 ? "unknown-user" : sessions_of_user(&jd->sessions, (unsigned)ui) == 0 ? "no-session"
		: !decimal_text(conn, 10) || !sessions_of_process(&jd->sessions, (unsigned)ui, (pid_t)strtol(conn, NULL, 10))
		? "conn-not-a-session-of-user" : NULL;
	if (why) {
		memset(r, 0, sizeof *r);
		r->target = r->grant = -1;
		r->reason = why;
		return;
	}
	policy_decide_recorded(&jd->conf, (unsigned)ui, selector, (int64_t)time(NULL), r);
	if (!r->allow)
		return;
	const struct siteconf_target *tg = &jd->conf.targets[r->target];
	if (tg->nhost_keys == 0) {
		r->allow = 0;
		r->reason = "no-host-key";
		return;
	}
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		abort(); /* ids must not be guessable */
	*sp = recs_add(&jd->recs, (unsigned)ui, (unsigned)r->target, r->account, mode, tg->ports[0], mono_ms(), rnd);
	if (!*sp) {
		r->allow = 0;
		r->reason = "too-many-sessions";
		return;
	}
	/* its pinhole opens once REC_OPEN is durable (pinholes_settle) */
	*new_pinhole = recs_sharing(&jd->recs, *sp, (*sp)->target, (*sp)->port) == 0;
}

/* `rec_open uid= target=SELECTOR mode= [conn=]` */
void verb_rec_open(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *uid = hook_get(req, "uid"), *selector = hook_get(req, "target"), *mode = hook_get(req, "mode"),
		   *conn = hook_get(req, "conn");
	if (!decimal_text20(uid) || !selector || !one_of(mode, "shell|exec|sftp")) {
		refuse(c, req->verb, "deny", "bad-request");
		return;
	}
	int ui = jumpd_user_index(jd, (uid_t)strtoul(uid, NULL, 10));
	const char *user = ui >= 0 ? jd->conf.users[ui].name : "-";
	struct policy_result r;
	struct rec_session *s;
	int new_pinhole = 0;
	rec_decide(jd, ui, selector, mode, conn, &r, &s, &new_pinhole);
	const char *target = r.target >= 0 ? jd->conf.targets[r.target].name : selector;
	if (r.allow) {
		if (event_emit("REC_OPEN", "user", user, "target", target, "account", s->account, "mode", mode,
			       "session", s->id, "conn", conn ? conn : "-", EV_END)) {
			r.allow = 0;
			r.reason = "audit-unavailable";
		}
	}
	if (!r.allow) {
		event_emit("REC_DENIED", "user", user, "target", target, "mode", mode, "reason", r.reason, "conn",
			   conn ? conn : "-", EV_END);
		if (s)
			recs_remove(&jd->recs, s); /* nothing was opened for it */
		conn_reply_reason(c, "deny", r.reason);
		return;
	}
	const struct siteconf_target *tg = &jd->conf.targets[s->target];
	char port[8], keys[HOOK_MAX_VALUE + 1];
	struct hook_msg out;
	snprintf(port, sizeof port, "%u", s->port);
	host_keys(tg, keys, sizeof keys);
	hook_init(&out, "allow");
	hook_add(&out, "session", s->id);
	hook_add(&out, "target", tg->name);
	hook_add(&out, "account", s->account);
	hook_add(&out, "address", tg->addr_text);
	hook_add(&out, "port", port);
	hook_add(&out, "hostkey", keys);
	hook_add(&out, "input", tg->record_input ? "yes" : "no");
	conn_reply(c, &out);
	c->pend_kind = PEND_REC; /* its pinhole, then its yes: pinholes_settle */
	c->pend_rec = s;
	c->pend_fresh = new_pinhole;
}

void rec_unmade(struct jumpd *jd, struct rec_session *s, const char *why)
{
	event_emit("REC_DENIED", "user", jd->conf.users[s->user].name, "target", jd->conf.targets[s->target].name,
		   "mode", s->mode, "reason", why, "conn", "-", "session", s->id, EV_END);
	recs_remove(&jd->recs, s);
}

void rec_lost(struct jumpd *jd, struct rec_session *s)
{
	unsigned target = s->target, port = s->port, user = s->user;
	rec_unmade(jd, s, "reply-lost");
	if (jd->fw_socket && recs_sharing(&jd->recs, NULL, target, port) == 0)
		pinhole_revoke(jd, (uint32_t)jd->rec_uid, target, port, jd->conf.users[user].name, "reply-lost");
}

/* the live session a report names, or NULL (refused: unknown-session) */
static struct rec_session *session_of(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *id = hook_get(req, "session");
	struct rec_session *s = hex_text(id, REC_ID_LEN) ? recs_find(&jd->recs, id) : NULL;
	if (!s)
		refuse(c, req->verb, "error", "unknown-session");
	return s;
}

/* `rec_start session= cols= rows= [cmd=]` */
void verb_rec_start(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *cols = hook_get(req, "cols"), *rows = hook_get(req, "rows"), *cmd = hook_get(req, "cmd");
	struct rec_session *s = session_of(jd, c, req);
	if (!s)
		return;
	if (!decimal_text20(cols) || !decimal_text20(rows)) {
		refuse(c, req->verb, "error", "bad-request");
		return;
	}
	reported(c, event_emit("REC_START", "session", s->id, "user", jd->conf.users[s->user].name, "target",
			       jd->conf.targets[s->target].name, "account", s->account, "mode", s->mode, "cols", cols,
			       "rows", rows, "cmd", cmd ? cmd : "-", EV_END));
}

/* `rec_mark session= chunk= bytes= chain=` */
void verb_rec_mark(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *chunk = hook_get(req, "chunk"), *bytes = hook_get(req, "bytes"), *chain = hook_get(req, "chain");
	struct rec_session *s = session_of(jd, c, req);
	if (!s)
		return;
	if (!decimal_text20(chunk) || !decimal_text20(bytes) || !hex_text(chain, 64)) {
		refuse(c, req->verb, "error", "bad-request");
		return;
	}
	reported(c, event_emit("REC_CHECKPOINT", "session", s->id, "chunk", chunk, "bytes", bytes, "chain", chain,
			       EV_END));
}

/* `rec_end session= chunks= bytes= chain= duration_ms= exit= reason=`. A
 * session jumpd does not know is refused, but for reason=recovered: after a
 * power cut neither jumpd nor the recorder has its entry, and its REC_END
 * is still what anchors the recording */
void verb_rec_end(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *id = hook_get(req, "session"), *chunks = hook_get(req, "chunks"), *bytes = hook_get(req, "bytes"),
		   *chain = hook_get(req, "chain"), *dur = hook_get(req, "duration_ms"), *exit_s = hook_get(req, "exit"),
		   *reason = hook_get(req, "reason");
	struct rec_session *s = hex_text(id, REC_ID_LEN) ? recs_find(&jd->recs, id) : NULL;
	if (!hex_text(id, REC_ID_LEN) || !decimal_text20(chunks) || !decimal_text20(bytes) || !hex_text(chain, 64) ||
	    !decimal_text20(dur) || !exit_s || !reason) {
		refuse(c, req->verb, "error", "bad-request");
		return;
	}
	if (!s && strcmp(reason, "recovered") != 0) {
		refuse(c, req->verb, "error", "unknown-session");
		return;
	}
	if (s)
		rate_summary(jd, s, mono_ms(), 1);
	int rc = event_emit("REC_END", "session", id, "chunks", chunks, "bytes", bytes, "chain", chain, "duration_ms",
			    dur, "exit", exit_s, "reason", reason, EV_END);
	if (rc) {
		reported(c, rc); /* still live: the recorder retries or ends it fail-closed */
		return;
	}
	if (s) {
		if (jd->fw_socket && recs_sharing(&jd->recs, s, s->target, s->port) == 0) {
			int failed = jumpd_pinhole(jd, (uint32_t)jd->rec_uid, jd->conf.targets[s->target].addr_text,
						   s->port, 0);
			pinhole_record(jd, "PINHOLE_CLOSE", (uint32_t)jd->rec_uid, s->target, s->port,
				       jd->conf.users[s->user].name, failed ? "helper-failed-timeout-closes-it" : "recorded-end",
				       NULL);
		}
		recs_remove(&jd->recs, s);
	}
	reported(c, 0);
}

/* command and file: through the session's bucket; refusals summed */
static struct rec_session *report_session(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	struct rec_session *s = session_of(jd, c, req);
	int64_t now = mono_ms();
	if (!s)
		return NULL;
	rate_summary(jd, s, now, 0);
	if (!recs_take(s, now)) {
		conn_reply_reason(c, "deny", "rate-limited");
		return NULL;
	}
	return s;
}

/* `command session= line= kind=exec|typed truncated=0|1` */
void verb_command(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *line = hook_get(req, "line"), *kind = hook_get(req, "kind"), *trunc = hook_get(req, "truncated");
	if (!line || !one_of(kind, "exec|typed") || !one_of(trunc, "0|1")) {
		refuse(c, req->verb, "deny", "bad-request");
		return;
	}
	struct rec_session *s = report_session(jd, c, req);
	if (!s)
		return;
	int rc = event_emit("COMMAND", "session", s->id, "user", jd->conf.users[s->user].name, "target",
			    jd->conf.targets[s->target].name, "kind", kind, "line", line, "truncated", trunc, EV_END);
	conn_reply_reason(c, rc ? "deny" : "ok", rc ? "audit-unavailable" : NULL);
}

/* `file session= dir=upload|download path= size=N|- sha256=HEX|- proto=scp|sftp|rsync [reason=]` */
void verb_file(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *dir = hook_get(req, "dir"), *path = hook_get(req, "path"), *size = hook_get(req, "size"),
		   *sha = hook_get(req, "sha256"), *proto = hook_get(req, "proto"), *reason = hook_get(req, "reason");
	if (!one_of(dir, "upload|download") || !path || !(decimal_text20(size) || one_of(size, "-")) ||
	    !(hex_text(sha, 64) || one_of(sha, "-")) || !one_of(proto, "scp|sftp|rsync")) {
		refuse(c, req->verb, "deny", "bad-request");
		return;
	}
	struct rec_session *s = report_session(jd, c, req);
	if (!s)
		return;
	int rc = event_emit("FILE", "session", s->id, "user", jd->conf.users[s->user].name, "target",
			    jd->conf.targets[s->target].name, "proto", proto, "dir", dir, "path", path, "size", size,
			    "sha256", sha, reason ? "reason" : EV_END, reason, EV_END);
	conn_reply_reason(c, rc ? "deny" : "ok", rc ? "audit-unavailable" : NULL);
}

/* `rec_admin uid= action=list|watch|end|target-key|target-pin session= target=` */
void verb_rec_admin(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *uid = hook_get(req, "uid"), *action = hook_get(req, "action"), *id = hook_get(req, "session"),
		   *target = hook_get(req, "target");
	if (!decimal_text20(uid) || !one_of(action, "list|watch|end|target-key|target-pin")) {
		refuse(c, req->verb, "deny", "bad-request");
		return;
	}
	uid_t u = (uid_t)strtoul(uid, NULL, 10);
	const char *admin = u == 0 ? "root" : jumpd_user_of_uid(jd, uid);
	int is_admin = jumpd_is_admin(jd, u), keyed = !strncmp(action, "target-", 7);
	int t = keyed && target ? siteconf_find_target(&jd->conf, target) : -1;
	struct rec_session *s = id && hex_text(id, REC_ID_LEN) ? recs_find(&jd->recs, id) : NULL;
	const char *reason = !is_admin ? "not-admin" : keyed && t < 0 ? "unknown-target" : NULL;
	if (!reason && (!strcmp(action, "watch") || !strcmp(action, "end")) && !hex_text(id, REC_ID_LEN))
		reason = "bad-request";
	/* list is a read; the rest (and every refusal) is recorded */
	if ((reason || strcmp(action, "list") != 0) &&
	    event_emit("REC_ADMIN", "admin", admin, "uid", uid, "action", action, "session", id ? id : "-", "target",
		       t >= 0 ? jd->conf.targets[t].name : s ? jd->conf.targets[s->target].name : "-", "result",
		       reason ? "deny" : "allow", "reason", reason ? reason : "admin", EV_END) &&
	    !reason)
		reason = "audit-unavailable";
	if (reason) {
		conn_reply_reason(c, "deny", reason);
		return;
	}
	struct hook_msg out;
	char port[8], keys[HOOK_MAX_VALUE + 1];
	hook_init(&out, "allow");
	if (!strcmp(action, "target-key")) {
		/* the authorized_keys line's from=: where the box's connections come from */
		char addr[48];
		snprintf(port, sizeof port, "%u", jd->conf.ssh_port);
		hook_add(&out, "address", jumpd_box_address(jd, addr, sizeof addr));
		hook_add(&out, "port", port);
	} else if (!strcmp(action, "target-pin")) {
		const struct siteconf_target *tg = &jd->conf.targets[t];
		/* the pinhole for the recorder's fetch of the host key opens once
		 * REC_ADMIN is durable (pinholes_settle); it is new unless a
		 * recorded session holds it */
		c->pend_kind = PEND_PIN;
		c->pend_target = t;
		c->pend_user = admin;
		c->pend_fresh = recs_sharing(&jd->recs, NULL, (unsigned)t, tg->ports[0]) == 0;
		snprintf(port, sizeof port, "%u", tg->ports[0]);
		host_keys(tg, keys, sizeof keys);
		hook_add(&out, "address", tg->addr_text);
		hook_add(&out, "port", port);
		hook_add(&out, "hostkey", keys);
	}
	conn_reply(c, &out);
}

void recs_refresh_all(struct jumpd *jd)
{
	int64_t now = mono_ms();
	for (unsigned i = 0; i < jd->recs.cap; i++) {
		struct rec_session *s = &jd->recs.s[i];
		if (!s->used)
			continue;
		rate_summary(jd, s, now, 0);
		if (jd->fw_socket && recs_first_of_pinhole(&jd->recs, s))
			jumpd_pinhole(jd, (uint32_t)jd->rec_uid, jd->conf.targets[s->target].addr_text, s->port, 1);
	}
}
