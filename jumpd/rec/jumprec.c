/* jumprec: the session recorder. One single-threaded poll loop for every
 * recorded session (`ssh alice+db1@box`): a user's stub (jumpmenu in relay
 * mode) hands it the user's fds over /run/rec/rec.sock; jumprec asks jumpd
 * (rec_open), connects to the target itself, runs Dropbear's dbclient with
 * the box's key for that target, pumps the bytes both ways, records them
 * as asciicast v2 into the recording trail (/state/rec/spool, hash-chained
 * chunks, anchored by REC_START/REC_CHECKPOINT/REC_END in jumpd's audit
 * trail), and serves admins on /run/rec/ctl.sock (list, watch, end,
 * target-key, target-pin). Design: docs/recording.md.
 *
 * Modules: recsess.c (session table and life), recpump.c (the pump),
 * recrecord.c (asciicast into the trail), recaudit.c (requests to jumpd),
 * recctl.c (the admin verbs), reckeys.c (per-target keys), recspawn.c
 * (dbclient/dropbearkey), recstart.c (live marks, crash recovery).
 *
 * Usage: jumprec -s STATEDIR -r RUNDIR -j JUMPD_SOCKET -M MAX_MB -F 0|1
 *                -b DROPBEARMULTI [-n MAX_SESSIONS]
 * Runs as its own uid (rec), no capability; not dumpable (no ptrace, no
 * core: it runs the process that reads the keys). */
#include "recstate.h"
#include "recctl.h"
#include "recpump.h"
#include "recsess.h"
#include "recspawn.h"
#include "recstart.h"
#include "../common/fdpass.h"
#include "../common/monotime.h"
#include "../common/sockgroups.h"
#include "../common/unixsock.h"
#include "../common/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PENDING_MAX 32          /* connections whose one request line is still coming */
#define PENDING_MS 5000
#define PENDING_PER_UID 4       /* of them, one uid's at most */
#define ACCEPTS_PER_ROUND 256

struct jumprec jr;
static struct recsess_table sessions;
static volatile sig_atomic_t stop;
static int wake[2] = { -1, -1 }; /* SIGCHLD's self-pipe */

/* a connection on rec.sock or ctl.sock until its request line is whole */
struct pending {
	int fd, ctl;
	uid_t uid;
	pid_t pid;
	struct fdpass_rx rx;
	int64_t deadline_ms;
};
static struct pending pend[PENDING_MAX];

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_child(int sig)
{
	(void)sig;
	int e = errno;
	if (write(wake[1], "c", 1) < 0)
		(void)0; /* the pipe is full: a wake-up is pending anyway */
	errno = e;
}

static void usage(void)
{
	fprintf(stderr, "usage: jumprec -s STATEDIR -r RUNDIR -j JUMPD_SOCKET -M MAX_MB -F 0|1 -b DROPBEARMULTI "
			"[-n MAX_SESSIONS]\n");
	exit(2);
}

static void pending_drop(struct pending *p)
{
	fdpass_rx_close(&p->rx);
	close(p->fd);
	p->fd = -1;
}

/* 1 if uid already holds its share of the pending slots */
static int over_share(uid_t uid)
{
	unsigned mine = 0;
	for (int i = 0; i < PENDING_MAX; i++)
		mine += pend[i].fd >= 0 && pend[i].uid == uid;
	return mine >= PENDING_PER_UID;
}

/* 0 if one was accepted (taken or turned away), -1 if none was waiting */
static int accept_one(int lfd, int ctl)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	struct ucred cr;
	socklen_t cl = sizeof cr;
	struct pending *p = NULL;
	for (int i = 0; i < PENDING_MAX && !p; i++)
		if (pend[i].fd < 0)
			p = &pend[i];
	/* full, or this uid's share taken (one user's idle connections
	 * never keep another's session out): the stub sees its socket
	 * closed and tells the user */
	if (!p || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) || over_share(cr.uid)) {
		close(fd);
		return 0;
	}
	*p = (struct pending){ .fd = fd, .ctl = ctl, .uid = cr.uid, .pid = cr.pid, .deadline_ms = mono_ms() + PENDING_MS };
	fdpass_rx_init(&p->rx);
	return 0;
}

/* every connection waiting, up to ACCEPTS_PER_ROUND (the sessions' pumps run in between) */
static void accept_ready(int lfd, int ctl)
{
	for (int i = 0; i < ACCEPTS_PER_ROUND; i++)
		if (accept_one(lfd, ctl))
			return;
}

/* reads what is there; on a whole line hands the connection on */
static void pending_read(struct pending *p)
{
	char line[HOOK_MAX_LINE + 1];
	ssize_t r = fdpass_rx_read(p->fd, &p->rx);
	if (r < 0 && errno == EAGAIN)
		return;
	if (r <= 0) {
		pending_drop(p);
		return;
	}
	ssize_t len = fdpass_rx_line(&p->rx, line, sizeof line - 1);
	if (len == -1)
		return;
	if (len < 0 || (p->ctl && p->rx.nfds)) { /* too long, or descriptors on ctl.sock */
		pending_drop(p);
		return;
	}
	line[len++] = '\n'; /* hookproto's lines end in it */
	line[len] = 0;
	int fd = p->fd, fds[FDPASS_MAX_FDS];
	int nfds = fdpass_rx_take_fds(&p->rx, fds, FDPASS_MAX_FDS);
	p->fd = -1;
	if (p->ctl)
		recctl_serve(&sessions, fd, p->uid, line, (size_t)len);
	else
		recsess_open(&sessions, fd, p->uid, p->pid, line, (size_t)len, fds, (unsigned)nfds);
}

static void reap(void)
{
	char junk[64];
	while (read(wake[0], junk, sizeof junk) > 0)
		;
	int st;
	pid_t pid;
	/* the audit worker is a child too: its exit is recasync's, told here
	 * so that nothing waits later for a pid that may be reused */
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (!recasync_reaped(&sessions.async, pid))
			recsess_reaped(&sessions, pid, st);
}

static void serve_forever(int rfd, int cfd)
{
	unsigned cap = 4 + PENDING_MAX + sessions.cap * RECPUMP_PER_SESSION;
	struct pollfd *p = calloc(cap, sizeof *p);
	unsigned *tag = calloc(cap, sizeof *tag);
	if (!p || !tag) {
		fprintf(stderr, "jumprec: no memory for its poll set\n");
		exit(1);
	}
	while (!stop) {
		unsigned n = 0;
		p[n++] = (struct pollfd){ .fd = rfd, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = cfd, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = wake[0], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = sessions.async.fd, .events = POLLIN };
		unsigned first_pending = n;
		for (int i = 0; i < PENDING_MAX; i++)
			p[n++] = (struct pollfd){ .fd = pend[i].fd, .events = POLLIN };
		unsigned first_sess = n;
		n += recpump_poll_set(&sessions, p + n, tag + n, cap - n);
		if (poll(p, n, 100) < 0 && errno != EINTR) {
			fprintf(stderr, "jumprec: poll: %s\n", strerror(errno));
			exit(1);
		}
		if (p[2].revents)
			reap();
		if (p[3].revents)
			recasync_ready(&sessions.async);
		for (unsigned i = first_sess; i < n; i++)
			if (p[i].revents)
				recpump_ready(&sessions, tag[i], p[i].revents);
		for (unsigned i = first_pending; i < first_sess; i++)
			if (p[i].fd >= 0 && p[i].revents)
				pending_read(&pend[i - first_pending]);
		if (p[0].revents & POLLIN)
			accept_ready(rfd, 0);
		if (p[1].revents & POLLIN)
			accept_ready(cfd, 1);
		int64_t now = mono_ms();
		for (int i = 0; i < PENDING_MAX; i++)
			if (pend[i].fd >= 0 && now >= pend[i].deadline_ms)
				pending_drop(&pend[i]);
		recsess_tick(&sessions, now);
		recpump_settle(&sessions);
	}
	free(p);
	free(tag);
}

static void end_all_on_stop(void)
{
	/* stopping: every live session ends as the recorder goes */
	for (unsigned i = 0; i < sessions.cap; i++)
		if (sessions.s[i].state != RS_FREE)
			recsess_end(&sessions.s[i], "recorder-gone", "the recorder stopped: the session is ended");
	/* a child that does not stop is killed after RECSESS_CLOSE_MS, its session cut after twice that */
	int64_t until = mono_ms() + (int64_t)2 * RECSESS_CLOSE_MS + 500;
	while (sessions.used && mono_ms() < until) {
		reap();
		recasync_ready(&sessions.async);
		recsess_tick(&sessions, mono_ms());
		recpump_settle(&sessions);
		usleep(20000);
	}
}

int main(int argc, char **argv)
{
	const char *max_mb = NULL, *fail = NULL;
	char path[320], err[256];
	int opt;
	jr.max_sessions = 64;
	while ((opt = getopt(argc, argv, "s:r:j:M:F:b:n:")) != -1) {
		switch (opt) {
		case 's': jr.statedir = optarg; break;
		case 'r': jr.rundir = optarg; break;
		case 'j': jr.jumpd_sock = optarg; break;
		case 'M': max_mb = optarg; break;
		case 'F': fail = optarg; break;
		case 'b': jr.bin = optarg; break;
		case 'n': jr.max_sessions = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	char *end = NULL;
	unsigned long long mb = max_mb ? strtoull(max_mb, &end, 10) : 0;
	if (!jr.statedir || !jr.rundir || !jr.jumpd_sock || !jr.bin || !max_mb || *end || mb == 0 || !fail ||
	    (strcmp(fail, "0") != 0 && strcmp(fail, "1") != 0) || jr.max_sessions == 0 || jr.max_sessions > 4096 || optind != argc)
		usage();
	jr.max_bytes = (uint64_t)mb << 20;
	jr.fail_closed = fail[0] == '1';
	/* no core, no ptrace by the users' processes (nor by anyone of our uid's) */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "jumprec: prctl: %s\n", strerror(errno));
		return 1;
	}
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK)) {
		fprintf(stderr, "jumprec: pipe: %s\n", strerror(errno));
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP };
	sigaction(SIGCHLD, &sa, NULL);
	if (gethostname(jr.host, sizeof jr.host - 1))
		snprintf(jr.host, sizeof jr.host, "jumpbox");
	snprintf(jr.spool_path, sizeof jr.spool_path, "%s/spool", jr.statedir);
	snprintf(jr.keys_dir, sizeof jr.keys_dir, "%s/keys", jr.statedir);
	snprintf(jr.live_dir, sizeof jr.live_dir, "%s/live", jr.statedir);
	if ((mkdir(jr.keys_dir, 0700) && errno != EEXIST) || (mkdir(jr.live_dir, 0700) && errno != EEXIST)) {
		fprintf(stderr, "jumprec: %s: %s\n", jr.statedir, strerror(errno));
		return 1;
	}
	/* the spool is read by the shipper's group: 0640 by recspool_open */
	umask(027);
	if (recspool_open(&jr.spool, jr.spool_path, jr.max_bytes, jr.host, err, sizeof err)) {
		fprintf(stderr, "jumprec: refusing to start: recording spool %s\n", err);
		return 1;
	}
	umask(077);
	unsigned failed = 0;
	int recovered = recstart_recover(jr.live_dir, jr.spool_path, jr.jumpd_sock, &failed);
	if (recovered || failed)
		fprintf(stderr, "jumprec: recovery: %d sessions ended as recovered, %u left for the next start\n",
			recovered, failed);
	if (recsess_init(&sessions, jr.max_sessions)) {
		fprintf(stderr, "jumprec: no memory for %u sessions\n", jr.max_sessions);
		return 1;
	}
	for (int i = 0; i < PENDING_MAX; i++)
		pend[i].fd = -1;
	/* rec.sock for the configured users (group rec-sock), ctl.sock for
	 * the admins (ctl-sock), root passing both (sockgroups.h); who is
	 * answered is still decided per request (SO_PEERCRED; jumpd's
	 * rec_open and rec_admin) */
	snprintf(path, sizeof path, "%s/rec.sock", jr.rundir);
	int rfd = unixsock_listen_group(path, SOCK_MODE, GID_REC_SOCK, 64, SOCK_NONBLOCK);
	snprintf(path, sizeof path, "%s/ctl.sock", jr.rundir);
	int cfd = rfd < 0 ? -1 : unixsock_listen_group(path, SOCK_MODE, GID_CTL_SOCK, 16, SOCK_NONBLOCK);
	if (rfd < 0 || cfd < 0) {
		fprintf(stderr, "jumprec: cannot listen in %s: %s\n", jr.rundir, strerror(errno));
		return 1;
	}
	fprintf(stderr, "jumprec: listening in %s, %u sessions at most, spool bound %llu MiB, fail-closed %s\n",
		jr.rundir, jr.max_sessions, mb, jr.fail_closed ? "yes" : "no");
	/* from here on only the loop's calls and its children's (sandbox_rec.c) */
	if (sandbox_rec(err, sizeof err)) {
		fprintf(stderr, "jumprec: refusing to serve: %s\n", err);
		return 1;
	}
	/* forked under the filter, so the worker has it too */
	if (recsess_start_audit_worker(&sessions))
		fprintf(stderr, "jumprec: no audit worker (%s): marks and typed commands asked inline\n", strerror(errno));
	serve_forever(rfd, cfd);
	end_all_on_stop();
	recasync_stop(&sessions.async);
	return 0;
}
