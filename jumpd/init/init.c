/* jumpinit: PID 1 of the jumpbox image.
 *
 * Stage 1 (in the embedded initramfs): mount devtmpfs, attach
 * /rootfs.squashfs to a loop device read-only, mount it, make it the root
 * and exec /sbin/init from it.
 * Stage 2 (in the read-only root): mount the writable tmpfs areas, apply
 * sysctls, find the state and config volumes by label, seed entropy; run
 * the boot steps, each its own program: jb-setup (config check, host
 * name, accounts), jb-hostkeys (first boot), the firewall policy, jb-net;
 * start and supervise the services, reap every orphan, and on a signal
 * stop everything cleanly and power off or reboot.
 *
 * The same binary is the udhcpc hook when called as jb-dhcp-hook
 * (dhcp_hook.c; multicall.c dispatches by name).
 * Stage 1 is stage1.c; the mounts are mounts.c, the random seed entropy.c. */
#include "bootpaths.h"
#include "caps.h"
#include "init.h"
#include "entropy.h"
#include "fsutil.h"
#include "log.h"
#include "mounts.h"
#include "netup.h"
#include "powerbutton.h"
#include "run.h"
#include "setup.h"
#include "stage1.h"
#include "supervise.h"
#include "sysctl.h"
#include "users.h"
#include "../common/siteconf.h"
#include "../dropbear/jb-authhook.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DROPBEAR PROG_DROPBEAR
#define JUMPD PROG_JUMPD
#define JUMPFW PROG_JUMPFW
#define JUMPSHIP PROG_JUMPSHIP
#define SHIP_DIR "/run/ship"
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
#define SSHD_UID_TEXT TEXT(USERS_SSHD_UID)
#define FW_SOCKET "/run/fw/fw.sock"
#define JUMPD_CONFIG "/run/jumpd/site.conf" /* the applied config, readable by jumpd only */

static struct siteconf conf;

static char config_refusal[400]; /* why the config was refused ("" : it was not) */

/* A boot step, its own program (multicall.c): run to completion; its own
 * messages say what went wrong, only a step that could not run or was
 * killed is reported here. */
static int step(const char *const *argv, const struct run_as *as)
{
	int st = run_wait(argv, as, 0);
	if (st < 0)
		log_loud("%s could not be run: %s", argv[0], strerror(errno));
	else if (st > RUN_SIGNALLED)
		log_loud("%s killed by signal %d", argv[0], st - RUN_SIGNALLED);
	return st;
}

/* jb-setup: config check, host name, accounts; its record of the check is
 * what every later step reads */
static void setup(const char *file)
{
	const char *argv[] = { PROG_SETUP, file, NULL }; /* file NULL: none found */
	step(argv, NULL);
	setup_read_outcome(SETUP_DIR, &conf, config_refusal, sizeof config_refusal);
}

static void host_keys(void)
{
	const char *argv[] = { PROG_HOSTKEYS, NULL };
	step(argv, NULL);
}

/* jb-net as the DHCP client's account, CAP_NET_ADMIN only; with DHCP the
 * address comes from udhcpc, a service */
static void network(void)
{
	static struct netup_args net;
	const struct run_as as = { USERS_DHCP_UID, USERS_DHCP_UID, CAPBIT(CAP_NET_ADMIN) };
	netup_args(&conf, PROG_NETUP, &net);
	step(net.argv, &as);
	if (conf.dhcp) {
		static const char *udhcpc[] = { PROG_BUSYBOX, "udhcpc", "-f", "-i", NULL, "-s",
					       PROG_DHCP_HOOK, "-t", "10", "-T", "2", "-A", "10", NULL };
		udhcpc[4] = conf.interface;
		/* raw socket, port 68, and the hook sets address and routes */
		svc_add("udhcpc", udhcpc, USERS_DHCP_UID, USERS_DHCP_UID,
			CAPBIT(CAP_NET_RAW) | CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_NET_BIND_SERVICE));
	}
}

/* The firewall helper's command line, from the applied config: the SSH
 * interface and port, DHCP (and its client's uid), the collector (and the
 * shipper's uid), every segment network (it gets no copy of the config:
 * that holds TOTP secrets). */
#define FW_ARGV_MAX (24 + 2 * SITECONF_MAX_SEGMENTS * SITECONF_MAX_CIDRS)
static const char *fw_argv[FW_ARGV_MAX];
static char fw_text[SITECONF_MAX_SEGMENTS * SITECONF_MAX_CIDRS + 8][INET6_ADDRSTRLEN + 8];
static int firewall_ok;

static const char *addr_text(const uint8_t a[16], unsigned prefix, char *out)
{
	static const uint8_t v4[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int is4 = memcmp(a, v4, 12) == 0;
	inet_ntop(is4 ? AF_INET : AF_INET6, is4 ? a + 12 : a, out, INET6_ADDRSTRLEN);
	if (prefix <= 128)
		sprintf(out + strlen(out), "/%u", is4 ? prefix - 96 : prefix);
	return out;
}

static void firewall_args(int load_only)
{
	static char port[8], cport[8], jumpd_uid[8], dhcp_uid[8], ship_uid[8];
	unsigned n = 0, t = 0;
	snprintf(port, sizeof port, "%u", conf.ssh_port);
	snprintf(jumpd_uid, sizeof jumpd_uid, "%d", USERS_JUMPD_UID);
	fw_argv[n++] = JUMPFW;
	fw_argv[n++] = "-i";
	fw_argv[n++] = conf.interface;
	fw_argv[n++] = "-p";
	fw_argv[n++] = port;
	if (conf.dhcp) {
		snprintf(dhcp_uid, sizeof dhcp_uid, "%d", USERS_DHCP_UID);
		fw_argv[n++] = "-d";
		fw_argv[n++] = dhcp_uid;
	}
	if (conf.have_syslog) {
		snprintf(cport, sizeof cport, "%u", conf.syslog_port);
		fw_argv[n++] = "-C";
		fw_argv[n++] = addr_text(conf.syslog_addr, 999, fw_text[t++]);
		fw_argv[n++] = "-P";
		fw_argv[n++] = cport;
		snprintf(ship_uid, sizeof ship_uid, "%d", USERS_SHIP_UID);
		fw_argv[n++] = "-U";
		fw_argv[n++] = ship_uid;
	}
	for (unsigned i = 0; i < conf.nsegments; i++)
		for (unsigned j = 0; j < conf.segments[i].ncidrs; j++) {
			fw_argv[n++] = "-S";
			fw_argv[n++] = addr_text(conf.segments[i].cidrs[j].addr, conf.segments[i].cidrs[j].prefix, fw_text[t++]);
		}
	if (load_only) {
		fw_argv[n++] = "-l";
	} else {
		fw_argv[n++] = "-u";
		fw_argv[n++] = jumpd_uid;
		fw_argv[n++] = "-r";
		fw_argv[n++] = "/run/fw";
	}
	fw_argv[n] = NULL;
}

/* Before the network comes up: the egress policy, loaded by the helper as
 * it always runs (own uid, CAP_NET_ADMIN only). Without it, SSH stays off. */
static void firewall(void)
{
	firewall_args(1);
	pid_t pid = fork();
	if (pid == 0) {
		if (caps_drop_to(CAPBIT(CAP_NET_ADMIN), USERS_FW_UID, USERS_FW_UID) == 0)
			execv(JUMPFW, (char *const *)fw_argv);
		_exit(127);
	}
	int st;
	firewall_ok = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!firewall_ok)
		log_loud("FIREWALL POLICY NOT LOADED: SSH will not be started");
}

/* jumpd reads the very bytes jb-setup checked, from a copy it owns (0600:
 * TOTP secrets inside); the config volume itself is readable by root only. */
static int hand_config_to_jumpd(void)
{
	if (copy_owned(SETUP_DIR "/" SETUP_APPLIED, JUMPD_CONFIG, USERS_JUMPD_UID, "jumpd") == 0)
		return 0;
	log_loud("SSH not started");
	return -1;
}

/* The shipper gets what it needs and no more: a config with only the
 * [syslog] section (no users, no TOTP secrets) and copies of the CA and
 * client certificate files it names (the config volume is root's only). */
static int hand_config_to_ship(char *path, size_t cap)
{
	char text[2048];
	int n;
	owned_dir(SHIP_DIR, 0700, USERS_SHIP_UID);
	if (copy_owned(conf.syslog_ca, SHIP_DIR "/ca.pem", USERS_SHIP_UID, "the shipper") ||
	    (conf.syslog_client_cert[0] && (copy_owned(conf.syslog_client_cert, SHIP_DIR "/client.pem", USERS_SHIP_UID, "the shipper") ||
					    copy_owned(conf.syslog_client_key, SHIP_DIR "/client.key", USERS_SHIP_UID, "the shipper"))))
		return -1;
	n = snprintf(text, sizeof text,
		     "[system]\nhostname = %s\n[syslog]\ncollector = %s\nport = %u\nserver-name = %s\nca = %s\n%s",
		     conf.hostname, conf.syslog_addr_text, conf.syslog_port, conf.syslog_server_name, SHIP_DIR "/ca.pem",
		     conf.syslog_client_cert[0] ? "client-cert = " SHIP_DIR "/client.pem\nclient-key = " SHIP_DIR "/client.key\n" : "");
	snprintf(path, cap, "%s/site.conf", SHIP_DIR);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = (n < 0 || (size_t)n >= sizeof text || fd < 0 || write(fd, text, (size_t)n) != n ||
		  fchown(fd, USERS_SHIP_UID, USERS_SHIP_UID)) ? -1 : 0;
	if (fd >= 0)
		close(fd);
	return rc;
}

/* A service exited: tell jumpd, for the audit trail (SERVICE_RESTART). In
 * a child, so PID 1 never waits on a socket; jumpd's own exits are told to
 * its successor, which may take a moment to listen. */
static void report_exit(const struct service *s, int status)
{
	if (fork() != 0)
		return;
	char st[32], n[16], in[16];
	struct hook_msg req, rep;
	char why[128] = "";
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* killable at shutdown like any process */
	if (WIFSIGNALED(status))
		snprintf(st, sizeof st, "signal-%d", WTERMSIG(status));
	else
		snprintf(st, sizeof st, "exit-%d", WEXITSTATUS(status));
	snprintf(n, sizeof n, "%u", s->restarts);
	snprintf(in, sizeof in, "%u", s->backoff);
	if (hook_init(&req, "service") || hook_add(&req, "name", s->name) || hook_add(&req, "status", st) ||
	    hook_add(&req, "restarts", n) || hook_add(&req, "restart_in_s", in))
		_exit(1);
	for (unsigned i = 0; i < s->backoff + 10; i++) {
		if (jb_hook_ask("/run/jumpd/ctl.sock", &req, &rep, why, sizeof why) == 0)
			_exit(0);
		sleep(1);
	}
	log_msg("service %s exit not audited: %s", s->name, why);
	_exit(1);
}

static void services(void)
{
	static char port[8], sshd_uid[8], fw_uid[8], ship_uid[8];
	static const char *jumpd[] = {
		JUMPD, "-c", JUMPD_CONFIG, "-s", "/state/jumpd", "-r", "/run/jumpd", "-u", sshd_uid,
		"-f", FW_SOCKET, "-w", fw_uid, "-x", ship_uid, NULL
	};
	static const char *dropbear[] = {
		DROPBEAR, "dropbear", "-F", "-E", "-w", "-P", "/run/sshd/dropbear.pid", "-p", NULL,
		"-r", "/state/ssh/dropbear_ed25519_host_key",
		"-r", "/state/ssh/dropbear_ecdsa_host_key",
		"-W", "262144", "-K", "60", "-I", "0", NULL
	};
	if (config_refusal[0]) {
		/* jumpd runs with no user at all, only to put the refusal in the
		 * audit trail (CONFIG_REFUSED): nothing is served */
		static const char *refused[] = { JUMPD, "-R", config_refusal, "-s", "/state/jumpd", "-r", "/run/jumpd",
						 "-u", SSHD_UID_TEXT, NULL };
		owned_dir("/run/jumpd", 0755, USERS_JUMPD_UID);
		owned_dir("/state/jumpd", 0750, USERS_JUMPD_UID);
		svc_add("jumpd", refused, USERS_JUMPD_UID, USERS_JUMPD_UID, 0);
		return;
	}
	if (conf.nusers == 0) {
		log_loud("no users configured: SSH not started");
		return;
	}
	if (!firewall_ok)
		return;
	owned_dir("/run/fw", 0755, USERS_FW_UID);
	firewall_args(0);
	svc_add("jumpfw", fw_argv, USERS_FW_UID, USERS_FW_UID, CAPBIT(CAP_NET_ADMIN));
	owned_dir("/run/jumpd", 0755, USERS_JUMPD_UID);
	owned_dir("/state/jumpd", 0750, USERS_JUMPD_UID); /* group: the shipper reads the spool */
	if (hand_config_to_jumpd())
		return;
	snprintf(sshd_uid, sizeof sshd_uid, "%d", USERS_SSHD_UID);
	snprintf(fw_uid, sizeof fw_uid, "%d", USERS_FW_UID);
	snprintf(ship_uid, sizeof ship_uid, "%d", USERS_SHIP_UID);
	/* no capability at all: it only answers on its own sockets */
	svc_add("jumpd", jumpd, USERS_JUMPD_UID, USERS_JUMPD_UID, 0);
	svc_on_exit = report_exit;
	if (conf.have_syslog) {
		static char ship_conf[64];
		owned_dir("/state/ship", 0700, USERS_SHIP_UID);
		if (hand_config_to_ship(ship_conf, sizeof ship_conf) == 0) {
			static const char *ship[] = {
				JUMPSHIP, "-c", ship_conf, "-f", "/state/jumpd/audit.spool", "-s", "/state/ship",
				"-r", SHIP_DIR, "-j", "/run/jumpd/auth.sock", NULL
			};
			/* primary group jumpd's: it reads the spool (0640), writes nothing of it */
			svc_add("jumpship", ship, USERS_SHIP_UID, USERS_JUMPD_UID, 0);
		} else
			log_loud("audit shipper not started: records stay in the spool until it can run");
	} else {
		log_msg("no [syslog] collector configured: the audit trail stays on the box");
	}
	snprintf(port, sizeof port, "%u", conf.ssh_port);
	dropbear[8] = port;
	/* its own uid, and only: bind port 22, switch to the user (and read their
	 * keys as them), hand the pty to the user and take it back. Dropbear
	 * patch 0001 drops all of them in the session (jumpd/dropbear/). */
	svc_add("dropbear", dropbear, USERS_SSHD_UID, USERS_SSHD_UID,
		CAPBIT(CAP_NET_BIND_SERVICE) | CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID) |
		CAPBIT(CAP_CHOWN) | CAPBIT(CAP_FOWNER));
}

static void shutdown_all(int how)
{
	svc_stop_restarts();
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
	log_msg("jumpbox starting");
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
	reboot(RB_DISABLE_CAD); /* ctrl-alt-del arrives as SIGINT */
	if (sysctl_apply("/proc/sys"))
		log_loud("some sysctls could not be applied (see above)");
	int persistent = mounts_state_volume();
	entropy_seed(RANDOM_SEED, persistent);
	setup(mounts_config_volume());
	if (conf.nusers)
		host_keys();
	firewall();
	network();
	services();
	svc_start_all();
	struct pollfd pfd[5] = { { .fd = sfd, .events = POLLIN } };
	int buttons[4];
	int nbuttons = powerbutton_open(buttons, 4);
	for (int i = 0; i < nbuttons; i++)
		pfd[1 + i] = (struct pollfd){ .fd = buttons[i], .events = POLLIN };
	log_msg("boot complete (%d power button%s watched)", nbuttons, nbuttons == 1 ? "" : "s");

	for (;;) {
		int timeout = svc_tick();
		if (poll(pfd, (nfds_t)1 + (nfds_t)nbuttons, timeout) <= 0)
			continue;
		for (int i = 0; i < nbuttons; i++)
			if ((pfd[1 + i].revents & POLLIN) && powerbutton_read(buttons[i])) {
				log_msg("power button pressed");
				shutdown_all(RB_POWER_OFF);
			}
		if (!(pfd[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si)
			continue;
		switch (si.ssi_signo) {
		case SIGCHLD: {
			int st;
			pid_t pid;
			while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
				svc_reaped(pid, st);
			break;
		}
		case SIGTERM:
		case SIGINT:
			shutdown_all(RB_AUTOBOOT);
			break;
		case SIGUSR1:
		case SIGUSR2:
		case SIGPWR:
			shutdown_all(RB_POWER_OFF);
			break;
		}
	}
}

int init_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (getpid() != 1) {
		fprintf(stderr, "jumpinit: must run as PID 1 (or be called as jb-dhcp-hook)\n");
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
