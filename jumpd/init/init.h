/* init: PID 1 (see init.c for what it does and what it leaves to the
 * supervisor). */
#ifndef JB_INIT_INIT_H
#define JB_INIT_INIT_H
/* /init in the initramfs (stage 1) and /sbin/init in the root (stage 2) */
int init_main(int argc, char **argv);
#endif
