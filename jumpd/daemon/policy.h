/* policy: who may reach which target and port, now. Owns the decision for
 * one direct-tcpip channel: the client's host (a target name, or an address
 * that must be a configured target; names resolve only through the config,
 * never DNS), the port, the user's grants (direct or through a group), each
 * grant's expiry date and weekly window (UTC); and the same for a recorded
 * session (the target's access mode, the grant's target accounts). Pure:
 * no I/O. */
#ifndef JB_POLICY_H
#define JB_POLICY_H
#include <stdint.h>
#include "../common/siteconf.h"

struct policy_result {
	int allow;
	const char *reason;   /* static: granted, unknown-target, forbidden-segment, not-a-target,
				 port-not-allowed, not-granted, grant-expired, outside-window,
				 recorded-only (granted, but the target takes only recorded sessions);
				 recorded: not-recorded, no-account */
	int target;           /* index in conf->targets, -1 if none */
	int grant;            /* the grant that allowed it, -1 if none */
	const char *account;  /* recorded: the target account (the grant's), NULL if none */
};

/* Decides for conf->users[user] asking for host:port at unix time now (a
 * direct-tcpip channel: a target whose access is `recorded` is refused
 * recorded-only once a grant would allow it). */
void policy_decide(const struct siteconf *conf, unsigned user, const char *host, unsigned port,
		   int64_t now, struct policy_result *r);
/* Decides a recorded session of conf->users[user] for selector, which is
 * TARGET or ACCOUNT%TARGET (a target name: no address), at unix time now.
 * The target's access must be recorded or both and its first port (the
 * recorder's) granted; the account is the named one, which must be one of
 * the allowing grant's accounts, else that grant's first. */
void policy_decide_recorded(const struct siteconf *conf, unsigned user, const char *selector, int64_t now,
			    struct policy_result *r);
#endif
