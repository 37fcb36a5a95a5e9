/* netcfg: IPv4 interface configuration with plain ioctls (no `ip` binary):
 * link up, address and netmask, default route, resolv.conf. Also the
 * udhcpc hook that applies a DHCP lease. */
#ifndef JB_INIT_NETCFG_H
#define JB_INIT_NETCFG_H
#include <stdint.h>

/* /etc/resolv.conf links here; the directory belongs to the DHCP service user */
#define RESOLV_CONF "/run/net/resolv.conf"

/* prefix length (0..32) to netmask and back; -1 for a non-contiguous mask */
uint32_t net_prefix_to_mask(unsigned prefix);
int net_mask_to_prefix(uint32_t mask);

int net_link_up(const char *ifname);
/* addr/mask in host byte order; addr 0 removes the address */
int net_set_ipv4(const char *ifname, uint32_t addr, uint32_t mask);
/* replaces any default route with one via gw (host byte order) */
int net_set_default_route(uint32_t gw);
/* writes `path` atomically with up to n nameservers */
int net_write_resolv(const char *path, const uint32_t *dns, unsigned n);

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

/* udhcpc hook: argv[1] is the event, the lease is in the environment. */
int dhcp_hook_main(int argc, char **argv);
#endif
