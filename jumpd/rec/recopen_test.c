/* unit tests for recopen.c: the open request's fields checked, each kind
 * of malformation refused, the well-formed ones taken with defaults. */
#include "recopen.h"
#include "../common/unittest.h"

#include <string.h>

static int parse(const char *line, struct recopen_req *r)
{
	struct hook_msg m;
	char why[200];
	memset(r, 0, sizeof *r);
	if (hook_parse(line, strlen(line), &m))
		return -2;
	return recopen_parse(&m, r, why, sizeof why);
}

static void open_lines(void)
{
	struct recopen_req r;
	CHECK(parse("open target=db1 mode=shell pty=yes term=xterm-256color cols=120 rows=40\n", &r) == 0);
	CHECK(!strcmp(r.selector, "db1") && r.pty && r.cols == 120 && r.rows == 40 && !strcmp(r.term, "xterm-256color") &&
	      !r.cmd[0]);
	CHECK(parse("open target=deploy%25db1 mode=exec pty=no cmd=uptime\n", &r) == 0);
	CHECK(!strcmp(r.selector, "deploy%db1") && !r.pty && r.cols == 80 && r.rows == 24 && !strcmp(r.cmd, "uptime") &&
	      !strcmp(r.term, "xterm"));
	CHECK(parse("open target=db1 mode=sftp pty=no\n", &r) == 0 && !r.cmd[0]);
	CHECK(parse("open target=db1 mode=sftp pty=no cmd=sftp\n", &r) == 0 && !r.cmd[0]);
	/* refused */
	CHECK(parse("open mode=shell pty=yes\n", &r) == -1);
	CHECK(parse("open target=db1 mode=login pty=yes\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=maybe\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes term=x%3by\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cols=0\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes rows=99999\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cols=-1\n", &r) == -1);
	CHECK(parse("open target=db1 mode=exec pty=no\n", &r) == -1);
	CHECK(parse("open target=db1 mode=shell pty=yes cmd=ls\n", &r) == -1);
	CHECK(parse("open target=db1 mode=sftp pty=no cmd=ls\n", &r) == -1);
	CHECK(parse("winch target=db1 mode=shell pty=yes\n", &r) == -1);
}

int main(void)
{
	RUN(open_lines);
	UT_END();
}
