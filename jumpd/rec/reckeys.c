/* reckeys: see reckeys.h. */
#include "reckeys.h"
#include "recspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int reckeys_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 63 || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789._-", name[i]))
			return 0;
	return 1;
}

int reckeys_path(const char *keys_dir, const char *target, char *out, size_t cap)
{
	if (!reckeys_name_ok(target))
		return -1;
	int n = snprintf(out, cap, "%s/%s", keys_dir, target);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int reckeys_ensure(const char *bin, const char *keys_dir, const char *target, char *path, size_t pathcap,
		   char *err, size_t errlen)
{
	struct stat st;
	if (reckeys_path(keys_dir, target, path, pathcap)) {
		snprintf(err, errlen, "bad target name");
		return -1;
	}
	if (mkdir(keys_dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", keys_dir, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) && errno == ENOENT) {
		char *argv[] = { "dropbearmulti", "dropbearkey", "-t", "ed25519", "-f", path, NULL };
		char *envp[] = { NULL }, out[512];
		mode_t old = umask(077);
		int rc = recspawn_capture(bin, argv, envp, -1, out, sizeof out, 10000, err, errlen);
		umask(old);
		if (rc != 0) {
			if (rc > 0)
				snprintf(err, errlen, "dropbearkey failed: %.200s", out);
			unlink(path);
			return -1;
		}
	}
	if (lstat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* a key another uid could read (or a link to one) is not used */
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(err, errlen, "%s: not a 0600 file of the recorder's", path);
		return -1;
	}
	return 0;
}

int reckeys_public_from_output(const char *output, char *out, size_t cap)
{
	const char *p = strstr(output, "ssh-ed25519 ");
	if (!p || (p != output && p[-1] != '\n'))
		return -1;
	const char *blob = p + 12, *e = blob;
	while ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '+' ||
	       *e == '/' || *e == '=')
		e++;
	if (e - blob < 60 || (size_t)(e - p) >= cap)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return 0;
}

int reckeys_authorized_line(char *out, size_t cap, const char *addr, const char *pub, const char *target)
{
	if ((addr && (!*addr || strspn(addr, "0123456789abcdefABCDEF.:") != strlen(addr))) ||
	    strncmp(pub, "ssh-ed25519 ", 12) != 0 || strpbrk(pub + 12, " \t\n\"") || !reckeys_name_ok(target))
		return -1;
	int n = addr ? snprintf(out, cap, "from=\"%s\" %s jumpbox-rec@%s", addr, pub, target)
		     : snprintf(out, cap, "%s jumpbox-rec@%s", pub, target);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int reckeys_target_line(const char *bin, const char *keys_dir, const char *target, const char *addr,
			char *out, size_t cap, char *err, size_t errlen)
{
	char path[320], output[1024], pub[256];
	if (reckeys_ensure(bin, keys_dir, target, path, sizeof path, err, errlen))
		return -1;
	char *argv[] = { "dropbearmulti", "dropbearkey", "-y", "-f", path, NULL };
	char *envp[] = { NULL };
	int rc = recspawn_capture(bin, argv, envp, -1, output, sizeof output, 10000, err, errlen);
	if (rc != 0 || reckeys_public_from_output(output, pub, sizeof pub)) {
		if (rc >= 0)
			snprintf(err, errlen, "dropbearkey -y gave no ed25519 public key");
		return -1;
	}
	if (reckeys_authorized_line(out, cap, addr, pub, target)) {
		snprintf(err, errlen, "bad box address '%s'", addr);
		return -1;
	}
	return 0;
}
