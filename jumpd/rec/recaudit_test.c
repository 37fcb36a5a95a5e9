/* unit tests for recaudit.c: values cut to safe text, rec_open's allow
 * read whole or refused as malformed (fail closed: an allow lacking a
 * field, a bad session id or port is no allow), a deny's reason, jumpd
 * unreachable, and the request lines rec_end and command send. */
#include "recaudit.h"
#include "rectest.h"
#include "../common/unittest.h"

#include <stdlib.h>
#include <string.h>

static char sock[256], logp[256];

static void safe_values(void)
{
	char out[300];
	CHECK(recaudit_safe_value(out, sizeof out, "ls -l", 5) == 0 && !strcmp(out, "ls -l"));
	CHECK(recaudit_safe_value(out, sizeof out, "a\033[2Jb", 6) == 1 && !strcmp(out, "a?[2Jb"));
	CHECK(recaudit_safe_value(out, sizeof out, "caf\xc3\xa9", 5) == 0 && !strcmp(out, "caf\xc3\xa9"));
	char big[400];
	memset(big, 'x', sizeof big);
	CHECK(recaudit_safe_value(out, sizeof out, big, sizeof big) == 1 && strlen(out) == HOOK_MAX_VALUE);
	/* a character is never cut in half at the bound */
	memset(big, 'x', 254);
	big[254] = (char)0xc3;
	big[255] = (char)0xa9;
	CHECK(recaudit_safe_value(out, sizeof out, big, 256) == 1 && strlen(out) == 254);
}

static int ask_open(const char *reply, struct recaudit_grant *g, char *why, size_t wl)
{
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, reply);
	int rc = recaudit_open(sock, 2000, "deploy%db1", "shell", 4242, g, why, wl);
	rectest_stop(p);
	return rc;
}

static void open_allow(void)
{
	struct recaudit_grant g;
	char why[256];
	unlink(logp);
	CHECK(ask_open("allow session=0123456789abcdef target=db1 account=deploy address=10.20.0.5 port=22 "
		       "hostkey=SHA256:x,SHA256:y input=yes\n", &g, why, sizeof why) == 0);
	CHECK(!strcmp(g.session, "0123456789abcdef") && !strcmp(g.account, "deploy") && g.port == 22 && g.input == 1 &&
	      !strcmp(g.hostkey, "SHA256:x,SHA256:y") && !strcmp(g.address, "10.20.0.5"));
	char logbuf[512] = "";
	FILE *f = fopen(logp, "r");
	CHECK(f && fgets(logbuf, sizeof logbuf, f));
	if (f)
		fclose(f);
	CHECK(!strcmp(logbuf, "rec_open uid=2000 target=deploy%25db1 mode=shell conn=4242\n"));
}

static void open_refusals(void)
{
	struct recaudit_grant g;
	char why[256];
	CHECK(ask_open("deny reason=not-granted\n", &g, why, sizeof why) == -1 && !strcmp(why, "not-granted"));
	/* allows that do not say all they must */
	CHECK(ask_open("allow session=0123456789abcdef target=db1 account=deploy address=10.20.0.5 port=22 input=no\n",
		       &g, why, sizeof why) == -1 && !strcmp(why, "malformed-grant"));
	CHECK(ask_open("allow session=0123456789ABCDEF target=db1 account=deploy address=10.20.0.5 port=22 hostkey=SHA256:x\n",
		       &g, why, sizeof why) == -1);
	CHECK(ask_open("allow session=0123 target=db1 account=deploy address=10.20.0.5 port=22 hostkey=SHA256:x\n",
		       &g, why, sizeof why) == -1);
	CHECK(ask_open("allow session=0123456789abcdef target=db1 account=deploy address=10.20.0.5 port=70000 hostkey=SHA256:x\n",
		       &g, why, sizeof why) == -1);
	CHECK(ask_open("ok\n", &g, why, sizeof why) == -1);
	/* the control: the same allow with every field passes */
	CHECK(ask_open("allow session=0123456789abcdef target=db1 account=deploy address=10.20.0.5 port=22 hostkey=SHA256:x\n",
		       &g, why, sizeof why) == 0 && g.input == 0);
	unlink(sock);
	CHECK(recaudit_open(sock, 2000, "db1", "exec", 1, &g, why, sizeof why) == -1 &&
	      !strncmp(why, "audit-unavailable", 17));
}

static void report_lines(void)
{
	char why[256], logbuf[1100] = "";
	uint8_t chain[32];
	memset(chain, 0xab, sizeof chain);
	unlink(sock);
	unlink(logp);
	pid_t p = rectest_jumpd(sock, logp, "ok\n");
	CHECK(recaudit_end(sock, "0123456789abcdef", 3, 4000, chain, 1500, "signal:TERM", "ended-by-admin", why, sizeof why) == 0);
	CHECK(recaudit_command(sock, "0123456789abcdef", "sudo -i\033", "typed", 0, why, sizeof why) == 0);
	rectest_stop(p);
	FILE *f = fopen(logp, "r");
	CHECK(f && fgets(logbuf, sizeof logbuf, f));
	CHECK(!strcmp(logbuf, "rec_end session=0123456789abcdef chunks=3 bytes=4000 chain="
			      "abababababababababababababababababababababababababababababababab duration_ms=1500 "
			      "exit=signal:TERM reason=ended-by-admin\n"));
	CHECK(f && fgets(logbuf, sizeof logbuf, f));
	CHECK(!strcmp(logbuf, "command session=0123456789abcdef line=sudo%20-i%3f kind=typed truncated=1\n"));
	if (f)
		fclose(f);
	unlink(logp);
	unlink(sock);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "requests");
	RUN(safe_values);
	RUN(open_allow);
	RUN(open_refusals);
	RUN(report_lines);
	unlink(logp);
	UT_END();
}
