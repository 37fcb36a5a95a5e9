/* policy: who may reach which target and port, now. Owns the decision for
 * one direct-tcpip channel: the client's host (a target name, or an address
 * that must be a configured target; names resolve only through the config,
 * never DNS), the port, the user's grants (direct or through a group), each
 * grant's expiry date and weekly window (UTC). Pure: no I/O. */
#ifndef JB_POLICY_H
#define JB_POLICY_H
#include <stdint.h>
#include "../common/siteconf.h"

struct policy_result {
	int allow;
	const char *reason;   /* static: granted, unknown-target, forbidden-segment, not-a-target,
				 port-not-allowed, not-granted, grant-expired, outside-window */
	int target;           /* index in conf->targets, -1 if none */
	int grant;            /* the grant that allowed it, -1 if none */
};

/* Decides for conf->users[user] asking for host:port at unix time now. */
void policy_decide(const struct siteconf *conf, unsigned user, const char *host, unsigned port,
		   int64_t now, struct policy_result *r);
#endif
