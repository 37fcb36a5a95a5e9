/* Unit tests for relay: the open line and the statuses from jumprec (the
 * hand-over itself runs in tests/host/relay.sh, through a real login). */
#include "relay.h"
#include "../common/unittest.h"

#include <signal.h>
#include <string.h>

static char line[1100], why[160];

static void shell_with_pty(void)
{
	struct relay_tty t = { .pty = 1, .term = "xterm-256color", .cols = 132, .rows = 43 };
	CHECK(relay_open_line(line, sizeof line, "db1", NULL, &t, why, sizeof why) > 0);
	CHECK(!strcmp(line, "open target=db1 mode=shell pty=yes term=xterm-256color cols=132 rows=43\n"));
}

static void exec_without_pty_carries_the_command(void)
{
	struct relay_tty t = { .pty = 0, .term = "xterm" };
	CHECK(relay_open_line(line, sizeof line, "deploy%db1", "ls -l 'a b'", &t, why, sizeof why) > 0);
	CHECK(!strcmp(line, "open target=deploy%25db1 mode=exec pty=no cmd=ls%20-l%20%27a%20b%27\n"));
}

static void sftp_subsystem_is_its_own_mode(void)
{
	struct relay_tty t = { .pty = 0 };
	CHECK(relay_open_line(line, sizeof line, "db1", RELAY_SFTP_COMMAND, &t, why, sizeof why) > 0);
	CHECK(!strcmp(line, "open target=db1 mode=sftp pty=no\n"));
	/* only the exact path: anything else is a command like any other */
	CHECK(relay_open_line(line, sizeof line, "db1", RELAY_SFTP_COMMAND " x", &t, why, sizeof why) > 0);
	CHECK(strstr(line, "mode=exec") != NULL);
}

static void unknown_window_sent_as_80x24(void)
{
	struct relay_tty t = { .pty = 1, .term = NULL, .cols = 0, .rows = 0 };
	CHECK(relay_open_line(line, sizeof line, "db1", "top", &t, why, sizeof why) > 0);
	CHECK(!strcmp(line, "open target=db1 mode=exec pty=yes term=vt100 cols=80 rows=24 cmd=top\n"));
}

static void what_the_line_cannot_carry_refused(void)
{
	struct relay_tty t = { .pty = 0 };
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK(relay_open_line(line, sizeof line, "db1", big, &t, why, sizeof why) == -1 && strstr(why, "255 bytes"));
	CHECK(relay_open_line(line, sizeof line, "db1", "echo \033[2J", &t, why, sizeof why) == -1);
	CHECK(relay_open_line(line, sizeof line, "DB1", NULL, &t, why, sizeof why) == -1 && strstr(why, "target"));
	CHECK(relay_open_line(line, sizeof line, "db1+x", NULL, &t, why, sizeof why) == -1);
	big[255] = 0; /* positive control: 255 bytes go */
	CHECK(relay_open_line(line, sizeof line, "db1", big, &t, why, sizeof why) > 0);
}

static void statuses_from_the_recorder(void)
{
	CHECK(relay_status_of("exit status=0") == 0);
	CHECK(relay_status_of("exit status=3") == 3);
	CHECK(relay_status_of("exit status=255") == 255);
	CHECK(relay_status_of("exit status=256") == 255);
	CHECK(relay_status_of("exit status=-1") == 255);
	CHECK(relay_status_of("exit status=") == 255);
	CHECK(relay_status_of("exit signal=TERM") == 128 + SIGTERM);
	CHECK(relay_status_of("exit signal=KILL") == 128 + SIGKILL);
	CHECK(relay_status_of("exit signal=WHAT") == 255);
	CHECK(relay_status_of("end reason=ended-by-admin") == 255);
	CHECK(relay_status_of("end") == 255);
	CHECK(relay_status_of("hello there=1") == -1);
	CHECK(relay_status_of("exit  status=1") == -1); /* malformed: not a verdict */
	CHECK(relay_status_of("") == -1);
}

int main(void)
{
	RUN(shell_with_pty);
	RUN(exec_without_pty_carries_the_command);
	RUN(sftp_subsystem_is_its_own_mode);
	RUN(unknown_window_sent_as_80x24);
	RUN(what_the_line_cannot_carry_refused);
	RUN(statuses_from_the_recorder);
	UT_END();
}
