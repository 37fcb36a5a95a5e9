/* libFuzzer harness for the DHCP lease parser (the lease comes from the
 * network). Input: up to five newline-separated fields: ip, mask, subnet,
 * router, dns; a field "-" stands for "not set". */
#include "dhcp_hook.h"
#include "netcfg.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[1024];
	char *f[5] = { NULL, NULL, NULL, NULL, NULL };
	struct dhcp_lease l;
	if (size >= sizeof buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	char *p = buf;
	for (int i = 0; i < 5 && p; i++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		f[i] = strcmp(p, "-") == 0 ? NULL : p;
		p = nl ? nl + 1 : NULL;
	}
	if (dhcp_parse_lease(f[0], f[1], f[2], f[3], f[4], &l) == 0) {
		if (l.ip == 0 || l.ndns > 3 || net_mask_to_prefix(l.mask) < 1)
			__builtin_trap();
	}
	return 0;
}
