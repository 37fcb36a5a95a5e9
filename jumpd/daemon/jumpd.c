/* jumpd: the jump daemon. Loads the site config, the TOTP replay state and
 * the audit spool, listens on its two sockets — the auth socket (the SSH
 * server, the users' own processes, the firewall helper, the shipper) and
 * the admin socket (root, admins) — and serves one request line per
 * connection through the verb table (verbs.c), which alone decides who may
 * ask what. Every decision is audited (event.c) before it is answered: the
 * requests ready in one round are served, their records written, made
 * durable with one fdatasync (group commit), and only then answered. The
 * tables' sizes come from the machine and the site's [limits] (budget.h).
 *
 * With the firewall helper (-f, jumpd/fw/jumpfw.c), an allowed channel also
 * gets a pinhole for the user's uid to the target address and port once its
 * record is durable and before it is answered, refreshed while the channel
 * lives and removed with its last channel (verbs_channel.c); at start, jumpd
 * has the helper flush the pinholes a previous jumpd left.
 *
 * With the shipper's cursor (-k, jumpd/ship/cursor.h), records it has
 * delivered and older than [syslog] spool-keep-hours are given back at the
 * spool's head (reclaim.h), so a box that ships never fills.
 *
 * The recorder (-e, jumpd/rec) asks for recorded sessions (verbs_rec.c):
 * jumpd decides them, pins the recorder's uid to the target and audits
 * their start, checkpoints, commands, files and end.
 *
 * Usage: jumpd -c CONFIG -s STATEDIR -r RUNDIR -u SSHD_UID
 *              [-f FW_SOCKET -w FW_UID] [-x SHIP_UID] [-e REC_UID] [-k SHIP_CURSOR]
 *        jumpd -R REASON -s STATEDIR -r RUNDIR -u SSHD_UID
 *              (init refused the site config: no user, nothing allowed; the
 *              refusal is audited as CONFIG_REFUSED)
 * Runs as its own unprivileged account; needs no capability. */
#include "brake.h"
#include "conn.h"
#include "daemon.h"
#include "event.h"
#include "reclaim.h"
#include "replay.h"
#include "verbs.h"
#include "../common/auditsign.h"
#include "../common/sockgroups.h"
#include "../dropbear/jb-authhook.h"
#include "../common/sandbox.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct jumpd jd = { .fw_uid = (uid_t)-1, .ship_uid = (uid_t)-1, .rec_uid = (uid_t)-1 };
static struct conns conns;
static struct reclaim reclaim;  /* -k: delivered records given back (reclaim.h) */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* the image's version, for every audit record */
static const char *image_version(void)
{
	static char v[96] = "unknown";
	FILE *f = fopen("/etc/jumpbox-version", "re");
	if (f) {
		if (fgets(v, sizeof v, f))
			v[strcspn(v, "\n")] = 0;
		fclose(f);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: jumpd -c CONFIG -s STATEDIR -r RUNDIR -u SSHD_UID [-f FW_SOCKET -w FW_UID] [-x SHIP_UID] "
			"[-e REC_UID] [-k SHIP_CURSOR]\n"
			"       jumpd -R REFUSAL -s STATEDIR -r RUNDIR -u SSHD_UID\n");
	exit(2);
}

/* a previous jumpd's pinholes belong to channels nobody tracks now: the
 * helper flushes them. Returns what JUMPD_START says of it. */
static const char *flush_pinholes(void)
{
	struct hook_msg req, rep = { 0 };
	char why[160] = "";
	const char *flushed = "failed";
	if (!jd.fw_socket)
		return "no-firewall-helper";
	hook_init(&req, "flush");
	/* init starts the helper alongside: give it a few seconds to listen */
	for (int i = 0; i < 50; i++) {
		if (jb_hook_ask(jd.fw_socket, &req, &rep, why, sizeof why) == 0) {
			flushed = !strcmp(rep.verb, "ok") ? "yes" : "failed";
			break;
		}
		usleep(100000);
	}
	if (strcmp(flushed, "yes") != 0)
		fprintf(stderr, "jumpd: firewall helper did not flush the pinholes: %s\n", why);
	return flushed;
}

static void serve_forever(int afd, int cfd)
{
	int64_t next_refresh = mono_ms() + REFRESH_MS;
	static struct pollfd *p;
	static struct conn **owner;
	p = calloc(conns.cap + 2, sizeof(struct pollfd));
	owner = calloc(conns.cap + 2, sizeof(struct conn *));
	if (!p || !owner) {
		fprintf(stderr, "jumpd: no memory for %u connections\n", conns.cap);
		exit(1);
	}
	while (!stop) {
		p[0] = (struct pollfd){ .fd = afd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = cfd, .events = POLLIN };
		int n = 2 + conns_poll_set(&conns, p + 2, owner + 2, mono_ms());
		if (poll(p, (nfds_t)n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "jumpd: poll: %s\n", strerror(errno));
			exit(1);
		}
		/* one round: every ready request served, their records made
		 * durable together, then every answer sent */
		event_batch_begin();
		for (int i = 2; i < n; i++)
			if (p[i].revents)
				conns_read(owner[i], &jd, verbs_serve);
		int durable = event_batch_end() == 0;
		pinholes_settle(&jd, &conns, durable); /* pinholes only behind durable records */
		conns_flush(&conns, durable);
		if (p[0].revents & POLLIN)
			conns_accept(&conns, &jd, afd, SOCK_AUTH);
		if (p[1].revents & POLLIN)
			conns_accept(&conns, &jd, cfd, SOCK_CTL);
		event_tick(mono_ms());
		pinholes_retry_revokes(&jd, mono_ms());
		reclaim_tick(&reclaim, mono_ms(), (int64_t)time(NULL));
		brake_tick(mono_ms()); /* due RATE_LIMITED summaries */
		if (mono_ms() >= next_refresh) {
			channels_refresh_all(&jd);
			recs_refresh_all(&jd);
			next_refresh = mono_ms() + REFRESH_MS;
		}
	}
}

int main(int argc, char **argv)
{
	const char *config = NULL, *statedir = NULL, *rundir = NULL, *refusal = NULL, *cursor = NULL;
	char path[512], auth_path[256], ctl_path[256], err[320];
	struct siteconf_error cerr;
	int opt;

	while ((opt = getopt(argc, argv, "c:s:r:u:f:w:x:e:R:k:")) != -1) {
		switch (opt) {
		case 'R': refusal = optarg; break;
		case 'k': cursor = optarg; break;
		case 'f': jd.fw_socket = optarg; break;
		case 'w': jd.fw_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'x': jd.ship_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'e': jd.rec_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		case 'c': config = optarg; break;
		case 's': statedir = optarg; break;
		case 'r': rundir = optarg; break;
		case 'u': jd.sshd_uid = (uid_t)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!(config || refusal) || (config && refusal) || !statedir || !rundir || !jd.sshd_uid ||
	    (jd.fw_socket && jd.fw_uid == (uid_t)-1) || jd.rec_uid == 0)
		usage();
	umask(077);
	if (refusal) {
		siteconf_defaults(&jd.conf); /* no user: every request is refused */
		config = "-";
	} else if (siteconf_load(&jd.conf, config, &cerr)) {
		fprintf(stderr, "jumpd: %s:%u: %s\n", cerr.file, cerr.line, cerr.msg);
		return 1;
	}
	{
		/* the tables: as large as the descriptors (a pidfd per session
		 * and per channel, an fd per connection) and memory allow */
		uint64_t nofile, mem;
		budget_machine(&nofile, &mem);
		budget_derive(&jd.budget, nofile, mem, jd.conf.channels_max, jd.conf.channels_per_user);
		if (channels_init(&jd.channels, jd.budget.channels_max) ||
		    sessions_init(&jd.sessions, jd.budget.sessions_max) || conns_init(&conns, jd.budget.conns_max) ||
		    recs_init(&jd.recs, jd.budget.rec_sessions_max)) {
			fprintf(stderr, "jumpd: no memory for its tables\n");
			return 1;
		}
		fprintf(stderr, "jumpd: budget: %u sessions, %u channels (%u per user), %u connections, "
			"%u recorded sessions (descriptors %llu, memory %llu MiB)\n", jd.budget.sessions_max,
			jd.budget.channels_max, jd.budget.channels_per_user, jd.budget.conns_max,
			jd.budget.rec_sessions_max, (unsigned long long)nofile,
			(unsigned long long)(mem >> 20));
	}
	mfa_init(&jd.mfa, &jd.conf);
	snprintf(jd.steps_path, sizeof jd.steps_path, "%s/totp-steps", statedir);
	if (replay_load(&jd.mfa, jd.steps_path, mono_ms(), err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to start: TOTP replay state %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/audit.spool", statedir);
	long torn = 0;
	event_set_fail_closed(jd.conf.fail_closed);
	if (event_open(path, jd.conf.hostname, image_version(), (off_t)jd.conf.spool_max_bytes, &torn, err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to start: audit spool %s\n", err);
		return 1;
	}
	static struct auditsign_key sign_key;
	int key_created = 0;
	snprintf(path, sizeof path, "%s/audit-sign.key", statedir);
	if (auditsign_load_or_create(&sign_key, path, &key_created, err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to start: audit signing key %s\n", err);
		return 1;
	}
	char sign_pub[AUDITSIGN_PK_HEX], sign_fp[AUDITSIGN_FP_HEX];
	auditsign_pub_hex(&sign_key, sign_pub);
	auditsign_fingerprint(&sign_key, sign_fp);
	/* the operator notes this once (first boot) to verify trails with
	 * `jumpctl audit-verify --key` (docs/audit.md) */
	fprintf(stderr, "jumpd: audit signing key %s%s: %s\n", sign_fp, key_created ? " (new)" : "", sign_pub);
	if (torn)
		fprintf(stderr, "jumpd: audit spool recovered: %ld torn bytes after the last whole record removed\n", torn);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int afd = conn_listen(rundir, "auth.sock", GID_AUTH_SOCK, auth_path, sizeof auth_path);
	int cfd = conn_listen(rundir, "ctl.sock", GID_CTL_SOCK, ctl_path, sizeof ctl_path);
	if (afd < 0 || cfd < 0)
		return 1;
	char nusers[16], torn_s[24];
	snprintf(nusers, sizeof nusers, "%u", jd.conf.nusers);
	snprintf(torn_s, sizeof torn_s, "%ld", torn);
	const char *flushed = flush_pinholes();
	event_allow_reserve(EV_RESERVE_BOX); /* the box's own records fit while anything does */
	if (event_emit("JUMPD_START", "config", config, "users", nusers, "spool_torn_bytes", torn_s,
		       "pinholes_flushed", flushed, "sign_key", sign_pub, "sign_key_new", key_created ? "yes" : "no", EV_END)) {
		fprintf(stderr, "jumpd: refusing to start: event log not writable\n");
		return 1;
	}
	if (refusal && event_emit("CONFIG_REFUSED", "reason", refusal, EV_END)) {
		fprintf(stderr, "jumpd: the config refusal could not be audited\n");
		return 1;
	}
	event_allow_reserve(EV_RESERVE_NONE);
	event_set_signer(&sign_key);
	event_checkpoint("start");
	snprintf(path, sizeof path, "%s/audit.spool", statedir);
	static char spool_path[512];
	snprintf(spool_path, sizeof spool_path, "%s", path);
	reclaim_init(&reclaim, spool_path, cursor, jd.conf.spool_keep_hours);
	/* from here on only the serving loop's calls (sandbox_jumpd.c); a
	 * filter that cannot be installed is a start refused */
	if (sandbox_jumpd(err, sizeof err)) {
		fprintf(stderr, "jumpd: refusing to serve: %s\n", err);
		event_emit("JUMPD_STOP", "reason", "sandbox", EV_END);
		return 1;
	}
	serve_forever(afd, cfd);
	event_allow_reserve(EV_RESERVE_BOX);
	event_emit("JUMPD_STOP", "reason", "signal", EV_END);
	event_checkpoint("stop");
	unlink(auth_path);
	unlink(ctl_path);
	return 0;
}
