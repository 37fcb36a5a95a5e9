/* Unit tests for recsessions.c: add, find by id, pinhole sharing, the
 * COMMAND/FILE bucket and its summary window, a full table. */
#include "recsessions.h"
#include "../common/unittest.h"

#include <string.h>

static struct recsessions t;
static const uint8_t rnd1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, rnd2[8] = { 9 }, rnd3[8] = { 10 };

static void test_add_find_share_remove(void)
{
	struct rec_session *a = recs_add(&t, 0, 2, "deploy", "shell", 22, 100, rnd1),
			   *b = recs_add(&t, 1, 2, "root", "exec", 22, 101, rnd2),
			   *c = recs_add(&t, 1, 3, "root", "sftp", 22, 102, rnd3);
	CHECK(a && b && c && t.n == 3);
	if (!a || !b || !c)
		return;
	CHECK(!strcmp(a->id, "0102030405060708") && !strcmp(a->account, "deploy") && !strcmp(b->mode, "exec"));
	CHECK(recs_find(&t, "0102030405060708") == a && recs_find(&t, "0000000000000000") == NULL);
	/* a and b share the pinhole to target 2 port 22; c has its own */
	CHECK(recs_sharing(&t, a, 2, 22) == 1 && recs_sharing(&t, c, 3, 22) == 0 && recs_sharing(&t, NULL, 2, 22) == 2);
	CHECK(recs_first_of_pinhole(&t, a) && !recs_first_of_pinhole(&t, b) && recs_first_of_pinhole(&t, c));
	recs_remove(&t, a);
	recs_remove(&t, a); /* twice: no effect */
	CHECK(t.n == 2 && recs_find(&t, "0102030405060708") == NULL && recs_first_of_pinhole(&t, b));
	CHECK(recs_add(&t, 0, 0, "x", "shell", 22, 0, rnd1) != NULL && t.n == 3);
	CHECK(recs_add(&t, 0, 0, "y", "shell", 22, 0, rnd2) == NULL); /* full (3) */
}

static void test_bucket_and_summary(void)
{
	struct rec_session *s = &t.s[1];
	int64_t now = 1000000;
	s->tokens_milli = (int64_t)RECS_BURST * 1000, s->refilled_ms = now, s->limited = 0;
	int passed = 0;
	for (int i = 0; i < RECS_BURST + 7; i++)
		passed += recs_take(s, now);
	CHECK(passed == RECS_BURST && s->limited == 7);
	CHECK(recs_summary_due(s, now + (int64_t)RECS_WINDOW_MS - 1, 0) == 0);   /* the window is not over */
	CHECK(recs_summary_due(s, now + (int64_t)RECS_WINDOW_MS, 0) == 7 && s->limited == 0);
	CHECK(recs_summary_due(s, now + (int64_t)2 * RECS_WINDOW_MS, 0) == 0);   /* nothing new: no record */
	/* a second refills RECS_PER_SEC tokens, never beyond the burst */
	now += (int64_t)3 * RECS_WINDOW_MS;
	passed = 0;
	for (int i = 0; i < RECS_BURST + 5; i++)
		passed += recs_take(s, now);
	CHECK(passed == RECS_BURST && s->limited == 5);
	passed = 0;
	for (int i = 0; i < 10; i++)
		passed += recs_take(s, now + 1000);
	CHECK(passed == RECS_PER_SEC);
	CHECK(recs_summary_due(s, now + 1000, 1) == 10); /* forced (rec_end) */
}

int main(void)
{
	CHECK(recs_init(&t, 3) == 0);
	RUN(test_add_find_share_remove);
	RUN(test_bucket_and_summary);
	UT_END();
}
