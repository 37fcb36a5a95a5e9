/* services: the supervised services and their handed-over files (see services.h). */
#include "services.h"
#include "bootpaths.h"
#include "caps.h"
#include "fsutil.h"
#include "fwargs.h"
#include "log.h"
#include "supervise.h"
#include "users.h"
#include "../common/siteconf_rec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)

enum services_plan services_plan(const struct siteconf *c, const char *refusal, int firewall_ok)
{
	if (refusal[0])
		return SERVE_REFUSAL_ONLY;
	if (c->nusers == 0)
		return SERVE_NOTHING_NO_USERS;
	if (!firewall_ok)
		return SERVE_NOTHING_NO_FIREWALL;
	return SERVE_ALL;
}

int services_ship_config(const struct siteconf *c, char *out, size_t cap)
{
	int n = snprintf(out, cap,
			 "[system]\nhostname = %s\n[syslog]\ncollector = %s\nport = %u\nserver-name = %s\nca = %s\n%s",
			 c->hostname, c->syslog_addr_text, c->syslog_port, c->syslog_server_name, SHIP_DIR "/ca.pem",
			 c->syslog_client_cert[0] ? "client-cert = " SHIP_DIR "/client.pem\nclient-key = " SHIP_DIR "/client.key\n" : "");
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* The shipper gets what it needs and no more: a config with only the
 * [syslog] section and copies of the CA and client certificate files it
 * names (the config volume is root's only). */
static int hand_files_to_ship(const struct siteconf *c)
{
	char text[2048];
	owned_dir(SHIP_DIR, 0700, USERS_SHIP_UID);
	if (copy_owned(c->syslog_ca, SHIP_DIR "/ca.pem", USERS_SHIP_UID, "the shipper") ||
	    (c->syslog_client_cert[0] && (copy_owned(c->syslog_client_cert, SHIP_DIR "/client.pem", USERS_SHIP_UID, "the shipper") ||
					  copy_owned(c->syslog_client_key, SHIP_DIR "/client.key", USERS_SHIP_UID, "the shipper"))))
		return -1;
	int n = services_ship_config(c, text, sizeof text);
	int fd = open(SHIP_CONFIG, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc = (n < 0 || fd < 0 || write(fd, text, (size_t)n) != n ||
		  fchown(fd, USERS_SHIP_UID, USERS_SHIP_UID)) ? -1 : 0;
	if (fd >= 0)
		close(fd);
	return rc;
}

void services_prepare(enum services_plan plan, const struct siteconf *c, struct services_prepared *out)
{
	memset(out, 0, sizeof *out);
	if (plan == SERVE_REFUSAL_ONLY) {
		owned_dir(JUMPD_RUN_DIR, 0755, USERS_JUMPD_UID);
		owned_dir(JUMPD_STATE_DIR, 0750, USERS_JUMPD_UID);
		return;
	}
	if (plan != SERVE_ALL)
		return;
	owned_dir(FW_RUN_DIR, 0755, USERS_FW_UID);
	owned_dir(JUMPD_RUN_DIR, 0755, USERS_JUMPD_UID);
	owned_dir(JUMPD_STATE_DIR, 0750, USERS_JUMPD_UID); /* group: the shipper reads the spool */
	/* jumpd reads the very bytes jb-setup checked, from a copy it owns
	 * (0600: TOTP secrets inside); the config volume is root's only */
	out->jumpd_config = copy_owned(SETUP_DIR "/" SETUP_APPLIED, JUMPD_CONFIG, USERS_JUMPD_UID, "jumpd") == 0;
	if (out->jumpd_config && siteconf_any_recorded(c)) {
		/* the recording trail and the target keys: the recorder's alone;
		 * the trail's group (rec) is given to its shipper only */
		owned_dir(REC_RUN_DIR, 0755, USERS_REC_UID);
		owned_dir(REC_STATE_DIR, 0750, USERS_REC_UID);
		owned_dir(RECSHIP_STATE_DIR, 0700, USERS_SHIP_UID);
		owned_dir(RECSHIP_RUN_DIR, 0700, USERS_SHIP_UID);
		out->recorder = 1;
	}
	if (!out->jumpd_config || !c->have_syslog)
		return;
	/* group jumpd's: jumpd reads the shipper's cursor (what was delivered
	 * may be reclaimed); nothing else of the shipper's is in it */
	owned_dir(SHIP_STATE_DIR, 0750, USERS_SHIP_UID);
	if (lchown(SHIP_STATE_DIR, USERS_SHIP_UID, USERS_JUMPD_UID))
		log_loud("%s: cannot give it jumpd's group: %s (delivered records are not reclaimed)", SHIP_STATE_DIR,
			 strerror(errno));
	out->ship_config = hand_files_to_ship(c) == 0;
}

void services_register_dhcp_client(const struct siteconf *c)
{
	static const char *udhcpc[] = { PROG_BUSYBOX, "udhcpc", "-f", "-i", NULL, "-s",
				       PROG_DHCP_HOOK, "-t", "10", "-T", "2", "-A", "10", NULL };
	udhcpc[4] = c->interface;
	/* raw socket, port 68, and the hook sets address and routes */
	svc_add("udhcpc", udhcpc, USERS_DHCP_UID, USERS_DHCP_UID,
		CAPBIT(CAP_NET_RAW) | CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_NET_BIND_SERVICE));
}

/* The recorder and the shipper of its trail (docs/recording.md). */
static void register_recorder(const struct siteconf *c, const struct services_prepared *prep)
{
	static char rec_max_mb[16], rec_fail_closed[4];
	static const char auth_socket[] = JUMPD_RUN_DIR "/auth.sock", rec_spool[] = REC_SPOOL,
			  ship_config[] = SHIP_CONFIG;
	static const char *rec[] = {
		PROG_JUMPREC, "-s", REC_STATE_DIR, "-r", REC_RUN_DIR, "-j", auth_socket,
		"-M", rec_max_mb, "-F", rec_fail_closed, "-b", PROG_DROPBEAR, NULL
	};
	/* no capability: it reaches targets through the pinholes jumpd asks
	 * for its uid, and holds the target keys (0600, its own) */
	snprintf(rec_max_mb, sizeof rec_max_mb, "%u", c->rec_max_mb);
	snprintf(rec_fail_closed, sizeof rec_fail_closed, "%d", c->rec_fail_closed ? 1 : 0);
	svc_add("jumprec", rec, USERS_REC_UID, USERS_REC_UID, 0);
	/* the recording trail over its own TLS connection, rate-capped, so it
	 * can never hold back the audit trail; group rec: it reads the trail
	 * (0640), nothing else of the recorder's */
	if (prep->ship_config) {
		static char rec_rate[16];
		static const char *recship[] = {
			PROG_JUMPSHIP, "-c", ship_config, "-f", rec_spool, "-s", RECSHIP_STATE_DIR,
			"-r", RECSHIP_RUN_DIR, "-j", auth_socket, "-R", rec_rate, NULL
		};
		snprintf(rec_rate, sizeof rec_rate, "%u", c->rec_ship_rate_kb);
		svc_add("jumpship-rec", recship, USERS_SHIP_UID, USERS_REC_UID, 0);
	}
}

void services_register(enum services_plan plan, const struct siteconf *c, const char *refusal,
		       const struct services_prepared *prep)
{
	static struct fw_args fw;
	static char port[8];
	static const char *jumpd[] = {
		PROG_JUMPD, "-c", JUMPD_CONFIG, "-s", JUMPD_STATE_DIR, "-r", JUMPD_RUN_DIR, "-u", TEXT(USERS_SSHD_UID),
		"-f", FW_SOCKET, "-w", TEXT(USERS_FW_UID), "-x", TEXT(USERS_SHIP_UID), NULL, NULL, NULL, NULL, NULL
	};
	static const char *refused[] = { PROG_JUMPD, "-R", NULL, "-s", JUMPD_STATE_DIR, "-r", JUMPD_RUN_DIR,
					 "-u", TEXT(USERS_SSHD_UID), NULL };
	static const char *ship[] = {
		PROG_JUMPSHIP, "-c", SHIP_CONFIG, "-f", JUMPD_STATE_DIR "/audit.spool", "-s", SHIP_STATE_DIR,
		"-r", SHIP_DIR, "-j", JUMPD_RUN_DIR "/auth.sock", NULL
	};
	static const char *dropbear[] = {
		PROG_DROPBEAR, "dropbear", "-F", "-E", "-w", "-P", "/run/sshd/dropbear.pid", "-p", NULL,
		"-r", "/state/ssh/dropbear_ed25519_host_key", /* jb-hostkeys' (HOSTKEY_DIR) */
		"-r", "/state/ssh/dropbear_ecdsa_host_key",
		"-W", "262144", "-K", "60", "-I", "0", NULL
	};

	switch (plan) {
	case SERVE_REFUSAL_ONLY:
		/* jumpd runs with no user at all, only to put the refusal in the
		 * audit trail (CONFIG_REFUSED): nothing is served */
		refused[2] = refusal;
		svc_add("jumpd", refused, USERS_JUMPD_UID, USERS_JUMPD_UID, 0);
		return;
	case SERVE_NOTHING_NO_USERS:
		log_loud("no users configured: SSH not started");
		return;
	case SERVE_NOTHING_NO_FIREWALL: /* said when the policy failed to load */
		return;
	case SERVE_ALL:
		break;
	}
	fw_args(c, FW_SERVICE, PROG_JUMPFW, &fw);
	svc_add("jumpfw", fw.argv, USERS_FW_UID, USERS_FW_UID, CAPBIT(CAP_NET_ADMIN));
	if (!prep->jumpd_config) {
		log_loud("SSH not started");
		return;
	}
	/* no capability at all: it only answers on its own sockets; a pidfd
	 * per session and per channel: its tables are sized by what it may
	 * open (jumpd/daemon/budget.h) */
	/* jumpd knows the recorder's uid (its own peer class) only when it runs */
	int a = 15;
	if (prep->recorder) {
		jumpd[a++] = "-e";
		jumpd[a++] = TEXT(USERS_REC_UID);
	}
	/* the shipper's cursor: what it delivered may be reclaimed (jumpd/daemon/reclaim.h) */
	if (c->have_syslog && prep->ship_config) {
		jumpd[a++] = "-k";
		jumpd[a++] = SHIP_STATE_DIR "/cursor";
	}
	jumpd[a] = NULL;
	struct service *j = svc_add("jumpd", jumpd, USERS_JUMPD_UID, USERS_JUMPD_UID, 0);
	if (j)
		j->nofile = SERVICES_JUMPD_NOFILE;
	if (!c->have_syslog)
		log_msg("no [syslog] collector configured: the audit trail stays on the box");
	else if (prep->ship_config)
		/* primary group jumpd's: it reads the spool (0640), writes nothing of it */
		svc_add("jumpship", ship, USERS_SHIP_UID, USERS_JUMPD_UID, 0);
	else
		log_loud("audit shipper not started: records stay in the spool until it can run");
	if (prep->recorder)
		register_recorder(c, prep);
	snprintf(port, sizeof port, "%u", c->ssh_port);
	dropbear[8] = port;
	/* its own uid, and only: bind port 22, switch to the user (and read their
	 * keys as them). No CAP_CHOWN or CAP_FOWNER: since the connection becomes
	 * the user right after authentication (patch 0004), the user's own
	 * process opens the pty, which devpts gives to it already (security
	 * finding 9; the pty tests run without them). Dropbear patch 0001 drops
	 * all of them in the session (jumpd/dropbear/). */
	svc_add("dropbear", dropbear, USERS_SSHD_UID, USERS_SSHD_UID,
		CAPBIT(CAP_NET_BIND_SERVICE) | CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID));
}
