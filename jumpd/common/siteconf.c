/* siteconf: strict parser for the site configuration (see siteconf.h). */
#include "siteconf.h"
#include "addr.h"
#include "authkey.h"
#include "siteconf_names.h"
#include "siteconf_policy.h"
#include "siteconf_rec.h"
#include "readfile.h"
#include "../mfa/base32.h"
#include "../mfa/totp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE 4096

static int fail(struct siteconf_error *err, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;
	snprintf(err->file, sizeof err->file, "%s", file);
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
	va_end(ap);
	siteconf_printable(err->file);
	siteconf_printable(err->msg);
	return -1;
}

void siteconf_defaults(struct siteconf *c)
{
	memset(c, 0, sizeof *c);
	strcpy(c->hostname, "jumpbox");
	strcpy(c->interface, "eth0");
	c->dhcp = 1;
	c->ssh_port = 22;
	c->lockout_failures = 20;
	c->max_delay_seconds = 8;
	c->source_lockout_minutes = 15;
	c->syslog_port = SITECONF_SYSLOG_PORT;
	c->spool_max_bytes = (uint64_t)SITECONF_SPOOL_MAX_MB << 20;
	c->spool_keep_hours = SITECONF_SPOOL_KEEP_H;
	c->fail_closed = 1;
	c->rec_max_mb = SITECONF_REC_MAX_MB;
	c->rec_fail_closed = 1;
	c->rec_ship_rate_kb = SITECONF_REC_SHIP_KB;
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
	unsigned long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

enum section { SEC_NONE, SEC_SYSTEM, SEC_NETWORK, SEC_SSH, SEC_MFA, SEC_SYSLOG, SEC_RECORDING, SEC_USER,
	       SEC_SEGMENT, SEC_TARGET, SEC_GRANT };

struct pstate {
	struct siteconf *c;
	struct siteconf_error *err;
	const char *file;
	unsigned line;
	enum section sec;
	struct siteconf_user *user;
	unsigned idx;              /* the segment, target or grant being filled */
	int seen_gateway, seen_address, seen_interface, seen_hostname, seen_port, seen_chmax, seen_chuser;
	int seen_lockout, seen_delay, seen_srclock;
	int seen_s_port, seen_s_name, seen_s_ca, seen_s_cert, seen_s_key, seen_s_max, seen_s_closed, seen_s_keep;
	unsigned syslog_line;      /* of the [syslog] header, for messages */
	int seen_u_mfa, seen_u_secret, seen_u_alg, seen_u_digits, seen_u_remember, seen_u_admin, seen_u_shell;
	unsigned seen_sections;
};

/* the end of a section: a target is checked once all its keys are in */
static int finish_section(struct pstate *p)
{
	char msg[256];
	if (p->sec == SEC_TARGET && siteconf_finish_target(p->c, p->idx, msg, sizeof msg))
		return fail(p->err, p->file, p->c->targets[p->idx].line, "%s", msg);
	return 0;
}

/* [segment NAME], [target NAME], [grant NAME] */
static int policy_header(struct pstate *p, char *s)
{
	static const char *const kinds[] = { "segment", "target", "grant" };
	static const unsigned max[] = { SITECONF_MAX_SEGMENTS, SITECONF_MAX_TARGETS, SITECONF_MAX_GRANTS };
	struct siteconf *c = p->c;
	for (int k = 0; k < 3; k++) {
		size_t kl = strlen(kinds[k]);
		if (strncmp(s, kinds[k], kl) != 0 || (s[kl] != ' ' && s[kl] != '\t'))
			continue;
		char *name = trim(s + kl + 1);
		unsigned *count = k == 0 ? &c->nsegments : k == 1 ? &c->ntargets : &c->ngrants;
		if (!siteconf_valid_name(name))
			return fail(p->err, p->file, p->line, "bad %s name '%.40s' (expected [a-z_][a-z0-9_-]*, at most %d characters)",
				    kinds[k], name, SITECONF_NAMELEN);
		for (unsigned i = 0; i < *count; i++) {
			const char *other = k == 0 ? c->segments[i].name : k == 1 ? c->targets[i].name : c->grants[i].name;
			if (strcmp(other, name) == 0)
				return fail(p->err, p->file, p->line, "%s '%s' defined twice", kinds[k], name);
		}
		if (*count >= max[k])
			return fail(p->err, p->file, p->line, "too many %ss (at most %u)", kinds[k], max[k]);
		p->idx = (*count)++;
		if (k == 0) {
			snprintf(c->segments[p->idx].name, sizeof c->segments[0].name, "%s", name);
			c->segments[p->idx].line = p->line;
			p->sec = SEC_SEGMENT;
		} else if (k == 1) {
			snprintf(c->targets[p->idx].name, sizeof c->targets[0].name, "%s", name);
			c->targets[p->idx].line = p->line;
			p->sec = SEC_TARGET;
		} else {
			struct siteconf_grant *g = &c->grants[p->idx];
			snprintf(g->name, sizeof g->name, "%s", name);
			g->line = p->line;
			g->window_from = g->window_to = -1;
			g->days = 0x7f;
			p->sec = SEC_GRANT;
		}
		return 1;
	}
	return 0;
}

static int parse_header(struct pstate *p, char *s)
{
	size_t n = strlen(s);
	if (s[n - 1] != ']')
		return fail(p->err, p->file, p->line, "expected ']' at end of section header");
	s[n - 1] = 0;
	s = trim(s + 1);
	if (finish_section(p))
		return -1;
	p->user = NULL;
	int rc = policy_header(p, s);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (!strncmp(s, "user", 4) && (s[4] == ' ' || s[4] == '\t')) {
		char *name = trim(s + 5);
		if (!siteconf_valid_name(name))
			return fail(p->err, p->file, p->line,
				    "bad user name '%.40s' (expected [a-z_][a-z0-9_-]*, at most %d characters)",
				    name, SITECONF_NAMELEN);
		if (siteconf_system_account(name))
			return fail(p->err, p->file, p->line,
				    "user name '%s' is a system account of the box (expected a name other than %s)",
				    name, siteconf_system_accounts_text());
		for (unsigned i = 0; i < p->c->nusers; i++)
			if (!strcmp(p->c->users[i].name, name))
				return fail(p->err, p->file, p->line, "user '%s' defined twice", name);
		if (p->c->nusers >= SITECONF_MAX_USERS)
			return fail(p->err, p->file, p->line, "too many users (at most %d)", SITECONF_MAX_USERS);
		p->user = &p->c->users[p->c->nusers];
		snprintf(p->user->name, sizeof p->user->name, "%s", name);
		p->user->uid = SITECONF_FIRST_UID + p->c->nusers;
		p->user->first_key = p->c->nkeys;
		p->user->nkeys = 0;
		p->user->line = p->line;
		p->user->mfa = 1;
		p->user->totp_alg = TOTP_SHA1;
		p->user->totp_digits = 6;
		p->c->nusers++;
		p->seen_u_mfa = p->seen_u_secret = p->seen_u_alg = p->seen_u_digits = 0;
		p->seen_u_remember = p->seen_u_admin = p->seen_u_shell = 0;
		p->sec = SEC_USER;
		return 0;
	}
	unsigned bit;
	if (!strcmp(s, "system")) { p->sec = SEC_SYSTEM; bit = 1; }
	else if (!strcmp(s, "network")) { p->sec = SEC_NETWORK; bit = 2; }
	else if (!strcmp(s, "ssh")) { p->sec = SEC_SSH; bit = 4; }
	else if (!strcmp(s, "mfa")) { p->sec = SEC_MFA; bit = 8; }
	else if (!strcmp(s, "syslog")) { p->sec = SEC_SYSLOG; bit = 16; p->syslog_line = p->line; }
	else if (!strcmp(s, "recording")) { p->sec = SEC_RECORDING; bit = 32; }
	else
		return fail(p->err, p->file, p->line,
			    "unknown section '[%.40s]' (expected [system], [network], [ssh], [mfa], [syslog], [recording], "
			    "[segment NAME], [target NAME], [grant NAME] or [user NAME])", s);
	if (p->seen_sections & bit)
		return fail(p->err, p->file, p->line, "section '[%s]' appears twice", s);
	p->seen_sections |= bit;
	return 0;
}

static int once(struct pstate *p, int *seen, const char *key)
{
	if (*seen)
		return fail(p->err, p->file, p->line, "'%s' given twice", key);
	*seen = 1;
	return 0;
}

/* a key with two allowed values: *out = 1 for `on`, 0 for `off` */
static int two_way(struct pstate *p, const char *key, const char *val, const char *on,
		   const char *off, int *out)
{
	if (!strcmp(val, on) || !strcmp(val, off)) {
		*out = !strcmp(val, on);
		return 0;
	}
	return fail(p->err, p->file, p->line, "bad %s '%.20s' (expected %s or %s)", key, val, on, off);
}

/* a [syslog] key naming a file: absolute path, given once */
static int path_key(struct pstate *p, int *seen, const char *key, const char *val, char *out)
{
	if (once(p, seen, key))
		return -1;
	if (!siteconf_valid_path(val))
		return fail(p->err, p->file, p->line, "bad %s '%.60s' (expected an absolute path, e.g. /config/%s.pem)",
			    key, val, key);
	snprintf(out, SITECONF_PATHLEN, "%s", val);
	return 0;
}

/* [syslog]: where and how jumpship sends the audit trail, and the spool's
 * bound and failure policy (docs/configuration.md) */
static int syslog_kv(struct pstate *p, const char *key, const char *val)
{
	struct siteconf *c = p->c;
	if (!strcmp(key, "collector")) {
		if (once(p, &c->have_syslog, key))
			return -1;
		if (addr_parse(val, c->syslog_addr) < 0 || strlen(val) >= sizeof c->syslog_addr_text)
			return fail(p->err, p->file, p->line,
				    "bad collector '%.60s' (expected an IPv4 or IPv6 address: the box resolves no names)", val);
		snprintf(c->syslog_addr_text, sizeof c->syslog_addr_text, "%s", val);
		return 0;
	}
	if (!strcmp(key, "port")) {
		if (once(p, &p->seen_s_port, key))
			return -1;
		if (parse_uint(val, 65535, &c->syslog_port) || c->syslog_port == 0)
			return fail(p->err, p->file, p->line, "bad port '%.20s' (expected 1-65535)", val);
		return 0;
	}
	if (!strcmp(key, "server-name")) {
		if (once(p, &p->seen_s_name, key))
			return -1;
		if (!siteconf_valid_dns_name(val))
			return fail(p->err, p->file, p->line,
				    "bad server-name '%.60s' (expected the DNS name in the collector's certificate)", val);
		snprintf(c->syslog_server_name, sizeof c->syslog_server_name, "%s", val);
		return 0;
	}
	if (!strcmp(key, "ca"))
		return path_key(p, &p->seen_s_ca, key, val, c->syslog_ca);
	if (!strcmp(key, "client-cert"))
		return path_key(p, &p->seen_s_cert, key, val, c->syslog_client_cert);
	if (!strcmp(key, "client-key"))
		return path_key(p, &p->seen_s_key, key, val, c->syslog_client_key);
	if (!strcmp(key, "spool-max-mb")) {
		unsigned mb;
		if (once(p, &p->seen_s_max, key))
			return -1;
		if (parse_uint(val, 65536, &mb) || mb == 0)
			return fail(p->err, p->file, p->line, "bad spool-max-mb '%.20s' (expected 1-65536)", val);
		c->spool_max_bytes = (uint64_t)mb << 20;
		return 0;
	}
	if (!strcmp(key, "spool-keep-hours")) {
		if (once(p, &p->seen_s_keep, key))
			return -1;
		if (parse_uint(val, SITECONF_SPOOL_KEEP_MAX_H, &c->spool_keep_hours))
			return fail(p->err, p->file, p->line, "bad spool-keep-hours '%.20s' (expected 0-%u: hours a delivered "
				    "record stays in the spool)", val, SITECONF_SPOOL_KEEP_MAX_H);
		return 0;
	}
	if (!strcmp(key, "fail-closed")) {
		if (once(p, &p->seen_s_closed, key))
			return -1;
		return two_way(p, key, val, "yes", "no", &c->fail_closed);
	}
	return fail(p->err, p->file, p->line, "unknown key '%.40s' in this section", key);
}

/* [syslog] as a whole: a collector needs the name and the CA to check it
 * by; a client certificate comes with its key */
static int check_syslog(const struct pstate *p)
{
	const struct siteconf *c = p->c;
	if (c->have_syslog && !c->syslog_server_name[0])
		return fail(p->err, p->file, p->syslog_line,
			    "[syslog] collector needs server-name (the name its certificate must carry)");
	if (c->have_syslog && !c->syslog_ca[0])
		return fail(p->err, p->file, p->syslog_line,
			    "[syslog] collector needs ca (the PEM CA bundle its certificate is checked against)");
	if (!c->have_syslog && (p->seen_s_port || p->seen_s_name || p->seen_s_ca || p->seen_s_cert || p->seen_s_key))
		return fail(p->err, p->file, p->syslog_line,
			    "[syslog] port/server-name/ca/client-cert/client-key need a collector");
	if (!c->syslog_client_cert[0] != !c->syslog_client_key[0])
		return fail(p->err, p->file, p->syslog_line,
			    "[syslog] client-cert and client-key go together (both or neither)");
	return 0;
}

static int parse_kv(struct pstate *p, char *key, char *val)
{
	struct siteconf *c = p->c;

	switch (p->sec) {
	case SEC_NONE:
		return fail(p->err, p->file, p->line, "'%.40s' outside any section (expected a [section] first)", key);
	case SEC_SYSTEM:
		if (!strcmp(key, "hostname")) {
			if (once(p, &p->seen_hostname, key))
				return -1;
			if (!siteconf_valid_hostname(val))
				return fail(p->err, p->file, p->line, "bad hostname '%.64s' (expected letters, digits and '-', at most 63)", val);
			snprintf(c->hostname, sizeof c->hostname, "%s", val);
			return 0;
		}
		break;
	case SEC_NETWORK:
		if (!strcmp(key, "interface")) {
			if (once(p, &p->seen_interface, key))
				return -1;
			if (strlen(val) == 0 || strlen(val) >= sizeof c->interface || strchr(val, '/'))
				return fail(p->err, p->file, p->line, "bad interface name '%.40s'", val);
			snprintf(c->interface, sizeof c->interface, "%s", val);
			return 0;
		}
		if (!strcmp(key, "address")) {
			if (once(p, &p->seen_address, key))
				return -1;
			if (!strcmp(val, "dhcp")) {
				c->dhcp = 1;
				return 0;
			}
			char *slash = strchr(val, '/');
			if (!slash)
				return fail(p->err, p->file, p->line, "bad address '%.40s' (expected 'dhcp' or A.B.C.D/PREFIX)", val);
			*slash = 0;
			if (addr_parse_ipv4(val, &c->address) || parse_uint(slash + 1, 32, &c->prefix) ||
			    c->prefix == 0)
				return fail(p->err, p->file, p->line, "bad address '%.20s/%.8s' (expected 'dhcp' or A.B.C.D/PREFIX with PREFIX 1-32)", val, slash + 1);
			c->dhcp = 0;
			return 0;
		}
		if (!strcmp(key, "gateway")) {
			if (once(p, &p->seen_gateway, key))
				return -1;
			if (addr_parse_ipv4(val, &c->gateway))
				return fail(p->err, p->file, p->line, "bad gateway '%.40s' (expected A.B.C.D)", val);
			return 0;
		}
		if (!strcmp(key, "dns")) {
			if (c->ndns >= SITECONF_MAX_DNS)
				return fail(p->err, p->file, p->line, "too many 'dns' lines (at most %d)", SITECONF_MAX_DNS);
			if (addr_parse_ipv4(val, &c->dns[c->ndns]))
				return fail(p->err, p->file, p->line, "bad dns server '%.40s' (expected A.B.C.D)", val);
			c->ndns++;
			return 0;
		}
		break;
	case SEC_SSH:
		if (!strcmp(key, "port")) {
			if (once(p, &p->seen_port, key))
				return -1;
			if (parse_uint(val, 65535, &c->ssh_port) || c->ssh_port == 0)
				return fail(p->err, p->file, p->line, "bad port '%.20s' (expected 1-65535)", val);
			return 0;
		}
		/* jumpd's channel table (0 or absent: derived from the machine, budget.h) */
		if (!strcmp(key, "channels-max") || !strcmp(key, "channels-per-user")) {
			int per_user = key[9] == 'p';
			if (once(p, per_user ? &p->seen_chuser : &p->seen_chmax, key))
				return -1;
			if (parse_uint(val, SITECONF_MAX_CHANNELS, per_user ? &c->channels_per_user : &c->channels_max))
				return fail(p->err, p->file, p->line, "bad %s '%.20s' (expected 0-%d; 0: derived from the machine)",
					    key, val, SITECONF_MAX_CHANNELS);
			return 0;
		}
		break;
	case SEC_MFA:
		if (!strcmp(key, "lockout-failures")) {
			if (once(p, &p->seen_lockout, key))
				return -1;
			if (parse_uint(val, 1000, &c->lockout_failures) || c->lockout_failures < 3)
				return fail(p->err, p->file, p->line, "bad lockout-failures '%.20s' (expected 3-1000)", val);
			return 0;
		}
		if (!strcmp(key, "max-delay-seconds")) {
			if (once(p, &p->seen_delay, key))
				return -1;
			if (parse_uint(val, 60, &c->max_delay_seconds) || c->max_delay_seconds < 1)
				return fail(p->err, p->file, p->line, "bad max-delay-seconds '%.20s' (expected 1-60)", val);
			return 0;
		}
		if (!strcmp(key, "source-lockout-minutes")) {
			if (once(p, &p->seen_srclock, key))
				return -1;
			if (parse_uint(val, 1440, &c->source_lockout_minutes) || c->source_lockout_minutes < 1)
				return fail(p->err, p->file, p->line, "bad source-lockout-minutes '%.20s' (expected 1-1440)", val);
			return 0;
		}
		break;
	case SEC_SYSLOG:
		return syslog_kv(p, key, val);
	case SEC_RECORDING:
	case SEC_SEGMENT:
	case SEC_TARGET:
	case SEC_GRANT: {
		char msg[256];
		if (p->sec == SEC_RECORDING ? siteconf_recording_kv(c, key, val, msg, sizeof msg)
					    : siteconf_policy_kv(c, (int)(p->sec - SEC_SEGMENT), p->idx, key, val, msg, sizeof msg))
			return fail(p->err, p->file, p->line, "%s", msg);
		return 0;
	}
	case SEC_USER:
		if (!strcmp(key, "group")) {
			if (!siteconf_valid_name(val))
				return fail(p->err, p->file, p->line, "bad group name '%.40s'", val);
			if (p->user->ngroups >= SITECONF_MAX_GROUPS)
				return fail(p->err, p->file, p->line, "too many groups (at most %d)", SITECONF_MAX_GROUPS);
			snprintf(p->user->groups[p->user->ngroups++], sizeof p->user->groups[0], "%s", val);
			return 0;
		}
		if (!strcmp(key, "mfa")) {
			if (once(p, &p->seen_u_mfa, key))
				return -1;
			return two_way(p, key, val, "totp", "off", &p->user->mfa);
		}
		if (!strcmp(key, "totp-secret")) {
			if (once(p, &p->seen_u_secret, key))
				return -1;
			int n = base32_decode(val, p->user->totp_secret, sizeof p->user->totp_secret);
			if (n < SITECONF_MIN_SECRET)
				return fail(p->err, p->file, p->line,
					    "bad totp-secret (expected base32 of %d to %d bytes, as `jumpctl mfa-enroll` prints)",
					    SITECONF_MIN_SECRET, SITECONF_MAX_SECRET);
			p->user->totp_secret_len = (unsigned)n;
			return 0;
		}
		if (!strcmp(key, "totp-algorithm")) {
			if (once(p, &p->seen_u_alg, key))
				return -1;
			if (!strcasecmp(val, "SHA1"))
				p->user->totp_alg = TOTP_SHA1;
			else if (!strcasecmp(val, "SHA256"))
				p->user->totp_alg = TOTP_SHA256;
			else if (!strcasecmp(val, "SHA512"))
				p->user->totp_alg = TOTP_SHA512;
			else
				return fail(p->err, p->file, p->line, "bad totp-algorithm '%.20s' (expected SHA1, SHA256 or SHA512)", val);
			return 0;
		}
		if (!strcmp(key, "totp-digits")) {
			if (once(p, &p->seen_u_digits, key))
				return -1;
			if (strcmp(val, "6") != 0 && strcmp(val, "8") != 0)
				return fail(p->err, p->file, p->line, "bad totp-digits '%.20s' (expected 6 or 8)", val);
			p->user->totp_digits = (unsigned)(val[0] - '0');
			return 0;
		}
		if (!strcmp(key, "mfa-remember-minutes")) {
			if (once(p, &p->seen_u_remember, key))
				return -1;
			if (parse_uint(val, SITECONF_MAX_REMEMBER, &p->user->remember_minutes))
				return fail(p->err, p->file, p->line, "bad mfa-remember-minutes '%.20s' (expected 0-%d)",
					    val, SITECONF_MAX_REMEMBER);
			return 0;
		}
		if (!strcmp(key, "admin")) {
			if (once(p, &p->seen_u_admin, key))
				return -1;
			return two_way(p, key, val, "yes", "no", &p->user->admin);
		}
		if (!strcmp(key, "shell")) {
			if (once(p, &p->seen_u_shell, key))
				return -1;
			return two_way(p, key, val, "diagnostic", "menu", &p->user->diagnostic_shell);
		}
		if (!strcmp(key, "key")) {
			char why[160];
			if (strlen(val) >= SITECONF_MAX_KEYLEN)
				return fail(p->err, p->file, p->line, "key too long (at most %d bytes)", SITECONF_MAX_KEYLEN - 1);
			if (authkey_check(val, why, sizeof why))
				return fail(p->err, p->file, p->line, "bad key for user '%s': %s", p->user->name, why);
			if (c->nkeys >= SITECONF_MAX_KEYS)
				return fail(p->err, p->file, p->line, "too many keys (at most %d in all)", SITECONF_MAX_KEYS);
			snprintf(c->keys[c->nkeys++], SITECONF_MAX_KEYLEN, "%s", val);
			p->user->nkeys++;
			return 0;
		}
		break;
	}
	return fail(p->err, p->file, p->line, "unknown key '%.40s' in this section", key);
}

int siteconf_parse(struct siteconf *c, const char *text, size_t len,
		   const char *filename, struct siteconf_error *err)
{
	struct pstate p = { .c = c, .err = err, .file = filename };
	char buf[MAX_LINE];
	size_t pos = 0;

	siteconf_defaults(c);
	memset(err, 0, sizeof *err);
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		p.line++;
		if (end - pos >= sizeof buf)
			return fail(err, filename, p.line, "line too long (at most %d bytes)", MAX_LINE - 1);
		if (memchr(text + pos, 0, end - pos))
			return fail(err, filename, p.line, "NUL byte in line");
		memcpy(buf, text + pos, end - pos);
		buf[end - pos] = 0;
		pos = end + 1;
		char *s = trim(buf);
		if (*s == 0 || *s == '#')
			continue;
		for (char *q = s; *q; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t')
				return fail(err, filename, p.line, "control character in line");
		if (*s == '[') {
			if (parse_header(&p, s))
				return -1;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return fail(err, filename, p.line, "expected 'key = value' or '[section]'");
		*eq = 0;
		char *key = trim(s), *val = trim(eq + 1);
		if (!*key)
			return fail(err, filename, p.line, "missing key before '='");
		if (!*val)
			return fail(err, filename, p.line, "missing value for '%.40s'", key);
		if (parse_kv(&p, key, val))
			return -1;
	}
	if (finish_section(&p) || check_syslog(&p))
		return -1;
	{
		char msg[256];
		unsigned line = 0;
		if (siteconf_check_grants(c, msg, sizeof msg, &line))
			return fail(err, filename, line, "%s", msg);
	}
	for (unsigned i = 0; i < c->nusers; i++) {
		const struct siteconf_user *u = &c->users[i];
		if (u->nkeys == 0)
			return fail(err, filename, u->line, "user '%s' has no key", u->name);
		if (u->mfa && u->totp_secret_len == 0)
			return fail(err, filename, u->line,
				    "user '%s' needs a second factor (the default) but has no totp-secret: "
				    "enroll with `jumpctl mfa-enroll %s`, or set mfa = off", u->name, u->name);
		if (u->diagnostic_shell && !u->admin)
			return fail(err, filename, u->line,
				    "user '%s' has shell = diagnostic but is not an admin (admin = yes)", u->name);
		if (!u->mfa && (u->totp_secret_len || u->remember_minutes))
			return fail(err, filename, u->line,
				    "user '%s' has mfa = off but TOTP settings: remove them or set mfa = totp", u->name);
	}
	if (!c->dhcp && !p.seen_address)
		return fail(err, filename, 0, "internal: static network without address");
	if (c->dhcp && (p.seen_gateway || c->ndns))
		return fail(err, filename, 0, "[network] gateway/dns need a static 'address' (DHCP provides them)");
	return 0;
}

int siteconf_load(struct siteconf *c, const char *path, struct siteconf_error *err)
{
	static char buf[(1 << 20) + 1];
	size_t len;
	if (readfile_whole(path, 0, buf, sizeof buf, &len)) {
		if (errno == EFBIG)
			return fail(err, path, 0, "file larger than 1 MiB");
		return fail(err, path, 0, "cannot read: %s", strerror(errno));
	}
	return siteconf_parse(c, buf, len, path, err);
}
