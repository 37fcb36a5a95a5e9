/* unit tests for delivery.c (at-least-once accounting) and cursor.c */
#include "cursor.h"
#include "delivery.h"
#include "../common/unittest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct delivery d;

static struct dpos rec(uint64_t seq)
{
	/* record seq occupies spool bytes [100 (seq-1), 100 seq) */
	struct dpos p = { .seq = seq, .off = 100 * seq, .line_start = 100 * (seq - 1) };
	return p;
}

static void test_acked_and_delivered(void)
{
	struct dpos zero = { 0 };
	delivery_start(&d, zero, 1000);
	for (uint64_t s = 1; s <= 10; s++)
		delivery_sent(&d, 500 * s, rec(s)); /* record s ends at ciphertext 500 s */
	delivery_acked(&d, 1499);
	CHECK(d.acked.seq == 2 && d.delivered.seq == 0);
	delivery_acked(&d, 2500);                   /* 5 acknowledged; 3 has 1000 bytes after it */
	CHECK(d.acked.seq == 5 && d.delivered.seq == 3 && d.delivered.off == 300);
	delivery_acked(&d, 2000);                   /* never backwards */
	CHECK(d.acked.seq == 5 && d.delivered.seq == 3);
	delivery_acked(&d, 6000);
	CHECK(d.acked.seq == 10 && d.delivered.seq == 10 && d.count == 0);
	/* a new connection starts from what was delivered */
	delivery_start(&d, d.delivered, 0);
	delivery_sent(&d, 800, rec(11));
	delivery_acked(&d, 799);
	CHECK(d.delivered.seq == 10);
	delivery_acked(&d, 800);
	CHECK(d.delivered.seq == 11 && d.acked.seq == 11);
}

/* far more marks than the ring holds: memory stays fixed, the resend
 * point only moves back (more duplicates), never past an unacknowledged
 * record */
static void test_ring_thins_never_skips(void)
{
	struct dpos zero = { 0 };
	uint64_t n = (uint64_t)5 * DELIVERY_MARKS, margin = 10000;
	delivery_start(&d, zero, margin);
	int ok = 1;
	for (uint64_t s = 1; s <= n; s++) {
		delivery_sent(&d, 100 * s, rec(s));
		if (d.count > DELIVERY_MARKS)
			ok = 0;
		if (s % 97 == 0 && s > 200) {
			uint64_t acked = 100 * (s - 200);
			delivery_acked(&d, acked);
			/* delivered: its ciphertext end + margin acknowledged */
			if (d.delivered.seq && 100 * d.delivered.seq + margin > acked)
				ok = 0;
			if (d.acked.seq > s - 200)
				ok = 0;
		}
	}
	CHECK(ok);
	delivery_acked(&d, 100 * n + margin);
	CHECK(d.delivered.seq == n && d.count == 0);
}

static void test_cursor_file(void)
{
	char dir[] = "/tmp/cursortest.XXXXXX", path[64], err[256];
	struct cursor c = { .seq = 42, .offset = 12345 }, back;
	for (int i = 0; i < 32; i++)
		c.hash[i] = (uint8_t)(i * 7);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/cursor", dir);
	CHECK(cursor_load(path, &back, err, sizeof err) == 0 && back.seq == 0);
	CHECK(cursor_store(path, &c, err, sizeof err) == 0);
	CHECK(cursor_load(path, &back, err, sizeof err) == 1 && back.seq == 42 && back.offset == 12345);
	CHECK(memcmp(back.hash, c.hash, 32) == 0);
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%s.new", path);
	CHECK(access(tmp, F_OK) != 0); /* renamed into place */
	static const char *const bad[] = {
		"jumpship-cursor 1 seq=1 offset=0 hash=0000000000000000000000000000000000000000000000000000000000000000\n",
		"jumpship-cursor 1 seq=01 offset=5 hash=0000000000000000000000000000000000000000000000000000000000000000\n",
		"jumpship-cursor 1 seq=1 offset=5 hash=000000000000000000000000000000000000000000000000000000000000000\n",
		"jumpship-cursor 2 seq=1 offset=5 hash=0000000000000000000000000000000000000000000000000000000000000000\n",
		"jumpship-cursor 1 seq=1 offset=5 hash=0000000000000000000000000000000000000000000000000000000000000000",
		"jumpship-cursor 1 seq=99999999999999999999 offset=5 hash=0000000000000000000000000000000000000000000000000000000000000000\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(cursor_parse(bad[i], strlen(bad[i]), &back) == -1);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("garbage\n", f);
		fclose(f);
	}
	CHECK(cursor_load(path, &back, err, sizeof err) == -1 && back.seq == 0 && strstr(err, "malformed"));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	RUN(test_acked_and_delivered);
	RUN(test_ring_thins_never_skips);
	RUN(test_cursor_file);
	UT_END();
}
