/* unit tests for reclaim.c: delivered, old records given back at the
 * spool's head (st_blocks shrinks), the shipper's cursor still matches,
 * the rest verifies from the stated checkpoint; nothing undelivered, young
 * or unmatched is ever reclaimed. Real modules throughout: the event
 * module writing a signed spool, the shipper's cursor file and reader, the
 * verifier. */
#include "event.h"
#include "reclaim.h"
#include "../common/auditsign.h"
#include "../common/spoolhead.h"
#include "../common/unittest.h"
#include "../ctl/auditverify.h"
#include "../ship/cursor.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static char spool_path[256], cursor_path[256], key_path[256];
static struct auditsign_key key;
static struct reclaim rc;

/* a fresh signed spool of n records */
static void make_spool(int n)
{
	char err[256], v[16];
	long torn;
	int created;
	unlink(spool_path);
	unlink(cursor_path);
	CHECK(event_open(spool_path, "bastion", "v1", 64 << 20, &torn, err, sizeof err) == 0);
	CHECK(auditsign_load_or_create(&key, key_path, &created, err, sizeof err) == 0);
	event_set_signer(&key);
	event_checkpoint("start");
	for (int i = 0; i < n; i++) {
		snprintf(v, sizeof v, "%d", i);
		CHECK(event_emit("AUTH", "user", "ops", "n", v, "result", "deny", EV_END) == 0);
	}
}

/* the cursor the shipper would store for sequenceId seq (hash: bad = 1
 * for one that does not match) */
static void store_cursor_at(uint64_t seq, int bad)
{
	static char line[8192];
	char err[256], want[64];
	struct cursor c = { .seq = seq };
	FILE *f = fopen(spool_path, "re");
	uint64_t off = 0;
	snprintf(want, sizeof want, "[meta sequenceId=\"%llu\"]", (unsigned long long)seq);
	while (f && fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		off += len;
		if (strstr(line, want)) {
			c.offset = off;
			auditrec_hash(line, len - 1, c.hash);
			break;
		}
	}
	if (f)
		fclose(f);
	c.hash[0] ^= (uint8_t)bad;
	CHECK(c.offset > 0 && cursor_store(cursor_path, &c, err, sizeof err) == 0);
}

static long long blocks(void)
{
	struct stat st;
	return stat(spool_path, &st) ? -1 : (long long)st.st_blocks;
}

static int spool_has(const char *needle)
{
	static char line[8192];
	int found = 0;
	FILE *f = fopen(spool_path, "re");
	while (f && !found && fgets(line, sizeof line, f))
		found = strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	return found;
}

static void test_delivered_old_records_reclaimed(void)
{
	make_spool(3000);
	store_cursor_at(2000, 0);
	long long b0 = blocks();
	CHECK(reclaim_init(&rc, spool_path, cursor_path, 0) == 0);
	/* the records are a few seconds old; retention 0 h */
	long long freed = reclaim_tick(&rc, 1000000, (int64_t)time(NULL) + 5);
	long long b1 = blocks();
	CHECK(freed > 100LL * 1024 && b1 < b0 && (b0 - b1) * 512 >= freed - 4096);
	CHECK(spool_has("AUDIT_RECLAIM") && rc.cut_seq > 1700 && rc.cut_seq <= 2000);
	/* the cursor's record is whole: the shipper resumes on it */
	struct cursor c;
	char err[256];
	CHECK(cursor_load(cursor_path, &c, err, sizeof err) == 1 && spoolread_matches(&rc.sr, &c) == 1);
	/* what is left verifies from the stated checkpoint, and not without it */
	FILE *f = fopen(spool_path, "re");
	off_t head = spoolhead_first_line(fileno(f));
	CHECK(head > 0 && (uint64_t)head <= rc.cut && fseeko(f, head, SEEK_SET) == 0);
	struct verify_opts o = { .key = &key, .from = rc.cut_seq };
	struct verify_report r;
	FILE *out = fopen("/dev/null", "we");
	CHECK(audit_verify(f, out, &o, &r) == 0 && !r.malformed && !r.breaks && !r.gaps && !r.cut && !r.forged);
	fseeko(f, head, SEEK_SET);
	o.from = 0;
	CHECK(audit_verify(f, out, &o, &r) == 1 && r.cut == 1);
	fclose(out);
	fclose(f);
	/* the next tick has nothing more to give (the cursor did not move) */
	rc.next_ms = 0;
	CHECK(reclaim_tick(&rc, 2000000, (int64_t)time(NULL) + 5) == 0);
	spoolread_close(&rc.sr);
}

/* young records (retention 1 h), a cursor that does not match, no cursor:
 * nothing given back */
static void test_nothing_undelivered_or_young(void)
{
	make_spool(2000);
	long long b0 = blocks();
	CHECK(reclaim_init(&rc, spool_path, cursor_path, 0) == 0);
	CHECK(reclaim_tick(&rc, 1000000, (int64_t)time(NULL) + 5) == 0); /* no cursor */
	spoolread_close(&rc.sr);
	store_cursor_at(1500, 1);
	CHECK(reclaim_init(&rc, spool_path, cursor_path, 0) == 0);
	CHECK(reclaim_tick(&rc, 1000000, (int64_t)time(NULL) + 5) == 0); /* not this spool's */
	spoolread_close(&rc.sr);
	store_cursor_at(1500, 0);
	CHECK(reclaim_init(&rc, spool_path, cursor_path, 1) == 0);
	CHECK(reclaim_tick(&rc, 1000000, (int64_t)time(NULL) + 5) == 0); /* younger than an hour */
	spoolread_close(&rc.sr);
	CHECK(blocks() == b0 && !spool_has("AUDIT_RECLAIM"));
}

static void test_record_time(void)
{
	const char *l = "<85>1 2026-12-02T17:30:00.123Z bastion jumpd 1 AUTH";
	CHECK(reclaim_record_time(l, strlen(l)) == 1796232600);
	CHECK(reclaim_record_time("<85>1 2026-1", 12) == -1 && reclaim_record_time("x", 1) == -1);
}

int main(void)
{
	ut_path(spool_path, sizeof spool_path, "audit.spool");
	ut_path(cursor_path, sizeof cursor_path, "cursor");
	ut_path(key_path, sizeof key_path, "sign.key");
	RUN(test_record_time);
	RUN(test_delivered_old_records_reclaimed);
	RUN(test_nothing_undelivered_or_young);
	unlink(spool_path);
	unlink(cursor_path);
	unlink(key_path);
	ut_remove_scratch_dir();
	UT_END();
}
