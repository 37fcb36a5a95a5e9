/* svcwatch: jb-supervise's restart path around one service, on an ordinary
 * host (tests/host/sandbox.sh), since jb-supervise itself runs only under
 * PID 1 with the whole boot. It uses the supervisor's own modules: the
 * service table (jumpd/init/supervise.c: reap, backoff, restart) and the
 * exit report to jumpd (jumpd/init/svcreport.c: SERVICE_RESTART).
 * Usage: svcwatch CTL_SOCKET NAME ARGV...  (as root; ARGV drops its own
 * privileges, e.g. with setpriv). Starts ARGV as service NAME, prints
 * "started PID"; when it ends, reports it, prints "ended STATUS" and
 * "reported ok" (or "reported failed"), restarts it after the backoff,
 * prints "started PID" again and exits, leaving the new one running.
 * A deadline: 30 s after the start it ends (SIGALRM) whatever happened, so
 * a service that was never killed fails the suite instead of hanging it. */
#include "../../jumpd/init/supervise.h"
#include "../../jumpd/init/svcreport.h"

#include <linux/capability.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ctl_socket;
static pid_t reporter;

static void on_exit_report(const struct service *s, int status)
{
	char st[32];
	svc_status_text(status, st, sizeof st);
	printf("ended %s\n", st);
	fflush(stdout);
	reporter = svcreport_exit(ctl_socket, s, status);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: svcwatch CTL_SOCKET NAME ARGV...\n");
		return 2;
	}
	ctl_socket = argv[1];
	/* root keeping what it has: ARGV drops its own privileges */
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data))
		return 1;
	uint64_t caps = (uint64_t)data[0].permitted | (uint64_t)data[1].permitted << 32;
	struct service *s = svc_add(argv[2], (const char *const *)argv + 3, 0, 0, caps);
	if (!s)
		return 1;
	svc_on_exit = on_exit_report;
	alarm(30);
	svc_start_all();
	printf("started %d\n", (int)s->pid);
	fflush(stdout);
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid < 0)
			return 1;
		if (pid == reporter) {
			printf("reported %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "failed");
			fflush(stdout);
			int ms;
			while ((ms = svc_tick()) > 0)
				usleep((useconds_t)ms * 1000);
			svc_tick();
			printf("started %d\n", (int)s->pid);
			return 0;
		}
		svc_reaped(pid, st);
	}
}
