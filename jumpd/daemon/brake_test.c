/* unit tests for brake.c: the pre-auth bound per client address and
 * box-wide, the summaries of what was not recorded, with the real event
 * module writing into a scratch spool */
#include "brake.h"
#include "event.h"
#include "../common/unittest.h"

#include <stdio.h>
#include <string.h>

static char spool_path[256];

static unsigned count_in_spool(const char *needle)
{
	char line[8192];
	unsigned n = 0;
	FILE *f = fopen(spool_path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* one address: its burst, then one a second; the rest counted and summed
 * in one RATE_LIMITED when the window ends */
static void test_auth_per_address(void)
{
	brake_reset();
	int64_t t = 1000000;
	unsigned ok = 0;
	for (int i = 0; i < 100; i++)
		ok += (unsigned)brake_auth("10.0.0.1", t);
	CHECK(ok == BRAKE_AUTH_BURST);
	/* 5 s later: 5 more tokens */
	ok = 0;
	for (int i = 0; i < 100; i++)
		ok += (unsigned)brake_auth("10.0.0.1", t + 5000);
	CHECK(ok == 5 * BRAKE_AUTH_PER_SEC);
	/* another address has its own bucket */
	CHECK(brake_auth("10.0.0.2", t + 5000) == 1);
	unsigned before = count_in_spool("RATE_LIMITED");
	brake_tick(t + 5000); /* the window is not over: nothing yet */
	CHECK(count_in_spool("RATE_LIMITED") == before);
	brake_tick(t + BRAKE_WINDOW_MS + 1);
	char want[96];
	snprintf(want, sizeof want, "src=\"10.0.0.1\" auth_not_recorded=\"%d\"",
		 200 - BRAKE_AUTH_BURST - 5 * BRAKE_AUTH_PER_SEC);
	CHECK(count_in_spool(want) == 1);
}

/* many addresses: the box-wide bucket holds them all to its bound */
static void test_auth_box_wide(void)
{
	brake_reset();
	int64_t t = 5000000;
	unsigned ok = 0;
	char a[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(a, sizeof a, "10.1.%d.%d", i / 250, i % 250);
		ok += (unsigned)brake_auth(a, t);
	}
	CHECK(ok == BRAKE_BOX_BURST);
	/* 5 s on, 1000 more new addresses: the box's refill only */
	ok = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(a, sizeof a, "10.2.%d.%d", i / 250, i % 250);
		ok += (unsigned)brake_auth(a, t + 5000);
	}
	CHECK(ok == 5 * BRAKE_BOX_PER_SEC);
	brake_tick(t + 2 * (int64_t)BRAKE_WINDOW_MS + 1);
	/* the box's own summary (src="*") counts what no address was charged for */
	CHECK(count_in_spool("src=\"*\" auth_not_recorded=") == 1);
}

/* the uid brake is the same bucket */
static void test_uid_bucket(void)
{
	brake_reset();
	int64_t t = 9000000;
	unsigned ok = 0;
	for (int i = 0; i < 100; i++)
		ok += (unsigned)brake_take(4242, t, BRAKE_BURST, BRAKE_PER_SEC);
	CHECK(ok == BRAKE_BURST);
	CHECK(brake_take(4242, t + 1000, BRAKE_BURST, BRAKE_PER_SEC) == 1);
	CHECK(brake_refusal(4242, REFUSED_VERB, t + 1000) == 1 && brake_refusal(4242, REFUSED_VERB, t + 1001) == 0);
	brake_tick(t + BRAKE_WINDOW_MS + 1);
	CHECK(count_in_spool("peer_uid=\"4242\" channels_refused=\"70\" connections_refused=\"0\" verbs_refused=\"1\"") == 1);
}

int main(void)
{
	char err[256];
	long torn;
	ut_path(spool_path, sizeof spool_path, "audit.spool");
	unlink(spool_path);
	if (event_open(spool_path, "bastion", "v1", 1 << 20, &torn, err, sizeof err)) {
		printf("FAIL setup: %s\n", err);
		return 1;
	}
	RUN(test_auth_per_address);
	RUN(test_auth_box_wide);
	RUN(test_uid_bucket);
	unlink(spool_path);
	ut_remove_scratch_dir();
	UT_END();
}
