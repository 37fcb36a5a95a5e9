/* siteconf_rec: see siteconf_rec.h. */
#include "siteconf_rec.h"
#include "siteconf_names.h"

#include <stdio.h>
#include <string.h>

#define SEEN_MAX_MB 1u
#define SEEN_FAIL_CLOSED 2u
#define SEEN_SHIP_RATE 4u

static int b64_index(char ch)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(alphabet, ch) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

int siteconf_valid_host_key(const char *s)
{
	if (strncmp(s, "SHA256:", 7) != 0 || strlen(s) != SITECONF_HOST_KEY_LEN)
		return 0;
	for (const char *p = s + 7; *p; p++)
		if (b64_index(*p) < 0)
			return 0;
	/* 43 characters carry 258 bits: the last 2 are zero in the one
	 * spelling of 32 bytes */
	return (b64_index(s[SITECONF_HOST_KEY_LEN - 1]) & 3) == 0;
}

const char *siteconf_access_name(int access)
{
	return access == SITECONF_ACCESS_RECORDED ? "recorded" : access == SITECONF_ACCESS_BOTH ? "both" : "jump";
}

int siteconf_target_recorded(const struct siteconf_target *t)
{
	return t->access == SITECONF_ACCESS_RECORDED || t->access == SITECONF_ACCESS_BOTH;
}

int siteconf_target_jump(const struct siteconf_target *t)
{
	return t->access == SITECONF_ACCESS_JUMP || t->access == SITECONF_ACCESS_BOTH;
}

int siteconf_grant_account(const struct siteconf_grant *g, const char *account)
{
	for (unsigned i = 0; i < g->naccounts; i++)
		if (strcmp(g->accounts[i], account) == 0)
			return (int)i;
	return -1;
}

static int yes_no(const char *key, const char *val, int *out, char *msg, size_t cap)
{
	if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
		return snprintf(msg, cap, "bad %s '%.20s' (expected yes or no)", key, val), -1;
	*out = strcmp(val, "yes") == 0;
	return 0;
}

int siteconf_rec_target_kv(struct siteconf_target *t, const char *key, const char *val, char *msg, size_t cap)
{
	if (strcmp(key, "access") == 0) {
		if (t->seen_access++)
			return snprintf(msg, cap, "'access' given twice"), -1;
		if (strcmp(val, "jump") == 0)
			t->access = SITECONF_ACCESS_JUMP;
		else if (strcmp(val, "recorded") == 0)
			t->access = SITECONF_ACCESS_RECORDED;
		else if (strcmp(val, "both") == 0)
			t->access = SITECONF_ACCESS_BOTH;
		else
			return snprintf(msg, cap, "bad access '%.20s' (expected jump, recorded or both)", val), -1;
		return 0;
	}
	if (strcmp(key, "host-key") == 0) {
		if (!siteconf_valid_host_key(val))
			return snprintf(msg, cap, "bad host-key '%.60s' (expected SHA256: and 43 base64 characters, "
					"as `ssh-keygen -lf` prints for the target's host key)", val), -1;
		for (unsigned i = 0; i < t->nhost_keys; i++)
			if (strcmp(t->host_keys[i], val) == 0)
				return snprintf(msg, cap, "host-key '%.60s' given twice", val), -1;
		if (t->nhost_keys >= SITECONF_MAX_HOST_KEYS)
			return snprintf(msg, cap, "too many host-key lines (at most %d)", SITECONF_MAX_HOST_KEYS), -1;
		snprintf(t->host_keys[t->nhost_keys++], sizeof t->host_keys[0], "%s", val);
		return 0;
	}
	if (strcmp(key, "record-input") == 0) {
		if (t->seen_record_input++)
			return snprintf(msg, cap, "'record-input' given twice"), -1;
		return yes_no(key, val, &t->record_input, msg, cap);
	}
	return 1;
}

int siteconf_rec_grant_kv(struct siteconf_grant *g, const char *key, const char *val, char *msg, size_t cap)
{
	if (strcmp(key, "account") != 0)
		return 1;
	if (!siteconf_valid_name(val))
		return snprintf(msg, cap, "bad account '%.40s' (expected an account name on the target: "
				"[a-z_][a-z0-9_-]*, at most %d characters)", val, SITECONF_NAMELEN), -1;
	if (siteconf_grant_account(g, val) >= 0)
		return snprintf(msg, cap, "account '%s' given twice", val), -1;
	if (g->naccounts >= SITECONF_MAX_ACCOUNTS)
		return snprintf(msg, cap, "too many account lines (at most %d)", SITECONF_MAX_ACCOUNTS), -1;
	snprintf(g->accounts[g->naccounts++], sizeof g->accounts[0], "%s", val);
	return 0;
}

int siteconf_rec_finish_target(const struct siteconf_target *t, char *msg, size_t cap)
{
	if (siteconf_target_recorded(t) && t->nhost_keys == 0)
		return snprintf(msg, cap, "target '%s' has access = %s but no host-key (pin the target's host key: "
				"host-key = SHA256:..., as `ssh-keygen -lf` or `jumpctl target-pin %s` prints)",
				t->name, siteconf_access_name(t->access), t->name), -1;
	if (!siteconf_target_recorded(t) && t->seen_record_input)
		return snprintf(msg, cap, "target '%s' has record-input but access = jump (nothing is recorded)",
				t->name), -1;
	return 0;
}

int siteconf_rec_check_grant(const struct siteconf *c, const struct siteconf_grant *g, char *msg, size_t cap)
{
	for (unsigned i = 0; i < g->ntargets; i++) {
		const struct siteconf_target *t = &c->targets[g->targets[i]];
		if (siteconf_target_recorded(t) && g->naccounts == 0)
			return snprintf(msg, cap, "grant '%s' gives target '%s' (access = %s) but names no account "
					"(account = NAME: the account on the target recorded sessions log in as)",
					g->name, t->name, siteconf_access_name(t->access)), -1;
	}
	return 0;
}

static int number(const char *key, const char *val, unsigned max, unsigned *out, char *msg, size_t cap)
{
	unsigned long v = 0;
	const char *p = val;
	for (; *p >= '0' && *p <= '9' && v <= max; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (*p || v == 0 || v > max)
		return snprintf(msg, cap, "bad %s '%.20s' (expected 1-%u)", key, val, max), -1;
	*out = (unsigned)v;
	return 0;
}

int siteconf_recording_kv(struct siteconf *c, const char *key, const char *val, char *msg, size_t cap)
{
	unsigned bit = !strcmp(key, "max-mb") ? SEEN_MAX_MB : !strcmp(key, "fail-closed") ? SEEN_FAIL_CLOSED
			: !strcmp(key, "ship-rate-kb") ? SEEN_SHIP_RATE : 0;
	if (!bit)
		return snprintf(msg, cap, "unknown key '%.40s' in this section", key), -1;
	if (c->rec_seen & bit)
		return snprintf(msg, cap, "'%s' given twice", key), -1;
	c->rec_seen |= bit;
	if (bit == SEEN_MAX_MB)
		return number(key, val, 1u << 20, &c->rec_max_mb, msg, cap);
	if (bit == SEEN_SHIP_RATE)
		return number(key, val, 1u << 20, &c->rec_ship_rate_kb, msg, cap);
	return yes_no(key, val, &c->rec_fail_closed, msg, cap);
}

int siteconf_any_recorded(const struct siteconf *c)
{
	for (unsigned i = 0; i < c->ntargets; i++)
		if (siteconf_target_recorded(&c->targets[i]))
			return 1;
	return 0;
}
