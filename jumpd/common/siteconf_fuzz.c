/* libFuzzer harness for the site configuration parser. */
#include "siteconf.h"
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
	} else if (memchr(e.msg, 0, sizeof e.msg) == NULL) {
		__builtin_trap();
	}
	return 0;
}
