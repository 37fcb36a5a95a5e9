/* netcfg: interface, route and resolver setup with ioctls (see netcfg.h). */
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
