/* sysinject: makes a running process execute one system call of our choice
 * (tests/host/sandbox.sh: a service's seccomp filter must kill it for a
 * call its list does not have, and let one it has through).
 * Usage: sysinject PID NR   (as root; x86-64)
 * It attaches with PTRACE_SEIZE, interrupts the process, and waits until it
 * is stopped just after a `syscall` instruction (the services sleep in
 * poll); it then points the instruction pointer back at that instruction
 * with rax = NR and the other arguments 0, and lets the process go. With
 * orig_rax = -1 the kernel does not restart the interrupted call over it.
 * Exit 0: the call was made and the process lives on (its result is
 * printed, the registers put back); 3: the process died during the call
 * (its signal is printed: "killed SIGSYS"); 1: an error. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static int stop_after_syscall(pid_t pid, struct user_regs_struct *r)
{
	for (int tries = 0; tries < 200; tries++) {
		int st;
		if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) || waitpid(pid, &st, __WALL) != pid) {
			perror("sysinject: interrupt");
			return -1;
		}
		if (!WIFSTOPPED(st)) {
			fprintf(stderr, "sysinject: process ended before the call\n");
			return -1;
		}
		if (ptrace(PTRACE_GETREGS, pid, 0, r)) {
			perror("sysinject: getregs");
			return -1;
		}
		errno = 0;
		long word = ptrace(PTRACE_PEEKTEXT, pid, (void *)(r->rip - 2), 0);
		if (!errno && (word & 0xffff) == 0x050f) /* 0f 05: syscall */
			return 0;
		/* stopped elsewhere (running user code): let it go on a moment */
		if (ptrace(PTRACE_CONT, pid, 0, WIFSTOPPED(st) && (st >> 16) == 0 ? WSTOPSIG(st) : 0)) {
			perror("sysinject: cont");
			return -1;
		}
		usleep(10000);
	}
	fprintf(stderr, "sysinject: never caught after a syscall instruction\n");
	return -1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sysinject PID NR\n");
		return 1;
	}
	char *e1, *e2;
	pid_t pid = (pid_t)strtol(argv[1], &e1, 10);
	long nr = strtol(argv[2], &e2, 10);
	if (*e1 || *e2 || pid <= 0 || nr < 0) {
		fprintf(stderr, "sysinject: PID and NR are numbers\n");
		return 1;
	}
	struct user_regs_struct saved, r;
	if (ptrace(PTRACE_SEIZE, pid, 0, 0)) {
		fprintf(stderr, "sysinject: seize %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	if (stop_after_syscall(pid, &saved))
		return 1;
	r = saved;
	r.rip = saved.rip - 2;
	r.rax = (unsigned long long)nr;
	r.orig_rax = (unsigned long long)-1;
	r.rdi = r.rsi = r.rdx = r.r10 = r.r8 = r.r9 = 0;
	int st;
	/* one step: the syscall instruction, then a trap after it */
	if (ptrace(PTRACE_SETREGS, pid, 0, &r) || ptrace(PTRACE_SINGLESTEP, pid, 0, 0)) {
		perror("sysinject: setregs/step");
		return 1;
	}
	if (waitpid(pid, &st, __WALL) != pid) {
		perror("sysinject: wait");
		return 1;
	}
	if (WIFSIGNALED(st) || WIFEXITED(st) || (WIFSTOPPED(st) && WSTOPSIG(st) == SIGSYS)) {
		int sig = WIFSIGNALED(st) ? WTERMSIG(st) : WIFSTOPPED(st) ? WSTOPSIG(st) : 0;
		printf("killed %s\n", sig == SIGSYS ? "SIGSYS" : sig ? strsignal(sig) : "exit");
		/* a stop here is the kill's PTRACE_EVENT_EXIT-less delivery: let it die */
		ptrace(PTRACE_DETACH, pid, 0, 0);
		return 3;
	}
	if (ptrace(PTRACE_GETREGS, pid, 0, &r)) {
		perror("sysinject: getregs after");
		return 1;
	}
	printf("returned %lld\n", (long long)r.rax);
	/* put the registers back as they were at the interrupt: resumed, the
	 * kernel restarts the interrupted call (rax -ERESTART..., orig_rax its number) */
	if (ptrace(PTRACE_SETREGS, pid, 0, &saved) || ptrace(PTRACE_DETACH, pid, 0, 0)) {
		perror("sysinject: restore");
		return 1;
	}
	return 0;
}
