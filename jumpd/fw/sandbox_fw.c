/* sandbox_fw: jumpfw's seccomp allow-list (common/sandbox.h), installed
 * once the policy is loaded and it listens on fw.sock and the NFLOG group.
 * What is left: jumpd's requests (pinholes over the netlink socket it
 * holds), the blocked-egress log, and the report children it forks, which
 * tell jumpd over its Unix socket. jumpfw is glibc's (libnftnl): fork is
 * clone(2), and the child re-registers its robust list and rseq area. */
#include "../common/sandbox.h"

#include <linux/net.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static const struct sandbox_rule fw_rules[] = {
	SB_CALL(poll), SB_CALL(ppoll), SB_CALL(read), SB_CALL(write), SB_CALL(readv), SB_CALL(writev),
	SB_CALL(close), SB_CALL(accept), SB_CALL(accept4), SB_CALL(getsockopt), SB_CALL(setsockopt),
	SB_CALL(sendmsg), SB_CALL(recvmsg), SB_CALL(sendto), SB_CALL(recvfrom), SB_CALL(fcntl),
	SB_CALL(getsockname),
	/* the report children's connection to jumpd; netlink: the rule
	 * batches go over the socket it holds, a new one only for a conntrack
	 * flush of a removed pinhole (NETLINK_NETFILTER) */
	SB_EQ(socket, 0, AF_UNIX), SB_EQ(socket, 0, AF_NETLINK), SB_CALL(connect), SB_CALL(bind),
	/* the report children: fork without exec, reaped by SIG_IGN */
	SB_CALL(clone), SB_CALL(set_robust_list), SB_CALL(rseq), SB_CALL(wait4),
	SB_CALL(getpid), SB_CALL(gettid), SB_CALL(clock_gettime), SB_CALL(gettimeofday),
	SB_CALL(nanosleep), SB_CALL(clock_nanosleep), SB_CALL(getrandom),
	/* glibc's stdio on the console */
	SB_CALL(fstat), SB_CALL(newfstatat), SB_EQ(ioctl, 1, TCGETS), SB_EQ(ioctl, 1, TIOCGWINSZ),
	SB_CALL(rt_sigaction), SB_CALL(rt_sigprocmask), SB_CALL(rt_sigreturn), SB_CALL(exit), SB_CALL(exit_group),
	SB_BASE,
};

int sandbox_fw(char *err, size_t errlen)
{
	return sandbox_install("jumpfw", fw_rules, sizeof fw_rules / sizeof fw_rules[0], err, errlen);
}
