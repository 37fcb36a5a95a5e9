/* unit tests for monotime.h */
#include "monotime.h"
#include "unittest.h"

#include <unistd.h>

static void test_moves_forward(void)
{
	int64_t prev = mono_us();
	for (int i = 0; i < 10000; i++) {
		int64_t now = mono_us();
		CHECK(now >= prev);
		prev = now;
	}
}

static void test_units_agree(void)
{
	int64_t us0 = mono_us(), ms = mono_ms(), us1 = mono_us();
	CHECK(us0 / 1000 <= ms && ms <= us1 / 1000);
}

static void test_measures_a_sleep(void)
{
	int64_t t0 = mono_ms();
	usleep(30 * 1000);
	int64_t took = mono_ms() - t0;
	CHECK(took >= 30 && took < 30000);
}

int main(void)
{
	RUN(test_moves_forward);
	RUN(test_units_agree);
	RUN(test_measures_a_sleep);
	UT_END();
}
