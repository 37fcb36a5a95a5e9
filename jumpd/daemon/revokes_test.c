/* Unit tests for revokes.c: bounded, one entry per pinhole, due order,
 * backoff, giving up. */
#include "revokes.h"
#include "../common/unittest.h"

static struct revokes t;

static void test_add_join_bound(void)
{
	struct revoke *a = revokes_add(&t, 2000, 1, 22, "ivan", "audit-unavailable", 100);
	CHECK(a && a->attempts == 1 && a->next_ms == 100 + REVOKES_FIRST_GAP_MS && t.n == 1);
	if (!a)
		return;
	/* the same pinhole again: the same entry, unchanged */
	CHECK(revokes_add(&t, 2000, 1, 22, "ivan", "reply-lost", 500) == a && a->first_ms == 100 && t.n == 1);
	for (unsigned i = 1; i < REVOKES_MAX; i++)
		CHECK(revokes_add(&t, 3000 + i, 1, 22, "u", "x", 200) != NULL);
	CHECK(t.n == REVOKES_MAX && revokes_add(&t, 9999, 1, 22, "u", "x", 200) == NULL);
	for (unsigned i = 0; i < REVOKES_MAX; i++)
		revokes_remove(&t, &t.r[i]);
	CHECK(t.n == 0 && revokes_due(&t, 1000000) == NULL);
}

static void test_due_backoff_give_up(void)
{
	struct revoke *a = revokes_add(&t, 2000, 0, 22, "ivan", "r", 0), *b = revokes_add(&t, 2001, 0, 22, "kim", "r", 10);
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(revokes_due(&t, 999) == NULL && revokes_due(&t, 1000) == a && revokes_due(&t, 5000) == a);
	CHECK(revokes_failed(a, 1000) == 0 && a->next_ms == 2000 && revokes_due(&t, 1500) == b);
	CHECK(revokes_failed(a, 2000) == 0 && a->next_ms == 4000);
	CHECK(revokes_failed(a, 4000) == 0 && a->next_ms == 8000);
	for (int i = 0; i < 20; i++)
		revokes_failed(a, 10000);
	CHECK(a->next_ms == 10000 + REVOKES_MAX_GAP_MS && a->attempts == 24);
	CHECK(revokes_failed(a, REVOKES_GIVE_UP_MS) == 1);
	revokes_remove(&t, a);
	revokes_remove(&t, b);
}

int main(void)
{
	RUN(test_add_join_bound);
	RUN(test_due_backoff_give_up);
	UT_END();
}
