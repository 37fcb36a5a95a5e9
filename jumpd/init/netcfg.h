/* netcfg: IPv4 interface configuration with plain ioctls (no `ip` binary):
 * link up, address and netmask, default route, resolv.conf. The library of
 * jb-net (netup.c: the configured address) and of jb-dhcp-hook
 * (dhcp_hook.c: a leased one); each needs CAP_NET_ADMIN, nothing else. */
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
#endif
