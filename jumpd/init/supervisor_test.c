/* unit tests for the supervisor's modules: which services run, as whom and
 * with which capabilities (services.c: the hardening table), the firewall
 * helper's command line (fwargs.c), the shipper's trimmed config, and the
 * restart machinery with its backoff (supervise.c) on a real child */
#include "caps.h"
#include "fwargs.h"
#include "services.h"
#include "supervise.h"
#include "testutil.h"
#include "users.h"
#include "../common/unittest.h"
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct siteconf c, back;
static struct siteconf_error err;

#define CONF "[network]\ninterface = ens3\naddress = 192.0.2.10/24\n[ssh]\nport = 2222\n" \
	"[segment prod]\ncidr = 10.20.0.0/16\ncidr = fd00:20::/64\n" \
	"[syslog]\ncollector = 192.0.2.50\nport = 6514\nserver-name = logs.example.net\nca = /config/ca.pem\n" \
	"[user ops]\nkey = " TEST_KEY "\ntotp-secret = " TEST_SECRET "\n"

static int parse(const char *text)
{
	return siteconf_parse(&c, text, strlen(text), "t.conf", &err);
}

static int has_arg_pair(const char *const *argv, const char *opt, const char *val)
{
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], opt) && (!val || (argv[i + 1] && !strcmp(argv[i + 1], val))))
			return 1;
	return 0;
}

static const struct service *find(const char *name)
{
	for (unsigned i = 0; i < svc_count(); i++)
		if (!strcmp(svc_at(i)->name, name))
			return svc_at(i);
	return NULL;
}

static void test_backoff(void)
{
	CHECK(svc_next_backoff(0, 0) == 1);
	CHECK(svc_next_backoff(1, 0) == 2);
	CHECK(svc_next_backoff(16, 5) == 32);
	CHECK(svc_next_backoff(32, 5) == 60);
	CHECK(svc_next_backoff(60, 5) == 60);
	CHECK(svc_next_backoff(60, 30) == 1); /* stayed up: reset */
}

static void test_plan(void)
{
	CHECK(parse(CONF) == 0);
	CHECK(services_plan(&c, "", 1) == SERVE_ALL);
	CHECK(services_plan(&c, "", 0) == SERVE_NOTHING_NO_FIREWALL); /* no egress policy: no SSH */
	CHECK(services_plan(&c, "t.conf:3: bad", 1) == SERVE_REFUSAL_ONLY);
	siteconf_defaults(&c);
	CHECK(services_plan(&c, "", 1) == SERVE_NOTHING_NO_USERS);
}

static void test_firewall_args(void)
{
	static struct fw_args load, run;
	CHECK(parse(CONF) == 0);
	fw_args(&c, FW_LOAD_ONLY, "/sbin/jumpfw", &load);
	fw_args(&c, FW_SERVICE, "/sbin/jumpfw", &run);
	CHECK(has_arg_pair(load.argv, "-i", "ens3") && has_arg_pair(load.argv, "-p", "2222"));
	CHECK(!has_arg_pair(load.argv, "-d", NULL)); /* static address: no DHCP hole */
	CHECK(has_arg_pair(load.argv, "-C", "192.0.2.50") && has_arg_pair(load.argv, "-P", "6514"));
	CHECK(has_arg_pair(load.argv, "-U", "105"));
	CHECK(has_arg_pair(load.argv, "-S", "10.20.0.0/16") && has_arg_pair(load.argv, "-S", "fd00:20::/64"));
	CHECK(has_arg_pair(load.argv, "-l", NULL) && !has_arg_pair(load.argv, "-u", NULL));
	CHECK(!has_arg_pair(run.argv, "-l", NULL) && has_arg_pair(run.argv, "-u", "103") && has_arg_pair(run.argv, "-r", "/run/fw"));
	char nusers[8];
	snprintf(nusers, sizeof nusers, "%u", c.nusers);
	CHECK(c.nusers > 0 && has_arg_pair(run.argv, "-n", nusers) && !has_arg_pair(load.argv, "-n", NULL));
	siteconf_defaults(&c);
	fw_args(&c, FW_LOAD_ONLY, "/sbin/jumpfw", &load);
	CHECK(has_arg_pair(load.argv, "-d", "101") && !has_arg_pair(load.argv, "-C", NULL));
	for (int i = 0; load.argv[i]; i++) /* never a secret or a user on a command line */
		CHECK(strstr(load.argv[i], TEST_SECRET) == NULL);
}

static void test_services_as_whom_with_what(void)
{
	const struct services_prepared ready = { 1, 1, 0 };
	const struct service *s = NULL;
	CHECK(parse(CONF) == 0);
	svc_forget_all();
	services_register(SERVE_ALL, &c, "", &ready);
	CHECK(svc_count() == 4);
	CHECK(!strcmp(svc_at(0)->name, "jumpfw") && !strcmp(svc_at(3)->name, "dropbear")); /* start order */
	CHECK((s = find("jumpfw")) && s->uid == USERS_FW_UID && s->caps == CAPBIT(CAP_NET_ADMIN));
	CHECK((s = find("jumpd")) && s->uid == USERS_JUMPD_UID && s->gid == USERS_JUMPD_UID && s->caps == 0);
	CHECK(s && has_arg_pair(s->argv, "-c", JUMPD_CONFIG));
	CHECK(s && s->nofile == SERVICES_JUMPD_NOFILE && find("dropbear")->nofile == 0); /* room for its tables */
	CHECK((s = find("jumpship")) && s->uid == USERS_SHIP_UID && s->gid == USERS_JUMPD_UID && s->caps == 0);
	CHECK(s && has_arg_pair(s->argv, "-s", SHIP_STATE_DIR));
	/* jumpd reads the shipper's cursor: what was delivered may be reclaimed */
	CHECK((s = find("jumpd")) && has_arg_pair(s->argv, "-k", SHIP_STATE_DIR "/cursor"));
	CHECK((s = find("dropbear")) && s->uid == USERS_SSHD_UID && s->caps ==
	      (CAPBIT(CAP_NET_BIND_SERVICE) | CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID)));
	CHECK(s && has_arg_pair(s->argv, "-p", "2222") && has_arg_pair(s->argv, "-w", NULL)); /* -w: no root login */
	for (unsigned i = 0; i < svc_count(); i++)
		CHECK(svc_at(i)->uid != 0); /* nothing the supervisor starts runs as root */
	/* no shipper files: no shipper, SSH still; no jumpd config: no SSH at all */
	const struct services_prepared no_ship = { 1, 0, 0 }, no_jumpd = { 0, 0, 0 };
	svc_forget_all();
	services_register(SERVE_ALL, &c, "", &no_ship);
	CHECK(svc_count() == 3 && !find("jumpship") && find("dropbear"));
	CHECK((s = find("jumpd")) && !has_arg_pair(s->argv, "-k", NULL)); /* no shipper: nothing is reclaimed */
	svc_forget_all();
	services_register(SERVE_ALL, &c, "", &no_jumpd);
	CHECK(svc_count() == 1 && find("jumpfw") && !find("dropbear"));
	/* a recorded target: the recorder, its own uid, no capability; the
	 * shipper of its trail with the trail's group only; jumpd told its uid */
	const struct services_prepared rec = { 1, 1, 1 };
	svc_forget_all();
	services_register(SERVE_ALL, &c, "", &rec);
	CHECK(svc_count() == 6 && !strcmp(svc_at(5)->name, "dropbear"));
	CHECK((s = find("jumprec")) && s->uid == USERS_REC_UID && s->gid == USERS_REC_UID && s->caps == 0);
	CHECK(s && has_arg_pair(s->argv, "-s", REC_STATE_DIR) && has_arg_pair(s->argv, "-M", "1024") &&
	      has_arg_pair(s->argv, "-F", "1"));
	CHECK((s = find("jumpship-rec")) && s->uid == USERS_SHIP_UID && s->gid == USERS_REC_UID && s->caps == 0);
	CHECK(s && has_arg_pair(s->argv, "-f", REC_SPOOL) && has_arg_pair(s->argv, "-s", RECSHIP_STATE_DIR));
	CHECK((s = find("jumpd")) && has_arg_pair(s->argv, "-e", "106") && has_arg_pair(s->argv, "-k", SHIP_STATE_DIR "/cursor"));
	svc_forget_all();
	services_register(SERVE_ALL, &c, "", &ready); /* and not told once it is gone */
	CHECK((s = find("jumpd")) && !has_arg_pair(s->argv, "-e", NULL) && !find("jumprec"));
	svc_forget_all();
}

static void test_refused_and_dhcp(void)
{
	const struct services_prepared none = { 0, 0, 0 };
	const struct service *s = NULL;
	siteconf_defaults(&c);
	svc_forget_all();
	services_register(SERVE_REFUSAL_ONLY, &c, "t.conf:3: unknown key", &none);
	CHECK(svc_count() == 1 && (s = find("jumpd")) && s->caps == 0 && has_arg_pair(s->argv, "-R", "t.conf:3: unknown key"));
	CHECK(s && !has_arg_pair(s->argv, "-c", NULL)); /* no config, no user: it only records the refusal */
	svc_forget_all();
	services_register(SERVE_NOTHING_NO_FIREWALL, &c, "", &none);
	services_register(SERVE_NOTHING_NO_USERS, &c, "", &none);
	CHECK(svc_count() == 0);
	services_register_dhcp_client(&c);
	CHECK((s = find("udhcpc")) && s->uid == USERS_DHCP_UID && has_arg_pair(s->argv, "-i", "eth0") &&
	      has_arg_pair(s->argv, "-s", "/sbin/jb-dhcp-hook"));
	CHECK(s && s->caps == (CAPBIT(CAP_NET_RAW) | CAPBIT(CAP_NET_ADMIN) | CAPBIT(CAP_NET_BIND_SERVICE)));
	svc_forget_all();
}

static void test_ship_config_has_no_users_or_secrets(void)
{
	char text[2048];
	CHECK(parse(CONF) == 0);
	int n = services_ship_config(&c, text, sizeof text);
	CHECK(n > 0 && strstr(text, "collector = 192.0.2.50\n") && strstr(text, "ca = /run/ship/ca.pem\n"));
	CHECK(!strstr(text, "[user") && !strstr(text, TEST_SECRET) && !strstr(text, "client-cert"));
	CHECK(n > 0 && siteconf_parse(&back, text, (size_t)n, "ship.conf", &err) == 0);
	CHECK(back.have_syslog && back.nusers == 0 && back.syslog_port == 6514);
	CHECK(services_ship_config(&c, text, 40) == -1);
}

static const struct service *exited;
static void on_exit_seen(const struct service *s, int status)
{
	(void)status;
	exited = s;
}

/* a child's real wait status, ended by `sig` (0: exit 3) */
static int ended_by(int sig)
{
	int st = -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (sig)
			pause();
		_exit(3);
	}
	if (sig)
		kill(pid, sig);
	waitpid(pid, &st, 0);
	return st;
}

/* SERVICE_RESTART's status: a seccomp kill reads signal-SIGSYS */
static void test_status_names_signals(void)
{
	char st[32];
	svc_status_text(ended_by(SIGSYS), st, sizeof st);
	CHECK(!strcmp(st, "signal-SIGSYS"));
	svc_status_text(ended_by(SIGKILL), st, sizeof st);
	CHECK(!strcmp(st, "signal-SIGKILL"));
	svc_status_text(ended_by(0), st, sizeof st);
	CHECK(!strcmp(st, "exit-3"));
	svc_status_text(ended_by(SIGRTMIN + 2), st, sizeof st); /* no name: the number */
	char want[32];
	snprintf(want, sizeof want, "signal-%d", SIGRTMIN + 2);
	CHECK(!strcmp(st, want));
}

static void test_restart_scheduled_with_backoff(void)
{
	static const char *argv[] = { "/bin/true", NULL };
	int st = 0;
	svc_forget_all();
	svc_on_exit = on_exit_seen;
	/* as whoever runs the test; dropping to no capability works for anyone */
	const struct service *s = svc_add("true", argv, getuid(), getgid(), 0);
	CHECK(s != NULL);
	if (!s)
		return;
	svc_start_all();
	pid_t pid = s->pid;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	svc_reaped(pid + 100000, st); /* not a service: ignored */
	CHECK(s->pid == pid && exited == NULL);
	svc_reaped(pid, st);
	CHECK(s->pid == 0 && s->restarts == 1 && s->backoff == 1 && exited == s);
	int wait_ms = svc_tick();
	if (s->pid) { /* the clock's second turned over in between: restarted already */
		CHECK(wait_ms == -1 && s->restarts == 1);
		waitpid(s->pid, &st, 0);
	} else {
		CHECK(wait_ms == 1000);
	}
	svc_stop_restarts(); /* shutdown: no restart any more */
	CHECK(svc_tick() == -1);
	svc_on_exit = NULL;
	svc_forget_all();
}

int main(void)
{
	RUN(test_backoff);
	RUN(test_plan);
	RUN(test_firewall_args);
	RUN(test_services_as_whom_with_what);
	RUN(test_refused_and_dhcp);
	RUN(test_ship_config_has_no_users_or_secrets);
	RUN(test_restart_scheduled_with_backoff);
	RUN(test_status_names_signals);
	UT_END();
}
