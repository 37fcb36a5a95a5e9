/* svcreport: a service's end told to jumpd (see svcreport.h). */
#include "svcreport.h"
#include "log.h"
#include "../common/hookproto.h"
#include "../dropbear/jb-authhook.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

pid_t svcreport_exit(const char *ctl_socket, const struct service *s, int status)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char st[32], n[16], in[16];
	struct hook_msg req, rep;
	char why[128] = "";
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* killable at shutdown like any process */
	svc_status_text(status, st, sizeof st);
	snprintf(n, sizeof n, "%u", s->restarts);
	snprintf(in, sizeof in, "%u", s->backoff);
	if (hook_init(&req, "service") || hook_add(&req, "name", s->name) || hook_add(&req, "status", st) ||
	    hook_add(&req, "restarts", n) || hook_add(&req, "restart_in_s", in))
		_exit(1);
	for (unsigned i = 0; i < s->backoff + 10; i++) {
		if (jb_hook_ask(ctl_socket, &req, &rep, why, sizeof why) == 0)
			_exit(0);
		sleep(1);
	}
	log_msg("service %s exit not audited: %s", s->name, why);
	_exit(1);
}
