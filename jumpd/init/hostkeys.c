/* hostkeys (jb-hostkeys): first-boot host keys (see hostkeys.h). */
#include "hostkeys.h"
#include "bootpaths.h"
#include "log.h"
#include "run.h"
#include "users.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* root:sshd 0640, set on the file itself, never through a link */
static int secure_key(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int rc = fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || fchown(fd, 0, USERS_SSHD_UID) ||
		 fchmod(fd, 0640) ? -1 : 0;
	if (rc)
		log_loud("cannot secure %s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
	if (fd >= 0)
		close(fd);
	return rc;
}

int hostkeys_ensure(const char *dir, const char *dropbear)
{
	static const char *types[] = { "ed25519", "ecdsa" };
	int failed = 0;
	struct stat st;
	mkdir(dir, 0750);
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || chown(dir, 0, USERS_SSHD_UID) || chmod(dir, 0750)) {
		log_loud("%s: not a directory root can own: %s", dir, strerror(errno));
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/dropbear_%s_host_key", dir, types[i]);
		/* an older image let the SSH server's uid write here: whatever it
		 * left that is not a plain file is not a key */
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			log_loud("%s is not a regular file (a link?): removed, a new %s key is made", path, types[i]);
			if (unlink(path))
				log_loud("unlink %s: %s", path, strerror(errno));
		}
		if (lstat(path, &st)) {
			const char *gen[] = { dropbear, "dropbearkey", "-t", types[i], "-f", path, NULL };
			log_msg("first boot: generating %s host key", types[i]);
			if (run_wait(gen, NULL, 1)) {
				log_loud("cannot generate %s host key", types[i]);
				failed++;
				continue;
			}
			sync();
		}
		/* the SSH server reads its keys through its group */
		if (secure_key(path)) {
			failed++;
			continue;
		}
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
