/* siteconf: the site configuration file (jumpbox.conf on the config volume).
 *
 * Owns parsing and validating the file into a caller-owned struct siteconf.
 * The format is INI-like: `[section]` or `[user NAME]` headers, `key = value`
 * lines, `#` comments. Parsing is strict: an unknown section or key, a bad
 * value, a duplicate where one is allowed — each is an error naming file and
 * line, and the caller must then apply nothing (the struct's contents are
 * unspecified after a failure).
 *
 * No allocation: the struct holds fixed-size arrays (limits below). */
#ifndef JB_SITECONF_H
#define JB_SITECONF_H

#include "siteconf_types.h"

#include <stddef.h>

/* Fills *out with defaults (hostname "jumpbox", DHCP on eth0, port 22, no
 * users; [mfa] lockout after 20 failures, delay capped at 8 s, source
 * lockout 15 min; [syslog] no collector, port 6514, spool 256 MiB, fail
 * closed). Never fails. */
void siteconf_defaults(struct siteconf *out);

/* Parses `len` bytes of `text` (need not be NUL-terminated) over the
 * defaults. `filename` is used only in error messages. Returns 0 on success;
 * on failure returns -1 and fills *err (file, line, what was expected). */
int siteconf_parse(struct siteconf *out, const char *text, size_t len,
		   const char *filename, struct siteconf_error *err);

/* Reads and parses a whole file (at most 1 MiB). Same contract as
 * siteconf_parse; an unreadable or oversized file is an error too. */
int siteconf_load(struct siteconf *out, const char *path, struct siteconf_error *err);

/* Index of the named target, or -1 (siteconf_policy.c). */
int siteconf_find_target(const struct siteconf *c, const char *name);

#endif
