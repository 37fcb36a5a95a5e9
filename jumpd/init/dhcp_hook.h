/* dhcp_hook (jb-dhcp-hook): the script udhcpc runs on each lease event
 * (`-s /sbin/jb-dhcp-hook`): parses the lease udhcpc hands over in the
 * environment and applies it (address, default route, resolv.conf). It runs
 * as udhcpc does: the dhcp account, NET_RAW, NET_ADMIN, NET_BIND_SERVICE. */
#ifndef JB_INIT_DHCP_HOOK_H
#define JB_INIT_DHCP_HOOK_H
#include <stdint.h>

struct dhcp_lease {
	uint32_t ip, mask, router;  /* host byte order; router 0: none */
	uint32_t dns[3];
	unsigned ndns;
};

/* Parses a lease as udhcpc hands it over (environment strings, any may be
 * NULL): ip is required; mask is a prefix length ("24") and wins over
 * subnet ("255.255.255.0"); router and dns are space-separated lists (the
 * first router is used; the first 3 valid dns
 * kept). Returns 0, or -1 if ip or a given mask/subnet/router is invalid.
 * Pure: the lease comes from the network and is fuzzed. */
int dhcp_parse_lease(const char *ip, const char *mask, const char *subnet,
		     const char *router, const char *dns, struct dhcp_lease *out);

/* udhcpc hook: argv[1] is the event (deconfig, bound, renew; others are
 * ignored), the interface and lease are in the environment. Returns 0, or
 * 1 if the interface is missing or the lease malformed or not applied. */
int dhcp_hook_main(int argc, char **argv);
#endif
