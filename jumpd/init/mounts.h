/* mounts: every file system PID 1 mounts in the root image, with the flags
 * the hardening rests on (docs/hardening.md): the API file systems and the
 * tmpfs areas (nosuid, nodev, noexec), the state volume (ext4, the same
 * flags, or a tmpfs when there is none) and the config volume (read-only;
 * root's only when FAT); and letting go of them at shutdown. */
#ifndef JB_INIT_MOUNTS_H
#define JB_INIT_MOUNTS_H

/* mount(2) after creating dst; a failure is logged. Returns 0 or -1. */
int mount_at(const char *src, const char *dst, const char *type, unsigned long flags, const char *data);

/* /proc, /sys, /dev/pts, /run, /tmp, /dev remounted noexec; the /run
 * directories services own from the start (/run/net, /run/sshd). */
void mounts_base(void);

/* The volume labelled STATE_LABEL on /state; else a tmpfs, said loudly.
 * Returns 1 if /state persists across reboots. */
int mounts_state_volume(void);

/* The volume labelled CONFIG_LABEL on /config, read-only. Returns the site
 * configuration this boot is to check: the volume's, else the one baked into
 * the image, else NULL (none). */
const char *mounts_config_volume(void);

/* At shutdown, after every process is gone: /state unmounted (or at least
 * read-only) and /config detached, so the journal is clean. */
void mounts_release(void);
#endif
