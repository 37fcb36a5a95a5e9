/* unit tests for recrecord.c against the real trail writer: the header
 * and the start marker are in the spool at once; small events wait for a
 * whole chunk or the flush time; the chunks concatenate to valid
 * asciicast lines; a UTF-8 character cut between two reads stays whole; a
 * full spool refuses the start (-2) with the control of one that fits;
 * a stopped recording takes everything; checkpoints at most once a second. */
#include "recrecord.h"
#include "../common/monotime.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const char *SID = "0123456789abcdef";

/* the session's .cast text as the spool holds it */
static size_t cast_text(const char *path, char *out, size_t cap)
{
	static char buf[1 << 20];
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	size_t o = 0;
	for (char *p = buf; n > 0 && p < buf + n;) {
		char *e = memchr(p, '\n', (size_t)(buf + n - p));
		char s[17];
		uint64_t chunk;
		uint8_t chain[32];
		size_t rl;
		if (!e)
			break;
		if (recchain_parse(p, (size_t)(e - p), s, &chunk, chain, raw, sizeof raw, &rl) == 0 && o + rl < cap) {
			memcpy(out + o, raw, rl);
			o += rl;
		}
		p = e + 1;
	}
	out[o] = 0;
	return o;
}

static void header_at_once_events_batched(void)
{
	static struct recspool sp;
	static struct recrecord r;
	static char text[1 << 16];
	char path[256], err[200];
	ut_path(path, sizeof path, "spool1");
	CHECK(recspool_open(&sp, path, 1 << 20, "box", err, sizeof err) == 0);
	int64_t t0 = mono_us();
	CHECK(recrecord_begin(&r, &sp, SID, 80, 24, "xterm", "uptime", 1700000000, t0) == 0);
	CHECK(r.rc.next_chunk == 1 && r.plen == 0);
	cast_text(path, text, sizeof text);
	CHECK(!strncmp(text, "{\"version\": 2, \"width\": 80, \"height\": 24", 40) && strstr(text, "\"m\", \"start\"]\n"));
	/* an echo: pending, not yet a record */
	CHECK(recrecord_event(&r, 'o', (const uint8_t *)"a", 1, t0 + 1000) == 0);
	CHECK(r.rc.next_chunk == 1 && r.plen > 0);
	CHECK(recrecord_tick(&r, mono_ms()) == 0 && r.rc.next_chunk == 1);
	CHECK(recrecord_tick(&r, mono_ms() + RECRECORD_FLUSH_MS) == 0 && r.rc.next_chunk == 2 && r.plen == 0);
	/* a burst: whole chunks go at once, the rest waits */
	uint8_t burst[RECRECORD_MAX_EVENT];
	memset(burst, 'y', sizeof burst);
	CHECK(recrecord_event(&r, 'o', burst, sizeof burst, t0 + 2000) == 0);
	CHECK(r.rc.next_chunk == 3 && r.plen == 17 + 4096 + 3 - RECRECORD_CHUNK); /* [0.002000, "o", "yy.."]\n */
	CHECK(recrecord_flush(&r, 0) == 0 && r.plen == 0);
	cast_text(path, text, sizeof text);
	CHECK(strstr(text, "[0.001000, \"o\", \"a\"]\n[0.002000, \"o\", \"yyyy"));
	recspool_close(&sp);
	unlink(path);
}

static void utf8_cut_between_reads(void)
{
	static struct recspool sp;
	static struct recrecord r;
	static char text[1 << 16];
	char path[256], err[200];
	ut_path(path, sizeof path, "spool2");
	CHECK(recspool_open(&sp, path, 1 << 20, "box", err, sizeof err) == 0);
	CHECK(recrecord_begin(&r, &sp, SID, 80, 24, "xterm", NULL, 1700000000, 0) == 0);
	CHECK(recrecord_event(&r, 'o', (const uint8_t *)"caf\xc3", 4, 10) == 0);
	CHECK(recrecord_event(&r, 'o', (const uint8_t *)"\xa9!", 2, 20) == 0);
	CHECK(recrecord_event(&r, 'r', (const uint8_t *)"100x30", 6, 30) == 0);
	CHECK(recrecord_flush(&r, 0) == 0);
	cast_text(path, text, sizeof text);
	CHECK(strstr(text, "\"o\", \"caf\"]\n") && strstr(text, "\"o\", \"\xc3\xa9!\"]\n") && strstr(text, "\"r\", \"100x30\"]\n"));
	recspool_close(&sp);
	unlink(path);
}

static void full_spool_refuses(void)
{
	static struct recspool sp;
	static struct recrecord r;
	char path[256], err[200];
	ut_path(path, sizeof path, "spool3");
	CHECK(recspool_open(&sp, path, 200, "box", err, sizeof err) == 0);
	CHECK(recrecord_begin(&r, &sp, SID, 80, 24, "xterm", NULL, 1700000000, 0) == -2);
	recspool_close(&sp);
	unlink(path);
	/* the control: the same with room */
	CHECK(recspool_open(&sp, path, 100000, "box", err, sizeof err) == 0);
	CHECK(recrecord_begin(&r, &sp, SID, 80, 24, "xterm", NULL, 1700000000, 0) == 0);
	uint8_t burst[RECRECORD_MAX_EVENT];
	memset(burst, 'z', sizeof burst);
	int rc = 0;
	for (int i = 0; i < 100 && rc == 0; i++)
		rc = recrecord_event(&r, 'o', burst, sizeof burst, i);
	CHECK(rc == -2);
	/* stopped: takes everything, writes nothing */
	r.stopped = 1;
	uint64_t chunks = r.rc.next_chunk;
	CHECK(recrecord_event(&r, 'o', burst, sizeof burst, 1) == 0 && recrecord_flush(&r, 0) == 0 && r.rc.next_chunk == chunks);
	recspool_close(&sp);
	unlink(path);
}

static void marks_at_most_once_a_second(void)
{
	static struct recspool sp;
	static struct recrecord r;
	char path[256], err[200];
	ut_path(path, sizeof path, "spool4");
	CHECK(recspool_open(&sp, path, 1 << 20, "box", err, sizeof err) == 0);
	int64_t now = mono_ms();
	CHECK(recrecord_begin(&r, &sp, SID, 80, 24, "xterm", NULL, 1700000000, now * 1000) == 0);
	CHECK(!recrecord_mark_due(&r, now + 10));                 /* chunks, but too soon */
	CHECK(recrecord_mark_due(&r, now + RECRECORD_MARK_MS));   /* a second later */
	recrecord_marked(&r, now + RECRECORD_MARK_MS);
	CHECK(!recrecord_mark_due(&r, now + (int64_t)5 * RECRECORD_MARK_MS)); /* nothing new */
	recspool_close(&sp);
	unlink(path);
}

int main(void)
{
	RUN(header_at_once_events_batched);
	RUN(utf8_cut_between_reads);
	RUN(full_spool_refuses);
	RUN(marks_at_most_once_a_second);
	UT_END();
}
