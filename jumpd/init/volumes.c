/* volumes: label probing for the state and config volumes (see volumes.h). */
#include "volumes.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void copy_label(const unsigned char *src, size_t n, char *label, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap && src[i]; i++)
		label[k++] = (char)((src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?');
	while (k && label[k - 1] == ' ')
		k--;
	label[k] = 0;
}

int volume_probe(const unsigned char *buf, size_t len, char *label, size_t cap, char *fstype)
{
	if (cap == 0)
		return -1;
	/* ext2/3/4: superblock at 1024, s_magic at +56, s_volume_name at +120 */
	if (len >= 1024 + 136 && buf[1024 + 56] == 0x53 && buf[1024 + 57] == 0xEF) {
		copy_label(buf + 1024 + 120, 16, label, cap);
		memcpy(fstype, "ext4", 5);
		return 0;
	}
	/* FAT: boot signature, then the FAT32 or FAT12/16 extended BPB */
	if (len >= 512 && buf[510] == 0x55 && buf[511] == 0xAA) {
		if (!memcmp(buf + 0x52, "FAT32   ", 8) && buf[0x42] == 0x29) {
			copy_label(buf + 0x47, 11, label, cap);
			memcpy(fstype, "vfat", 5);
			return 0;
		}
		if (!memcmp(buf + 0x36, "FAT1", 4) && buf[0x26] == 0x29) {
			copy_label(buf + 0x2B, 11, label, cap);
			memcpy(fstype, "vfat", 5);
			return 0;
		}
	}
	return -1;
}

int volume_find_in(const char *sysdir, const char *devdir, const char *want, char *devpath, size_t cap,
		   char *fstype, char *other, size_t ocap)
{
	DIR *d = opendir(sysdir);
	struct dirent *e;
	int found = -1;
	if (!d)
		return -1;
	/* every device is read: a second one with the same label means someone
	 * else's disk could be taken for ours, so the label is refused outright */
	while ((e = readdir(d))) {
		char path[300], label[64], fs[8];
		unsigned char buf[VOLUME_PROBE_BYTES];
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "loop", 4) || !strncmp(e->d_name, "ram", 3))
			continue;
		snprintf(path, sizeof path, "%s/%s", devdir, e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = pread(fd, buf, sizeof buf, 0);
		close(fd);
		if (n <= 0 || volume_probe(buf, (size_t)n, label, sizeof label, fs) != 0 || strcmp(label, want) != 0)
			continue;
		if (found == 0) {
			snprintf(other, ocap, "%s", path);
			found = -2;
			break;
		}
		snprintf(devpath, cap, "%s", path);
		memcpy(fstype, fs, sizeof fs);
		found = 0;
	}
	closedir(d);
	return found;
}

int volume_find(const char *want, char *devpath, size_t cap, char *fstype, char *other, size_t ocap)
{
	return volume_find_in("/sys/class/block", "/dev", want, devpath, cap, fstype, other, ocap);
}
