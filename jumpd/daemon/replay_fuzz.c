/* libFuzzer harness for the replay state file parser, against a fixed small
 * configuration: an accepted file must be '\n'-terminated and must parse
 * again to the same steps once written back the way replay_save does. */
#include "replay.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"
static const char conf_text[] =
	"[user ops]\nkey = " KEY "\ntotp-secret = GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n"
	"[user nomfa]\nkey = " KEY "\nmfa = off\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct siteconf conf;
	static struct mfa m, again;
	static int ready;
	char err[128], text[SITECONF_MAX_USERS * 96];
	size_t len = 0;

	if (!ready) {
		struct siteconf_error e;
		if (siteconf_parse(&conf, conf_text, sizeof conf_text - 1, "fuzz", &e))
			abort();
		ready = 1;
	}
	mfa_init(&m, &conf);
	memset(err, 'X', sizeof err);
	if (replay_parse(&m, (const char *)data, size, 1000, err, sizeof err) != 0) {
		if (memchr(err, 0, sizeof err) == NULL || strncmp(err, "line ", 5) != 0)
			__builtin_trap();
		return 0;
	}
	if (size && data[size - 1] != '\n')
		__builtin_trap();
	len = replay_format(&m, text, sizeof text);
	mfa_init(&again, &conf);
	if (replay_parse(&again, text, len, 1000, err, sizeof err) ||
	    memcmp(again.last_step, m.last_step, sizeof m.last_step) != 0)
		__builtin_trap();
	for (unsigned i = 0; i < conf.nusers; i++)
		if (again.user_guard[i].failures != m.user_guard[i].failures ||
		    again.user_guard[i].locked_until_ms != m.user_guard[i].locked_until_ms)
			__builtin_trap();
	return 0;
}
