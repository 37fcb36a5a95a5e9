/* mounts: what PID 1 mounts and unmounts (see mounts.h). */
#include "mounts.h"
#include "bootpaths.h"
#include "fsutil.h"
#include "log.h"
#include "users.h"
#include "volumes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define WRITABLE (MS_NOSUID | MS_NODEV | MS_NOEXEC)

int mount_at(const char *src, const char *dst, const char *type, unsigned long flags, const char *data)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, data)) {
		log_msg("mount %s on %s (%s): %s", src, dst, type, strerror(errno));
		return -1;
	}
	return 0;
}

void mounts_base(void)
{
	mount_at("proc", "/proc", "proc", WRITABLE, NULL);
	mount_at("sysfs", "/sys", "sysfs", WRITABLE | MS_RDONLY, NULL);
	mount_at("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
	mount_at("tmpfs", "/run", "tmpfs", WRITABLE, "mode=0755,size=64m");
	mount_at("tmpfs", "/tmp", "tmpfs", WRITABLE, "mode=1777,size=64m");
	/* the image's /dev is devtmpfs: no executables there either */
	mount(NULL, "/dev", NULL, MS_REMOUNT | MS_NOSUID | MS_NOEXEC, "mode=0755");
	mkdir("/run/etc", 0755);
	owned_dir("/run/net", 0755, USERS_DHCP_UID);
	owned_dir("/run/sshd", 0755, USERS_SSHD_UID);
	mkdir("/run/log", 0755);
}

int mounts_state_volume(void)
{
	char dev[300], other[300], fstype[8];
	for (int tries = 0; tries < 4; tries++) {
		int r = volume_find(STATE_LABEL, dev, sizeof dev, fstype, other, sizeof other);
		if (r == -2) {
			log_loud("two volumes are labelled %s (%s and %s): using neither, the state lives in RAM; "
				 "relabel or detach one", STATE_LABEL, dev, other);
			break;
		}
		if (r == 0) {
			if (strcmp(fstype, "ext4") != 0) {
				log_loud("state volume %s is %s, expected ext4: using RAM", dev, fstype);
				break;
			}
			if (mount_at(dev, "/state", "ext4", WRITABLE, "data=ordered") == 0) {
				log_msg("state volume %s mounted on /state", dev);
				return 1;
			}
			break;
		}
		usleep(250000);
	}
	mount_at("tmpfs", "/state", "tmpfs", WRITABLE, "mode=0755,size=32m");
	log_loud("no state volume (label %s): host keys, audit spool and MFA state live in RAM "
		 "and are LOST at reboot; attach an ext4 volume labelled %s", STATE_LABEL, STATE_LABEL);
	return 0;
}

const char *mounts_config_volume(void)
{
	char dev[300], other[300], fstype[8];
	int r = volume_find(CONFIG_LABEL, dev, sizeof dev, fstype, other, sizeof other);
	if (r == -2) {
		/* fail closed: no config is chosen for the operator, and the baked one
		 * (if any) is not a stand-in for the volume they meant */
		log_loud("two volumes are labelled %s (%s and %s): using neither; relabel or detach one",
			 CONFIG_LABEL, dev, other);
		return NULL;
	}
	if (r == 0) {
		/* FAT has no owners: root's, and only root's (the file holds TOTP secrets) */
		const char *opts = strcmp(fstype, "vfat") != 0 ? NULL : "uid=0,gid=0,fmask=0177,dmask=0077";
		if (mount_at(dev, "/config", fstype, WRITABLE | MS_RDONLY, opts) == 0) {
			log_msg("config volume %s mounted on /config", dev);
			return CONFIG_ON_VOLUME;
		}
	}
	return access(CONFIG_BAKED, R_OK) == 0 ? CONFIG_BAKED : NULL;
}

void mounts_release(void)
{
	sync();
	if (umount2("/state", 0) && errno != EINVAL)
		mount(NULL, "/state", NULL, MS_REMOUNT | MS_RDONLY, NULL);
	umount2("/config", MNT_DETACH);
	sync();
}
