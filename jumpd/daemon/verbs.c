/* verbs: see verbs.h. The table is the whole of jumpd's access control for
 * requests; tests/verbs_test.c checks it cell by cell. */
#include "verbs.h"
#include "brake.h"
#include "event.h"

#include <stdio.h>
#include <string.h>

const struct verb_row jumpd_verbs[] = {
	/* verb         socket     who may send it          rate class  refused as  handler */
	{ "pubkey",    SOCK_AUTH, PEER_SSHD,               RATE_NONE, "deny",  verb_pubkey },
	{ "answer",    SOCK_AUTH, PEER_SSHD,               RATE_NONE, "deny",  verb_answer },
	{ "channel",   SOCK_AUTH, PEER_USER,               RATE_USER, "deny",  verb_channel },
	{ "close",     SOCK_AUTH, PEER_USER,               RATE_OPEN, "error", verb_close },
	{ "logout",    SOCK_AUTH, PEER_USER,               RATE_OPEN, "error", verb_logout },
	{ "targets",   SOCK_AUTH, PEER_USER,               RATE_USER, "error", verb_targets },
	{ "egress",    SOCK_AUTH, PEER_FW,                 RATE_SERVICE, "error", verb_egress },
	{ "collector", SOCK_AUTH, PEER_SHIP,               RATE_SERVICE, "error", verb_collector },
	{ "rec_open",  SOCK_AUTH, PEER_REC,                RATE_SERVICE, "deny",  verb_rec_open },
	{ "rec_start", SOCK_AUTH, PEER_REC,                RATE_SERVICE, "error", verb_rec_start },
	{ "rec_mark",  SOCK_AUTH, PEER_REC,                RATE_SERVICE, "error", verb_rec_mark },
	{ "rec_end",   SOCK_AUTH, PEER_REC,                RATE_OPEN, "error", verb_rec_end },
	{ "command",   SOCK_AUTH, PEER_REC,                RATE_SERVICE, "deny",  verb_command },
	{ "file",      SOCK_AUTH, PEER_REC,                RATE_SERVICE, "deny",  verb_file },
	{ "rec_admin", SOCK_AUTH, PEER_REC,                RATE_SERVICE, "deny",  verb_rec_admin },
	{ "unlock",    SOCK_CTL,  PEER_ADMIN | PEER_ROOT,  RATE_NONE, "error", verb_unlock },
	{ "status",    SOCK_CTL,  PEER_ADMIN | PEER_ROOT,  RATE_NONE, "error", verb_status },
	{ "service",   SOCK_CTL,  PEER_ROOT,               RATE_NONE, "error", verb_service },
};
const size_t jumpd_nverbs = sizeof jumpd_verbs / sizeof jumpd_verbs[0];

enum peer_class verbs_peer_class(const struct jumpd *jd, enum jumpd_socket sock, uid_t uid)
{
	if (sock == SOCK_CTL)
		return uid == 0 ? PEER_ROOT : jumpd_is_admin(jd, uid) ? PEER_ADMIN : PEER_NONE;
	if (uid == jd->sshd_uid)
		return PEER_SSHD;
	if (uid == jd->fw_uid)
		return PEER_FW;
	if (uid == jd->ship_uid)
		return PEER_SHIP;
	if (uid == jd->rec_uid)
		return PEER_REC;
	return jumpd_is_user(jd, uid) ? PEER_USER : PEER_NONE;
}

const char *verbs_peer_name(enum peer_class p)
{
	switch (p) {
	case PEER_SSHD: return "ssh-server";
	case PEER_USER: return "user";
	case PEER_FW: return "firewall-helper";
	case PEER_SHIP: return "shipper";
	case PEER_ADMIN: return "admin";
	case PEER_ROOT: return "root";
	case PEER_REC: return "recorder";
	default: return "none";
	}
}

const struct verb_row *verbs_find(const struct verb_row *table, size_t n, enum jumpd_socket sock, const char *verb)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].sock == sock && !strcmp(table[i].verb, verb))
			return &table[i];
	return NULL;
}

int verbs_hook_error(const struct conn *c, const char *reason, const char *verb, const char *user)
{
	char uid[16], pid[16];
	snprintf(uid, sizeof uid, "%u", (unsigned)c->uid);
	snprintf(pid, sizeof pid, "%d", (int)c->pid);
	return event_emit("HOOK_ERROR", "socket", c->sock == SOCK_AUTH ? "auth" : "ctl", "peer_uid", uid, "peer_pid", pid,
			  "reason", reason, "verb", verb ? verb : "-", user ? "user" : EV_END, user, EV_END);
}

static void serve_one(const struct verb_row *table, size_t n, struct jumpd *jd, struct conn *c)
{
	const char *sockname = c->sock == SOCK_AUTH ? "auth" : "ctl";
	const char *refusal = c->sock == SOCK_AUTH ? "deny" : "error";
	enum peer_class peer = verbs_peer_class(jd, c->sock, c->uid);
	int64_t now = mono_ms();
	char uid[16];
	struct hook_msg req;

	snprintf(uid, sizeof uid, "%u", (unsigned)c->uid);
	/* the spool's reserve (event.h) takes what admins and root ask */
	event_allow_reserve(peer == PEER_ADMIN || peer == PEER_ROOT || (peer == PEER_USER && jumpd_is_admin(jd, c->uid))
				    ? EV_RESERVE_ADMIN : EV_RESERVE_NONE);
	if (hook_parse(c->buf, c->len, &req)) {
		if (brake_refusal(c->uid, REFUSED_MALFORMED, now))
			verbs_hook_error(c, "malformed request", NULL, NULL);
		conn_reply_reason(c, refusal, "malformed");
		return;
	}
	const struct verb_row *row = verbs_find(table, n, c->sock, req.verb);
	if (!row || !(row->peers & (unsigned)peer)) {
		if (brake_refusal(c->uid, REFUSED_VERB, now))
			event_emit("HOOK_REFUSED", "socket", sockname, "peer_uid", uid, "peer", verbs_peer_name(peer),
				   "verb", req.verb, "reason", row ? "not-permitted" : "unknown-verb", EV_END);
		conn_reply_reason(c, row ? row->refusal : refusal, row ? "not-permitted" : "unknown-verb");
		return;
	}
	/* a user's bucket: BRAKE_BURST plus one per live session, refilled
	 * BRAKE_PER_SEC a second per live session (at least one) */
	int ui = jumpd_user_index(jd, c->uid);
	unsigned live = ui >= 0 ? sessions_of_user(&jd->sessions, (unsigned)ui) : 0;
	/* the recorder's: the service bucket, grown by what each live recorded
	 * session may send (a checkpoint a second, its COMMAND/FILE bucket) */
	unsigned recs = peer == PEER_REC ? jd->recs.n : 0;
	if ((row->rate == RATE_USER && peer == PEER_USER &&
	     !brake_take(c->uid, now, BRAKE_BURST + live, BRAKE_PER_SEC * (live ? live : 1))) ||
	    (row->rate == RATE_SERVICE &&
	     !brake_take(c->uid, now, BRAKE_SERVICE_BURST + RECS_BURST * recs,
			 BRAKE_SERVICE_PER_SEC + (RECS_PER_SEC + 1) * recs))) {
		conn_reply_reason(c, row->refusal, "rate-limited");
		return;
	}
	c->fail_verb = row->refusal; /* what the peer hears if the round's records do not become durable */
	/* and the ends of what is open (each has its recorded start) */
	if (row->rate == RATE_OPEN)
		event_allow_reserve(EV_RESERVE_ADMIN);
	row->handler(jd, c, &req);
}

void verbs_serve_table(const struct verb_row *table, size_t n, struct jumpd *jd, struct conn *c)
{
	serve_one(table, n, jd, c);
	event_allow_reserve(EV_RESERVE_NONE); /* nothing after the request writes into the reserve on its behalf */
}

void verbs_serve(struct jumpd *jd, struct conn *c)
{
	verbs_serve_table(jumpd_verbs, jumpd_nverbs, jd, c);
}
