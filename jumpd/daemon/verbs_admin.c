/* verbs_admin: the admin socket's requests (jumpctl, as root or an admin
 * user): `unlock user=|src=` (audited before it acts: an unlock that cannot
 * be recorded is not done) and `status` (the locked users and sources). */
#include "event.h"
#include "replay.h"
#include "verbs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void verb_unlock(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *user = hook_get(req, "user"), *src = hook_get(req, "src");
	char by[16];
	if (!(user || src) || (user && src)) {
		conn_reply_reason(c, "error", "name one user or one source address");
		return;
	}
	snprintf(by, sizeof by, "%u", (unsigned)c->uid);
	/* the outcome is known before anything changes, so the record says what
	 * the unlock does; it is written before it is done (an unlock that
	 * cannot be recorded is not done) */
	int known = user ? mfa_user_index(&jd->mfa, user) >= 0 : mfa_has_source(&jd->mfa, src);
	const char *result = known ? "unlocked" : user ? "no-such-user" : "no-record";
	if (event_emit("UNLOCK", user ? "user" : "src", user ? user : src, "by_uid", by, "result", result, EV_END)) {
		conn_reply_reason(c, "error", "audit spool not writable");
		return;
	}
	if (!known || (user ? mfa_unlock_user(&jd->mfa, user) : mfa_unlock_source(&jd->mfa, src))) {
		conn_reply_reason(c, "error", user ? "no such user" : "no record of that source address");
		return;
	}
	/* a user's lockout is kept on the state volume: so is its end */
	if (user && replay_save(&jd->mfa, jd->steps_path)) {
		fprintf(stderr, "jumpd: cannot save %s: %s\n", jd->steps_path, strerror(errno));
		conn_reply_reason(c, "error", "unlocked until jumpd restarts: state volume not writable");
		return;
	}
	conn_reply_reason(c, "ok", NULL);
}

/* joins the names that pass into out (a hook value: bounded, comma-separated) */
static void add_list(struct hook_msg *out, const char *key, const char *const *names, unsigned n)
{
	char list[HOOK_MAX_VALUE + 1] = "";
	size_t len = 0;
	for (unsigned i = 0; i < n; i++)
		if (len + strlen(names[i]) + 2 < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? "," : "", names[i]);
	hook_add(out, key, list);
}

void verb_status(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	static const char *names[MFA_MAX_SOURCES > SITECONF_MAX_USERS ? MFA_MAX_SOURCES : SITECONF_MAX_USERS];
	int64_t now = mono_ms();
	unsigned n = 0;
	struct hook_msg out;
	(void)req;
	hook_init(&out, "ok");
	for (unsigned i = 0; i < jd->conf.nusers; i++)
		if (guard_locked(&jd->mfa.user_guard[i], now))
			names[n++] = jd->conf.users[i].name;
	add_list(&out, "locked_users", names, n);
	n = 0;
	for (int i = 0; i < MFA_MAX_SOURCES; i++) {
		struct mfa_source *s = &jd->mfa.sources[i]; /* guard_locked may expire a lock */
		if (s->addr[0] && guard_locked(&s->g, now))
			names[n++] = s->addr;
	}
	add_list(&out, "locked_sources", names, n);
	conn_reply(c, &out);
}
