/* Unit tests for sessions.c: add, find by process, per-user counts, full. */
#include "sessions.h"
#include "../common/unittest.h"

static struct sessions t;

static void test_add_find_remove(void)
{
	struct session *a = sessions_add(&t, 0, 100, 5), *b = sessions_add(&t, 0, 101, 6),
		       *c = sessions_add(&t, 3, 102, 7);
	CHECK(a && b && c && a != b);
	if (!a || !b || !c)
		return;
	CHECK(a->pidfd == -1 && a->opened_ms == 5);
	CHECK(sessions_find(&t, 101) == b && sessions_find(&t, 999) == NULL);
	CHECK(sessions_of_user(&t, 0) == 2 && sessions_of_user(&t, 3) == 1 && sessions_of_user(&t, 1) == 0);
	CHECK(sessions_of_user(&t, 100000) == 0);
	sessions_remove(&t, b);
	sessions_remove(&t, b); /* twice: no effect */
	CHECK(sessions_find(&t, 101) == NULL && sessions_of_user(&t, 0) == 1 && t.n == 2);
	sessions_remove(&t, a);
	sessions_remove(&t, c);
	CHECK(t.n == 0 && sessions_of_user(&t, 3) == 0);
	CHECK(sessions_add(&t, SITECONF_MAX_USERS, 1, 0) == NULL); /* no such user */
}

static void test_full(void)
{
	for (unsigned i = 0; i < t.cap; i++)
		CHECK(sessions_add(&t, 1, (pid_t)(1000 + i), 0) != NULL);
	CHECK(sessions_add(&t, 1, 1, 0) == NULL && sessions_of_user(&t, 1) == t.cap);
	sessions_remove(&t, sessions_find(&t, 1500));
	CHECK(sessions_add(&t, 2, 77, 0) != NULL && sessions_find(&t, 77));
}

int main(void)
{
	if (sessions_init(&t, 5000))
		return 1;
	RUN(test_add_find_remove);
	RUN(test_full);
	UT_END();
}
