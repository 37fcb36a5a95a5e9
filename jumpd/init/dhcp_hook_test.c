/* unit tests for jb-dhcp-hook: the lease parser, and which events the hook
 * acts on (the ones checked here return before touching an interface) */
#include "dhcp_hook.h"
#include "../common/unittest.h"
#include <stdlib.h>
#include <string.h>

static void test_dhcp_lease(void)
{
	struct dhcp_lease l;
	CHECK(dhcp_parse_lease("10.0.2.15", NULL, "255.255.255.0", "10.0.2.2", "10.0.2.3", &l) == 0);
	CHECK(l.ip == 0x0a00020f && l.mask == 0xffffff00u && l.router == 0x0a000202 && l.ndns == 1);
	CHECK(dhcp_parse_lease("10.0.2.15", "16", "255.255.255.0", "10.0.2.2 10.0.2.9", "1.1.1.1 bad 8.8.8.8 9.9.9.9 4.4.4.4", &l) == 0);
	CHECK(l.mask == 0xffff0000u && l.router == 0x0a000202 && l.ndns == 3 && l.dns[1] == 0x08080808);
	CHECK(dhcp_parse_lease(NULL, NULL, NULL, NULL, NULL, &l) == -1);
	CHECK(dhcp_parse_lease("0.0.0.0", NULL, NULL, NULL, NULL, &l) == -1);
	CHECK(dhcp_parse_lease("10.0.0.1", "33", NULL, NULL, NULL, &l) == -1);
	CHECK(dhcp_parse_lease("10.0.0.1", NULL, "255.0.255.0", NULL, NULL, &l) == -1);
	CHECK(dhcp_parse_lease("10.0.0.1", NULL, NULL, "", NULL, &l) == -1);
	CHECK(dhcp_parse_lease("10.0.0.1", NULL, NULL, "10.0.0.1000", NULL, &l) == -1);
}

static int hook(const char *event)
{
	char prog[] = "jb-dhcp-hook", ev[32];
	char *argv[] = { prog, ev, NULL };
	snprintf(ev, sizeof ev, "%s", event);
	return dhcp_hook_main(2, argv);
}

static void test_hook_events(void)
{
	unsetenv("interface");
	CHECK(hook("bound") == 1); /* udhcpc always names the interface: refuse without one */
	setenv("interface", "an-interface-name-too-long", 1);
	CHECK(hook("deconfig") == 1);
	setenv("interface", "lo", 1);
	CHECK(hook("leasefail") == 0); /* nothing to apply */
	CHECK(hook("nak") == 0);
	unsetenv("ip");
	CHECK(hook("bound") == 1); /* malformed lease: ignored, said, nothing applied */
	setenv("ip", "10.0.2.15", 1);
	setenv("mask", "40", 1);
	CHECK(hook("renew") == 1);
	unsetenv("mask");
	unsetenv("interface");
	unsetenv("ip");
}

int main(void)
{
	RUN(test_dhcp_lease);
	RUN(test_hook_events);
	UT_END();
}
