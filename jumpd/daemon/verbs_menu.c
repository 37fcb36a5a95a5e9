/* verbs_menu: `targets user= [offset=]` — what this user may reach now, by
 * policy, for their jump menu (jumpd/menu): MENU_PAGE at a time from offset,
 * as ta, tb, ... = "name address port,port access" and total=N, access
 * being the target's mode (jump, recorded, both: how the menu tells the
 * user to reach it; a recorded target lists the recorder's port). Only for
 * the user's own uid; a read, so not audited. */
#include "policy.h"
#include "verbs.h"
#include "../common/siteconf_rec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MENU_PAGE 6

void verb_targets(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const struct siteconf *conf = &jd->conf;
	const char *user = hook_get(req, "user"), *off_s = hook_get(req, "offset");
	char *end = NULL;
	unsigned long off = off_s ? strtoul(off_s, &end, 10) : 0;
	int ui = user ? mfa_user_index(&jd->mfa, user) : -1;
	unsigned total = 0, shown = 0;
	int64_t now = (int64_t)time(NULL);
	struct hook_msg out;

	if (ui < 0 || conf->users[ui].uid != c->uid || (off_s && (!*off_s || *end))) {
		conn_reply_reason(c, "error", "bad-request");
		return;
	}
	hook_init(&out, "ok");
	for (unsigned t = 0; t < conf->ntargets; t++) {
		const struct siteconf_target *tg = &conf->targets[t];
		uint16_t ports[SITECONF_MAX_PORTS] = { 22 }; /* none in the file: 22 */
		unsigned nports = tg->nports ? tg->nports : 1u;
		char list[64] = "";
		if (tg->nports)
			memcpy(ports, tg->ports, sizeof ports);
		for (unsigned i = 0; i < nports && siteconf_target_jump(tg); i++) {
			struct policy_result r;
			policy_decide(conf, (unsigned)ui, tg->name, ports[i], now, &r);
			if (r.allow)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", list[0] ? "," : "", ports[i]);
		}
		if (!list[0] && siteconf_target_recorded(tg)) {
			struct policy_result r;
			policy_decide_recorded(conf, (unsigned)ui, tg->name, now, &r);
			if (r.allow)
				snprintf(list, sizeof list, "%u", ports[0]);
		}
		if (!list[0])
			continue;
		if (total >= off && shown < MENU_PAGE) {
			char key[8], val[HOOK_MAX_VALUE + 1];
			snprintf(key, sizeof key, "t%c", 'a' + shown++); /* keys are [a-z_] */
			snprintf(val, sizeof val, "%s %s %s %s", tg->name, tg->addr_text, list,
				 siteconf_access_name(tg->access));
			hook_add(&out, key, val);
		}
		total++;
	}
	char total_s[16];
	snprintf(total_s, sizeof total_s, "%u", total);
	hook_add(&out, "total", total_s);
	conn_reply(c, &out);
}
