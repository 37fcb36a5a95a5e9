/* unit tests for event.c: the fail-closed switch ([syslog] fail-closed) */
#include "event.h"
#include "spool.h"
#include "../common/unittest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
	RUN(test_fail_closed_and_open);
	UT_END();
}
