/* supervise: service start and restart-with-backoff (see supervise.h). */
#include "supervise.h"
#include "log.h"
#include "caps.h"
#include "../common/monotime.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static struct service services[SVC_MAX];
static unsigned nservices;
static int stopping;
void (*svc_on_exit)(const struct service *s, int status);

time_t svc_now(void)
{
	return (time_t)(mono_ms() / 1000);
}

unsigned svc_next_backoff(unsigned prev, time_t ran_for)
{
	if (ran_for >= 30 || prev == 0)
		return 1;
	return prev >= 32 ? 60 : prev * 2;
}

struct service *svc_add(const char *name, const char *const *argv, uid_t uid, gid_t gid,
		       uint64_t caps)
{
	if (nservices >= SVC_MAX)
		return NULL;
	struct service *s = &services[nservices++];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->argv = argv;
	s->uid = uid;
	s->gid = gid;
	s->caps = caps;
	return s;
}

static void start(struct service *s)
{
	pid_t pid = fork();
	if (pid < 0) {
		log_msg("service %s: fork failed: %s", s->name, strerror(errno));
		s->restart_at = svc_now() + 5;
		return;
	}
	if (pid == 0) {
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setsid();
		if (s->nofile) {
			struct rlimit rl = { .rlim_cur = s->nofile, .rlim_max = s->nofile };
			if (setrlimit(RLIMIT_NOFILE, &rl))
				log_msg("service %s: RLIMIT_NOFILE %u: %s", s->name, s->nofile, strerror(errno));
		}
		if (caps_drop_to(s->caps, s->uid, s->gid)) {
			log_msg("service %s: cannot drop privileges: %s", s->name, strerror(errno));
			_exit(126);
		}
		execv(s->argv[0], (char *const *)s->argv);
		log_msg("service %s: exec %s failed: %s", s->name, s->argv[0], strerror(errno));
		_exit(127);
	}
	s->pid = pid;
	s->started = svc_now();
	s->restart_at = 0;
	log_msg("service %s started (pid %d)", s->name, (int)pid);
}

const char *svc_signal_name(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" }, { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" }, { SIGSTKFLT, "SIGSTKFLT" },
		{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
		{ SIGSYS, "SIGSYS" }, /* a seccomp filter's kill (common/sandbox.h) */
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

void svc_status_text(int status, char *out, size_t cap)
{
	if (!WIFSIGNALED(status)) {
		snprintf(out, cap, "exit-%d", WEXITSTATUS(status));
		return;
	}
	const char *name = svc_signal_name(WTERMSIG(status));
	if (name)
		snprintf(out, cap, "signal-%s", name);
	else
		snprintf(out, cap, "signal-%d", WTERMSIG(status));
}

void svc_start_all(void)
{
	for (unsigned i = 0; i < nservices; i++)
		if (!services[i].pid)
			start(&services[i]);
}

void svc_reaped(pid_t pid, int status)
{
	for (unsigned i = 0; i < nservices; i++) {
		struct service *s = &services[i];
		if (s->pid != pid)
			continue;
		s->pid = 0;
		if (stopping)
			return;
		time_t ran = svc_now() - s->started;
		s->backoff = svc_next_backoff(s->backoff, ran);
		s->restart_at = svc_now() + s->backoff;
		s->restarts++;
		char st[32];
		svc_status_text(status, st, sizeof st);
		log_msg("service %s ended (%s) after %lds; restart %u in %us", s->name, st, (long)ran,
			s->restarts, s->backoff);
		if (svc_on_exit)
			svc_on_exit(s, status);
		return;
	}
}

int svc_tick(void)
{
	time_t now = svc_now();
	long next = -1;
	if (stopping)
		return -1;
	for (unsigned i = 0; i < nservices; i++) {
		struct service *s = &services[i];
		if (s->pid || !s->restart_at)
			continue;
		if (s->restart_at <= now)
			start(s);
		else if (next < 0 || s->restart_at - now < next)
			next = s->restart_at - now;
	}
	return next < 0 ? -1 : (int)(next * 1000);
}

void svc_stop_restarts(void)
{
	stopping = 1;
}

unsigned svc_count(void)
{
	return nservices;
}

const struct service *svc_at(unsigned i)
{
	return i < nservices ? &services[i] : NULL;
}

void svc_forget_all(void)
{
	nservices = 0;
	stopping = 0;
}
