/* verbs_settle: every pinhole jumpd opens, after the round's records are
 * durable (pinholes_settle, called by jumpd.c between the round's
 * fdatasync and its answers), for the three requests that get one: a
 * user's channel (verbs_channel.c), a recorded session (rec_open) and an
 * admin's target-pin (verbs_rec.c). The order is the same for all: the
 * request's record (CHANNEL, REC_OPEN, REC_ADMIN) on disk; the pinhole
 * opened (once per pinhole for the round's requests that share it);
 * PINHOLE_OPEN made durable by a second fdatasync; then the yes. Any
 * failure after opening refuses every request of the round that relies on
 * that pinhole's record (it shares a pinhole first opened this round) and
 * revokes the pinhole: closed and its connections cut (conntrack, by
 * mark). A revoke the firewall helper does not answer is queued
 * (revokes.h) and tried again every round until it answers or the queue
 * gives up; both are audited (PINHOLE_REVOKE). Also owns the PINHOLE_OPEN
 * and PINHOLE_CLOSE records' shape (pinhole_record). */
#include "event.h"
#include "verbs.h"

#include <stdio.h>
#include <string.h>

/* one pinhole as the firewall helper knows it: uid to address:port */
struct pinkey {
	uint32_t uid;
	unsigned target, port;
};

enum { ST_NONE, ST_TODO, ST_OPEN };

int pinhole_record(const struct jumpd *jd, const char *msgid, uint32_t uid, unsigned target, unsigned port,
		   const char *user, const char *reason, const char *pin_us)
{
	const struct siteconf_target *tg = &jd->conf.targets[target];
	char uid_s[16], port_s[8];
	snprintf(uid_s, sizeof uid_s, "%u", uid);
	snprintf(port_s, sizeof port_s, "%u", port);
	return event_emit(msgid, "user", user, "uid", uid_s, "target", tg->name, "address", tg->addr_text, "port",
			  port_s, "reason", reason, pin_us ? "pinhole_us" : EV_END, pin_us, EV_END);
}

static int key_of(const struct jumpd *jd, const struct conn *c, struct pinkey *k)
{
	switch (c->pend_kind) {
	case PEND_CHANNEL:
		*k = (struct pinkey){ c->pend_ch->uid, (unsigned)c->pend_ch->target, c->pend_ch->port };
		return 1;
	case PEND_REC:
		*k = (struct pinkey){ (uint32_t)jd->rec_uid, c->pend_rec->target, c->pend_rec->port };
		return 1;
	case PEND_PIN:
		*k = (struct pinkey){ (uint32_t)jd->rec_uid, (unsigned)c->pend_target,
				      jd->conf.targets[c->pend_target].ports[0] };
		return 1;
	}
	return 0;
}

/* the same pinhole in the helper's set: uid, address and port */
static int same_key(const struct jumpd *jd, const struct pinkey *a, const struct pinkey *b)
{
	return a->uid == b->uid && a->port == b->port &&
	       !memcmp(jd->conf.targets[a->target].addr, jd->conf.targets[b->target].addr, 16);
}

static const char *user_of(const struct jumpd *jd, const struct conn *c)
{
	return c->pend_kind == PEND_CHANNEL ? jd->conf.users[c->pend_ch->user].name
	       : c->pend_kind == PEND_REC   ? jd->conf.users[c->pend_rec->user].name
					    : c->pend_user;
}

static int ask_fw(const struct jumpd *jd, const struct pinkey *k, int op)
{
	return jumpd_pinhole(jd, k->uid, jd->conf.targets[k->target].addr_text, k->port, op);
}

/* c's request, whose record is durable, gets no pinhole after all: its
 * end recorded (why), its entry forgotten, the peer told why */
static void unmade(struct jumpd *jd, struct conn *c, const char *why)
{
	if (c->pend_kind == PEND_CHANNEL)
		channel_unmade(jd, c->pend_ch, why);
	else if (c->pend_kind == PEND_REC)
		rec_unmade(jd, c->pend_rec, why);
	else if (c->pend_kind == PEND_PIN)
		event_emit("REC_ADMIN", "admin", c->pend_user, "action", "target-pin", "target",
			   jd->conf.targets[c->pend_target].name, "result", "deny", "reason", why, EV_END);
	c->pend_kind = PEND_NONE;
	c->pend_state = ST_NONE;
	c->deferred = 0;
	conn_reply_reason(c, "deny", why);
	conn_close(c);
}

void pinhole_revoke(struct jumpd *jd, uint32_t uid, unsigned target, unsigned port, const char *user,
		    const char *reason)
{
	struct pinkey k = { uid, target, port };
	if (ask_fw(jd, &k, PIN_REVOKE) == 0) {
		pinhole_record(jd, "PINHOLE_CLOSE", uid, target, port, user, reason, NULL);
		return;
	}
	struct revoke *e = revokes_add(&jd->revokes, uid, target, port, user, reason, mono_ms());
	pinhole_record(jd, "PINHOLE_CLOSE", uid, target, port, user,
		       e ? "helper-failed-revoke-queued" : "helper-failed-revoke-queue-full", NULL);
}

/* a live channel or recorded session still holds k's pinhole */
static int held(const struct jumpd *jd, const struct pinkey *k)
{
	for (unsigned i = 0; i < jd->channels.cap; i++) {
		const struct channel *ch = &jd->channels.c[i];
		struct pinkey o = { ch->uid, (unsigned)ch->target, ch->port };
		if (ch->used && same_key(jd, k, &o))
			return 1;
	}
	for (unsigned i = 0; i < jd->recs.cap; i++) {
		const struct rec_session *s = &jd->recs.s[i];
		struct pinkey o = { (uint32_t)jd->rec_uid, s->target, s->port };
		if (s->used && same_key(jd, k, &o))
			return 1;
	}
	return 0;
}

void pinholes_retry_revokes(struct jumpd *jd, int64_t now_ms)
{
	struct revoke *e;
	char tries[16], waited[24];
	if (!jd->fw_socket)
		return;
	while ((e = revokes_due(&jd->revokes, now_ms)) != NULL) {
		struct pinkey k = { e->uid, e->target, e->port };
		int ok = ask_fw(jd, &k, PIN_REVOKE) == 0;
		if (!ok && !revokes_failed(e, now_ms))
			return; /* the helper is not answering: no more asks this round */
		snprintf(tries, sizeof tries, "%u", e->attempts + ok);
		snprintf(waited, sizeof waited, "%lld", (long long)(now_ms - e->first_ms));
		const struct siteconf_target *tg = &jd->conf.targets[e->target];
		char uid_s[16], port_s[8];
		snprintf(uid_s, sizeof uid_s, "%u", e->uid);
		snprintf(port_s, sizeof port_s, "%u", e->port);
		event_emit("PINHOLE_REVOKE", "user", e->user, "uid", uid_s, "target", tg->name, "address", tg->addr_text,
			   "port", port_s, "reason", e->reason, "result", ok ? "revoked" : "gave-up", "attempts", tries,
			   "waited_ms", waited, EV_END);
		revokes_remove(&jd->revokes, e);
		/* a channel or session made since uses that pinhole: it was cut
		 * too (fail closed); open it again for them */
		if (ok && held(jd, &k))
			ask_fw(jd, &k, PIN_OPEN);
		if (!ok)
			return;
	}
}

/* c is a request of this round still pending on pinhole k */
static int in_group(const struct jumpd *jd, const struct conn *c, const struct pinkey *k)
{
	struct pinkey o;
	return c->fd >= 0 && c->pend_state != ST_NONE && key_of(jd, c, &o) && same_key(jd, k, &o);
}

static void forget(struct jumpd *jd, struct conn *c)
{
	if (c->pend_kind == PEND_CHANNEL)
		channel_forget(jd, c->pend_ch);
	else if (c->pend_kind == PEND_REC)
		recs_remove(&jd->recs, c->pend_rec);
	c->pend_kind = PEND_NONE;
}

void pinholes_settle(struct jumpd *jd, struct conns *t, int durable)
{
	char pin_us[24];
	struct pinkey k;
	for (unsigned i = 0; i < t->cap; i++) {
		struct conn *c = &t->c[i];
		if (c->fd < 0 || !key_of(jd, c, &k))
			continue;
		if (!durable || !jd->fw_socket) {
			/* not durable: nothing was opened, conns_flush says
			 * audit-unavailable; no helper: nothing to open */
			if (!durable)
				forget(jd, c);
			c->pend_kind = PEND_NONE;
			continue;
		}
		c->pend_state = ST_TODO;
	}
	if (!durable || !jd->fw_socket)
		return;
	/* once per pinhole: open it, and record it if it is new */
	event_batch_begin();
	for (unsigned i = 0; i < t->cap; i++) {
		struct conn *c = &t->c[i];
		if (c->fd < 0 || c->pend_state != ST_TODO || !key_of(jd, c, &k))
			continue;
		int fresh = 0;
		for (unsigned j = i; j < t->cap; j++)
			fresh |= in_group(jd, &t->c[j], &k) && t->c[j].pend_fresh;
		int64_t t0 = mono_us();
		if (ask_fw(jd, &k, PIN_OPEN)) {
			const char *user = user_of(jd, c);
			for (unsigned j = t->cap; j-- > i;)
				if (in_group(jd, &t->c[j], &k))
					unmade(jd, &t->c[j], "firewall-unavailable");
			/* the helper may have opened it before its answer was lost */
			if (fresh)
				pinhole_revoke(jd, k.uid, k.target, k.port, user, "firewall-unavailable");
			continue;
		}
		snprintf(pin_us, sizeof pin_us, "%lld", (long long)(mono_us() - t0));
		if (fresh)
			pinhole_record(jd, "PINHOLE_OPEN", k.uid, k.target, k.port, user_of(jd, c),
				       c->pend_kind == PEND_CHANNEL ? "channel" : c->pend_kind == PEND_REC ? "recorded" : "target-pin",
				       pin_us);
		for (unsigned j = i; j < t->cap; j++)
			if (in_group(jd, &t->c[j], &k)) {
				t->c[j].pend_state = ST_OPEN;
				t->c[j].pend_fresh = fresh; /* relies on this round's PINHOLE_OPEN */
			}
	}
	int opened_durable = event_batch_end() == 0;
	for (unsigned i = 0; i < t->cap; i++) {
		struct conn *c = &t->c[i];
		if (c->fd < 0 || c->pend_state != ST_OPEN || !key_of(jd, c, &k))
			continue;
		if (!opened_durable && c->pend_fresh) {
			/* PINHOLE_OPEN is not on disk: no request that relies on
			 * it gets its yes, and the pinhole goes */
			const char *user = user_of(jd, c);
			for (unsigned j = t->cap; j-- > i;)
				if (in_group(jd, &t->c[j], &k) && t->c[j].pend_fresh)
					unmade(jd, &t->c[j], "audit-unavailable");
			pinhole_revoke(jd, k.uid, k.target, k.port, user, "audit-unavailable");
			continue;
		}
		c->pend_state = ST_NONE;
		int kind = c->pend_kind;
		struct channel *ch = c->pend_ch;
		struct rec_session *s = c->pend_rec;
		const char *user = user_of(jd, c);
		c->pend_kind = PEND_NONE;
		if (conn_send_held(c) == 0)
			continue;
		/* the peer did not take its yes */
		if (kind == PEND_CHANNEL)
			channel_lost(jd, ch);
		else if (kind == PEND_REC)
			rec_lost(jd, s);
		else if (!held(jd, &k))
			pinhole_revoke(jd, k.uid, k.target, k.port, user, "reply-lost");
	}
}
