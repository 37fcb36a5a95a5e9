/* sandbox: seccomp allow-list filters (see sandbox.h). */
#include "sandbox.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#define X32_SYSCALL_BIT 0x40000000U
#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
/* the low 32 bits of an argument (x86-64: little endian) */
#define OFF_ARG(i) (offsetof(struct seccomp_data, args) + (size_t)8 * (i))

static int put(struct sock_filter *out, size_t cap, size_t *n, struct sock_filter insn)
{
	if (*n >= cap)
		return -1;
	out[(*n)++] = insn;
	return 0;
}

#define PUT(insn) do { if (put(out, cap, &n, insn)) return -1; } while (0)

/* rules matched give `on_match`, the rest `otherwise` */
static int build(const struct sandbox_rule *rules, size_t nrules, struct sock_filter *out, size_t cap,
		 uint32_t on_match, uint32_t otherwise)
{
	size_t n = 0;
	/* another architecture's or x32's call numbers mean other calls: killed */
	PUT((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH));
	PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
	PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	PUT((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_NR));
	/* -1: no call at all, a tracer's skip (strace's fault injection, which
	 * the host tests use on jumpd); the kernel runs nothing for it */
	PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 0, 1));
	PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1));
	PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	for (size_t i = 0; i < nrules; i++) {
		const struct sandbox_rule *r = &rules[i];
		if (r->nr < 0 || r->arg > 5)
			return -1;
		/* each rule starts from the call number: A holds it on entry */
		if (i > 0 && rules[i - 1].kind != SB_ANY)
			PUT((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_NR));
		switch (r->kind) {
		case SB_ANY:
			PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 1));
			PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, on_match));
			break;
		case SB_ARG_EQ:
		case SB_ARG_NONE_OF:
			PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 3));
			PUT((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(r->arg)));
			if (r->kind == SB_ARG_EQ)
				PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, r->val, 0, 1));
			else
				PUT((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, r->val, 1, 0));
			PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, on_match));
			break;
		default:
			return -1;
		}
	}
	PUT((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, otherwise));
	return (int)n;
}

int sandbox_build(const struct sandbox_rule *rules, size_t nrules, struct sock_filter *out, size_t cap)
{
	return build(rules, nrules, out, cap, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS);
}

int sandbox_build_deny(const struct sandbox_rule *rules, size_t nrules, struct sock_filter *out, size_t cap)
{
	for (size_t i = 0; i < nrules; i++)
		if (rules[i].kind != SB_ANY)
			return -1;
	return build(rules, nrules, out, cap, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW);
}

static int install(const char *who, int deny, const struct sandbox_rule *rules, size_t n, char *err, size_t errlen)
{
#ifdef JB_SANDBOX_OFF
	/* test builds only (tests/unit.sh's whole-process jumprec under ASan,
	 * whose runtime and python stand-ins need calls no list has; and to
	 * see tests/host/sandbox.sh fail): no filter */
	(void)who, (void)deny, (void)rules, (void)n, (void)err, (void)errlen;
	return 0;
#endif
	static struct sock_filter prog[SANDBOX_MAX_INSNS];
	int len = deny ? sandbox_build_deny(rules, n, prog, SANDBOX_MAX_INSNS) : sandbox_build(rules, n, prog, SANDBOX_MAX_INSNS);
	if (len < 0) {
		errno = EINVAL;
		snprintf(err, errlen, "seccomp: the %s list does not make a filter", who);
		return -1;
	}
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = prog };
	/* no-new-privs is what lets a process without CAP_SYS_ADMIN filter itself */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0)) {
		snprintf(err, errlen, "seccomp: the %s filter not installed: %s", who, strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_install(const char *who, const struct sandbox_rule *rules, size_t n, char *err, size_t errlen)
{
	return install(who, 0, rules, n, err, errlen);
}

int sandbox_install_deny(const char *who, const struct sandbox_rule *rules, size_t n, char *err, size_t errlen)
{
	return install(who, 1, rules, n, err, errlen);
}
