/* jumpfw: the firewall helper, the only process of the box holding
 * CAP_NET_ADMIN (and nothing else). At start it replaces the nftables
 * policy atomically (fw_ruleset.c), so a restart leaves no stale pinhole;
 * then it serves narrow typed requests from jumpd alone on RUNDIR/fw.sock
 * (mode 0660, group fw-sock: only jumpd's account and root can connect;
 * the peer uid checked with SO_PEERCRED; every waiting connection accepted
 * in one go; refusals on the console at most CONSRATE_SHOWN per 10 s plus
 * one summary line):
 *
 *   pin uid=U addr=A port=P ttl=S   open/refresh a pinhole for S seconds
 *   unpin uid=U addr=A port=P       close it
 *   revoke uid=U addr=A port=P      close it and cut the connections it let
 *                                   through (conntrack entries marked U to
 *                                   A:P, fw_ctflush.h): jumpd could not stand
 *                                   by the channel it was opened for
 *   flush                           close every pinhole (jumpd restarted)
 *
 * answered `ok` or `err reason=...` (the line protocol of hookproto.h). A
 * pinhole is refused for an address outside the approved segments or for a
 * uid that is not a configured user's: users have uids 2000 + index in the
 * config, so of the N users (-n N, default SITECONF_MAX_USERS, the most a
 * config holds) only 2000..2000+N-1 may be pinned, and the recorder's uid
 * (-e: its connections to recorded targets). Packets the policy drops on the way
 * out are reported to jumpd (`egress ...` on its auth socket) in 10-second
 * summaries, for the audit trail.
 *
 * Usage: jumpfw -i IFACE -p SSH_PORT [-d DHCP_UID] [-C COLLECTOR -P PORT -U SHIP_UID]
 *               [-S CIDR]... -u JUMPD_UID -r RUNDIR [-n USERS] [-e REC_UID] [-j JUMPD_SOCKET] [-l]
 *   -d DHCP on IFACE by that uid's client; -C/-P/-U the syslog collector, for
 *   the shipper's uid; -n the number of configured users (0 to 64; without
 *   it 64); -l load the policy and exit (init, before the network). */
#include "fw_ctflush.h"
#include "fw_nflog.h"
#include "fw_pinhole.h"
#include "fw_ruleset.h"
#include "../common/addr.h"
#include "../common/consrate.h"
#include "../common/hookproto.h"
#include "../common/monotime.h"
#include "../common/siteconf_types.h"
#include "../common/sockgroups.h"
#include "../common/unixsock.h"
#include "../dropbear/jb-authhook.h"
#include "../common/sandbox.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_TTL 3600
#define REPORT_MS 10000
#define REPORT_SLOTS 64
#define REPORT_ATTEMPTS 20    /* 0.5 s apart: a summary outlives a jumpd restart of up to 10 s */
#define FW_BACKLOG 128
#define FW_ACCEPTS_PER_ROUND 256

static struct fw_policy policy;
static volatile sig_atomic_t stopping;
static struct mnl_socket *nl;
static uid_t jumpd_uid = (uid_t)-1;
static const char *jumpd_socket = JB_HOOK_SOCKET;
static unsigned nusers = SITECONF_MAX_USERS; /* -n: only their uids are pinned */
static unsigned rec_uid;                     /* -e: and the recorder's (0: none) */

static void usage(void)
{
	fprintf(stderr, "usage: jumpfw -i IFACE -p SSH_PORT [-d DHCP_UID] [-C COLLECTOR -P PORT -U SHIP_UID] "
			"[-S CIDR]... -u JUMPD_UID -r RUNDIR [-n USERS] [-e REC_UID] [-j JUMPD_SOCKET] [-l]\n");
	exit(2);
}

static unsigned number(const char *s, unsigned max, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > max) {
		fprintf(stderr, "jumpfw: %s: '%s' is not a number up to %u\n", what, s, max);
		exit(2);
	}
	return (unsigned)v;
}

static void parse_args(int argc, char **argv, const char **rundir, int *load_only)
{
	int opt;
	int have_ship_uid = 0;
	while ((opt = getopt(argc, argv, "i:p:d:C:P:U:S:u:r:n:e:j:l")) != -1) {
		switch (opt) {
		case 'i':
			if (strlen(optarg) >= sizeof policy.ifname)
				usage();
			snprintf(policy.ifname, sizeof policy.ifname, "%s", optarg);
			break;
		case 'p': policy.ssh_port = number(optarg, 65535, "SSH port"); break;
		case 'd':
			policy.dhcp = 1;
			policy.dhcp_uid = number(optarg, 65535, "DHCP client uid");
			break;
		case 'U':
			policy.collector_uid = number(optarg, 65535, "shipper uid");
			have_ship_uid = 1;
			break;
		case 'C':
			if (addr_parse(optarg, policy.collector) < 0) {
				fprintf(stderr, "jumpfw: collector: '%s' is not an address\n", optarg);
				exit(2);
			}
			policy.have_collector = 1;
			break;
		case 'P': policy.collector_port = number(optarg, 65535, "collector port"); break;
		case 'S':
			if (policy.nsegments == FW_MAX_CIDRS || addr_cidr_parse(optarg, &policy.segments[policy.nsegments])) {
				fprintf(stderr, "jumpfw: segment: '%s' is not a network (address/prefix)\n", optarg);
				exit(2);
			}
			policy.nsegments++;
			break;
		case 'u': jumpd_uid = number(optarg, 65535, "jumpd uid"); break;
		case 'r': *rundir = optarg; break;
		case 'n': nusers = number(optarg, SITECONF_MAX_USERS, "number of users"); break;
		case 'e':
			if (!(rec_uid = number(optarg, 65535, "recorder uid")))
				usage(); /* root is never pinned */
			break;
		case 'j': jumpd_socket = optarg; break;
		case 'l': *load_only = 1; break;
		default: usage();
		}
	}
	if (optind != argc || !policy.ifname[0] || !policy.ssh_port || (!*load_only && (!*rundir || jumpd_uid == (uid_t)-1)) ||
	    (policy.have_collector && (!policy.collector_port || !have_ship_uid)))
		usage();
}

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* ---- blocked-egress summaries ---- */
static struct report {
	struct fw_blocked key;
	unsigned long count;
} reports[REPORT_SLOTS];
static unsigned nreports;
static unsigned long unreported; /* beyond the slots */

static void note_blocked(const struct fw_blocked *b)
{
	for (unsigned i = 0; i < nreports; i++) {
		const struct fw_blocked *k = &reports[i].key;
		if (k->has_uid == b->has_uid && k->uid == b->uid && k->proto == b->proto && k->dport == b->dport &&
		    !memcmp(k->daddr, b->daddr, 16)) {
			reports[i].count++;
			return;
		}
	}
	if (nreports == REPORT_SLOTS) {
		unreported++;
		return;
	}
	reports[nreports].key = *b;
	reports[nreports++].count = 1;
}

static void tell_jumpd(const char *uid, const char *addr, const char *proto, const char *port, unsigned long count)
{
	struct hook_msg req, rep = { 0 };
	char n[24], why[128] = "";
	snprintf(n, sizeof n, "%lu", count);
	if (hook_init(&req, "egress") || hook_add(&req, "uid", uid) || hook_add(&req, "addr", addr) ||
	    hook_add(&req, "proto", proto) || hook_add(&req, "port", port) || hook_add(&req, "count", n))
		return;
	/* jumpd may be restarting (its supervisor brings it back within seconds):
	 * this runs in the report child, which can afford to wait for it */
	for (int attempt = 0; attempt < REPORT_ATTEMPTS; attempt++) {
		if (jb_hook_ask(jumpd_socket, &req, &rep, why, sizeof why) == 0)
			break;
		usleep(500 * 1000);
	}
	if (!rep.verb[0] || strcmp(rep.verb, "ok") != 0)
		fprintf(stderr, "jumpfw: blocked egress not reported to jumpd (%s): uid=%s addr=%s proto=%s port=%s count=%lu\n",
			why, uid, addr, proto, port, count);
}

/* From a child: jumpd may itself be waiting on this process (a pin request),
 * and the two must never wait on each other. */
static void flush_reports(void)
{
	pid_t pid = fork();
	if (pid != 0) {
		if (pid < 0)
			fprintf(stderr, "jumpfw: fork: %s: blocked egress summary lost\n", strerror(errno));
		nreports = 0;
		unreported = 0;
		return;
	}
	for (unsigned i = 0; i < nreports; i++) {
		const struct fw_blocked *k = &reports[i].key;
		char uid[16] = "none", addr[ADDR_TEXT_MAX], proto[8], port[8];
		if (k->has_uid)
			snprintf(uid, sizeof uid, "%u", k->uid);
		addr_format(k->daddr, addr, sizeof addr);
		snprintf(proto, sizeof proto, "%u", k->proto);
		snprintf(port, sizeof port, "%u", k->dport);
		tell_jumpd(uid, addr, proto, port, reports[i].count);
	}
	if (unreported)
		tell_jumpd("various", "various", "various", "various", unreported);
	_exit(0);
}

static void read_nflog(int fd)
{
	static uint8_t buf[1 << 16];
	ssize_t n;
	while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
		int len = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct fw_blocked b;
			if (fw_nflog_parse((const uint8_t *)h, h->nlmsg_len, &b) == 1)
				note_blocked(&b);
		}
	}
	if (n < 0 && errno == ENOBUFS) /* the kernel dropped some: count them as one unknown */
		unreported++;
}

/* ---- requests from jumpd ---- */
static void answer(int fd, const char *verb, const char *reason)
{
	struct hook_msg rep;
	char line[HOOK_MAX_LINE + 1];
	int n;
	if (hook_init(&rep, verb) || (reason && hook_add(&rep, "reason", reason)))
		return;
	n = hook_format(&rep, line, sizeof line);
	if (n > 0 && write(fd, line, (size_t)n) != n)
		fprintf(stderr, "jumpfw: reply lost: %s\n", strerror(errno));
}

static int field_number(const struct hook_msg *m, const char *key, unsigned max, unsigned *out)
{
	const char *s = hook_get(m, key);
	char *end;
	unsigned long v;
	if (!s || !*s)
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void handle(int fd, const struct hook_msg *req)
{
	char err[256];
	unsigned uid, port, ttl;
	uint8_t addr[16];
	const char *a = hook_get(req, "addr");

	if (!strcmp(req->verb, "flush")) {
		if (fw_pin_flush(nl, err, sizeof err)) {
			fprintf(stderr, "jumpfw: flush: %s\n", err);
			answer(fd, "err", err);
		} else {
			answer(fd, "ok", NULL);
		}
		return;
	}
	int pin = !strcmp(req->verb, "pin"), revoke = !strcmp(req->verb, "revoke");
	if (!pin && !revoke && strcmp(req->verb, "unpin") != 0) {
		answer(fd, "err", "unknown request");
		return;
	}
	if (field_number(req, "uid", 0xfffffffeu, &uid) || field_number(req, "port", 65535, &port) || port == 0 ||
	    !a || addr_parse(a, addr) < 0 || (pin && (field_number(req, "ttl", MAX_TTL, &ttl) || ttl == 0))) {
		answer(fd, "err", "malformed request");
		return;
	}
	if (pin && !fw_pin_uid_ok(uid, nusers, rec_uid)) {
		char why[96];
		if (nusers)
			snprintf(why, sizeof why, "uid %u is not a configured user's (%u..%u)", uid, SITECONF_FIRST_UID,
				 SITECONF_FIRST_UID + nusers - 1);
		else
			snprintf(why, sizeof why, "uid %u is not a configured user's (no user configured)", uid);
		fprintf(stderr, "jumpfw: pin refused: %s\n", why);
		answer(fd, "err", why);
		return;
	}
	if (pin && !fw_in_segments(&policy, addr)) {
		answer(fd, "err", "address outside every approved segment");
		return;
	}
	int rc = pin ? fw_pin_open(nl, uid, addr, port, ttl * 1000u, err, sizeof err)
		     : fw_pin_close(nl, uid, addr, port, err, sizeof err);
	/* the hole first, then its flows: nothing new gets through in between */
	if (rc == 0 && revoke)
		rc = fw_ct_flush(nl, uid, addr, port, err, sizeof err);
	if (rc) {
		fprintf(stderr, "jumpfw: %s uid=%u %s:%u: %s\n", req->verb, uid, a, port, err);
		answer(fd, "err", err);
		return;
	}
	answer(fd, "ok", NULL);
}

/* refused peers on the console: a few per window, the rest summed (consrate.h) */
static struct consrate refusals;

static void refusals_summary(int64_t now_ms)
{
	unsigned long hidden = consrate_due(&refusals, now_ms);
	if (hidden)
		fprintf(stderr, "jumpfw: %lu more requests refused in the last %lld s (not shown)\n", hidden,
			CONSRATE_WINDOW_MS / 1000);
}

/* one accepted connection: its one request line, answered, closed */
static void serve_one(int fd)
{
	struct ucred cred;
	socklen_t clen = sizeof cred;
	struct timeval tv = { .tv_sec = 2 };
	char line[HOOK_MAX_LINE];
	size_t len = 0;
	struct hook_msg req;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) || cred.uid != jumpd_uid) {
		if (consrate_take(&refusals, mono_ms()))
			fprintf(stderr, "jumpfw: request from uid %d refused (only jumpd's uid %d)\n",
				clen == sizeof cred ? (int)cred.uid : -1, (int)jumpd_uid);
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (len < sizeof line) {
		ssize_t n = read(fd, line + len, sizeof line - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	if (len && hook_parse(line, len, &req) == 0)
		handle(fd, &req);
	else
		answer(fd, "err", "malformed request");
	close(fd);
}

/* every connection waiting (up to FW_ACCEPTS_PER_ROUND, so the blocked-egress
 * feed is read in between): a flood of refused peers is cleared at once and
 * never fills the backlog in front of jumpd's requests */
static void serve_ready(int lfd)
{
	for (int i = 0; i < FW_ACCEPTS_PER_ROUND; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC); /* blocking, for the one read */
		if (fd < 0)
			return; /* EAGAIN: none left (the listening socket is non-blocking) */
		serve_one(fd);
	}
}

int main(int argc, char **argv)
{
	const char *rundir = NULL;
	int load_only = 0;
	char err[256];
	struct timeval tv = { .tv_sec = 5 };

	struct sigaction stop_action = { .sa_handler = on_stop };
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* the report children reap themselves */
	sigaction(SIGTERM, &stop_action, NULL);
	sigaction(SIGINT, &stop_action, NULL);
	parse_args(argc, argv, &rundir, &load_only);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv)) {
		fprintf(stderr, "jumpfw: netlink: %s\n", strerror(errno));
		return 1;
	}
	if (fw_ruleset_load(nl, &policy, err, sizeof err)) {
		fprintf(stderr, "jumpfw: policy NOT loaded: %s\n", err);
		return 1;
	}
	fprintf(stderr, "jumpfw: policy loaded (SSH on %s port %u, %u segment networks, %s, %s, pinholes for %u users)\n",
		policy.ifname, policy.ssh_port, policy.nsegments,
		policy.have_collector ? "collector" : "no collector", policy.dhcp ? "dhcp" : "static address", nusers);
	if (load_only)
		return 0;

	/* a path cut short here is still longer than any socket path: refused */
	char sock_path[256];
	snprintf(sock_path, sizeof sock_path, "%s/fw.sock", rundir);
	/* only the group fw-sock (jumpd) and root can connect at all
	 * (sockgroups.h); of them, only jumpd's uid is answered (serve_one) */
	int lfd = unixsock_listen_group(sock_path, SOCK_MODE, GID_FW_SOCK, FW_BACKLOG, SOCK_NONBLOCK);
	if (lfd < 0) {
		fprintf(stderr, "jumpfw: socket in %s: %s\n", rundir, strerror(errno));
		return 1;
	}
	int logfd = fw_nflog_open(FW_LOG_GROUP, 128, err, sizeof err);
	if (logfd < 0) {
		fprintf(stderr, "jumpfw: %s: blocked egress cannot be audited\n", err);
		return 1;
	}
	/* from here on only the serving loop's calls (sandbox_fw.c) */
	if (sandbox_fw(err, sizeof err)) {
		fprintf(stderr, "jumpfw: refusing to serve: %s\n", err);
		return 1;
	}
	int64_t next_report = mono_ms() + REPORT_MS;
	while (!stopping) {
		struct pollfd p[2] = { { .fd = lfd, .events = POLLIN }, { .fd = logfd, .events = POLLIN } };
		int64_t wait = next_report - mono_ms();
		if (poll(p, 2, wait < 0 ? 0 : (int)wait) < 0)
			continue; /* EINTR: a stop request, checked above */
		if (p[1].revents)
			read_nflog(logfd);
		if (p[0].revents & POLLIN)
			serve_ready(lfd);
		refusals_summary(mono_ms());
		if (mono_ms() >= next_report) {
			if (nreports || unreported)
				flush_reports();
			next_report = mono_ms() + REPORT_MS;
		}
	}
	/* stopped (a restart, a shutdown): what was blocked since the last
	 * summary still reaches the audit trail, from the report child */
	read_nflog(logfd);
	if (nreports || unreported)
		flush_reports();
	refusals_summary(INT64_MAX);
	fprintf(stderr, "jumpfw: stopped\n");
	return 0;
}
