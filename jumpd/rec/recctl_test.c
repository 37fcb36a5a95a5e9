/* unit tests for recctl.c: the verb table (each verb, its rec_admin
 * action and the field it needs), a session's list line, and requests
 * refused before or by jumpd (malformed, unknown verb, missing field, bad
 * target name, not-admin) with the allowed `list` as the control. */
#include "recctl.h"
#include "recstate.h"
#include "rectest.h"
#include "../common/unittest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct jumprec jr;

static void table(void)
{
	const struct recctl_row *r;
	CHECK((r = recctl_find("list")) && !strcmp(r->action, "list") && r->needs == CTL_NONE);
	CHECK((r = recctl_find("watch")) && !strcmp(r->action, "watch") && r->needs == CTL_SESSION);
	CHECK((r = recctl_find("end")) && !strcmp(r->action, "end") && r->needs == CTL_SESSION);
	CHECK((r = recctl_find("target_key")) && !strcmp(r->action, "target-key") && r->needs == CTL_TARGET);
	CHECK((r = recctl_find("target_pin")) && !strcmp(r->action, "target-pin") && r->needs == CTL_TARGET);
	CHECK(!recctl_find("target-key") && !recctl_find("status"));
}

static void list_line(void)
{
	static struct recsess s;
	char out[HOOK_MAX_LINE + 1];
	strcpy(s.grant.session, "0123456789abcdef");
	strcpy(s.user, "alice");
	strcpy(s.grant.target, "db1");
	strcpy(s.grant.account, "deploy");
	strcpy(s.req.mode, "shell");
	s.since_unix_ms = 1700000000999;
	s.bytes = 12345;
	CHECK(recctl_session_line(&s, out, sizeof out) > 0);
	CHECK(!strcmp(out, "session id=0123456789abcdef user=alice target=db1 account=deploy mode=shell "
			   "since=1700000000 bytes=12345\n"));
}

/* one request through recctl_serve; the reply's text */
static void serve(struct recsess_table *t, const char *line, char *out, size_t cap)
{
	int sp[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	recctl_serve(t, sp[1], 2000, line, strlen(line));
	ssize_t n = read(sp[0], out, cap - 1);
	out[n > 0 ? n : 0] = 0;
	close(sp[0]);
}

static void refusals(void)
{
	struct recsess_table t;
	char sock[256], logp[256], out[600];
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "log");
	jr.jumpd_sock = sock;
	CHECK(recsess_init(&t, 2) == 0);
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, "deny reason=not-admin\n");
	serve(&t, "list", out, sizeof out);
	CHECK(!strcmp(out, "error reason=malformed\n"));
	serve(&t, "status\n", out, sizeof out);
	CHECK(!strcmp(out, "error reason=unknown-verb\n"));
	serve(&t, "watch\n", out, sizeof out);
	CHECK(!strcmp(out, "error reason=want%20session=ID\n"));
	serve(&t, "target_key target=../x\n", out, sizeof out);
	CHECK(!strcmp(out, "error reason=want%20target=NAME\n"));
	serve(&t, "list\n", out, sizeof out);
	CHECK(!strcmp(out, "error reason=not-admin\n"));
	rectest_stop(p);
	unlink(sock);
	/* the control: jumpd allows; no session is live */
	p = rectest_jumpd(sock, logp, "allow\n");
	serve(&t, "list\n", out, sizeof out);
	CHECK(!strcmp(out, "ok count=0\n"));
	serve(&t, "end session=0123456789abcdef\n", out, sizeof out);
	CHECK(!strcmp(out, "error reason=no-such-session\n"));
	rectest_stop(p);
	FILE *f = fopen(logp, "r");
	char line[300] = "";
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= !strcmp(line, "rec_admin uid=2000 action=end session=0123456789abcdef target=-\n");
	if (f)
		fclose(f);
	CHECK(found);
	unlink(sock);
	unlink(logp);
	free(t.s);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(table);
	RUN(list_line);
	RUN(refusals);
	UT_END();
}
