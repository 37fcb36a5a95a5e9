/* unit tests for recstart.c: a live mark made, touched and removed; bad
 * session names refused; recovery sends rec_end reason=recovered with the
 * chain of the session's last chunk in the spool and removes the mark,
 * and keeps it when jumpd does not take it (the control: the same mark
 * recovered once jumpd answers). */
#include "recstart.h"
#include "recspool.h"
#include "rectest.h"
#include "../common/hex.h"
#include "../common/unittest.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *SID = "0123456789abcdef";

static void marks(void)
{
	char dir[256], path[320], buf[100] = "";
	ut_path(dir, sizeof dir, "live");
	mkdir(dir, 0700);
	int fd = recstart_mark(dir, SID, 1700000000123, 2001, "db1");
	CHECK(fd >= 0);
	snprintf(path, sizeof path, "%s/%s", dir, SID);
	FILE *f = fopen(path, "r");
	CHECK(f && fgets(buf, sizeof buf, f) && !strcmp(buf, "1700000000123 2001 db1\n"));
	if (f)
		fclose(f);
	recstart_touch(fd);
	recstart_unmark(dir, SID, fd);
	CHECK(access(path, F_OK) != 0);
	CHECK(recstart_mark(dir, "../../etc/passwd", 0, 0, "x") == -1);
	CHECK(recstart_mark(dir, "0123456789ABCDEF", 0, 0, "x") == -1);
	rmdir(dir);
}

static void recovery(void)
{
	static struct recspool sp;
	struct recchain rc;
	char dir[256], spool[256], sock[256], logp[256], err[200], path[320], line[600] = "", chain[65];
	ut_path(dir, sizeof dir, "live2");
	ut_path(spool, sizeof spool, "spool");
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "log");
	mkdir(dir, 0700);
	CHECK(recspool_open(&sp, spool, 1 << 20, "box", err, sizeof err) == 0);
	recchain_init(&rc, SID);
	CHECK(recspool_put(&sp, &rc, (const uint8_t *)"{\"version\": 2}\n", 15) == 0);
	CHECK(recspool_put(&sp, &rc, (const uint8_t *)"[0.1, \"o\", \"x\"]\n", 16) == 0);
	recspool_close(&sp);
	hex_encode(rc.chain, 32, chain);
	chain[64] = 0;
	int fd = recstart_mark(dir, SID, 1700000000000, 2001, "db1");
	close(fd);
	snprintf(path, sizeof path, "%s/%s", dir, SID);
	unsigned failed = 0;
	/* jumpd cannot take it: kept */
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, "error reason=audit-unavailable\n");
	CHECK(recstart_recover(dir, spool, sock, &failed) == 0 && failed == 1 && access(path, F_OK) == 0);
	rectest_stop(p);
	unlink(logp);
	unlink(sock);
	p = rectest_jumpd(sock, logp, "ok\n");
	CHECK(recstart_recover(dir, spool, sock, &failed) == 1 && failed == 0 && access(path, F_OK) != 0);
	rectest_stop(p);
	FILE *f = fopen(logp, "r");
	CHECK(f && fgets(line, sizeof line, f));
	if (f)
		fclose(f);
	char want[600];
	snprintf(want, sizeof want, "rec_end session=%s chunks=2 bytes=31 chain=%s duration_ms=", SID, chain);
	CHECK(!strncmp(line, want, strlen(want)) && strstr(line, " exit=- reason=recovered\n"));
	unlink(logp);
	unlink(sock);
	unlink(spool);
	rmdir(dir);
}

int main(void)
{
	RUN(marks);
	RUN(recovery);
	UT_END();
}
