/* sandbox_ship: jumpship's seccomp allow-list (common/sandbox.h), for both
 * instances (the audit trail's and the recording trail's, jumpship-rec),
 * installed once the config and the TLS credentials are read and the
 * cursor loaded. What is left: the spool (read, watched with inotify,
 * reopened when replaced), TCP connections to the collector, the cursor
 * and status files (rewritten: temporary file, sync, rename), and the
 * children that tell jumpd about the link over its Unix socket. */
#include "../common/sandbox.h"

#include <linux/net.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static const struct sandbox_rule ship_rules[] = {
	SB_CALL(poll), SB_CALL(ppoll), SB_CALL(read), SB_CALL(write), SB_CALL(readv), SB_CALL(writev),
	SB_CALL(close), SB_CALL(pread64), SB_CALL(lseek), SB_CALL(fcntl),
	/* the collector (IPv4 or IPv6), the hook children's jumpd socket */
	SB_EQ(socket, 0, AF_INET), SB_EQ(socket, 0, AF_INET6), SB_EQ(socket, 0, AF_UNIX), SB_CALL(connect),
	SB_CALL(getsockopt), SB_CALL(setsockopt), SB_CALL(getsockname), SB_CALL(getpeername),
	SB_CALL(sendto), SB_CALL(recvfrom), SB_CALL(sendmsg), SB_CALL(recvmsg), SB_CALL(shutdown),
	/* the spool and the files it keeps (it reads the spool; reclaiming,
	 * fallocate's hole punching, is jumpd's) */
	SB_CALL(open), SB_CALL(openat), SB_CALL(fstat), SB_CALL(stat), SB_CALL(newfstatat), SB_CALL(statx),
	SB_CALL(fsync), SB_CALL(fdatasync), SB_CALL(rename), SB_CALL(unlink), SB_CALL(ftruncate), SB_CALL(fchmod),
	SB_CALL(inotify_init1), SB_CALL(inotify_add_watch),
	/* hook children: fork without exec (SA_NOCLDWAIT reaps them) */
	SB_CALL(fork), SB_CALL(clone), SB_CALL(wait4), SB_CALL(getpid), SB_CALL(gettid),
	SB_CALL(clock_gettime), SB_CALL(gettimeofday), SB_CALL(nanosleep), SB_CALL(clock_nanosleep),
	SB_CALL(getrandom),
	/* SIOCOUTQ (= TIOCOUTQ): what the collector has acknowledged is what
	 * left the socket's send queue */
	SB_EQ(ioctl, 1, TIOCOUTQ), SB_EQ(ioctl, 1, TIOCGWINSZ), SB_EQ(ioctl, 1, TCGETS),
	SB_CALL(rt_sigaction), SB_CALL(rt_sigprocmask), SB_CALL(rt_sigreturn), SB_CALL(exit), SB_CALL(exit_group),
	SB_BASE,
};

int sandbox_ship(char *err, size_t errlen)
{
	return sandbox_install("jumpship", ship_rules, sizeof ship_rules / sizeof ship_rules[0], err, errlen);
}
