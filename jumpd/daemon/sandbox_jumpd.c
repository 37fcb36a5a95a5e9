/* sandbox_jumpd: jumpd's seccomp allow-list (common/sandbox.h), installed
 * once it listens, holds its spool, replay state and signing key and has
 * written JUMPD_START. What is left is its serving loop: the two sockets'
 * clients, the spool, the state files it rewrites, the firewall helper's
 * socket, the pidfds of the sessions and channels it watches. */
#include "../common/sandbox.h"

#include <linux/net.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>

static const struct sandbox_rule jumpd_rules[] = {
	/* the loop (musl's poll is poll(2) on x86-64) and its clients */
	SB_CALL(poll), SB_CALL(ppoll), SB_CALL(read), SB_CALL(write), SB_CALL(readv), SB_CALL(writev),
	SB_CALL(close), SB_CALL(accept), SB_CALL(accept4), SB_CALL(getsockopt), SB_CALL(setsockopt),
	SB_CALL(sendmsg), SB_CALL(recvmsg), SB_CALL(sendto), SB_CALL(recvfrom), SB_CALL(shutdown),
	SB_CALL(fcntl),
	/* asking the firewall helper (pinholes, revokes, flush): a Unix socket,
	 * connected, never bound (its listening sockets are bound before the
	 * filter); no other family (conntrack flushes are jumpfw's) */
	SB_EQ(socket, 0, AF_UNIX), SB_CALL(connect),
	/* the spool, the replay and lockout state (written to a temporary file,
	 * synced, renamed), the config re-read; fallocate: reclaiming delivered
	 * records by punching holes in the spool */
	SB_CALL(open), SB_CALL(openat), SB_CALL(lseek), SB_CALL(pread64), SB_CALL(pwrite64),
	SB_CALL(fsync), SB_CALL(fdatasync), SB_CALL(ftruncate), SB_CALL(fallocate), SB_CALL(rename),
	SB_CALL(renameat), SB_CALL(unlink), SB_CALL(fchmod), SB_CALL(fstat), SB_CALL(stat), SB_CALL(newfstatat), SB_CALL(statx),
	SB_CALL(getdents64), SB_CALL(umask),
	/* the processes it watches: a pidfd each, or kill(pid, 0) */
	SB_CALL(pidfd_open), SB_EQ(kill, 1, 0),
	/* tokens, codes' randomness, time */
	SB_CALL(getrandom), SB_CALL(clock_gettime), SB_CALL(gettimeofday), SB_CALL(nanosleep),
	SB_CALL(clock_nanosleep), SB_CALL(getpid), SB_CALL(gettid), SB_CALL(getuid),
	/* musl's stdio on the console (isatty) */
	SB_EQ(ioctl, 1, TIOCGWINSZ), SB_EQ(ioctl, 1, TCGETS),
	/* signals (SIGTERM's handler returns), ending */
	SB_CALL(rt_sigaction), SB_CALL(rt_sigprocmask), SB_CALL(rt_sigreturn), SB_CALL(exit), SB_CALL(exit_group),
	SB_BASE,
};

int sandbox_jumpd(char *err, size_t errlen)
{
	return sandbox_install("jumpd", jumpd_rules, sizeof jumpd_rules / sizeof jumpd_rules[0], err, errlen);
}
