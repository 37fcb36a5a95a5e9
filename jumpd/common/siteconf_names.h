/* siteconf_names: what the site configuration accepts as a name (users,
 * groups, segments, targets, grants), a host name, a DNS name and a path;
 * the system accounts no [user NAME] may take; and the printable form of
 * an error message. Used by siteconf.c; no state. */
#ifndef JB_SITECONF_NAMES_H
#define JB_SITECONF_NAMES_H
#include "siteconf_types.h"

/* [a-z_][a-z0-9_-]*, at most SITECONF_NAMELEN characters */
int siteconf_valid_name(const char *s);
/* letters, digits and '-' (not first or last), shorter than SITECONF_HOSTLEN */
int siteconf_valid_hostname(const char *s);
/* dot-separated labels of letters, digits and '-' (not first or last in a
 * label, at most 63), at most 253 characters, no final dot */
int siteconf_valid_dns_name(const char *s);
/* an absolute path of printable ASCII, no space, no ".." component */
int siteconf_valid_path(const char *s);

/* 1 if name is an account or group of the image (root, dhcp, sshd,
 * jumpd, fw, ship, nobody, nogroup) or a usual system account name
 * elsewhere (bin, daemon, ...), which no site user may be. */
int siteconf_system_account(const char *name);
/* Those names, comma-separated, for an error message (a static buffer). */
const char *siteconf_system_accounts_text(void);

/* Replaces every byte of s outside printable ASCII (0x20-0x7e) by '?': an
 * error message quotes the file, and the console must get no escape from
 * it, nor half a UTF-8 character cut by a %.40s. */
void siteconf_printable(char *s);
#endif
