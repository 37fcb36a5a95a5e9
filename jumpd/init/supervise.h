/* supervise: the supervisor's service table: starting services and
 * restarting them with backoff (the boot sequence is supervisor.c's).
 * A service is an argv run as a given uid/gid with stdio on the console.
 * When one exits, it is restarted after a delay that doubles from 1 s up to
 * 60 s and resets once the service has stayed up for 30 s. */
#ifndef JB_INIT_SUPERVISE_H
#define JB_INIT_SUPERVISE_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define SVC_MAX 8

struct service {
	const char *name;
	const char *const *argv; /* NULL-terminated: the caller's array, kept (static) */
	uid_t uid;
	gid_t gid;
	uint64_t caps;          /* the only capabilities it keeps (caps.h) */
	unsigned nofile;        /* RLIMIT_NOFILE to start it with (0: inherited) */
	pid_t pid;              /* 0: not running */
	time_t started;         /* monotonic seconds */
	time_t restart_at;      /* 0: none scheduled */
	unsigned backoff;       /* seconds before the next restart */
	unsigned restarts;
};

/* Next backoff given the previous one and how long the service ran. */
unsigned svc_next_backoff(unsigned prev, time_t ran_for);

/* Registers a service (argv is kept by pointer: the array and its strings
 * must outlive it). */
struct service *svc_add(const char *name, const char *const *argv, uid_t uid, gid_t gid,
		       uint64_t caps);
/* Starts every registered service that is not running. */
void svc_start_all(void);
/* Called with each reaped child: schedules a restart if it was a service. */
void svc_reaped(pid_t pid, int status);
/* Starts services whose restart time has come; returns milliseconds until
 * the next scheduled restart, or -1 if none. */
int svc_tick(void);
/* A wait status as the audit trail's SERVICE_RESTART has it: "exit-N",
 * "signal-SIGSYS" (named for the signals a service can die of), else
 * "signal-N". */
void svc_status_text(int status, char *out, size_t cap);
/* A signal's name ("SIGSYS"), or NULL for one it does not name. */
const char *svc_signal_name(int sig);
/* Called (if set) when a service exited and its restart is scheduled. */
extern void (*svc_on_exit)(const struct service *s, int status);

/* Stops restarting (shutdown). */
void svc_stop_restarts(void);

/* Whole seconds on the monotonic clock (common/monotime.h): the restart
 * schedule is kept in these. */
time_t svc_now(void);

/* The registered services, in registration (= start) order; and, for unit
 * tests, forgetting them all (none may be running). */
unsigned svc_count(void);
const struct service *svc_at(unsigned i);
void svc_forget_all(void);
#endif
