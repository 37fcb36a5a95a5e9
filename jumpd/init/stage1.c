/* stage1: from the initramfs into the read-only root (see stage1.h). */
#include "stage1.h"
#include "bootpaths.h"
#include "log.h"
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

static int attach_loop(const char *file, char *dev, size_t cap)
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	int ffd = open(file, O_RDONLY | O_CLOEXEC);
	if (ctl < 0 || ffd < 0)
		return -1;
	int n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return -1;
	snprintf(dev, cap, "/dev/loop%d", n);
	int lfd = open(dev, O_RDWR | O_CLOEXEC);
	if (lfd < 0)
		return -1;
	struct loop_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fd = (unsigned)ffd;
	/* no AUTOCLEAR: closing our fd before mount() would detach it */
	cfg.info.lo_flags = LO_FLAGS_READ_ONLY;
	int rc = ioctl(lfd, LOOP_CONFIGURE, &cfg);
	close(lfd);
	close(ffd);
	return rc;
}

void stage1(void)
{
	char loopdev[32];
	/* fails harmlessly if the kernel mounted it already (DEVTMPFS_MOUNT) */
	(void)mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755");
	console_attach();
	if (attach_loop(STAGE1_ROOT_IMAGE, loopdev, sizeof loopdev)) {
		log_loud("stage1: cannot attach root image: %s", strerror(errno));
		return;
	}
	if (mount_at(loopdev, "/newroot", "squashfs", MS_RDONLY | MS_NODEV, NULL))
		return;
	if (mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL) ||
	    chdir("/newroot") || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/")) {
		log_loud("stage1: cannot switch root: %s", strerror(errno));
		return;
	}
	char *const argv[] = { PROG_INIT, NULL };
	execv(argv[0], argv);
	log_loud("stage1: exec %s: %s", PROG_INIT, strerror(errno));
}
