/* dhcp_hook (jb-dhcp-hook): the udhcpc hook (see dhcp_hook.h). */
#include "dhcp_hook.h"
#include "log.h"
#include "netcfg.h"
#include "../common/addr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dhcp_parse_lease(const char *ip, const char *mask, const char *subnet,
		     const char *router, const char *dns, struct dhcp_lease *out)
{
	memset(out, 0, sizeof *out);
	out->mask = 0xffffff00u;
	if (!ip || addr_parse_ipv4(ip, &out->ip) || out->ip == 0)
		return -1;
	if (mask) {
		char *end;
		long p = strtol(mask, &end, 10);
		if (!*mask || *end || p < 1 || p > 32)
			return -1;
		out->mask = net_prefix_to_mask((unsigned)p);
	} else if (subnet) {
		if (addr_parse_ipv4(subnet, &out->mask) || net_mask_to_prefix(out->mask) < 1)
			return -1;
	}
	if (router) {
		/* a list is allowed: the first router is the default gateway */
		char first[16];
		size_t n = strcspn(router, " ");
		if (n == 0 || n >= sizeof first)
			return -1;
		memcpy(first, router, n);
		first[n] = 0;
		if (addr_parse_ipv4(first, &out->router))
			return -1;
	}
	if (dns) {
		char copy[256], *save = NULL;
		snprintf(copy, sizeof copy, "%s", dns);
		for (char *t = strtok_r(copy, " ", &save); t && out->ndns < 3; t = strtok_r(NULL, " ", &save))
			if (addr_parse_ipv4(t, &out->dns[out->ndns]) == 0)
				out->ndns++;
	}
	return 0;
}

int dhcp_hook_main(int argc, char **argv)
{
	const char *ev = argc > 1 ? argv[1] : "";
	const char *ifname = getenv("interface");
	if (!ifname || strlen(ifname) >= IFNAMSIZ)
		return 1;
	if (!strcmp(ev, "deconfig")) {
		net_link_up(ifname);
		net_set_ipv4(ifname, 0, 0);
		return 0;
	}
	if (strcmp(ev, "bound") != 0 && strcmp(ev, "renew") != 0)
		return 0;
	struct dhcp_lease l;
	if (dhcp_parse_lease(getenv("ip"), getenv("mask"), getenv("subnet"), getenv("router"),
			     getenv("dns"), &l)) {
		log_msg("dhcp: %s: malformed lease ignored", ev);
		return 1;
	}
	if (net_set_ipv4(ifname, l.ip, l.mask))
		return 1;
	if (l.router)
		net_set_default_route(l.router);
	net_write_resolv(RESOLV_CONF, l.dns, l.ndns);
	struct in_addr a = { htonl(l.ip) };
	log_msg("dhcp: %s %s/%d on %s", ev, inet_ntoa(a), net_mask_to_prefix(l.mask), ifname);
	return 0;
}
