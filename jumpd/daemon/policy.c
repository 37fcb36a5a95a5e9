/* policy: channel decisions (see policy.h). */
#include "policy.h"
#include "../common/addr.h"
#include "../common/siteconf_rec.h"

#include <string.h>

static int grant_names_user(const struct siteconf *c, const struct siteconf_grant *g, unsigned user)
{
	const struct siteconf_user *u = &c->users[user];
	for (unsigned i = 0; i < g->nto; i++) {
		if (strncmp(g->to[i], "user:", 5) == 0) {
			if (strcmp(g->to[i] + 5, u->name) == 0)
				return 1;
			continue;
		}
		for (unsigned k = 0; k < u->ngroups; k++)
			if (strcmp(g->to[i] + 6, u->groups[k]) == 0)
				return 1;
	}
	return 0;
}

static int grant_has_port(const struct siteconf_grant *g, unsigned port)
{
	if (g->nports == 0)
		return 1; /* every port of the target, checked by the caller */
	for (unsigned i = 0; i < g->nports; i++)
		if (g->ports[i] == port)
			return 1;
	return 0;
}

/* 1 if now falls in the grant's days and hours (UTC) */
static int in_window(const struct siteconf_grant *g, int64_t now)
{
	int64_t days = now >= 0 ? now / 86400 : (now - 86399) / 86400;
	unsigned weekday = (unsigned)((days + 3) % 7); /* 1970-01-01 was a Thursday: Monday = 0 */
	int minute = (int)((now - days * 86400) / 60);
	if (!(g->days & (1u << weekday)))
		return 0;
	return g->window_from < 0 || (minute >= g->window_from && minute < g->window_to);
}

static int find_host(const struct siteconf *c, const char *host, struct policy_result *r)
{
	uint8_t addr[16];
	int t = siteconf_find_target(c, host);
	if (t >= 0)
		return t;
	if (addr_parse(host, addr) < 0) {
		r->reason = "unknown-target";
		return -1;
	}
	for (unsigned i = 0; i < c->ntargets; i++)
		if (memcmp(c->targets[i].addr, addr, 16) == 0)
			return (int)i;
	for (unsigned s = 0; s < c->nsegments; s++)
		for (unsigned i = 0; i < c->segments[s].ncidrs; i++)
			if (addr_cidr_contains(&c->segments[s].cidrs[i], addr)) {
				r->reason = "not-a-target";
				return -1;
			}
	r->reason = "forbidden-segment";
	return -1;
}

/* the first grant that lets user reach target t's port now; for a recorded
 * session (account not NULL) one that also names the account ("" : any, its
 * first is taken) */
static void grants_decide(const struct siteconf *c, unsigned user, unsigned t, unsigned port, int64_t now,
			  const char *account, struct policy_result *r)
{
	r->reason = "not-granted";
	for (unsigned g = 0; g < c->ngrants; g++) {
		const struct siteconf_grant *gr = &c->grants[g];
		int names_target = 0;
		for (unsigned i = 0; i < gr->ntargets; i++)
			names_target |= gr->targets[i] == t;
		if (!names_target || !grant_has_port(gr, port) || !grant_names_user(c, gr, user))
			continue;
		if (gr->expires && now >= gr->expires) {
			if (strcmp(r->reason, "no-account") != 0)
				r->reason = "grant-expired";
			continue;
		}
		if (!in_window(gr, now)) {
			if (strcmp(r->reason, "grant-expired") != 0 && strcmp(r->reason, "no-account") != 0)
				r->reason = "outside-window";
			continue;
		}
		int ai = !account ? -1 : account[0] ? siteconf_grant_account(gr, account) : gr->naccounts ? 0 : -1;
		if (account && ai < 0) {
			r->reason = "no-account"; /* granted, but not as that account */
			continue;
		}
		r->allow = 1;
		r->grant = (int)g;
		r->reason = "granted";
		r->account = account ? gr->accounts[ai] : NULL;
		return;
	}
}

void policy_decide(const struct siteconf *c, unsigned user, const char *host, unsigned port,
		   int64_t now, struct policy_result *r)
{
	memset(r, 0, sizeof *r);
	r->target = r->grant = -1;
	int t = find_host(c, host, r);
	if (t < 0)
		return;
	r->target = t;
	const struct siteconf_target *tg = &c->targets[t];
	int port_ok = 0;
	for (unsigned i = 0; i < tg->nports; i++)
		port_ok |= tg->ports[i] == port;
	if (!port_ok) {
		r->reason = "port-not-allowed";
		return;
	}
	grants_decide(c, user, (unsigned)t, port, now, NULL, r);
	if (r->allow && !siteconf_target_jump(tg)) {
		r->allow = 0;
		r->reason = "recorded-only"; /* said only to a user it is granted to */
	}
}

void policy_decide_recorded(const struct siteconf *c, unsigned user, const char *selector, int64_t now,
			    struct policy_result *r)
{
	char account[SITECONF_NAMELEN + 1] = "";
	const char *pct = strchr(selector, '%'), *name = pct ? pct + 1 : selector;
	memset(r, 0, sizeof *r);
	r->target = r->grant = -1;
	int t = siteconf_find_target(c, name);
	if (t < 0) {
		r->reason = "unknown-target";
		return;
	}
	r->target = t;
	if (!siteconf_target_recorded(&c->targets[t])) {
		r->reason = "not-recorded";
		return;
	}
	if (pct) {
		size_t n = (size_t)(pct - selector);
		if (n == 0 || n >= sizeof account) {
			r->reason = "no-account"; /* no grant has such an account */
			return;
		}
		memcpy(account, selector, n);
		account[n] = 0;
	}
	grants_decide(c, user, (unsigned)t, c->targets[t].ports[0], now, pct ? account : "", r);
}