/* sandbox_rec: jumprec's seccomp allow-list (common/sandbox.h), installed
 * once its spool is open, crashed sessions are recovered and it listens.
 * The filter is inherited by what it starts: the list is also what
 * Dropbear's client (dbclient, the session to the target, on a pty or
 * pipes) and dropbearkey (a target key, first use) need from fork to exit.
 * So it is the longest list; it still has no mount, ptrace, module,
 * keyring, BPF, namespace, uid-changing or raw-socket call. */
#include "../common/sandbox.h"

#include <linux/net.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static const struct sandbox_rule rec_rules[] = {
	SB_CALL(poll), SB_CALL(ppoll), SB_CALL(select), SB_CALL(pselect6), SB_CALL(read), SB_CALL(write),
	SB_CALL(readv), SB_CALL(writev), SB_CALL(close), SB_CALL(close_range), SB_CALL(fcntl), SB_CALL(pipe), SB_CALL(pipe2),
	SB_CALL(dup), SB_CALL(dup2), SB_CALL(dup3), SB_CALL(lseek), SB_CALL(pread64), SB_CALL(pwrite64),
	/* its sockets (rec.sock, ctl.sock: descriptors passed), jumpd's socket,
	 * the TCP connection to the target it hands to dbclient */
	SB_EQ(socket, 0, AF_UNIX), SB_EQ(socket, 0, AF_INET), SB_EQ(socket, 0, AF_INET6), SB_CALL(connect),
	SB_CALL(accept), SB_CALL(accept4), SB_CALL(getsockopt), SB_CALL(setsockopt), SB_CALL(getsockname),
	SB_CALL(getpeername), SB_CALL(sendmsg), SB_CALL(recvmsg), SB_CALL(sendto), SB_CALL(recvfrom),
	SB_CALL(shutdown),
	/* the audit worker (recasync.c): its request pair, killed with its parent */
	SB_EQ(socketpair, 0, AF_UNIX), SB_EQ(prctl, 0, PR_SET_PDEATHSIG),
	/* the trail, the live-session files, the keys (dropbearkey writes a
	 * temporary file and links it to the key's name) */
	SB_CALL(open), SB_CALL(openat), SB_CALL(fstat), SB_CALL(stat), SB_CALL(lstat), SB_CALL(newfstatat),
	SB_CALL(statx), SB_CALL(access), SB_CALL(faccessat), SB_CALL(getdents64), SB_CALL(fsync),
	SB_CALL(fdatasync), SB_CALL(ftruncate), SB_CALL(fallocate), SB_CALL(rename), SB_CALL(unlink), SB_CALL(link),
	SB_CALL(mkdir), SB_CALL(fchmod), SB_CALL(utimensat), SB_CALL(umask), SB_CALL(getcwd), SB_CALL(readlink),
	/* the sessions' children: fork, pty (posix_openpt, the slave's name,
	 * the window size, the controlling terminal), exec, signals, reaping */
	SB_CALL(fork), SB_CALL(vfork), SB_CALL(clone), SB_CALL(execve), SB_CALL(wait4), SB_CALL(waitid),
	SB_CALL(kill), SB_CALL(setsid), SB_CALL(getpid), SB_CALL(getppid), SB_CALL(gettid), SB_CALL(getuid),
	SB_CALL(geteuid), SB_CALL(getgid), SB_CALL(getegid), SB_CALL(getpgrp), SB_CALL(setpgid),
	SB_EQ(ioctl, 1, TIOCGPTN), SB_EQ(ioctl, 1, TIOCSPTLCK), SB_EQ(ioctl, 1, TIOCSWINSZ),
	SB_EQ(ioctl, 1, TIOCGWINSZ), SB_EQ(ioctl, 1, TIOCSCTTY), SB_EQ(ioctl, 1, TCGETS), SB_EQ(ioctl, 1, TCSETS),
	SB_EQ(ioctl, 1, TCSETSW), SB_EQ(ioctl, 1, TCSETSF), SB_EQ(ioctl, 1, TIOCGPGRP), SB_EQ(ioctl, 1, TIOCSPGRP),
	SB_EQ(ioctl, 1, FIONBIO),
	/* a new program's start (musl static-PIE: thread pointer, tid address) */
	SB_CALL(arch_prctl), SB_CALL(set_tid_address), SB_CALL(uname), SB_CALL(prlimit64), SB_CALL(getrlimit),
	SB_CALL(setrlimit), SB_CALL(getrandom), SB_CALL(clock_gettime), SB_CALL(gettimeofday),
	SB_CALL(nanosleep), SB_CALL(clock_nanosleep), SB_CALL(alarm), SB_CALL(setitimer), SB_CALL(sched_yield),
	SB_CALL(rt_sigaction), SB_CALL(rt_sigprocmask), SB_CALL(rt_sigreturn), SB_CALL(rt_sigsuspend),
	SB_CALL(sigaltstack), SB_CALL(exit), SB_CALL(exit_group),
	SB_BASE,
};

int sandbox_rec(char *err, size_t errlen)
{
	return sandbox_install("jumprec", rec_rules, sizeof rec_rules / sizeof rec_rules[0], err, errlen);
}
