/* volumes: finding the state and config volumes by file system label.
 * Only ext2/3/4 and FAT labels are recognised: those are the two file
 * systems the image mounts (state: ext4, config: FAT or ext4). */
#ifndef JB_INIT_VOLUMES_H
#define JB_INIT_VOLUMES_H
#include <stddef.h>

#define VOLUME_PROBE_BYTES 2048

/* Reads the label and file system type out of the first VOLUME_PROBE_BYTES
 * of a block device. `label` gets at most cap-1 bytes, trailing blanks
 * removed; `fstype` gets "ext4" or "vfat" (at least 8 bytes). Returns 0 if
 * a supported file system was recognised, -1 otherwise. Pure: no I/O. */
int volume_probe(const unsigned char *buf, size_t len, char *label, size_t cap, char *fstype);

/* Scans /sys/class/block for a device whose label equals `label` (exact
 * match). Fills devpath ("/dev/vdb") and fstype (at least 8 bytes).
 * Returns 0 if exactly one device has it, -1 if none, -2 if two or more
 * (devpath and `other` then name two of them; the caller must use neither). */
int volume_find(const char *label, char *devpath, size_t cap, char *fstype, char *other, size_t ocap);

/* volume_find over another tree: the names in `sysdir`, read as
 * `devdir`/NAME (for the unit test). */
int volume_find_in(const char *sysdir, const char *devdir, const char *label, char *devpath, size_t cap,
		   char *fstype, char *other, size_t ocap);
#endif
