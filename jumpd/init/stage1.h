/* stage1: PID 1 in the initramfs the kernel embeds: attach /rootfs.squashfs
 * to a loop device read-only, mount it (nodev), make it the root and exec
 * /sbin/init from it, which is stage 2 (init.c). */
#ifndef JB_INIT_STAGE1_H
#define JB_INIT_STAGE1_H
#define STAGE1_ROOT_IMAGE "/rootfs.squashfs"
/* Returns only if the switch failed (said loudly on the console). */
void stage1(void);
#endif
