/* netup (jb-net): the network as configured, before any service: loopback
 * and the configured interface up; with a static address also the address,
 * the default route and resolv.conf. With DHCP the address comes later,
 * from udhcpc (a supervised service) through jb-dhcp-hook.
 *
 * Run once by the supervisor, after the firewall policy is loaded, as the
 * dhcp account with CAP_NET_ADMIN only (it writes /run/net/resolv.conf, as
 * the DHCP hook does). It is told everything on its command line, built
 * by netup_args() from the applied config; it never reads the config,
 * which holds TOTP secrets:
 *
 *     jb-net -i IFACE [-a A.B.C.D/PREFIX [-g GATEWAY] [-n NAMESERVER]...] */
#ifndef JB_INIT_NETUP_H
#define JB_INIT_NETUP_H
#include <stdint.h>
#include "../common/siteconf.h"

struct netup_plan {
	char ifname[16];
	int is_static;             /* 1: -a given */
	uint32_t address;          /* host byte order */
	unsigned prefix;
	uint32_t gateway;          /* 0: none */
	uint32_t dns[SITECONF_MAX_DNS];
	unsigned ndns;
};

/* jb-net's command line from the applied config; argv points into *out */
struct netup_args {
	const char *argv[8 + 2 * SITECONF_MAX_DNS];
	char text[3 + SITECONF_MAX_DNS][24];
};
void netup_args(const struct siteconf *c, const char *program, struct netup_args *out);

/* Parses jb-net's command line (argv[0] is the program). Returns 0, or -1
 * with the reason in why (at least 64 bytes). Pure. */
int netup_parse(int argc, char *const *argv, struct netup_plan *out, char *why, size_t whylen);

/* Applies a plan. Returns 0, or -1 if a step failed (each is logged). */
int netup_apply(const struct netup_plan *p);

/* jb-net ... */
int netup_main(int argc, char **argv);
#endif
