/* run: running one program to completion from init's programs (the boot
 * steps, dropbearkey): fork, optionally reduce the child to one uid and a
 * set of capabilities (caps.h), exec, wait. */
#ifndef JB_INIT_RUN_H
#define JB_INIT_RUN_H
#include <stdint.h>
#include <sys/types.h>

struct run_as {
	uid_t uid;
	gid_t gid;
	uint64_t caps; /* the only capabilities it keeps (CAPBIT) */
};

/* Runs argv (argv[0] is the path) with an empty signal mask, as `as`
 * (NULL: unchanged, as the caller runs), stdout on /dev/null if quiet, and
 * waits for it. Returns its exit status (0..255), RUN_SIGNALLED + the
 * signal that killed it, or -1 if it could not be started or waited for. */
#define RUN_SIGNALLED 256
int run_wait(const char *const *argv, const struct run_as *as, int quiet);

/* The same in two halves, for boot steps that run side by side: run_start
 * starts it and returns its pid (-1: not started), run_finish waits for that
 * pid and returns what run_wait would. */
pid_t run_start(const char *const *argv, const struct run_as *as, int quiet);
int run_finish(pid_t pid);
#endif
