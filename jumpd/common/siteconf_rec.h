/* siteconf_rec: the recorded-session part of the site configuration — the
 * [target] keys access, host-key and record-input, the [grant] key
 * account, the [recording] section, and the checks that tie them together
 * (a recorded target has a pinned host key; a grant giving one names an
 * account). Called by siteconf.c and siteconf_policy.c, never calling back
 * into them. Each function that can fail returns 0, or -1 with what was
 * expected in msg. */
#ifndef JB_SITECONF_REC_H
#define JB_SITECONF_REC_H
#include "siteconf_types.h"

#include <stddef.h>

/* One [target] key. Returns 1 if key is not one of access, host-key,
 * record-input (the caller goes on), else 0 or -1. */
int siteconf_rec_target_kv(struct siteconf_target *t, const char *key, const char *val, char *msg, size_t cap);
/* One [grant] key. Returns 1 if key is not `account`, else 0 or -1. */
int siteconf_rec_grant_kv(struct siteconf_grant *g, const char *key, const char *val, char *msg, size_t cap);
/* The end of a [target]: access recorded or both needs a host-key. */
int siteconf_rec_finish_target(const struct siteconf_target *t, char *msg, size_t cap);
/* A whole grant: if it names a recorded or both target, it needs an account. */
int siteconf_rec_check_grant(const struct siteconf *c, const struct siteconf_grant *g, char *msg, size_t cap);
/* One [recording] key (max-mb, fail-closed, ship-rate-kb; each once). */
int siteconf_recording_kv(struct siteconf *c, const char *key, const char *val, char *msg, size_t cap);

/* "SHA256:" then 43 base64 characters (no padding) encoding 32 bytes, as
 * `ssh-keygen -lf` prints: 1 if s is one */
int siteconf_valid_host_key(const char *s);
/* "jump", "recorded" or "both" */
const char *siteconf_access_name(int access);
/* 1 if users may reach t through the recorder / with ssh -J */
int siteconf_target_recorded(const struct siteconf_target *t);
int siteconf_target_jump(const struct siteconf_target *t);
/* 1 if some target of c is reached through the recorder (recorded or
 * both): only then the recorder and the shipper of its trail run. */
int siteconf_any_recorded(const struct siteconf *c);
/* Index of account in g's accounts, or -1. */
int siteconf_grant_account(const struct siteconf_grant *g, const char *account);
#endif
