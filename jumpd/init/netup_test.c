/* unit tests for jb-net: its command line (built from the config by the
 * supervisor, parsed by jb-net), netmasks, resolv.conf */
#include "netcfg.h"
#include "netup.h"
#include "testutil.h"
#include "../common/unittest.h"
#include <string.h>

static struct siteconf c;

static int parse_args(const struct netup_args *a, struct netup_plan *p, char *why)
{
	int argc = 0;
	while (a->argv[argc])
		argc++;
	return netup_parse(argc, (char *const *)a->argv, p, why, 128);
}

static void test_masks(void)
{
	CHECK(net_prefix_to_mask(24) == 0xffffff00u);
	CHECK(net_prefix_to_mask(32) == 0xffffffffu);
	CHECK(net_prefix_to_mask(1) == 0x80000000u);
	CHECK(net_mask_to_prefix(0xffffff00u) == 24);
	CHECK(net_mask_to_prefix(0xff00ff00u) == -1);
}

static void test_static_round_trip(void)
{
	static struct netup_args a;
	struct netup_plan p;
	char why[128] = "";
	struct siteconf_error err;
	const char *text = "[network]\ninterface = ens3\naddress = 192.0.2.10/24\ngateway = 192.0.2.1\n"
			   "dns = 192.0.2.53\ndns = 192.0.2.54\n";
	CHECK(siteconf_parse(&c, text, strlen(text), "t.conf", &err) == 0);
	netup_args(&c, "/sbin/jb-net", &a);
	CHECK(!strcmp(a.argv[0], "/sbin/jb-net") && !strcmp(a.argv[1], "-i") && !strcmp(a.argv[2], "ens3"));
	CHECK(!strcmp(a.argv[3], "-a") && !strcmp(a.argv[4], "192.0.2.10/24"));
	CHECK(parse_args(&a, &p, why) == 0);
	CHECK(!strcmp(p.ifname, "ens3") && p.is_static && p.address == 0xc000020a && p.prefix == 24);
	CHECK(p.gateway == 0xc0000201 && p.ndns == 2 && p.dns[1] == 0xc0000236);
}

static void test_dhcp_only_links(void)
{
	static struct netup_args a;
	struct netup_plan p;
	char why[128] = "";
	siteconf_defaults(&c); /* DHCP on eth0 */
	netup_args(&c, "jb-net", &a);
	CHECK(a.argv[3] == NULL); /* the address is udhcpc's business */
	CHECK(parse_args(&a, &p, why) == 0 && !p.is_static && !strcmp(p.ifname, "eth0"));
}

static void test_parse_refuses(void)
{
	struct netup_plan p;
	char why[128];
	char *none[] = { "jb-net", NULL };
	char *noval[] = { "jb-net", "-i", NULL };
	char *badaddr[] = { "jb-net", "-i", "eth0", "-a", "10.0.0.1", NULL };
	char *badprefix[] = { "jb-net", "-i", "eth0", "-a", "10.0.0.1/33", NULL };
	char *slash[] = { "jb-net", "-i", "eth/0", NULL };
	char *unknown[] = { "jb-net", "-i", "eth0", "-x", "1", NULL };
	char *dns_no_addr[] = { "jb-net", "-i", "eth0", "-n", "10.0.0.53", NULL };
	char *many_dns[] = { "jb-net", "-i", "eth0", "-a", "10.0.0.1/8", "-n", "1.1.1.1", "-n", "1.1.1.2",
			     "-n", "1.1.1.3", "-n", "1.1.1.4", NULL };
	CHECK(netup_parse(1, none, &p, why, sizeof why) == -1 && strstr(why, "required"));
	CHECK(netup_parse(2, noval, &p, why, sizeof why) == -1);
	CHECK(netup_parse(5, badaddr, &p, why, sizeof why) == -1);
	CHECK(netup_parse(5, badprefix, &p, why, sizeof why) == -1);
	CHECK(netup_parse(3, slash, &p, why, sizeof why) == -1);
	CHECK(netup_parse(5, unknown, &p, why, sizeof why) == -1);
	CHECK(netup_parse(5, dns_no_addr, &p, why, sizeof why) == -1);
	CHECK(netup_parse(13, many_dns, &p, why, sizeof why) == -1);
}

static void test_resolv_written_whole(void)
{
	const char *dir = test_dir("resolv");
	char path[300];
	const uint32_t dns[2] = { 0xc0000235, 0x0a000203 };
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(path, sizeof path, "%s/resolv.conf", dir);
	CHECK(net_write_resolv(path, dns, 2) == 0);
	CHECK(!strcmp(test_read(path), "nameserver 192.0.2.53\nnameserver 10.0.2.3\n"));
	CHECK(net_write_resolv(path, dns, 0) == 0);
	CHECK(!strcmp(test_read(path), ""));
}

int main(void)
{
	RUN(test_masks);
	RUN(test_static_round_trip);
	RUN(test_dhcp_only_links);
	RUN(test_parse_refuses);
	RUN(test_resolv_written_whole);
	UT_END();
}
