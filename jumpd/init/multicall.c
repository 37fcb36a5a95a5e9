/* multicall: the one binary behind /sbin/init and init's other programs,
 * chosen by the name it is called by (busybox-style: one static-PIE binary
 * keeps the image small). Each name is its own module with its own entry
 * point and unit tests; this file only dispatches:
 *
 *   init, /init      PID 1 (init.c; stage 1 in the initramfs: stage1.c)
 *   jb-supervise     boot steps, then the services (supervisor.c)
 *   jb-setup         config check, host name, accounts (setup.c)
 *   jb-hostkeys      first-boot SSH host keys (hostkeys.c)
 *   jb-net           the configured network (netup.c)
 *   jb-dhcp-hook     udhcpc's lease hook (dhcp_hook.c) */
#include "dhcp_hook.h"
#include "hostkeys.h"
#include "init.h"
#include "netup.h"
#include "setup.h"
#include "supervisor.h"

#include <string.h>

static const struct {
	const char *name;
	int (*entry)(int argc, char **argv);
} programs[] = {
	{ "jb-supervise", supervisor_main },
	{ "jb-setup", setup_main },
	{ "jb-hostkeys", hostkeys_main },
	{ "jb-net", netup_main },
	{ "jb-dhcp-hook", dhcp_hook_main },
};

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '/') : NULL;
	name = name ? name + 1 : argc > 0 ? argv[0] : "";
	for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
		if (!strcmp(name, programs[i].name))
			return programs[i].entry(argc, argv);
	return init_main(argc, argv);
}
