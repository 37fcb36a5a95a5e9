/* sandbox: the services' seccomp allow-lists. Owns the filter builder: a
 * list of allowed system calls (some only with a given argument) becomes a
 * classic BPF program installed with prctl(PR_SET_SECCOMP,
 * SECCOMP_MODE_FILTER) after PR_SET_NO_NEW_PRIVS. Every filter kills the
 * whole process (SECCOMP_RET_KILL_PROCESS, SIGSYS) on a call it does not
 * list, on an architecture other than x86-64 and on the x32 call numbers;
 * mmap and mprotect never get PROT_EXEC. The lists are the services' own
 * (jumpd/daemon/sandbox_jumpd.c, fw/sandbox_fw.c, ship/sandbox_ship.c,
 * rec/sandbox_rec.c); docs/hardening.md says what each allows and why. */
#ifndef JB_COMMON_SANDBOX_H
#define JB_COMMON_SANDBOX_H
#include <stddef.h>
#include <stdint.h>

enum sandbox_kind {
	SB_ANY,    /* the call, whatever its arguments */
	SB_ARG_EQ, /* only with argument `arg` (its low 32 bits) equal to `val` */
	SB_ARG_NONE_OF /* only with none of the bits `val` set in argument `arg` */
};

struct sandbox_rule {
	int nr;                /* __NR_... */
	enum sandbox_kind kind;
	unsigned arg;          /* 0..5 */
	uint32_t val;
};

#define SB_CALL(name) { __NR_##name, SB_ANY, 0, 0 }
#define SB_EQ(name, a, v) { __NR_##name, SB_ARG_EQ, (a), (uint32_t)(v) }
#define SB_NONE_OF(name, a, v) { __NR_##name, SB_ARG_NONE_OF, (a), (uint32_t)(v) }
/* every list ends with these: memory, never executable; and the kernel's
 * restart of a call interrupted by a stop (SIGSTOP/SIGCONT, a tracer)
 * when the call had a timeout (poll, nanosleep): without it a stopped and
 * continued service would die */
#define SB_BASE SB_NONE_OF(mmap, 2, PROT_EXEC), SB_NONE_OF(mprotect, 2, PROT_EXEC), \
	SB_CALL(munmap), SB_CALL(mremap), SB_CALL(madvise), SB_CALL(brk), SB_CALL(restart_syscall)

/* Most BPF instructions a filter may have (the kernel's BPF_MAXINSNS). */
#define SANDBOX_MAX_INSNS 4096

/* Builds the filter for `rules` into out (cap instructions); returns the
 * instruction count, or -1 if it does not fit or a rule is malformed. */
struct sock_filter;
int sandbox_build(const struct sandbox_rule *rules, size_t n, struct sock_filter *out, size_t cap);

/* The other way round, for a process whose later calls cannot be listed
 * (Dropbear's connection process becomes the user's session): the calls in
 * `rules` (SB_ANY only) kill, every other is allowed; other architectures
 * and x32 still kill. -1 if it does not fit or a rule has an argument. */
int sandbox_build_deny(const struct sandbox_rule *rules, size_t n, struct sock_filter *out, size_t cap);
int sandbox_install_deny(const char *who, const struct sandbox_rule *rules, size_t n, char *err, size_t errlen);

/* Installs the filter on the calling thread (and what it forks and execs);
 * 0, or -1 with errno and a message in err. `who` names the list in it. */
int sandbox_install(const char *who, const struct sandbox_rule *rules, size_t n, char *err, size_t errlen);

/* The services' lists: each installs its own (0 or -1, err set). */
int sandbox_jumpd(char *err, size_t errlen);
int sandbox_fw(char *err, size_t errlen);
int sandbox_ship(char *err, size_t errlen);
int sandbox_rec(char *err, size_t errlen);
#endif
