/* supervisor (jb-supervise): boot steps, then the services (see supervisor.h). */
#include "supervisor.h"
#include "bootpaths.h"
#include "caps.h"
#include "fwargs.h"
#include "log.h"
#include "netup.h"
#include "run.h"
#include "services.h"
#include "setup.h"
#include "supervise.h"
#include "svcreport.h"
#include "users.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static struct siteconf conf;
static char refusal[400]; /* why the config was refused ("" : it was not) */

/* A boot step: run to completion; its own messages say what went wrong,
 * only a step that could not run or was killed is reported here. */
static int step_finish(const char *name, pid_t pid)
{
	int st = run_finish(pid);
	if (st < 0)
		log_loud("%s could not be run: %s", name, strerror(errno));
	else if (st > RUN_SIGNALLED)
		log_loud("%s killed by signal %d", name, st - RUN_SIGNALLED);
	return st;
}

static int step(const char *const *argv, const struct run_as *as)
{
	return step_finish(argv[0], run_start(argv, as, 0));
}

/* Before the network comes up: the egress policy, loaded by the helper as
 * it always runs (own uid, CAP_NET_ADMIN only). Without it, SSH stays off. */
static int load_firewall(void)
{
	static struct fw_args fw;
	const struct run_as as = { USERS_FW_UID, USERS_FW_UID, CAPBIT(CAP_NET_ADMIN) };
	fw_args(&conf, FW_LOAD_ONLY, PROG_JUMPFW, &fw);
	if (step(fw.argv, &as) == 0)
		return 1;
	log_loud("FIREWALL POLICY NOT LOADED: SSH will not be started");
	return 0;
}

/* A service exited: tell jumpd, for the audit trail (SERVICE_RESTART) */
static void report_exit(const struct service *s, int status)
{
	(void)svcreport_exit(JUMPD_CTL_SOCKET, s, status);
}

static void boot(const char *config)
{
	static struct netup_args net;
	const char *setup[] = { PROG_SETUP, config, NULL }; /* config NULL: none found */
	const struct run_as net_as = { USERS_DHCP_UID, USERS_DHCP_UID, CAPBIT(CAP_NET_ADMIN) };
	struct services_prepared prep;

	pid_t keys = 0; /* 0: no users, no keys needed */

	step(setup, NULL);
	setup_read_outcome(SETUP_DIR, &conf, refusal, sizeof refusal);
	/* the host keys (first boot: generated) beside the firewall and the
	 * network, which do not need them: only the SSH server does, and it is
	 * started after both */
	if (conf.nusers) {
		const char *hostkeys[] = { PROG_HOSTKEYS, NULL };
		keys = run_start(hostkeys, NULL, 0);
	}
	int firewall_ok = load_firewall();
	netup_args(&conf, PROG_NETUP, &net);
	step(net.argv, &net_as);
	if (keys)
		step_finish(PROG_HOSTKEYS, keys);
	if (conf.dhcp)
		services_register_dhcp_client(&conf);
	enum services_plan plan = services_plan(&conf, refusal, firewall_ok);
	services_prepare(plan, &conf, &prep);
	services_register(plan, &conf, refusal, &prep);
	if (plan == SERVE_ALL && prep.jumpd_config)
		svc_on_exit = report_exit;
}

/* a descriptor number given on the command line; -1 if it is not one */
static int fd_arg(const char *s)
{
	char *end;
	long fd = strtol(s, &end, 10);
	return *s && !*end && fd > 2 && fd < 1024 ? (int)fd : -1;
}

int supervisor_main(int argc, char **argv)
{
	const char *config = NULL;
	int ready_fd = -1;
	for (int i = 1; i < argc; i++) {
		int has_value = i + 1 < argc;
		if (has_value && !strcmp(argv[i], "-c")) {
			config = argv[++i];
		} else if (has_value && !strcmp(argv[i], "-r") && fd_arg(argv[i + 1]) >= 0) {
			ready_fd = fd_arg(argv[++i]);
		} else {
			fprintf(stderr, "usage: jb-supervise [-c CONFIG_FILE] [-r READY_FD]\n");
			return 2;
		}
	}
	/* the services must not inherit PID 1's pipe */
	if (ready_fd >= 0 && fcntl(ready_fd, F_SETFD, FD_CLOEXEC))
		ready_fd = -1;
	if (getppid() != 1) {
		/* a second one would start every service twice */
		fprintf(stderr, "jb-supervise: started by init (PID 1) only\n");
		return 2;
	}
	/* SIGCHLD read from a descriptor; every other signal has its default
	 * action: a SIGTERM ends the supervisor, and PID 1 sees that */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_SETMASK, &chld, NULL);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
	if (sfd < 0) {
		log_loud("supervisor: signalfd: %s", strerror(errno));
		return 1;
	}

	boot(config);
	svc_start_all();
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "\n", 1);
		close(ready_fd);
	}

	struct pollfd pfd = { .fd = sfd, .events = POLLIN };
	for (;;) {
		int timeout = svc_tick();
		if (poll(&pfd, 1, timeout) <= 0)
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si || si.ssi_signo != SIGCHLD)
			continue;
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			svc_reaped(pid, st);
	}
}
