/* Unit tests for budget.c: the caps follow the file descriptors and the
 * memory; a site value is taken, never beyond the descriptors. */
#include "budget.h"
#include "../common/unittest.h"

static void test_image_defaults(void)
{
	struct jumpd_budget b;
	/* the image: init gives jumpd 65536 descriptors; 512 MiB of memory */
	budget_derive(&b, 65536, 512ull << 20, 0, 0);
	CHECK(b.conns_max == BUDGET_CONN_MAX);
	CHECK(b.sessions_max == (512u << 20) / 2 / BUDGET_SESSION_COST);   /* 1638 */
	CHECK(b.channels_max == 2 * b.sessions_max);
	CHECK(b.channels_per_user == b.channels_max / 4);
	CHECK(b.rec_sessions_max == b.sessions_max);   /* a recorded session is a login too */
}

static void test_fds_bound(void)
{
	struct jumpd_budget b;
	/* a big machine with the default 1024 descriptors: the fds decide */
	budget_derive(&b, 1024, 64ull << 30, 0, 0);
	CHECK(b.conns_max == 120);                              /* (1024 - 64) / 8 */
	CHECK(b.sessions_max == 420 && b.channels_max == 420);  /* (960 - 120) / 2 each */
	CHECK(b.channels_per_user == 105);
	CHECK(b.conns_max + b.sessions_max + b.channels_max + BUDGET_FD_RESERVE <= 1024);
	/* the site may not go past them */
	budget_derive(&b, 1024, 64ull << 30, 100000, 50000);
	CHECK(b.channels_max == 420 && b.channels_per_user == 420);
}

static void test_site_values(void)
{
	struct jumpd_budget b;
	budget_derive(&b, 65536, 24ull << 30, 6000, 5500);
	CHECK(b.channels_max == 6000 && b.channels_per_user == 5500);
	budget_derive(&b, 65536, 24ull << 30, 200, 0);
	CHECK(b.channels_max == 200 && b.channels_per_user == BUDGET_PER_USER_MIN);
	budget_derive(&b, 65536, 24ull << 30, 20, 0);   /* per user never above the table */
	CHECK(b.channels_per_user == 20);
}

static void test_tiny(void)
{
	struct jumpd_budget b;
	budget_derive(&b, 16, 1 << 20, 0, 0);
	CHECK(b.conns_max >= BUDGET_CONN_MIN && b.sessions_max >= 16 && b.channels_max >= 16);
	budget_derive(&b, 1 << 20, 0, 0, 0);     /* memory unknown: the fds decide */
	CHECK(b.sessions_max == b.channels_max && b.sessions_max > 100000);
	CHECK(b.rec_sessions_max == BUDGET_REC_MAX);    /* bounded whatever the machine */
}

int main(void)
{
	RUN(test_image_defaults);
	RUN(test_fds_bound);
	RUN(test_site_values);
	RUN(test_tiny);
	UT_END();
}
