/* jumpmenu: every configured user's login shell. There is no general shell
 * on the box: a user who logs in (rather than jumping through with
 * `ssh -J`) gets the list of targets the policy lets them reach now, asked
 * from jumpd (`targets`, docs/hook-protocol.md), and the command line to
 * reach one: `ssh -J` for a target whose access is jump, `ssh -t
 * USER+TARGET@box` for a recorded one. Commands: list, help, quit, or the
 * name of a recorded target (a recorded session from here). Run with -c
 * (ssh USER@box CMD), it runs one of those commands and nothing else.
 * With JB_TARGET set (the login name was USER+TARGET, Dropbear patch 0015)
 * it is the recorded session's stub instead (relay.c): the session goes to
 * the recorder, -c's command with it.
 * Runs as the user, with no capability; holds no secret. */
#include "../common/hookproto.h"
#include "../ctl/recctl_client.h"
#include "../dropbear/jb-authhook.h"
#include "../dropbear/jb-selector.h"
#include "relay.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 6

static const char *user;
static char host[64] = "this-box";

struct target {
	char name[64], addr[64], ports[64], access[16];
};

/* access modes of the targets reply's 4th token (jump when absent: jumpd before recording) */
static int is_jump(const struct target *t)
{
	return !strcmp(t->access, "jump") || !strcmp(t->access, "both");
}

static int is_recorded(const struct target *t)
{
	return !strcmp(t->access, "recorded") || !strcmp(t->access, "both");
}

/* Asks jumpd for the user's targets, page by page, calling each(t, total,
 * ctx) for each; quiet: say nothing when jumpd cannot be asked. Returns the
 * total, or -1 if jumpd could not be asked. */
static int for_each_target(void (*each)(const struct target *, unsigned, void *), void *ctx, int quiet)
{
	unsigned offset = 0, total = 0, n = 0;
	do {
		struct hook_msg req, rep = { 0 };
		char off[16], why[160] = "";
		snprintf(off, sizeof off, "%u", offset);
		if (hook_init(&req, "targets") || hook_add(&req, "user", user) || hook_add(&req, "offset", off) ||
		    jb_hook_ask(JB_HOOK_SOCKET, &req, &rep, why, sizeof why) || strcmp(rep.verb, "ok") != 0 ||
		    !hook_get(&rep, "total")) {
			if (!quiet)
				printf("jumpbox: the target list is not available now (%s)\n",
				       hook_get(&rep, "reason") ? hook_get(&rep, "reason") : why);
			return -1;
		}
		total = (unsigned)strtoul(hook_get(&rep, "total"), NULL, 10);
		for (unsigned i = 0; i < PAGE; i++) {
			char key[8];
			snprintf(key, sizeof key, "t%c", 'a' + i);
			const char *v = hook_get(&rep, key);
			if (!v)
				break;
			struct target t = { .access = "jump" };
			sscanf(v, "%63s %63s %63s %15s", t.name, t.addr, t.ports, t.access);
			each(&t, total, ctx);
			n++;
		}
		offset += PAGE;
	} while (offset < total && n == offset);
	return (int)total;
}

struct shown {
	int n, jump, recorded;
};

static void show_target(const struct target *t, unsigned total, void *ctx)
{
	struct shown *s = ctx;
	if (s->n++ == 0)
		printf("Targets you may reach now (%u):\n", total);
	if (is_recorded(t)) {
		printf("  %-20s %-40s port %s  recorded: ssh -t %s+%s@%s\n", t->name, t->addr, t->ports, user, t->name,
		       host);
		s->recorded = 1;
	} else {
		printf("  %-20s %-40s port %s\n", t->name, t->addr, t->ports);
	}
	s->jump |= is_jump(t);
}

/* Prints the user's targets. Returns 0, or 1 if jumpd could not be asked. */
static int list(void)
{
	struct shown s = { 0 };
	int total = for_each_target(show_target, &s, 0);
	if (total < 0)
		return 1;
	if (s.n == 0)
		printf("No target is open to you now.\n");
	if (s.jump)
		printf("\nFrom your workstation:  ssh -J %s@%s USER@TARGET   (add -p PORT for another port)\n", user, host);
	if (s.recorded)
		printf("%sA recorded target: type its name here, or ssh -t %s+TARGET@%s (ACCOUNT%%TARGET for another "
		       "account)\n", s.jump ? "" : "\n", user, host);
	return 0;
}

struct pick {
	const char *name; /* the target part of the typed selector */
	size_t len;
	int found;
};

static void find_recorded(const struct target *t, unsigned total, void *ctx)
{
	(void)total;
	struct pick *p = ctx;
	if (is_recorded(t) && strlen(t->name) == p->len && !strncmp(t->name, p->name, p->len))
		p->found = 1;
}

/* A word typed at the prompt that names one of the user's recorded targets
 * ([ACCOUNT%]TARGET): a recorded session on this terminal, then the menu
 * again. Returns its status, or -2 if the word is no such target. */
static int pick(const char *word, size_t n, int interactive)
{
	char sel[JB_SELECTOR_MAX + 1];
	if (!interactive || n > JB_SELECTOR_MAX)
		return -2;
	memcpy(sel, word, n);
	sel[n] = 0;
	if (!jb_selector_valid(sel))
		return -2;
	const char *pct = strchr(sel, '%');
	struct pick p = { .name = pct ? pct + 1 : sel };
	p.len = strlen(p.name);
	if (for_each_target(find_recorded, &p, 1) < 0 || !p.found)
		return -2;
	int status = relay_run(RELAY_SOCKET, sel, NULL, 1);
	printf("\r\njumpbox: the recorded session to %s ended (status %d)\n", p.name, status);
	return 0;
}

static void help(void)
{
	printf("This is jumpbox, a jump host: no shell here. Reach a target with ssh -J,\n"
	       "or a recorded target with ssh -t USER+TARGET@box.\n"
	       "Commands: list (the targets open to you now), help, quit, or a recorded target's name.\n");
}

/* Runs one command line (interactive: typed at the menu's prompt); returns
 * its status, or -1 for quit. */
static int run(const char *cmd, int interactive)
{
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	size_t n = strcspn(cmd, " \t\r\n");
	if (n == 0)
		return 0;
	if (!strncmp(cmd, "list", n) && n == 4)
		return list();
	if ((n == 4 && !strncmp(cmd, "help", 4)) || (n == 1 && *cmd == '?')) {
		help();
		return 0;
	}
	if ((n == 4 && !strncmp(cmd, "quit", 4)) || (n == 4 && !strncmp(cmd, "exit", 4)))
		return -1;
	if (!strcmp(cmd, RELAY_SFTP_COMMAND)) {
		printf("jumpbox: sftp works only with a recorded target: sftp %s+TARGET@%s\n", user, host);
		return 1;
	}
	/* an admin's sessions, watch ID, end ID: the recorder's (jumpd decides who is an admin) */
	int admin = recctl_client_line(RECCTL_SOCKET, cmd);
	if (admin >= 0)
		return admin;
	int picked = pick(cmd, n, interactive);
	if (picked != -2)
		return picked;
	/* the user's text back to the terminal: printable ASCII only, no escape */
	char shown[41];
	size_t k = 0;
	for (; k < n && k < sizeof shown - 1; k++) {
		shown[k] = cmd[k];
		if ((unsigned char)cmd[k] < 0x20 || (unsigned char)cmd[k] >= 0x7f)
			shown[k] = '?';
	}
	shown[k] = 0;
	printf("jumpbox: '%s' is not a command here (no shell on a jump host): list, help, quit\n", shown);
	return 1;
}

int main(int argc, char **argv)
{
	struct passwd *pw = getpwuid(getuid());
	if (!pw) {
		fprintf(stderr, "jumpbox: unknown user\n");
		return 1;
	}
	user = pw->pw_name;
	gethostname(host, sizeof host - 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *target = getenv("JB_TARGET");
	if (target) {
		if (argc == 3 && !strcmp(argv[1], "-c"))
			return relay_run(RELAY_SOCKET, target, argv[2], 0);
		if (argc == 1)
			return relay_run(RELAY_SOCKET, target, NULL, 0);
		fprintf(stderr, "usage: jumpmenu [-c COMMAND]\n");
		return 2;
	}
	if (argc == 3 && !strcmp(argv[1], "-c")) {
		int rc = run(argv[2], 0);
		return rc < 0 ? 0 : rc;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: jumpmenu [-c COMMAND]\n");
		return 2;
	}
	printf("jumpbox %s: you are %s.\n", host, user);
	list();
	char line[256];
	for (;;) {
		printf("jumpbox> ");
		fflush(stdout);
		if (!fgets(line, sizeof line, stdin)) {
			printf("\n");
			return 0;
		}
		if (run(line, 1) < 0)
			return 0;
	}
}
