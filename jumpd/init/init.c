/* init: PID 1 of the jumpbox image, stage 2 (stage 1, in the initramfs, is
 * stage1.c). What only PID 1 can do, and nothing else:
 *
 *   - the console, the mounts (mounts.c), ctrl-alt-del off, the sysctls
 *     (sysctl.c), the random seed (entropy.c), in that order;
 *   - start the supervisor, jb-supervise (supervisor.c), which runs every
 *     other boot step and the services; wait for it to say the boot is
 *     complete, then watch the power buttons;
 *   - reap every orphan;
 *   - on SIGTERM/SIGINT (reboot), SIGUSR1/SIGUSR2/SIGPWR or a power button
 *     (power off): stop the supervisor, then every process, flush and
 *     release the state volume, and reboot or power off. A request made
 *     during the boot is carried out once it is complete, as before the
 *     split: a first-boot key generation is never cut in half.
 *
 * If the supervisor dies, nothing watches the services any more: the box
 * reboots (when PID 1 was the supervisor too, its death was a kernel panic). */
#include "init.h"
#include "bootpaths.h"
#include "entropy.h"
#include "log.h"
#include "mounts.h"
#include "powerbutton.h"
#include "stage1.h"
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READY_FD 3 /* the supervisor's end of the readiness pipe */
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
#define MAX_BUTTONS 4

static pid_t supervisor;

static void log_version(void)
{
	char ver[128] = "";
	int fd = open("/etc/jumpbox-version", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, ver, sizeof ver - 1);
		close(fd);
		if (n > 0)
			ver[n - (ver[n - 1] == '\n')] = 0;
	}
	log_msg("image version %s", ver[0] ? ver : "unknown");
}

/* Returns the read end of the readiness pipe, or -1 (then the boot counts
 * as complete at once: the supervisor cannot say when it is). */
static int start_supervisor(const char *config)
{
	int pipefd[2] = { -1, -1 };
	if (pipe2(pipefd, O_CLOEXEC)) {
		log_loud("readiness pipe: %s", strerror(errno));
		pipefd[0] = pipefd[1] = -1;
	}
	supervisor = fork();
	if (supervisor == 0) {
		const char *argv[6];
		int n = 0;
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		argv[n++] = PROG_SUPERVISOR;
		/* dup2 onto itself would keep close-on-exec: clear it then */
		if (pipefd[1] >= 0 && (pipefd[1] == READY_FD ? fcntl(READY_FD, F_SETFD, 0) : dup2(pipefd[1], READY_FD)) >= 0) {
			argv[n++] = "-r";
			argv[n++] = TEXT(READY_FD);
		}
		if (config) {
			argv[n++] = "-c";
			argv[n++] = config;
		}
		argv[n] = NULL;
		execv(argv[0], (char *const *)argv);
		log_loud("exec %s: %s", PROG_SUPERVISOR, strerror(errno));
		_exit(127);
	}
	if (supervisor < 0)
		log_loud("cannot start the supervisor: %s", strerror(errno));
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (supervisor < 0 && pipefd[0] >= 0) {
		close(pipefd[0]);
		return -1;
	}
	return pipefd[0];
}

static void shutdown_all(int how)
{
	if (supervisor > 0) {
		/* first, so that no service is restarted while they stop; it holds
		 * nothing that needs saving */
		kill(supervisor, SIGKILL);
		waitpid(supervisor, NULL, 0);
		supervisor = 0;
	}
	log_msg("shutting down: stopping services");
	kill(-1, SIGTERM);
	for (int i = 0; i < 30; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (kill(-1, 0) && errno == ESRCH)
			break;
		usleep(100000);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	mounts_release();
	log_msg("%s", how == RB_AUTOBOOT ? "rebooting" : "powering off");
	reboot(how);
	for (;;)
		pause();
}

static int shutdown_request(int signo)
{
	switch (signo) {
	case SIGTERM:
	case SIGINT:
		return RB_AUTOBOOT;
	case SIGUSR1:
	case SIGUSR2:
	case SIGPWR:
		return RB_POWER_OFF;
	}
	return 0;
}

static void stage2(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGPWR);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	umask(022);
	setsid();

	console_attach();
	mounts_base();
	struct timespec up = { 0, 0 };
	clock_gettime(CLOCK_BOOTTIME, &up); /* how long the kernel took to get here (boot benchmark) */
	log_msg("jumpbox starting (kernel up %ld.%03ld s)", (long)up.tv_sec, up.tv_nsec / 1000000);
	log_version();
	reboot(RB_DISABLE_CAD); /* ctrl-alt-del arrives as SIGINT */
	if (sysctl_apply("/proc/sys"))
		log_loud("some sysctls could not be applied (see above)");
	int persistent = mounts_state_volume();
	entropy_seed(RANDOM_SEED, persistent);
	int ready = start_supervisor(mounts_config_volume());
	if (supervisor < 0)
		shutdown_all(RB_AUTOBOOT); /* said by start_supervisor; nothing would run */

	/* pfd[0]: signals; pfd[1]: readiness, then nothing; the rest: buttons */
	struct pollfd pfd[2 + MAX_BUTTONS] = { { .fd = sfd, .events = POLLIN }, { .fd = ready, .events = POLLIN } };
	int nbuttons = 0, booted = 0, pending = 0;
	for (;;) {
		if (!booted && pfd[1].fd < 0) {
			/* opened only now, as before the split: the boot is not interrupted */
			booted = 1;
			int buttons[MAX_BUTTONS];
			nbuttons = powerbutton_open(buttons, MAX_BUTTONS);
			for (int i = 0; i < nbuttons; i++)
				pfd[2 + i] = (struct pollfd){ .fd = buttons[i], .events = POLLIN };
			log_msg("boot complete (%d power button%s watched)", nbuttons, nbuttons == 1 ? "" : "s");
			if (pending)
				shutdown_all(pending);
		}
		if (poll(pfd, (nfds_t)2 + (nfds_t)nbuttons, -1) <= 0)
			continue;
		if (pfd[1].fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			char c;
			/* a newline: complete. The end of the pipe without one: the
			 * supervisor died, and its SIGCHLD reboots the box */
			if (read(pfd[1].fd, &c, 1) == 1) {
				close(pfd[1].fd);
				pfd[1].fd = -1; /* poll skips it from now on */
				continue;
			}
			pfd[1].events = 0; /* POLLHUP again and again until the SIGCHLD is read */
		}
		for (int i = 0; i < nbuttons; i++)
			if ((pfd[2 + i].revents & POLLIN) && powerbutton_read(pfd[2 + i].fd)) {
				log_msg("power button pressed");
				shutdown_all(RB_POWER_OFF);
			}
		if (!(pfd[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo == SIGCHLD) {
			int st;
			pid_t pid;
			while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
				if (pid == supervisor) {
					supervisor = 0;
					log_loud("the supervisor ended (%s %d): nothing watches the services, rebooting",
						 WIFSIGNALED(st) ? "signal" : "status", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
					shutdown_all(RB_AUTOBOOT);
				}
			continue;
		}
		int how = shutdown_request((int)si.ssi_signo);
		if (how && booted)
			shutdown_all(how);
		else if (how)
			pending = how;
	}
}

int init_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (getpid() != 1) {
		fprintf(stderr, "jumpinit: must run as PID 1 (or be called as one of its programs: "
			"jb-supervise, jb-setup, jb-hostkeys, jb-net, jb-dhcp-hook)\n");
		return 2;
	}
	if (access(STAGE1_ROOT_IMAGE, R_OK) == 0) {
		stage1();
		/* stage 1 failed: nothing sane to run; let the kernel panic and reboot */
		sleep(5);
		return 1;
	}
	stage2();
	return 0;
}
