/* recopen: see recopen.h. */
#include "recopen.h"
#include "../common/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_dim(const char *v, unsigned *out)
{
	char *end;
	if (!decimal_text(v, 4))
		return -1;
	unsigned long n = strtoul(v, &end, 10);
	if (n == 0)
		return -1;
	*out = (unsigned)n;
	return 0;
}

int recopen_parse(const struct hook_msg *m, struct recopen_req *r, char *why, size_t whylen)
{
	const char *target = hook_get(m, "target"), *mode = hook_get(m, "mode"), *pty = hook_get(m, "pty");
	const char *term = hook_get(m, "term"), *cmd = hook_get(m, "cmd");
	memset(r, 0, sizeof *r);
	const char *bad = NULL;
	if (strcmp(m->verb, "open") != 0)
		bad = "not an open request";
	else if (!target || !*target || strlen(target) >= sizeof r->selector)
		bad = "target";
	else if (!mode || (strcmp(mode, "shell") != 0 && strcmp(mode, "exec") != 0 && strcmp(mode, "sftp") != 0))
		bad = "mode";
	else if (!pty || (strcmp(pty, "yes") != 0 && strcmp(pty, "no") != 0))
		bad = "pty";
	else if (term && (!*term || strlen(term) >= sizeof r->term ||
			  strspn(term, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+_-") != strlen(term)))
		bad = "term";
	else if (parse_dim(hook_get(m, "cols") ? hook_get(m, "cols") : "80", &r->cols) ||
		 parse_dim(hook_get(m, "rows") ? hook_get(m, "rows") : "24", &r->rows))
		bad = "window size";
	else if (!strcmp(mode, "exec") && (!cmd || !*cmd))
		bad = "exec without a command";
	else if (!strcmp(mode, "sftp") && cmd && *cmd && strcmp(cmd, "sftp") != 0)
		bad = "sftp with a command";
	else if (!strcmp(mode, "shell") && cmd && *cmd)
		bad = "shell with a command";
	if (bad) {
		snprintf(why, whylen, "malformed open request (%s)", bad);
		return -1;
	}
	snprintf(r->selector, sizeof r->selector, "%s", target ? target : ""); /* checked above */
	snprintf(r->mode, sizeof r->mode, "%s", mode);
	snprintf(r->term, sizeof r->term, "%s", term ? term : "xterm");
	snprintf(r->cmd, sizeof r->cmd, "%s", cmd && strcmp(mode, "sftp") != 0 ? cmd : "");
	r->pty = !strcmp(pty, "yes");
	return 0;
}
