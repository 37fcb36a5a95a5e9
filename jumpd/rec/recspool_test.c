/* unit tests for recspool.c: chunks on disk as the chain says, the line
 * chain continued across reopen, a torn tail cut, the size bound kept
 * whole (-2, nothing written; the control: a put that fits), and
 * recspool_last's recovery of a session among others. */
#include "recspool.h"
#include "../common/auditrec.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint8_t data[10000];

/* reads the spool back: checks the line chain and sequenceIds from 1,
 * concatenates session's chunks into out; returns the number of lines */
static int read_back(const char *path, const char *session, uint8_t *out, size_t *outlen)
{
	static char buf[1 << 20];
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	uint8_t prev[32] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	int lines = 0;
	*outlen = 0;
	for (char *p = buf; n > 0 && p < buf + n;) {
		char *e = memchr(p, '\n', (size_t)(buf + n - p));
		if (!e)
			return -1;
		struct auditrec_info info;
		char sess[17];
		uint8_t chain[32];
		uint64_t chunk;
		size_t rl;
		if (auditrec_parse(p, (size_t)(e - p), &info) || info.seq != (uint64_t)lines + 1 ||
		    memcmp(info.prev, prev, 32) != 0 ||
		    recchain_parse(p, (size_t)(e - p), sess, &chunk, chain, raw, sizeof raw, &rl))
			return -1;
		auditrec_hash(p, (size_t)(e - p), prev);
		if (!strcmp(sess, session)) {
			memcpy(out + *outlen, raw, rl);
			*outlen += rl;
		}
		lines++;
		p = e + 1;
	}
	return lines;
}

static void test_put_splits_chains_and_reopens(void)
{
	char path[256], err[256];
	static uint8_t back[sizeof data];
	size_t bl;
	struct recspool s;
	struct recchain rc, again;
	ut_path(path, sizeof path, "rec.spool");
	unlink(path);
	CHECK(recspool_open(&s, path, 1 << 20, "bastion", err, sizeof err) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	recchain_init(&rc, "0123456789abcdef");
	CHECK(recspool_put(&s, &rc, data, 5000) == 0 && rc.next_chunk == 3 && rc.bytes == 5000 && s.sp.seq == 3);
	CHECK(recspool_put(&s, &rc, data, 0) == 0 && s.sp.seq == 3);
	CHECK(recspool_sync(&s) == 0);
	recspool_close(&s);
	CHECK(recspool_open(&s, path, 1 << 20, "bastion", err, sizeof err) == 0 && s.sp.seq == 3 && s.torn_bytes == 0);
	CHECK(recspool_put(&s, &rc, data + 5000, 100) == 0 && rc.next_chunk == 4 && s.sp.seq == 4);
	recspool_close(&s);
	CHECK(read_back(path, "0123456789abcdef", back, &bl) == 4 && bl == 5100 && !memcmp(back, data, bl));
	CHECK(recspool_last(path, "0123456789abcdef", &again) == 0 && again.next_chunk == 4 && again.bytes == 5100 &&
	      !memcmp(again.chain, rc.chain, 32));
	unlink(path);
}

static void test_torn_tail_cut_and_chain_goes_on(void)
{
	char path[256], err[256];
	static uint8_t back[sizeof data];
	size_t bl;
	struct recspool s;
	struct recchain rc, last;
	ut_path(path, sizeof path, "torn.spool");
	unlink(path);
	CHECK(recspool_open(&s, path, 1 << 20, "bastion", err, sizeof err) == 0);
	recchain_init(&rc, "0123456789abcdef");
	CHECK(recspool_put(&s, &rc, data, 3000) == 0);
	recspool_close(&s);
	const char torn[] = "<85>1 2026-12-02T00:00:00.000Z bastion jumprec 1 REC_DATA [origin softw";
	int fd = open(path, O_WRONLY | O_APPEND);
	CHECK(write(fd, torn, sizeof torn - 1) == (ssize_t)sizeof torn - 1);
	close(fd);
	/* a crash: the torn line is not a chunk */
	CHECK(recspool_last(path, "0123456789abcdef", &last) == 0 && last.next_chunk == 2 &&
	      !memcmp(last.chain, rc.chain, 32));
	CHECK(recspool_open(&s, path, 1 << 20, "bastion", err, sizeof err) == 0 &&
	      s.torn_bytes == (long)sizeof torn - 1 && s.sp.seq == 2);
	CHECK(recspool_put(&s, &last, data + 3000, 10) == 0 && s.sp.seq == 3);
	recspool_close(&s);
	CHECK(read_back(path, "0123456789abcdef", back, &bl) == 3 && bl == 3010 && !memcmp(back, data, bl));
	unlink(path);
}

static void test_full_writes_nothing(void)
{
	char path[256], err[256];
	struct recspool s;
	struct recchain rc;
	ut_path(path, sizeof path, "full.spool");
	unlink(path);
	CHECK(recspool_open(&s, path, 12000, "bastion", err, sizeof err) == 0);
	recchain_init(&rc, "0123456789abcdef");
	CHECK(recspool_put(&s, &rc, data, 4800) == 0); /* the control: 2 lines fit */
	off_t size = s.sp.size;
	struct recchain before = rc;
	CHECK(recspool_put(&s, &rc, data, 7200) == -2); /* 3 more lines would not */
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == size && s.sp.size == size && s.sp.seq == 2);
	CHECK(before.next_chunk == rc.next_chunk && before.bytes == rc.bytes && !memcmp(before.chain, rc.chain, 32));
	CHECK(recspool_put(&s, &rc, data, 100) == 0 && s.sp.seq == 3); /* a small one still fits */
	recspool_close(&s);
	unlink(path);
}

static void test_last_among_sessions_and_damage(void)
{
	char path[256], err[256];
	struct recspool s;
	struct recchain a, b, got;
	ut_path(path, sizeof path, "multi.spool");
	unlink(path);
	CHECK(recspool_open(&s, path, 1 << 20, "bastion", err, sizeof err) == 0);
	recchain_init(&a, "aaaaaaaaaaaaaaaa");
	recchain_init(&b, "bbbbbbbbbbbbbbbb");
	CHECK(recspool_put(&s, &a, data, 100) == 0 && recspool_put(&s, &b, data, 2500) == 0 &&
	      recspool_put(&s, &a, data + 7, 50) == 0);
	recspool_close(&s);
	CHECK(recspool_last(path, "aaaaaaaaaaaaaaaa", &got) == 0 && got.next_chunk == 2 && got.bytes == 150 &&
	      !memcmp(got.chain, a.chain, 32));
	CHECK(recspool_last(path, "bbbbbbbbbbbbbbbb", &got) == 0 && got.next_chunk == 2 && !memcmp(got.chain, b.chain, 32));
	CHECK(recspool_last(path, "cccccccccccccccc", &got) == 0 && got.next_chunk == 0);
	/* a chunk of a altered on disk: recovery refuses to guess a chain */
	int fd = open(path, O_RDWR);
	static char buf[1 << 16];
	ssize_t n = read(fd, buf, sizeof buf);
	char *d = strstr(buf, "data=\"");
	CHECK(n > 0 && d);
	if (!d)
		return;
	d[6] = d[6] == 'B' ? 'C' : 'B';
	CHECK(pwrite(fd, buf, (size_t)n, 0) == n);
	close(fd);
	CHECK(recspool_last(path, "aaaaaaaaaaaaaaaa", &got) == -1);
	CHECK(recspool_last(path, "bbbbbbbbbbbbbbbb", &got) == 0 && got.next_chunk == 2);
	unlink(path);
}

int main(void)
{
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 8));
	RUN(test_put_splits_chains_and_reopens);
	RUN(test_torn_tail_cut_and_chain_goes_on);
	RUN(test_full_writes_nothing);
	RUN(test_last_among_sessions_and_damage);
	UT_END();
}
