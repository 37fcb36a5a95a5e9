/* unit tests for the audit trail: auditrec.c (record format, parser),
 * spool.c (durable append, chain across reopen, torn-tail recovery) and
 * ../ctl/auditverify.c (gaps, breaks, reordering, duplicates). */
#include "spool.h"
#include "../common/auditrec.h"
#include "../ctl/auditverify.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];
static struct spool sp;
static long torn;
static char err[256];

static int add(const char *user)
{
	const char *kv[] = { "user", user, "result", "allow", NULL };
	return spool_append(&sp, "2026-11-24T10:00:00.000Z", "AUTH", kv);
}

static int reopen(void)
{
	if (sp.fd >= 0)
		close(sp.fd);
	return spool_open(&sp, path, "bastion", "0.1.0+gtest", SPOOL_DEFAULT_MAX, &torn, err, sizeof err);
}

static int verify_file(struct verify_report *r)
{
	FILE *f = fopen(path, "r"), *null = fopen("/dev/null", "w");
	int rc = audit_verify(f, null, NULL, r);
	fclose(f);
	fclose(null);
	return rc;
}

/* each test's own spool: a new directory with n records (the one before is removed) */
static void fresh(int n)
{
	if (sp.fd >= 0)
		close(sp.fd);
	sp.fd = -1;
	if (dir[0]) {
		unlink(path);
		rmdir(dir);
	}
	snprintf(dir, sizeof dir, "/tmp/spooltest.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/audit.spool", dir);
	CHECK(reopen() == 0 && sp.seq == 0);
	for (int i = 0; i < n; i++)
		CHECK(add("ops") == 0);
}

static void append_raw(const char *bytes, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, bytes, n) == (ssize_t)n);
	close(fd);
}

/* rewrite the file through fn(lines, n) */
static char lines[64][AUDITREC_MAX + 2];
static int read_lines(void)
{
	FILE *f = fopen(path, "r");
	int n = 0;
	while (n < 64 && fgets(lines[n], sizeof lines[0], f))
		n++;
	fclose(f);
	return n;
}
static void write_lines(int n)
{
	FILE *f = fopen(path, "w");
	for (int i = 0; i < n; i++)
		fputs(lines[i], f);
	fclose(f);
}

static void test_format_and_parse(void)
{
	static const uint8_t zero[32];
	char out[AUDITREC_MAX + 1];
	const char *kv[] = { "user", "a\"b]c\\d\x01", NULL };
	struct auditrec_info in;
	int n = auditrec_format(out, sizeof out, "2026-11-24T10:00:00.000Z", "bastion", "v1", 7, "AUTH", 1, zero, kv);
	CHECK(n > 0 && !strcmp(out, "<85>1 2026-11-24T10:00:00.000Z bastion jumpd 7 AUTH [origin software=\"jumpbox\" "
			  "swVersion=\"v1\"][meta sequenceId=\"1\"][jumpbox@32473 prev=\""
			  "0000000000000000000000000000000000000000000000000000000000000000\" user=\"a\\\"b\\]c\\\\d\\x01\"]"));
	CHECK(auditrec_parse(out, (size_t)n, &in) == 0 && in.seq == 1 && !strcmp(in.msgid, "AUTH"));
	static const char *const bad[] = {
		"<85>1 T h jumpd 7 AUTH [origin software=\"x\"][jumpbox@32473 prev=\"00\"]",
		"<85>1 T h jumpd 7 AUTH [origin a=\"x\"][meta sequenceId=\"0\"][jumpbox@32473 prev=\"0000000000000000000000000000000000000000000000000000000000000000\"]",
		"<85>1 T h jumpd 7 AUTH [origin a=\"x\"][meta sequenceId=\"1\"][jumpbox@32473 prev=\"000000000000000000000000000000000000000000000000000000000000000g\"]",
		"<85>1 T h jumpd 7 AUTH [origin a=\"x\"][meta sequenceId=\"1\"][jumpbox@32473 prev=\"0000000000000000000000000000000000000000000000000000000000000000\" u=\"a]b\"]",
		"<85>2 T h jumpd 7 AUTH [origin a=\"x\"][meta sequenceId=\"1\"][jumpbox@32473 prev=\"0000000000000000000000000000000000000000000000000000000000000000\"]",
		"<85>1 T h jumpd 7 AUTH [meta sequenceId=\"1\"][origin a=\"x\"][jumpbox@32473 prev=\"0000000000000000000000000000000000000000000000000000000000000000\"]",
		"<85>1 T h jumpd 7 AUTH",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (auditrec_parse(bad[i], strlen(bad[i]), &in) == 0) {
			printf("  accepted bad %zu\n", i);
			CHECK(0);
		}
}

static void test_append_reopen_chain(void)
{
	struct verify_report r;
	fresh(0);
	CHECK(torn == 0);
	for (int i = 0; i < 5; i++)
		CHECK(add("ops") == 0);
	CHECK(reopen() == 0 && sp.seq == 5 && torn == 0);
	CHECK(add("ops") == 0 && sp.seq == 6);
	CHECK(verify_file(&r) == 0 && r.records == 6 && r.first_seq == 1 && r.last_seq == 6);
}

static void test_mode_0640(void)
{
	struct stat st;
	mode_t old = umask(077); /* jumpd's */
	fresh(1);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == SPOOL_MODE);
	CHECK(chmod(path, 0600) == 0 && reopen() == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	umask(old);
}

/* records written in a batch chain like single ones and survive a reopen
 * once synced */
static void test_group_commit(void)
{
	struct verify_report r;
	const char *kv[] = { "n", "x", NULL };
	fresh(6);
	uint64_t seq0 = sp.seq;
	for (int i = 0; i < 50; i++)
		CHECK(spool_append_nosync(&sp, "2026-11-24T10:00:00.000Z", "BENCH", kv) == 0);
	CHECK(sp.seq == seq0 + 50);
	CHECK(spool_sync(&sp) == 0);
	CHECK(reopen() == 0 && sp.seq == seq0 + 50 && torn == 0);
	CHECK(add("after-batch") == 0);
	CHECK(verify_file(&r) == 0 && r.records == seq0 + 51);
	/* a full spool refuses inside a batch too, and keeps what it has */
	off_t max = sp.size + 300;
	sp.max_size = max;
	int rc = 0, n = 0;
	while ((rc = spool_append_nosync(&sp, "2026-11-24T10:00:00.000Z", "BENCH", kv)) == 0)
		n++;
	CHECK(rc == -2 && n >= 1 && sp.size <= max && spool_sync(&sp) == 0);
	CHECK(reopen() == 0 && verify_file(&r) == 0 && r.records == seq0 + 51 + (uint64_t)n);
}

static void test_torn_tails(void)
{
	struct verify_report r;
	static const char partial[] = "<85>1 2026-11-24T10:00:00.000Z bastion jumpd 7 AUTH [origin softw";
	fresh(6);
	append_raw(partial, sizeof partial - 1);
	CHECK(reopen() == 0 && sp.seq == 6 && torn == (long)(sizeof partial - 1));
	static const char zeros[300];
	append_raw(zeros, sizeof zeros);
	CHECK(reopen() == 0 && sp.seq == 6 && torn == 300);
	append_raw("garbage line\n", 13);
	CHECK(reopen() == 0 && sp.seq == 6 && torn == 13);
	CHECK(add("after-crash") == 0 && sp.seq == 7);
	/* two invalid lines at the end are not a torn write: refused, file untouched */
	struct stat st0, st1;
	stat(path, &st0);
	append_raw("bad one\nbad two\n", 16);
	CHECK(reopen() == -1 && sp.fd == -1 && strstr(err, "damaged") != NULL);
	stat(path, &st1);
	CHECK(st1.st_size == st0.st_size + 16);
	CHECK(truncate(path, st0.st_size) == 0 && reopen() == 0 && sp.seq == 7 && torn == 0);
	CHECK(verify_file(&r) == 0 && r.records == 7);
}

static void test_verifier_finds_tampering(void)
{
	struct verify_report r;
	fresh(7);
	int n = read_lines();
	CHECK(n == 7);
	/* a duplicate (an at-least-once resend) is fine */
	memcpy(lines[7], lines[3], sizeof lines[0]);
	write_lines(8);
	CHECK(verify_file(&r) == 0 && r.duplicates == 1);
	/* altered */
	read_lines();
	char *u = strstr(lines[2], "user=\"ops\"");
	CHECK(u != NULL);
	if (u)
		u[6] = 'p';
	write_lines(7);
	CHECK(verify_file(&r) == 1 && r.breaks == 1 && r.gaps == 0);
	/* removed */
	read_lines();
	u = strstr(lines[2], "user=\"pps\"");
	if (u)
		u[6] = 'o';
	write_lines(7);
	CHECK(verify_file(&r) == 0);
	memmove(lines[3], lines[4], sizeof lines[0] * 3);
	write_lines(6);
	CHECK(verify_file(&r) == 1 && r.gaps == 1);
	/* reordered */
	read_lines();
	char tmp[sizeof lines[0]];
	memcpy(tmp, lines[1], sizeof tmp);
	memcpy(lines[1], lines[2], sizeof tmp);
	memcpy(lines[2], tmp, sizeof tmp);
	write_lines(6);
	CHECK(verify_file(&r) == 1 && r.disorder == 1);
	/* a line that is not a record */
	append_raw("hello\n", 6);
	CHECK(verify_file(&r) == 1 && r.malformed == 1);
}

/* issue #18: a spool of two lines, both invalid, is damage, not a torn
 * write (only the last line can be torn); it was cut to nothing */
static void test_small_damaged_spool_refused(void)
{
	struct stat st;
	fresh(0);
	close(sp.fd);
	sp.fd = -1;
	append_raw("bad one\nbad two\n", 16);
	CHECK(reopen() == -1 && sp.fd == -1 && strstr(err, "damaged") != NULL);
	CHECK(stat(path, &st) == 0 && st.st_size == 16);
	/* controls in the same run: one record and a torn last line is cut to
	 * the record; a lone invalid line is a torn first record, cut */
	fresh(1);
	off_t one = sp.size;
	append_raw("bad two\n", 8);
	CHECK(reopen() == 0 && sp.seq == 1 && torn == 8 && stat(path, &st) == 0 && st.st_size == one);
	CHECK(truncate(path, 0) == 0);
	append_raw("bad one\n", 8);
	CHECK(reopen() == 0 && sp.seq == 0 && torn == 8);
	fresh(0);
	close(sp.fd);
	sp.fd = -1;
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	RUN(test_format_and_parse);
	RUN(test_append_reopen_chain);
	RUN(test_mode_0640);
	RUN(test_group_commit);
	RUN(test_torn_tails);
	RUN(test_verifier_finds_tampering);
	RUN(test_small_damaged_spool_refused);
	UT_END();
}
