/* unit tests for event.c: the fail-closed switch ([syslog] fail-closed);
 * what reaches the console and the spool is safe text, whatever the values */
#include "event.h"
#include "spool.h"
#include "../common/unittest.h"
#include "../common/utf8_oracle.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/eventtest.XXXXXX", path[64];

static void test_fail_closed_and_open(void)
{
	char err[256];
	long torn;
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/audit.spool", dir);
	/* room for about one record */
	CHECK(event_open(path, "bastion", "v1", 400, &torn, err, sizeof err) == 0);
	CHECK(event_emit("AUTH", "user", "ops", EV_END) == 0);
	/* full: refused by default (fail closed) */
	CHECK(event_emit("AUTH", "user", "ops", EV_END) == -1 && event_spool_full());
	/* fail open: the event goes to the console marked UNSPOOLED, the action goes on */
	event_set_fail_closed(0);
	CHECK(event_emit("AUTH", "user", "ops", EV_END) == 0);
	event_set_fail_closed(1);
	CHECK(event_emit("AUTH", "user", "ops", EV_END) == -1);
	unlink(path);
	rmdir(dir);
}


static int spool_has(const char *needle)
{
	static char buf[1 << 17];
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

/* the reserve: a nearly full spool refuses others' records with the
 * reserve's reason and takes an admin's (and the box's own); the states
 * are recorded (AUDIT_SPOOL) as they change */
static void test_reserve_for_admins(void)
{
	char err[256];
	long torn;
	CHECK(mkdir(dir, 0700) == 0);
	snprintf(path, sizeof path, "%s/reserve.spool", dir);
	CHECK(event_open(path, "bastion", "v1", (off_t)64 * 1024, &torn, err, sizeof err) == 0);
	int n = 0;
	while (n < 1000 && event_emit("AUTH", "user", "bob", "result", "deny", EV_END) == 0)
		n++;
	/* refused at 15/16 of the spool, not at its end */
	CHECK(n > 100 && n < 1000 && !strcmp(event_refusal(), "audit-spool-reserve") && !event_spool_full());
	CHECK(spool_has("AUDIT_SPOOL [") && spool_has("state=\"reserve\""));
	/* jumpd's own closing record of a sandbox that could not be installed
	 * is written at level NONE (jumpd.c): it fits all the same, while a
	 * user's record in the same state is refused with the reserve's reason */
	CHECK(event_emit("JUMPD_STOP", "reason", "sandbox", EV_END) == 0 && spool_has("JUMPD_STOP [") &&
	      spool_has("reason=\"sandbox\""));
	CHECK(event_emit("AUTH", "user", "bob", "result", "deny", EV_END) != 0 &&
	      !strcmp(event_refusal(), "audit-spool-reserve"));
	event_allow_reserve(EV_RESERVE_ADMIN);
	CHECK(event_emit("AUTH", "user", "harry", "result", "allow", EV_END) == 0);
	int admin = 1;
	while (admin < 1000 && event_emit("AUTH", "user", "harry", "result", "allow", EV_END) == 0)
		admin++;
	event_allow_reserve(EV_RESERVE_NONE);
	/* the reserve took some admin records, then the spool is full; the
	 * box's own state record still fit */
	CHECK(admin > 3 && admin < 1000 && !strcmp(event_refusal(), "audit-spool-full") && event_spool_full());
	CHECK(spool_has("state=\"full\""));
	unlink(path);
	rmdir(dir);
}

static char con[8192];

/* runs event_emit with stderr in a file; con holds what it printed */
static int emit_captured(const char *value)
{
	char cpath[96];
	snprintf(cpath, sizeof cpath, "%s/console", dir);
	fflush(stderr);
	int saved = dup(2), fd = open(cpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	int rc = event_emit("CHANNEL", "user", "ops", "host", value, EV_END);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, con, sizeof con - 1, 0);
	con[n > 0 ? n : 0] = 0;
	close(fd);
	unlink(cpath);
	return rc;
}

/* an `ssh -W` host name with a terminal escape, C1 CSI and invalid UTF-8:
 * the record, its console copy and the UNSPOOLED line show it escaped */
static void test_console_and_spool_safe(void)
{
	static const char hostile[] = "db1\x1b]0;owned\x07\x9b" "31m\xc2\x9b" "2J\xff caf\xc3\xa9";
	static const char shown[] = "db1\\x1b\\]0;owned\\x07\\x9b31m\\xc2\\x9b2J\\xff caf\xc3\xa9";
	static char file[8192];
	char err[256];
	long torn;
	strcpy(dir, "/tmp/eventtest.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/audit.spool", dir);
	CHECK(event_open(path, "bastion", "v1", 1000, &torn, err, sizeof err) == 0);
	/* spooled: the record and the console's copy of it */
	CHECK(emit_captured(hostile) == 0);
	CHECK(utf8_oracle_safe(con, strlen(con) - 1) && con[strlen(con) - 1] == '\n');
	CHECK(strstr(con, shown) != NULL);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(file, 1, sizeof file - 1, f) : 0;
	if (f)
		fclose(f);
	CHECK(n > 0 && file[n - 1] == '\n' && utf8_oracle_safe(file, n - 1) && strstr(file, shown));
	/* not spooled (full, fail open): the UNSPOOLED console line */
	while (emit_captured("filler") == 0)
		;
	event_set_fail_closed(0);
	CHECK(emit_captured(hostile) == 0);
	event_set_fail_closed(1);
	CHECK(!strncmp(con, "jumpd: UNSPOOLED ", 17) && strstr(con, shown) != NULL);
	CHECK(utf8_oracle_safe(con, strlen(con) - 1) && con[strlen(con) - 1] == '\n');
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	RUN(test_fail_closed_and_open);
	RUN(test_reserve_for_admins);
	RUN(test_console_and_spool_safe);
	UT_END();
}
