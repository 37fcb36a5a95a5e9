/* Unit tests for channels.c: ids, lookup, pinhole sharing, table full. */
#include "channels.h"
#include "../common/unittest.h"

#include <string.h>

static struct channels t;

static void test_add_find_remove(void)
{
	uint8_t a[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 89, 2, 10 };
	uint8_t r1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r2[8] = { 0xff, 0, 0, 0, 0, 0, 0, 9 };
	struct channel *c1 = channels_add(&t, 2001, 1, 0, a, 22, 100, 5, r1);
	struct channel *c2 = channels_add(&t, 2001, 1, 0, a, 22, 101, 6, r2);
	if (!c1 || !c2) {
		CHECK(!"table refused a channel");
		return;
	}
	CHECK(c1 != c2 && !strcmp(c1->id, "0102030405060708"));
	CHECK(channels_find(&t, "ff00000000000009") == c2);
	CHECK(channels_find(&t, "ff0000000000000") == NULL);   /* short */
	CHECK(channels_find(&t, "0000000000000000") == NULL);
	CHECK(channels_sharing(&t, c1) == 1);
	CHECK(channels_first_of_pinhole(&t, c1) && !channels_first_of_pinhole(&t, c2));
	channels_remove(&t, c1);
	CHECK(channels_find(&t, "0102030405060708") == NULL);
	CHECK(channels_sharing(&t, c2) == 0 && channels_first_of_pinhole(&t, c2));
	channels_remove(&t, c2);
}

static void test_pinhole_key(void)
{
	uint8_t a[16] = { 0xfd, 0 }, b[16] = { 0xfd, 1 }, r[8] = { 0 };
	struct channel *x = channels_add(&t, 2001, 1, 0, a, 22, 1, 0, r);
	struct channel *y = channels_add(&t, 2002, 2, 0, a, 22, 2, 0, r); /* other user */
	struct channel *z = channels_add(&t, 2001, 1, 0, a, 23, 3, 0, r); /* other port */
	struct channel *w = channels_add(&t, 2001, 1, 0, b, 22, 4, 0, r); /* other address */
	if (!x || !y || !z || !w) {
		CHECK(!"table refused a channel");
		return;
	}
	CHECK(channels_sharing(&t, x) == 0 && channels_sharing(&t, y) == 0);
	CHECK(channels_of_uid(&t, 2001) == 3 && channels_of_uid(&t, 2002) == 1 && channels_of_uid(&t, 2003) == 0);
	CHECK(x->pidfd == -1);
	CHECK(channels_first_of_pinhole(&t, y) && channels_first_of_pinhole(&t, w));
	channels_remove(&t, x); channels_remove(&t, y); channels_remove(&t, z); channels_remove(&t, w);
}

static void test_full(void)
{
	uint8_t a[16] = { 0 }, r[8] = { 0 };
	for (unsigned i = 0; i < t.cap; i++)
		CHECK(channels_add(&t, 2001, 0, 0, a, 22, (pid_t)i, 0, r) != NULL);
	CHECK(t.n == t.cap && channels_add(&t, 2001, 0, 0, a, 22, 0, 0, r) == NULL);
	for (unsigned i = 0; i < t.cap; i++)
		channels_remove(&t, &t.c[i]);
	CHECK(t.n == 0);
	CHECK(channels_add(&t, 2001, 0, 0, a, 22, 0, 0, r) != NULL);
}

int main(void)
{
	if (channels_init(&t, 5000))
		return 1;
	RUN(test_add_find_remove);
	RUN(test_pinhole_key);
	RUN(test_full);
	UT_END();
}
