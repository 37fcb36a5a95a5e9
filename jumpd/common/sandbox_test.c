/* sandbox_test: the filter builder and the real kernel's verdicts: each
 * case installs a filter in a child, makes one call and checks how the
 * child ended (an allowed call: exit 0; another: killed by SIGSYS). */
#include "sandbox.h"
#include "unittest.h"

#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static const struct sandbox_rule small[] = {
	SB_CALL(getpid), SB_EQ(socket, 0, AF_UNIX), SB_CALL(close), SB_CALL(nanosleep), SB_CALL(exit_group), SB_BASE,
};

enum probe { P_GETPID, P_GETPPID, P_SOCKET_UNIX, P_SOCKET_INET, P_MMAP_RW, P_MMAP_EXEC, P_MPROTECT_EXEC, P_X32_GETPID, P_NO_CALL };

/* How a child that installs `list` (NULL: the small one; else a service's
 * installer) and makes the probe call ends: exit status, or 128 + signal. */
static int verdict(int (*install)(char *, size_t), enum probe p)
{
	pid_t pid = fork();
	if (pid == 0) {
		char err[200];
		int rc = install ? install(err, sizeof err) : sandbox_install("test", small, sizeof small / sizeof small[0], err, sizeof err);
		if (rc)
			syscall(SYS_exit_group, 3);
		long r = 0;
		switch (p) {
		case P_GETPID: r = syscall(SYS_getpid); break;
		case P_GETPPID: r = syscall(SYS_getppid); break;
		case P_SOCKET_UNIX: r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0); break;
		case P_SOCKET_INET: r = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0); break;
		case P_MMAP_RW: r = syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); break;
		case P_MMAP_EXEC: r = syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); break;
		case P_MPROTECT_EXEC: {
			static char page[8192] __attribute__((aligned(4096)));
			r = syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_EXEC);
			break;
		}
		case P_X32_GETPID: r = syscall(0x40000000 | SYS_getpid); break;
		case P_NO_CALL: r = syscall(-1) == -1 && errno == ENOSYS ? 0 : -1; break;
		}
		syscall(SYS_exit_group, r < 0 && p != P_X32_GETPID ? 4 : 0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void test_allowed_calls_run(void)
{
	CHECK(verdict(NULL, P_GETPID) == 0);
	CHECK(verdict(NULL, P_SOCKET_UNIX) == 0);
	CHECK(verdict(NULL, P_MMAP_RW) == 0);
}

static void test_unlisted_call_kills_with_sigsys(void)
{
	CHECK(verdict(NULL, P_GETPPID) == 128 + SIGSYS);
}

static void test_argument_rules(void)
{
	CHECK(verdict(NULL, P_SOCKET_INET) == 128 + SIGSYS); /* AF_UNIX only */
	CHECK(verdict(NULL, P_MMAP_EXEC) == 128 + SIGSYS);
	CHECK(verdict(NULL, P_MPROTECT_EXEC) == 128 + SIGSYS);
}

/* call number -1 (a tracer's skip: strace's fault injection) runs nothing
 * and is let through (ENOSYS), or strace -e inject kills a filtered jumpd */
static void test_no_call_passes(void)
{
	CHECK(verdict(NULL, P_NO_CALL) == 0);
}

static void test_x32_numbers_kill(void)
{
	CHECK(verdict(NULL, P_X32_GETPID) == 128 + SIGSYS); /* getpid is listed, its x32 number is not */
}

/* stopped and continued in a call with a timeout: the kernel restarts it
 * with restart_syscall, which every list has (a service must survive
 * SIGSTOP/SIGCONT and a debugger's attach) */
static void test_stop_and_continue_survived(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char err[200];
		if (sandbox_install("test", small, sizeof small / sizeof small[0], err, sizeof err))
			syscall(SYS_exit_group, 3);
		struct timespec ts = { 0, 400L * 1000 * 1000 };
		syscall(SYS_nanosleep, &ts, NULL);
		syscall(SYS_exit_group, 0);
	}
	usleep(100 * 1000);
	kill(pid, SIGSTOP);
	usleep(50 * 1000);
	kill(pid, SIGCONT);
	int st = -1;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_build_bounds(void)
{
	struct sock_filter f[64];
	CHECK(sandbox_build(small, sizeof small / sizeof small[0], f, 64) > 6);
	CHECK(sandbox_build(small, sizeof small / sizeof small[0], f, 8) == -1);
	const struct sandbox_rule bad[] = { { -1, SB_ANY, 0, 0 } }, bad_arg[] = { { SYS_read, SB_ARG_EQ, 6, 0 } };
	CHECK(sandbox_build(bad, 1, f, 64) == -1);
	CHECK(sandbox_build(bad_arg, 1, f, 64) == -1);
	/* a deny-list has whole calls only */
	const struct sandbox_rule deny_arg[] = { SB_EQ(socket, 0, AF_INET) }, deny[] = { SB_CALL(ptrace) };
	CHECK(sandbox_build_deny(deny_arg, 1, f, 64) == -1);
	CHECK(sandbox_build_deny(deny, 1, f, 64) > 6);
}

/* every service's list installs, lets through what its loop does and
 * nothing of what none of them needs */
static void test_service_lists(void)
{
	int (*lists[])(char *, size_t) = { sandbox_jumpd, sandbox_fw, sandbox_ship, sandbox_rec };
	for (unsigned i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		CHECK(verdict(lists[i], P_GETPID) == 0);
		CHECK(verdict(lists[i], P_MMAP_RW) == 0);
		CHECK(verdict(lists[i], P_MMAP_EXEC) == 128 + SIGSYS);
		CHECK(verdict(lists[i], P_X32_GETPID) == 128 + SIGSYS);
	}
	CHECK(verdict(sandbox_jumpd, P_SOCKET_INET) == 128 + SIGSYS);
	CHECK(verdict(sandbox_fw, P_SOCKET_INET) == 128 + SIGSYS);
	CHECK(verdict(sandbox_ship, P_SOCKET_INET) == 0);
}

int main(void)
{
	RUN(test_allowed_calls_run);
	RUN(test_unlisted_call_kills_with_sigsys);
	RUN(test_argument_rules);
	RUN(test_x32_numbers_kill);
	RUN(test_no_call_passes);
	RUN(test_stop_and_continue_survived);
	RUN(test_build_bounds);
	RUN(test_service_lists);
	UT_END();
}
