/* hostkeys (jb-hostkeys): first-boot host keys (see hostkeys.h). */
#include "hostkeys.h"
#include "bootpaths.h"
#include "fsutil.h"
#include "log.h"
#include "run.h"
#include "users.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int hostkeys_ensure(const char *dir, const char *dropbear)
{
	static const char *types[] = { "ed25519", "ecdsa" };
	int failed = 0;
	owned_dir(dir, 0700, USERS_SSHD_UID);
	for (int i = 0; i < 2; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/dropbear_%s_host_key", dir, types[i]);
		if (access(path, R_OK)) {
			const char *gen[] = { dropbear, "dropbearkey", "-t", types[i], "-f", path, NULL };
			log_msg("first boot: generating %s host key", types[i]);
			if (run_wait(gen, NULL, 1)) {
				log_loud("cannot generate %s host key", types[i]);
				failed++;
			}
			sync();
		}
		/* the SSH server reads its keys as its own uid */
		if (chown(path, USERS_SSHD_UID, USERS_SSHD_UID))
			log_loud("chown %s: %s", path, strerror(errno));
		const char *show[] = { dropbear, "dropbearkey", "-y", "-f", path, NULL };
		run_wait(show, NULL, 0);
	}
	return failed;
}

int hostkeys_main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: jb-hostkeys\n");
		return 2;
	}
	return hostkeys_ensure(HOSTKEY_DIR, PROG_DROPBEAR) ? 1 : 0;
}
