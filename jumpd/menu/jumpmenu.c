/* jumpmenu: every configured user's login shell. There is no general shell
 * on the box: a user who logs in (rather than jumping through with
 * `ssh -J`) gets the list of targets the policy lets them reach now, asked
 * from jumpd (`targets`, docs/hook-protocol.md), and the command line to
 * reach one. Commands: list, help, quit. Run with -c (ssh USER@box CMD),
 * it runs one of those commands and nothing else.
 * Runs as the user, with no capability; holds no secret. */
#include "../common/hookproto.h"
#include "../dropbear/jb-authhook.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 6

static const char *user;
static char host[64] = "this-box";

/* Prints the user's targets. Returns 0, or 1 if jumpd could not be asked. */
static int list(void)
{
	unsigned offset = 0, total = 0, n = 0;
	do {
		struct hook_msg req, rep = { 0 };
		char off[16], why[160] = "";
		snprintf(off, sizeof off, "%u", offset);
		if (hook_init(&req, "targets") || hook_add(&req, "user", user) || hook_add(&req, "offset", off) ||
		    jb_hook_ask(JB_HOOK_SOCKET, &req, &rep, why, sizeof why) || strcmp(rep.verb, "ok") != 0 ||
		    !hook_get(&rep, "total")) {
			printf("jumpbox: the target list is not available now (%s)\n",
			       hook_get(&rep, "reason") ? hook_get(&rep, "reason") : why);
			return 1;
		}
		total = (unsigned)strtoul(hook_get(&rep, "total"), NULL, 10);
		if (offset == 0)
			printf(total ? "Targets you may reach now (%u):\n" : "No target is open to you now.\n", total);
		for (unsigned i = 0; i < PAGE; i++) {
			char key[8];
			snprintf(key, sizeof key, "t%c", 'a' + i);
			const char *t = hook_get(&rep, key);
			if (!t)
				break;
			char name[64] = "", addr[64] = "", ports[64] = "";
			sscanf(t, "%63s %63s %63s", name, addr, ports);
			printf("  %-20s %-40s port %s\n", name, addr, ports);
			n++;
		}
		offset += PAGE;
	} while (offset < total && n == offset);
	if (total)
		printf("\nFrom your workstation:  ssh -J %s@%s USER@TARGET   (add -p PORT for another port)\n", user, host);
	return 0;
}

static void help(void)
{
	printf("This is jumpbox, a jump host: no shell here. Reach a target with ssh -J.\n"
	       "Commands: list (the targets open to you now), help, quit.\n");
}

/* Runs one command line; returns its status, or -1 for quit. */
static int run(const char *cmd)
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
	if (argc == 3 && !strcmp(argv[1], "-c")) {
		int rc = run(argv[2]);
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
		if (run(line) < 0)
			return 0;
	}
}
