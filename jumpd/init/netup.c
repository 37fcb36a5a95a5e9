/* netup (jb-net): the configured network (see netup.h). */
#include "netup.h"
#include "log.h"
#include "netcfg.h"
#include "../common/addr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ipv4_text(uint32_t a, char *out, size_t cap)
{
	struct in_addr in = { htonl(a) };
	inet_ntop(AF_INET, &in, out, (socklen_t)cap);
	return out;
}

void netup_args(const struct siteconf *c, const char *program, struct netup_args *out)
{
	unsigned n = 0;
	memset(out, 0, sizeof *out);
	out->argv[n++] = program;
	out->argv[n++] = "-i";
	out->argv[n++] = c->interface;
	if (!c->dhcp) {
		char ip[INET_ADDRSTRLEN];
		unsigned t = 0;
		snprintf(out->text[t], sizeof out->text[t], "%s/%u", ipv4_text(c->address, ip, sizeof ip), c->prefix);
		out->argv[n++] = "-a";
		out->argv[n++] = out->text[t++];
		if (c->gateway) {
			out->argv[n++] = "-g";
			out->argv[n++] = ipv4_text(c->gateway, out->text[t++], sizeof out->text[0]);
		}
		for (unsigned i = 0; i < c->ndns && i < SITECONF_MAX_DNS; i++) {
			out->argv[n++] = "-n";
			out->argv[n++] = ipv4_text(c->dns[i], out->text[t++], sizeof out->text[0]);
		}
	}
	out->argv[n] = NULL;
}

static int parse_cidr(const char *s, uint32_t *addr, unsigned *prefix)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof ip || !slash[1])
		return -1;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = 0;
	char *end;
	long p = strtol(slash + 1, &end, 10);
	if (*end || p < 0 || p > 32 || addr_parse_ipv4(ip, addr))
		return -1;
	*prefix = (unsigned)p;
	return 0;
}

int netup_parse(int argc, char *const *argv, struct netup_plan *out, char *why, size_t whylen)
{
	int have_gateway = 0;
	memset(out, 0, sizeof *out);
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val) {
			snprintf(why, whylen, "%s: needs a value", opt);
			return -1;
		}
		if (!strcmp(opt, "-i")) {
			if (!val[0] || strlen(val) >= IFNAMSIZ || strchr(val, '/')) {
				snprintf(why, whylen, "-i %s: not an interface name", val);
				return -1;
			}
			snprintf(out->ifname, sizeof out->ifname, "%s", val);
		} else if (!strcmp(opt, "-a")) {
			if (parse_cidr(val, &out->address, &out->prefix)) {
				snprintf(why, whylen, "-a %s: expected A.B.C.D/PREFIX", val);
				return -1;
			}
			out->is_static = 1;
		} else if (!strcmp(opt, "-g")) {
			if (addr_parse_ipv4(val, &out->gateway) || out->gateway == 0) {
				snprintf(why, whylen, "-g %s: expected an IPv4 address", val);
				return -1;
			}
			have_gateway = 1;
		} else if (!strcmp(opt, "-n")) {
			if (out->ndns >= SITECONF_MAX_DNS || addr_parse_ipv4(val, &out->dns[out->ndns])) {
				snprintf(why, whylen, "-n %s: expected at most %d IPv4 addresses", val, SITECONF_MAX_DNS);
				return -1;
			}
			out->ndns++;
		} else {
			snprintf(why, whylen, "%s: unknown option", opt);
			return -1;
		}
	}
	if (!out->ifname[0]) {
		snprintf(why, whylen, "-i IFACE is required");
		return -1;
	}
	if (!out->is_static && (have_gateway || out->ndns)) {
		snprintf(why, whylen, "-g and -n need a static address (-a)");
		return -1;
	}
	return 0;
}

int netup_apply(const struct netup_plan *p)
{
	int failed = 0;
	/* a link that is down is said by net_link_up; the boot goes on without it */
	failed |= net_link_up("lo");
	failed |= net_link_up(p->ifname);
	if (!p->is_static)
		return failed ? -1 : 0;
	failed |= net_set_ipv4(p->ifname, p->address, net_prefix_to_mask(p->prefix));
	if (p->gateway)
		failed |= net_set_default_route(p->gateway);
	if (net_write_resolv(RESOLV_CONF, p->dns, p->ndns)) {
		log_msg("net: cannot write %s", RESOLV_CONF);
		failed = 1;
	}
	log_msg("net: %s static, prefix /%u", p->ifname, p->prefix);
	return failed ? -1 : 0;
}

int netup_main(int argc, char **argv)
{
	struct netup_plan plan;
	char why[128];
	if (netup_parse(argc, argv, &plan, why, sizeof why)) {
		log_msg("jb-net: %s", why);
		return 2;
	}
	return netup_apply(&plan) ? 1 : 0;
}
