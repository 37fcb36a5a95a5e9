/* netcfg: interface, route and resolver setup (see netcfg.h). */
#include "netcfg.h"
#include "log.h"
#include "../common/addr.h"
#include "../common/durable.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

uint32_t net_prefix_to_mask(unsigned prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xffffffffu;
	return ~((1u << (32 - prefix)) - 1);
}

int net_mask_to_prefix(uint32_t mask)
{
	int p = 0;
	while (p < 32 && (mask & (0x80000000u >> p)))
		p++;
	return net_prefix_to_mask((unsigned)p) == mask ? p : -1;
}

static int sock(void)
{
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
}

int net_link_up(const char *ifname)
{
	struct ifreq ifr;
	int fd = sock(), rc = -1;
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (rc)
		log_msg("net: cannot bring %s up: %s", ifname, strerror(errno));
	close(fd);
	return rc;
}

int net_set_ipv4(const char *ifname, uint32_t addr, uint32_t mask)
{
	struct ifreq ifr;
	int fd = sock(), rc;
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	set_sin(&ifr.ifr_addr, addr);
	rc = ioctl(fd, SIOCSIFADDR, &ifr);
	if (rc == 0 && addr) {
		set_sin(&ifr.ifr_netmask, mask);
		rc = ioctl(fd, SIOCSIFNETMASK, &ifr);
	}
	if (rc)
		log_msg("net: cannot set address on %s: %s", ifname, strerror(errno));
	close(fd);
	return rc;
}

int net_set_default_route(uint32_t gw)
{
	struct rtentry rt;
	int fd = sock(), rc;
	if (fd < 0)
		return -1;
	memset(&rt, 0, sizeof rt);
	set_sin(&rt.rt_dst, 0);
	set_sin(&rt.rt_genmask, 0);
	while (ioctl(fd, SIOCDELRT, &rt) == 0)
		;
	set_sin(&rt.rt_gateway, gw);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	rc = ioctl(fd, SIOCADDRT, &rt);
	if (rc)
		log_msg("net: cannot add default route: %s", strerror(errno));
	close(fd);
	return rc;
}

int net_write_resolv(const char *path, const uint32_t *dns, unsigned n)
{
	char buf[256];
	size_t len = 0;
	for (unsigned i = 0; i < n && i < 3; i++) {
		struct in_addr a = { htonl(dns[i]) };
		len += (size_t)snprintf(buf + len, sizeof buf - len, "nameserver %s\n", inet_ntoa(a));
	}
	return durable_replace(path, buf, len, 0644);
}

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
