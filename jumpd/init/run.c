/* run: run a program and wait for it (see run.h). */
#include "run.h"
#include "caps.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t run_start(const char *const *argv, const struct run_as *as, int quiet)
{
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL); /* the caller's signalfd set is not the child's */
		if (quiet) {
			int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
			if (nul >= 0)
				dup2(nul, 1);
		}
		if (as && caps_drop_to(as->caps, as->uid, as->gid)) {
			log_msg("%s: cannot drop privileges: %s", argv[0], strerror(errno));
			_exit(126);
		}
		execv(argv[0], (char *const *)argv);
		log_msg("exec %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	return pid < 0 ? -1 : pid;
}

int run_finish(pid_t pid)
{
	int st;
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return RUN_SIGNALLED + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_wait(const char *const *argv, const struct run_as *as, int quiet)
{
	return run_finish(run_start(argv, as, quiet));
}
