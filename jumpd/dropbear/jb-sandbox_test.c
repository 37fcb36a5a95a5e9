/* jb-sandbox_test: the connection filter on the real kernel: a child that
 * installed it runs programs (what a user's session does) and dies of
 * SIGSYS on a denied call. */
#include "jb-sandbox.h"
#include "../common/unittest.h"

#include <sched.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum probe { P_EXEC_TRUE, P_PTRACE, P_UNSHARE, P_X32 };

static int verdict(enum probe p)
{
	pid_t pid = fork();
	if (pid == 0) {
		char err[160];
		if (jb_sandbox_connection(err, sizeof err))
			_exit(3);
		switch (p) {
		case P_EXEC_TRUE: {
			/* a session's program, started as Dropbear starts them */
			pid_t c = fork();
			if (c == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			int st;
			_exit(c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) ? WEXITSTATUS(st) : 5);
		}
		case P_PTRACE: syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0); break;
		case P_UNSHARE: syscall(SYS_unshare, CLONE_NEWNS); break;
		case P_X32: syscall(0x40000000 | SYS_getpid); break;
		}
		_exit(0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void test_session_programs_run(void)
{
	CHECK(verdict(P_EXEC_TRUE) == 0);
}

static void test_denied_calls_kill(void)
{
	CHECK(verdict(P_PTRACE) == 128 + SIGSYS);
	CHECK(verdict(P_UNSHARE) == 128 + SIGSYS);
	CHECK(verdict(P_X32) == 128 + SIGSYS);
}

int main(void)
{
	RUN(test_session_programs_run);
	RUN(test_denied_calls_kill);
	UT_END();
}
