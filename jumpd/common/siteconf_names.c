/* siteconf_names: the names and paths the site configuration may hold
 * (see siteconf_names.h). */
#include "siteconf_names.h"

#include <stdio.h>
#include <string.h>

/* The accounts and groups of the image (jumpd/init/users.c renders them:
 * siteconf_test.c checks that each is here), then names that are system
 * accounts elsewhere, kept out so that no site's user is mistaken for one. */
static const char *const system_accounts[] = {
	"root", "dhcp", "sshd", "jumpd", "fw", "ship", "rec", "nobody", "nogroup",
	"auth-sock", "ctl-sock", "fw-sock", "rec-sock", /* common/sockgroups.h */
	"dropbear", "daemon", "bin", "sys", "sync", "fwhelper", "audit", NULL
};

int siteconf_valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SITECONF_NAMELEN)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int siteconf_valid_hostname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= SITECONF_HOSTLEN || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* a DNS name as a certificate carries it: dot-separated labels of letters,
 * digits and '-' (no leading or trailing '-'), at most 253 characters */
int siteconf_valid_dns_name(const char *s)
{
	size_t n = strlen(s), label = 0;
	if (n == 0 || n >= SITECONF_DNSNAMELEN || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      (ch == '-' && label > 0)) || ++label > 63)
			return 0;
	}
	return s[n - 1] != '-';
}

/* an absolute path of printable characters without spaces or "..": names
 * a file on the config volume, never anything relative to a working dir */
int siteconf_valid_path(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n >= SITECONF_PATHLEN || s[0] != '/' || strstr(s, "/../") ||
	    (n >= 3 && !strcmp(s + n - 3, "/..")))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

int siteconf_system_account(const char *name)
{
	for (int i = 0; system_accounts[i]; i++)
		if (!strcmp(name, system_accounts[i]))
			return 1;
	return 0;
}

const char *siteconf_system_accounts_text(void)
{
	static char text[160];
	size_t n = 0;
	text[0] = 0;
	for (int i = 0; system_accounts[i] && n < sizeof text; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? ", " : "", system_accounts[i]);
	return text;
}

void siteconf_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}
