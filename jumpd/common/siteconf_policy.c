/* siteconf_policy: the [segment], [target] and [grant] sections of the site
 * configuration and the checks that tie them together (see siteconf.h).
 * Called by siteconf.c's parser (siteconf_policy.h), never calling back
 * into it; addresses and networks are addr.c's. Split out to keep each
 * file one job. */
#include "siteconf_policy.h"
#include "addr.h"
#include "siteconf_rec.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* n decimal digits at s, or -1 */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int siteconf_find_target(const struct siteconf *c, const char *name)
{
	for (unsigned i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int find_segment(const struct siteconf *c, const char *name)
{
	for (unsigned i = 0; i < c->nsegments; i++)
		if (strcmp(c->segments[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "YYYY-MM-DD": the grant ends at the end of that day, UTC */
int siteconf_parse_date_end(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* days since 1970-01-01 (Howard Hinnant's civil-from-days, inverted) */
	int yy = y - (m <= 2);
	int era = yy / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	*out = (days + 1) * 86400;
	return 0;
}

/* "HH:MM-HH:MM" (UTC), from < to */
int siteconf_parse_hours(const char *s, int *from, int *to)
{
	if (strlen(s) != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':')
		return -1;
	int h1 = digits(s, 2), m1 = digits(s + 3, 2), h2 = digits(s + 6, 2), m2 = digits(s + 9, 2);
	if (h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 ||
	    m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59 || (h1 == 24 && m1) || (h2 == 24 && m2))
		return -1;
	*from = h1 * 60 + m1;
	*to = h2 * 60 + m2;
	return *from < *to ? 0 : -1;
}

/* "mon,tue,..." into bits (Monday = bit 0) */
int siteconf_parse_days(const char *s, unsigned *out)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	unsigned bits = 0;
	while (*s) {
		int found = -1;
		for (int i = 0; i < 7; i++)
			if (strncasecmp(s, names[i], 3) == 0 && (s[3] == ',' || s[3] == 0))
				found = i;
		if (found < 0 || (bits & (1u << found)))
			return -1;
		bits |= 1u << found;
		s += 3;
		if (*s == ',' && !*++s)
			return -1;
	}
	*out = bits;
	return bits ? 0 : -1;
}

/* final checks over the whole file (grantees exist, recorded targets have accounts) */
int siteconf_check_grants(const struct siteconf *c, char *msg, size_t cap, unsigned *line)
{
	for (unsigned g = 0; g < c->ngrants; g++) {
		const struct siteconf_grant *gr = &c->grants[g];
		*line = gr->line;
		if (gr->nto == 0 || gr->ntargets == 0) {
			snprintf(msg, cap, "grant '%s' needs at least one 'to' and one 'target'", gr->name);
			return -1;
		}
		if (siteconf_rec_check_grant(c, gr, msg, cap))
			return -1;
		for (unsigned t = 0; t < gr->nto; t++) {
			const char *who = gr->to[t];
			int found = 0;
			int is_user = strncmp(who, "user:", 5) == 0;
			const char *name = who + (is_user ? 5 : 6);
			for (unsigned u = 0; u < c->nusers && !found; u++) {
				if (is_user) {
					found = strcmp(c->users[u].name, name) == 0;
					continue;
				}
				for (unsigned k = 0; k < c->users[u].ngroups; k++)
					found |= strcmp(c->users[u].groups[k], name) == 0;
			}
			if (!found) {
				snprintf(msg, cap, "grant '%s': %s '%s' %s", gr->name, is_user ? "user" : "group",
					 name, is_user ? "is not defined" : "has no member");
				return -1;
			}
		}
		for (unsigned pi = 0; pi < gr->nports; pi++)
			for (unsigned ti = 0; ti < gr->ntargets; ti++) {
				const struct siteconf_target *tg = &c->targets[gr->targets[ti]];
				int has = 0;
				for (unsigned k = 0; k < tg->nports; k++)
					has |= tg->ports[k] == gr->ports[pi];
				if (!has) {
					snprintf(msg, cap, "grant '%s': port %u is not a port of target '%s'", gr->name,
						 gr->ports[pi], tg->name);
					return -1;
				}
			}
	}
	return 0;
}

/* a `port` line of a target or a grant */
static int add_port(uint16_t *ports, unsigned *n, const char *val, char *msg, size_t cap)
{
	unsigned long p = 0;
	for (const char *d = val; *d; d++)
		p = (*d >= '0' && *d <= '9' && p < 100000) ? p * 10 + (unsigned long)(*d - '0') : 100000;
	if (p == 0 || p > 65535)
		return snprintf(msg, cap, "bad port '%.20s' (expected 1-65535)", val), -1;
	if (*n >= SITECONF_MAX_PORTS)
		return snprintf(msg, cap, "too many ports (at most %d)", SITECONF_MAX_PORTS), -1;
	ports[(*n)++] = (uint16_t)p;
	return 0;
}

/* one key of a [segment], [target] or [grant] section */
int siteconf_policy_kv(struct siteconf *c, int sec, unsigned idx, const char *key, const char *val,
		       char *msg, size_t cap)
{
	if (sec == 0) { /* segment */
		struct siteconf_segment *s = &c->segments[idx];
		if (strcmp(key, "cidr") != 0)
			goto unknown;
		if (s->ncidrs >= SITECONF_MAX_CIDRS)
			return snprintf(msg, cap, "too many cidr lines (at most %d)", SITECONF_MAX_CIDRS), -1;
		int rc = addr_cidr_parse(val, &s->cidrs[s->ncidrs]);
		if (rc == -2)
			return snprintf(msg, cap, "cidr '%.60s' has host bits set (expected the network address)", val), -1;
		if (rc)
			return snprintf(msg, cap, "bad cidr '%.60s' (expected A.B.C.D/0-32 or IPv6/0-128)", val), -1;
		s->ncidrs++;
		return 0;
	}
	if (sec == 1) { /* target */
		struct siteconf_target *t = &c->targets[idx];
		int rc = siteconf_rec_target_kv(t, key, val, msg, cap);
		if (rc <= 0)
			return rc;
		if (strcmp(key, "address") == 0) {
			if (t->addr_text[0])
				return snprintf(msg, cap, "'address' given twice"), -1;
			if (addr_parse(val, t->addr) < 0 || strlen(val) >= sizeof t->addr_text)
				return snprintf(msg, cap, "bad address '%.60s' (expected an IPv4 or IPv6 address; names are not resolved)", val), -1;
			snprintf(t->addr_text, sizeof t->addr_text, "%s", val);
			return 0;
		}
		if (strcmp(key, "port") == 0)
			return add_port(t->ports, &t->nports, val, msg, cap);
		if (strcmp(key, "segment") == 0) {
			int s = find_segment(c, val);
			if (s < 0)
				return snprintf(msg, cap, "unknown segment '%.40s' (segments must be defined above the targets in them)", val), -1;
			t->segment = (unsigned)s + 1; /* resolved and checked at the end of the section */
			return 0;
		}
		goto unknown;
	}
	/* grant */
	struct siteconf_grant *g = &c->grants[idx];
	int rc = siteconf_rec_grant_kv(g, key, val, msg, cap);
	if (rc <= 0)
		return rc;
	if (strcmp(key, "to") == 0) {
		if ((strncmp(val, "user:", 5) != 0 && strncmp(val, "group:", 6) != 0) || strlen(val) >= sizeof g->to[0] ||
		    !val[strncmp(val, "user:", 5) == 0 ? 5 : 6])
			return snprintf(msg, cap, "bad 'to' '%.40s' (expected user:NAME or group:NAME)", val), -1;
		if (g->nto >= SITECONF_MAX_GRANTEES)
			return snprintf(msg, cap, "too many 'to' lines (at most %d)", SITECONF_MAX_GRANTEES), -1;
		snprintf(g->to[g->nto++], sizeof g->to[0], "%s", val);
		return 0;
	}
	if (strcmp(key, "target") == 0) {
		int t = siteconf_find_target(c, val);
		if (t < 0)
			return snprintf(msg, cap, "unknown target '%.40s' (targets must be defined above the grants naming them)", val), -1;
		if (g->ntargets >= SITECONF_MAX_GRANT_TARGETS)
			return snprintf(msg, cap, "too many targets (at most %d)", SITECONF_MAX_GRANT_TARGETS), -1;
		g->targets[g->ntargets++] = (unsigned)t;
		return 0;
	}
	if (strcmp(key, "port") == 0)
		return add_port(g->ports, &g->nports, val, msg, cap);
	if (strcmp(key, "expires") == 0) {
		if (g->expires)
			return snprintf(msg, cap, "'expires' given twice"), -1;
		if (siteconf_parse_date_end(val, &g->expires))
			return snprintf(msg, cap, "bad expires '%.20s' (expected YYYY-MM-DD: the last day the grant is valid, UTC)", val), -1;
		return 0;
	}
	if (strcmp(key, "hours") == 0) {
		if (g->window_from >= 0)
			return snprintf(msg, cap, "'hours' given twice"), -1;
		if (siteconf_parse_hours(val, &g->window_from, &g->window_to))
			return snprintf(msg, cap, "bad hours '%.20s' (expected HH:MM-HH:MM, UTC, start before end)", val), -1;
		return 0;
	}
	if (strcmp(key, "days") == 0) {
		if (g->days != 0x7f)
			return snprintf(msg, cap, "'days' given twice"), -1;
		if (siteconf_parse_days(val, &g->days))
			return snprintf(msg, cap, "bad days '%.40s' (expected e.g. mon,tue,wed,thu,fri)", val), -1;
		return 0;
	}
unknown:
	return snprintf(msg, cap, "unknown key '%.40s' in this section", key), -1;
}

/* end of a [target] section: address present, inside its segment (or some segment) */
int siteconf_finish_target(struct siteconf *c, unsigned idx, char *msg, size_t cap)
{
	struct siteconf_target *t = &c->targets[idx];
	if (!t->addr_text[0])
		return snprintf(msg, cap, "target '%s' has no address", t->name), -1;
	/* the box itself, "any", link-local and multicast are never targets */
	static const struct addr_cidr special[] = {
		{ { 0 }, 128 },                                                  /* :: */
		{ { [15] = 1 }, 128 },                                           /* ::1 */
		{ { [10] = 0xff, [11] = 0xff, [12] = 127 }, 104 },              /* 127/8 */
		{ { [10] = 0xff, [11] = 0xff }, 104 },                           /* 0/8 */
		{ { [10] = 0xff, [11] = 0xff, [12] = 169, [13] = 254 }, 112 },  /* 169.254/16 */
		{ { [10] = 0xff, [11] = 0xff, [12] = 224 }, 100 },              /* 224/4 */
		{ { 0xfe, 0x80 }, 10 },                                          /* fe80::/10 */
		{ { 0xff }, 8 },                                                 /* ff00::/8 */
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (addr_cidr_contains(&special[i], t->addr))
			return snprintf(msg, cap, "target '%s' (%s) is a loopback, unspecified, link-local or "
					"multicast address", t->name, t->addr_text), -1;
	if (t->nports == 0)
		t->ports[t->nports++] = 22;
	if (siteconf_rec_finish_target(t, msg, cap))
		return -1;
	if (t->segment) {
		const struct siteconf_segment *s = &c->segments[t->segment - 1];
		for (unsigned i = 0; i < s->ncidrs; i++)
			if (addr_cidr_contains(&s->cidrs[i], t->addr)) {
				t->segment--;
				return 0;
			}
		return snprintf(msg, cap, "target '%s' (%s) is outside its segment '%s'", t->name, t->addr_text, s->name), -1;
	}
	for (unsigned s = 0; s < c->nsegments; s++)
		for (unsigned i = 0; i < c->segments[s].ncidrs; i++)
			if (addr_cidr_contains(&c->segments[s].cidrs[i], t->addr)) {
				t->segment = s;
				return 0;
			}
	return snprintf(msg, cap, "target '%s' (%s) is outside every approved segment", t->name, t->addr_text), -1;
}
