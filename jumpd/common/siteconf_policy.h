/* siteconf_policy: internal interface between siteconf.c's parser and the
 * [segment], [target] and [grant] sections (siteconf_policy.c). Each
 * function returns 0, or -1 with what was expected in msg. */
#ifndef JB_SITECONF_POLICY_H
#define JB_SITECONF_POLICY_H
#include "siteconf_types.h"

/* Index of the named target, or -1 (also declared in siteconf.h for readers). */
int siteconf_find_target(const struct siteconf *c, const char *name);
/* sec: 0 segment, 1 target, 2 grant; idx: the entry being filled */
int siteconf_policy_kv(struct siteconf *c, int sec, unsigned idx, const char *key, const char *val,
		       char *msg, size_t cap);
int siteconf_finish_target(struct siteconf *c, unsigned idx, char *msg, size_t cap);
/* whole-file checks; sets *line to the offending grant's header */
int siteconf_check_grants(const struct siteconf *c, char *msg, size_t cap, unsigned *line);

/* value parsers, exposed for the unit tests */
int siteconf_parse_date_end(const char *s, int64_t *out);
int siteconf_parse_hours(const char *s, int *from, int *to);
int siteconf_parse_days(const char *s, unsigned *out);
#endif
