/* libFuzzer harness for the site configuration parser. */
#include "siteconf.h"
#include "siteconf_rec.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct siteconf c;
	struct siteconf_error e;
	if (siteconf_parse(&c, (const char *)data, size, "fuzz", &e) == 0) {
		/* a success must leave a self-consistent result */
		if (c.nusers > SITECONF_MAX_USERS || c.nkeys > SITECONF_MAX_KEYS)
			__builtin_trap();
		for (unsigned i = 0; i < c.nusers; i++)
			if (c.users[i].first_key + c.users[i].nkeys > c.nkeys || c.users[i].nkeys == 0)
				__builtin_trap();
		/* recorded targets are pinned; grants giving them name an account */
		for (unsigned t = 0; t < c.ntargets; t++) {
			if (c.targets[t].nhost_keys > SITECONF_MAX_HOST_KEYS ||
			    (siteconf_target_recorded(&c.targets[t]) && c.targets[t].nhost_keys == 0))
				__builtin_trap();
			for (unsigned k = 0; k < c.targets[t].nhost_keys; k++)
				if (!siteconf_valid_host_key(c.targets[t].host_keys[k]))
					__builtin_trap();
		}
		for (unsigned g = 0; g < c.ngrants; g++)
			for (unsigned t = 0; t < c.grants[g].ntargets; t++)
				if (siteconf_target_recorded(&c.targets[c.grants[g].targets[t]]) && !c.grants[g].naccounts)
					__builtin_trap();
	} else if (memchr(e.msg, 0, sizeof e.msg) == NULL) {
		__builtin_trap();
	}
	return 0;
}
