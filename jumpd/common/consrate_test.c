/* unit tests for consrate.c: the first lines of a window shown, the rest
 * counted into one summary when the window is over */
#include "consrate.h"
#include "unittest.h"

static void test_window_bound(void)
{
	struct consrate r = { 0 };
	int64_t t = 1000;
	unsigned shown = 0;
	for (int i = 0; i < 10000; i++)
		shown += (unsigned)consrate_take(&r, t + i / 10); /* 10,000 events in one second */
	CHECK(shown == CONSRATE_SHOWN);
	CHECK(consrate_due(&r, t + 2000) == 0);                          /* the window is still open */
	CHECK(consrate_due(&r, t + CONSRATE_WINDOW_MS) == 10000 - CONSRATE_SHOWN);
	CHECK(consrate_due(&r, t + 3 * CONSRATE_WINDOW_MS) == 0);        /* said once */
	/* the next window starts with its first event, shown again */
	CHECK(consrate_take(&r, t + 4 * CONSRATE_WINDOW_MS) == 1);
	CHECK(consrate_due(&r, t + 5 * CONSRATE_WINDOW_MS) == 0);        /* nothing held back: no summary */
}

/* an event that comes after its window ran out (no consrate_due call in
 * between) is counted into that window's summary, not shown */
static void test_late_event_counted(void)
{
	struct consrate r = { 0 };
	CHECK(consrate_take(&r, 5) == 1);
	CHECK(consrate_take(&r, 5 + CONSRATE_WINDOW_MS) == 0);
	CHECK(consrate_due(&r, 5 + CONSRATE_WINDOW_MS) == 1);
	CHECK(consrate_take(&r, 0) == 1); /* a clock at 0 still opens a window */
}

int main(void)
{
	RUN(test_window_bound);
	RUN(test_late_event_counted);
	UT_END();
}
