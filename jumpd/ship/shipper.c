/* jumpship: ships jumpd's audit spool to the site's syslog collector over
 * TLS (RFC 5425), at least once.
 *
 *   jumpship -c CONFIG -f SPOOL -s STATEDIR -r RUNDIR [-j JUMPD_SOCKET]
 *            [-m RESEND_MARGIN_BYTES] [-B MAX_BACKOFF_SECONDS] [-R KIB_PER_SEC]
 *
 * Owns the main loop: follow the spool (spoolread.h) from the cursor
 * (cursor.h), frame each record (framing.h) into the TLS session
 * (syslog_tls.h), account for what the collector's TCP acknowledged
 * (delivery.h: what "delivered" means), store the cursor, reconnect with
 * backoff (1 s doubling to 60 s, with jitter), and report: the status file
 * RUNDIR/status, state changes on stderr (the console), and a `collector`
 * hook line to jumpd so that they enter the audit trail too.
 * -R caps the bytes handed to TLS (ratecap.h): the instance that ships the
 * recording trail (/state/rec/spool, its own -s and -r) runs with it, so
 * the audit trail's instance always has the link. Lines are shipped as
 * they are, whatever their APP-NAME.
 *
 * Runs as its own uid with read access to the spool only (jumpd's group).
 * Memory is fixed: one spool buffer, one TLS buffer, one ring of marks,
 * whatever the backlog. */
#include "cursor.h"
#include "delivery.h"
#include "framing.h"
#include "ratecap.h"
#include "spoolread.h"
#include "syslog_tls.h"
#include "../common/auditrec.h"
#include "../common/durable.h"
#include "../common/hookproto.h"
#include "../common/monotime.h"
#include "../common/spoolhead.h"
#include "../common/siteconf.h"
#include "../dropbear/jb-authhook.h"
#include "../common/sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MARGIN ((uint64_t)8 << 20) /* above Linux's default largest TCP receive buffer (6 MiB) */
#define CONNECT_TIMEOUT_MS 10000

enum link_state { LINK_DISCONNECTED, LINK_REFUSED, LINK_CONNECTED };
static const char *const state_names[] = { "disconnected", "refused", "connected" };

static struct siteconf conf;
static struct stls_creds creds;
static struct stls tls;
static struct spoolread sr;
static struct delivery dl;
static volatile sig_atomic_t stop;

static struct {
	const char *spool_path, *hook_socket;
	char cursor_path[512], status_path[512];
	char collector[SITECONF_DNSNAMELEN + 80];
	uint64_t margin;
	unsigned max_backoff;
	int inotify_fd;
	/* what the status file says */
	enum link_state state;
	int hook_state;            /* -1: nothing told yet; 0 down; 1 up */
	char last_error[224];      /* as stls.why; within a hook value (255) */
	time_t since;
	uint64_t spool_seq, sent_seq, connects, failures, skipped;
	/* the send side: the next record to send, and the frame being copied */
	struct dpos next;          /* position after the last record framed */
	char frame[FRAMING_HEADER_MAX + AUDITREC_MAX];
	size_t frame_len, frame_done;
	struct dpos frame_pos;     /* the record the frame carries */
	struct cursor stored;      /* what the cursor file holds */
	int64_t cursor_at_ms;
	struct ratecap cap;        /* -R: bytes to TLS per second (0: none) */
	int throttled;             /* the last fill stopped at the cap */
	int caught_up;             /* the last fill stopped at the spool's end */
} S;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void say(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "jumpship: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- reporting: status file, console, jumpd ---- */

static void write_status(void)
{
	char text[1024], since[32];
	uint64_t size = 0;
	struct tm tm;
	spoolread_last(&sr, &S.spool_seq, &size);
	gmtime_r(&S.since, &tm);
	strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
	uint64_t acked = dl.acked.seq;
	int n = snprintf(text, sizeof text,
			 "state: %s\nsince: %s\ncollector: %s\nlast_error: %s\n"
			 "spool_seq: %llu\nsent_seq: %llu\nacked_seq: %llu\ndelivered_seq: %llu\n"
			 "backlog_records: %llu\nspool_bytes: %llu\nconnects: %llu\nfailures: %llu\nskipped_lines: %llu\n",
			 state_names[S.state], since, S.collector, S.last_error[0] ? S.last_error : "-",
			 (unsigned long long)S.spool_seq, (unsigned long long)S.sent_seq, (unsigned long long)acked,
			 (unsigned long long)dl.delivered.seq,
			 (unsigned long long)(S.spool_seq > acked ? S.spool_seq - acked : 0),
			 (unsigned long long)size, (unsigned long long)S.connects, (unsigned long long)S.failures,
			 (unsigned long long)S.skipped);
	/* a reader sees the old status or the new one, never half of one; a
	 * status that does not fit is not written (the old one stays) */
	if (n > 0 && (size_t)n < sizeof text)
		(void)durable_replace(S.status_path, text, (size_t)n, 0644);
}

/* Tells jumpd (when its socket is given) so the change enters the audit
 * trail. In a child: jumpd slow or absent must never hold up shipping. */
static void tell_jumpd(int up)
{
	struct hook_msg req, rep;
	char backlog[24], seq[24];
	if (!S.hook_socket || S.hook_state == up)
		return;
	S.hook_state = up;
	snprintf(backlog, sizeof backlog, "%llu",
		 (unsigned long long)(S.spool_seq > dl.acked.seq ? S.spool_seq - dl.acked.seq : 0));
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)dl.delivered.seq);
	if (hook_init(&req, "collector") || hook_add(&req, "state", up ? "up" : "down") ||
	    hook_add(&req, "reason", up ? "connected" : (S.last_error[0] ? S.last_error : "-")) ||
	    hook_add(&req, "backlog", backlog) || hook_add(&req, "seq", seq))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		char why[128];
		if (jb_hook_ask(S.hook_socket, &req, &rep, why, sizeof why))
			fprintf(stderr, "jumpship: could not tell jumpd (%s): shipping goes on\n", why);
		_exit(0);
	}
}

static void set_state(enum link_state st, const char *why)
{
	int changed = st != S.state || strcmp(why, S.last_error) != 0;
	if (st != S.state)
		S.since = time(NULL);
	S.state = st;
	snprintf(S.last_error, sizeof S.last_error, "%s", why);
	if (changed) {
		if (st == LINK_CONNECTED)
			say("connected to collector %s; sending from sequenceId %llu", S.collector,
			    (unsigned long long)S.next.seq + 1);
		else
			say("%scollector %s %s: %s; records stay spooled (%llu delivered so far)",
			    st == LINK_REFUSED ? "ALARM " : "", S.collector,
			    st == LINK_REFUSED ? "refused" : "unreachable", why, (unsigned long long)dl.delivered.seq);
	}
	write_status();
	tell_jumpd(st == LINK_CONNECTED);
}

/* ---- the cursor: stored when it moved, at most once a second ---- */

static void store_cursor(int force)
{
	struct cursor c = { .seq = dl.delivered.seq, .offset = dl.delivered.off };
	char err[256];
	if (c.offset == S.stored.offset || (!force && mono_ms() - S.cursor_at_ms < 1000))
		return;
	if (c.offset && spoolread_hash(&sr, dl.delivered.line_start, c.offset, c.hash))
		return;
	if (cursor_store(S.cursor_path, &c, err, sizeof err)) {
		say("cannot store the cursor: %s (records since are resent after a restart)", err);
		return;
	}
	S.stored = c;
	S.cursor_at_ms = mono_ms();
}

/* ---- sending ---- */

/* next record into S.frame; 1 if one is there, 0 if caught up, -1 error */
static int next_frame(void)
{
	for (;;) {
		const char *line;
		size_t len;
		int last;
		int rc = spoolread_line(&sr, S.next.off, &line, &len, &last);
		if (rc <= 0)
			return rc;
		struct dpos pos = { .seq = S.next.seq, .line_start = S.next.off, .off = S.next.off + len + 1 };
		if (rc == 2) { /* cannot be a record: never framed, counted */
			say("spool offset %llu: %zu bytes that are no record skipped", (unsigned long long)S.next.off, len);
			S.skipped++;
			S.next.off += len;
			continue;
		}
		struct auditrec_info info;
		if (auditrec_parse(line, len, &info) == 0) {
			pos.seq = info.seq;
		} else if (last) {
			return 0; /* could still be cut by jumpd's recovery: wait */
		} else {
			/* damage in the middle: shipped as it is, the verifier at
			 * the other end will name it */
			S.skipped++;
		}
		if (len == 0) {
			S.next = pos;
			continue;
		}
		size_t h = framing_header(S.frame, len);
		memcpy(S.frame + h, line, len);
		S.frame_len = h + len;
		S.frame_done = 0;
		S.frame_pos = pos;
		S.next = pos;
		return 1;
	}
}

/* copies frames into the engine while it takes them; seals them and
 * marks where they end. Returns 1 if something was sent, 0 if not, -1
 * on a spool read error. */
static int fill(void)
{
	int sealed = 0;
	struct dpos done = { 0 };
	S.throttled = 0;
	S.caught_up = 0;
	for (;;) {
		if (S.frame_done == S.frame_len) {
			int rc = next_frame();
			if (rc < 0)
				return -1;
			if (rc == 0) {
				S.caught_up = 1;
				break;
			}
		}
		size_t room;
		unsigned char *buf = stls_sendbuf(&tls, &room);
		if (!buf)
			break;
		size_t n = S.frame_len - S.frame_done < room ? S.frame_len - S.frame_done : room;
		if ((n = ratecap_allow(&S.cap, n, mono_ms())) == 0) {
			S.throttled = 1;
			break;
		}
		memcpy(buf, S.frame + S.frame_done, n);
		stls_sendack(&tls, n);
		ratecap_spend(&S.cap, n);
		S.frame_done += n;
		if (S.frame_done == S.frame_len) {
			done = S.frame_pos;
			sealed = 1;
			S.sent_seq = done.seq;
		}
	}
	if (sealed)
		delivery_sent(&dl, stls_flush(&tls), done);
	return sealed;
}

/* Stopped (a shutdown stops every service at once): the records written
 * last, jumpd's JUMPD_STOP among them, still go out. The loop goes on until
 * the spool has been quiet for DRAIN_QUIET_MS and TCP has acknowledged all
 * that was sent, for at most DRAIN_MS (init kills what still runs after
 * 3 s). Whatever is left waits in the spool for the next boot. */
#define DRAIN_MS 2500
#define DRAIN_QUIET_MS 300
static int drained(int64_t now, int64_t last_busy, int64_t *until)
{
	if (!*until)
		*until = now + DRAIN_MS;
	return now >= *until ||
	       (now - last_busy >= DRAIN_QUIET_MS && S.frame_done == S.frame_len && dl.nacked == dl.count);
}

/* the send loop of one connection; returns when it breaks (or on stop, drained) */
static void run_connection(void)
{
	int64_t last_tick = 0, last_busy = mono_ms(), drain_until = 0;
	for (;;) {
		int busy = fill();
		if (busy < 0) {
			say("reading the spool: %s", strerror(errno));
			snprintf(tls.why, sizeof tls.why, "spool read error");
			return;
		}
		if (stls_io(&tls))
			return;
		uint64_t acked;
		if (stls_acked(&tls, &acked) == 0)
			delivery_acked(&dl, acked);
		int64_t now = mono_ms();
		if (now - last_tick >= 1000) {
			last_tick = now;
			store_cursor(0);
			write_status();
			if (spoolread_replaced(&sr, S.next.off)) {
				/* the caller reopens and resynchronises */
				snprintf(tls.why, sizeof tls.why, "the spool was replaced or cut: reopened");
				return;
			}
		}
		if (busy)
			last_busy = now;
		if (stop && drained(now, last_busy, &drain_until))
			return;
		/* Sleep only when caught up (inotify wakes us) or when the
		 * engine holds ciphertext the socket cannot take (stls_wait
		 * then wakes on POLLOUT). A fill that found the engine full
		 * seals nothing, but stls_io has just emptied it into the
		 * socket: with a backlog, go round again at once (the old
		 * test, `busy` alone, slept up to a second here each time a
		 * slow collector had filled the socket: the backlog drained
		 * at under half of rsyslog's rate with the link idle). */
		int more = !S.caught_up && !S.throttled && stls_can_take(&tls);
		int wait_ms = busy || more ? 0 : stop ? 50 : 1000;
		if (S.throttled) { /* at the cap: back when the bucket has a piece */
			int64_t w = ratecap_wait_ms(&S.cap, S.frame_len - S.frame_done, mono_ms());
			if (w < 1)
				w = 1;
			if (busy || w < wait_ms)
				wait_ms = (int)w;
		}
		if (stls_wait(&tls, wait_ms, S.inotify_fd)) {
			char ev[4096];
			while (read(S.inotify_fd, ev, sizeof ev) > 0) {
			}
		}
	}
}

/* ---- the spool: open, position ---- */

static void watch_spool(void)
{
	if (S.inotify_fd >= 0)
		close(S.inotify_fd);
	S.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (S.inotify_fd >= 0 && inotify_add_watch(S.inotify_fd, S.spool_path, IN_MODIFY) < 0) {
		close(S.inotify_fd);
		S.inotify_fd = -1; /* then the 1 s poll finds new records */
	}
}

/* (re)opens the spool and puts the send position at the cursor if it
 * matches this spool, else at its start */
static void open_spool(const struct cursor *c)
{
	char err[320];
	int waited = 0;
	spoolread_close(&sr);
	while (!stop && spoolread_open(&sr, S.spool_path, err, sizeof err)) {
		if (!waited++)
			say("waiting for the spool: %s", err);
		sleep(1);
	}
	if (stop)
		return;
	watch_spool();
	struct dpos start = { 0 };
	int m = c->offset ? spoolread_matches(&sr, c) : 0;
	if (m == 1) {
		start.seq = c->seq;
		start.off = c->offset;
		start.line_start = c->offset; /* unknown; the hash is in the cursor */
	} else {
		if (c->offset)
			say("the cursor (sequenceId %llu) does not match %s (a new spool?): shipping it from its start",
			    (unsigned long long)c->seq, S.spool_path);
		/* a spool whose head jumpd reclaimed starts after the hole */
		off_t head = spoolhead_first_line(sr.fd);
		if (head > 0) {
			start.off = start.line_start = (uint64_t)head;
			say("the spool's head was reclaimed (delivered before): its first record is at offset %lld",
			    (long long)head);
		}
	}
	S.next = start;
	S.frame_len = S.frame_done = 0;
	delivery_start(&dl, start, S.margin);
	S.stored = *c;
	if (m != 1)
		memset(&S.stored, 0, sizeof S.stored);
}

/* ---- backoff ---- */

static void backoff_sleep(unsigned attempt)
{
	unsigned cap = S.max_backoff ? S.max_backoff : 1;
	unsigned delay = attempt >= 6 ? 60 : 1u << attempt;
	unsigned r = 0;
	if (delay > cap)
		delay = cap;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		r = (unsigned)mono_ms();
	/* jitter: somewhere in [delay/2, delay], so boxes that lost the same
	 * collector do not all come back in the same second */
	int64_t ms = (int64_t)delay * 500 + (int64_t)(r % (delay * 500 + 1));
	int64_t until = mono_ms() + ms;
	while (!stop && mono_ms() < until) {
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: jumpship -c CONFIG -f SPOOL -s STATEDIR -r RUNDIR [-j JUMPD_SOCKET]\n"
			"                [-m RESEND_MARGIN_BYTES] [-B MAX_BACKOFF_SECONDS] [-R KIB_PER_SEC]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *statedir = NULL, *rundir = NULL;
	struct siteconf_error cerr;
	char err[320];
	int opt;
	unsigned long long kib_per_sec = 0;
	char *end;

	S.margin = DEFAULT_MARGIN;
	S.max_backoff = 60;
	S.inotify_fd = -1;
	S.hook_state = -1;
	sr.fd = -1;
	while ((opt = getopt(argc, argv, "c:f:s:r:j:m:B:R:")) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'f': S.spool_path = optarg; break;
		case 's': statedir = optarg; break;
		case 'r': rundir = optarg; break;
		case 'j': S.hook_socket = optarg; break;
		case 'm': S.margin = strtoull(optarg, NULL, 10); break;
		case 'B': S.max_backoff = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'R': /* 0: no cap; at most 16 GiB/s, far above any link */
			kib_per_sec = strtoull(optarg, &end, 10);
			if (end == optarg || *end || optarg[0] == '-' || kib_per_sec > (16ull << 20))
				return usage();
			break;
		default: return usage();
		}
	}
	if (!config || !S.spool_path || !statedir || !rundir || optind != argc || S.max_backoff == 0 ||
	    S.max_backoff > 60)
		return usage();
	if (siteconf_load(&conf, config, &cerr)) {
		fprintf(stderr, "jumpship: %s:%u: %s\n", cerr.file, cerr.line, cerr.msg);
		return 1;
	}
	if (!conf.have_syslog) {
		fprintf(stderr, "jumpship: %s: no [syslog] collector configured: nothing to ship to\n", config);
		return 1;
	}
	if (stls_load(&creds, conf.syslog_ca, conf.syslog_client_cert, conf.syslog_client_key, err, sizeof err)) {
		fprintf(stderr, "jumpship: %s: [syslog] %s\n", config, err);
		return 1;
	}
	snprintf(S.collector, sizeof S.collector, "%s%s%s:%u (%s)", strchr(conf.syslog_addr_text, ':') ? "[" : "",
		 conf.syslog_addr_text, strchr(conf.syslog_addr_text, ':') ? "]" : "", conf.syslog_port,
		 conf.syslog_server_name);
	ratecap_init(&S.cap, kib_per_sec * 1024, mono_ms());
	snprintf(S.cursor_path, sizeof S.cursor_path, "%s/cursor", statedir);
	snprintf(S.status_path, sizeof S.status_path, "%s/status", rundir);

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction child = { .sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT };
	sigaction(SIGCHLD, &child, NULL); /* hook children reap themselves */
	signal(SIGPIPE, SIG_IGN);

	struct cursor c;
	if (cursor_load(S.cursor_path, &c, err, sizeof err) < 0)
		say("cursor %s; shipping the spool from its start (duplicates, no gaps)", err);
	open_spool(&c);
	S.since = time(NULL);
	snprintf(S.last_error, sizeof S.last_error, "not connected yet");
	write_status();
	say("shipping %s to %s, resend margin %llu bytes, from sequenceId %llu%s", S.spool_path, S.collector,
	    (unsigned long long)S.margin, (unsigned long long)S.next.seq + 1, kib_per_sec ? ", rate capped" : "");
	if (kib_per_sec)
		say("rate cap: %llu KiB/s handed to TLS", kib_per_sec);

	/* from here on only the shipping loop's calls (sandbox_ship.c) */
	if (sandbox_ship(err, sizeof err)) {
		say("refusing to ship: %s", err);
		return 1;
	}
	unsigned attempt = 0;
	while (!stop) {
		if (stls_connect(&tls, &creds, conf.syslog_addr, conf.syslog_port, conf.syslog_server_name,
				 CONNECT_TIMEOUT_MS) == 0) {
			S.connects++;
			uint64_t from_off = dl.delivered.off;
			delivery_start(&dl, dl.delivered, S.margin);
			S.next = dl.delivered;
			S.frame_len = S.frame_done = 0;
			set_state(LINK_CONNECTED, "");
			run_connection();
			uint64_t acked;
			if (stls_acked(&tls, &acked) == 0)
				delivery_acked(&dl, acked);
			stls_close(&tls);
			store_cursor(1);
			/* a collector that took records is back to the short delay */
			if (dl.acked.off > from_off)
				attempt = 0;
			if (spoolread_replaced(&sr, S.next.off)) {
				struct cursor cur = S.stored;
				say("the spool was replaced or cut: reopening it");
				open_spool(&cur);
			}
			if (stop)
				break;
		}
		S.failures++;
		set_state(tls.refused ? LINK_REFUSED : LINK_DISCONNECTED, tls.why);
		/* resend from the last record known delivered */
		S.next = dl.delivered;
		S.frame_len = S.frame_done = 0;
		backoff_sleep(attempt);
		if (attempt < 16)
			attempt++;
	}
	store_cursor(1);
	S.state = LINK_DISCONNECTED;
	snprintf(S.last_error, sizeof S.last_error, "stopped");
	write_status();
	say("stopped; delivered up to sequenceId %llu", (unsigned long long)dl.delivered.seq);
	return 0;
}
