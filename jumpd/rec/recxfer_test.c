/* unit tests for recxfer.c: which sessions are transfers; an scp upload's stream through the
 * parser becomes one `file` request with the file's SHA-256; rsync's two
 * byte counts with the command's path on the files' direction; an scp command that cannot be read is reported unparsed. */
#include "recxfer.h"
#include "rectest.h"
#include "../common/hex.h"
#include "../common/unittest.h"

#include <bearssl.h>
#include <string.h>
#include <unistd.h>

static const char *SID = "0123456789abcdef";
static char sock[256], logp[256];

static void kinds(void)
{
	CHECK(recxfer_kind_of("sftp", "") == RECXFER_SFTP);
	CHECK(recxfer_kind_of("exec", "scp -t /tmp/") == RECXFER_SCP);
	CHECK(recxfer_kind_of("exec", "rsync --server -logDtpre.iLsfxCIvu . /tmp/x") == RECXFER_RSYNC);
	CHECK(recxfer_kind_of("exec", "uptime") == RECXFER_NONE);
	CHECK(recxfer_kind_of("shell", "") == RECXFER_NONE);
	CHECK(recxfer_kind_of("exec", "scpx -t /") == RECXFER_NONE);
}

/* the requests the fake jumpd saw */
static size_t requests(char *out, size_t cap)
{
	FILE *f = fopen(logp, "r");
	size_t n = f ? fread(out, 1, cap - 1, f) : 0;
	out[n] = 0;
	if (f)
		fclose(f);
	unlink(logp);
	return n;
}

static void scp_upload_file_event(void)
{
	static struct recxfer x;
	char got[2000], want[400], hexsha[65];
	uint8_t sha[32];
	br_sha256_context h;
	br_sha256_init(&h);
	br_sha256_update(&h, "hello\n", 6);
	br_sha256_out(&h, sha);
	hex_encode(sha, 32, hexsha);
	hexsha[64] = 0;
	unlink(sock);
	unlink(logp);
	pid_t p = rectest_jumpd(sock, logp, "ok\n");
	recxfer_start(&x, RECXFER_SCP, "scp -t /tmp/", SID, sock);
	recxfer_from_target(&x, (const uint8_t *)"\0", 1);          /* the sink is ready */
	recxfer_from_user(&x, (const uint8_t *)"C0644 6 f.txt\n", 14);
	recxfer_from_target(&x, (const uint8_t *)"\0", 1);
	recxfer_from_user(&x, (const uint8_t *)"hello\n\0", 7);
	recxfer_from_target(&x, (const uint8_t *)"\0", 1);
	recxfer_end(&x);
	rectest_stop(p);
	requests(got, sizeof got);
	snprintf(want, sizeof want, "file session=%s dir=upload path=/tmp/f.txt size=6 sha256=%s proto=scp\n", SID, hexsha);
	CHECK(!strcmp(got, want));
	CHECK(x.up == 21 && x.down == 3 && !x.audit_failed);
}

static void rsync_and_unparsed(void)
{
	static struct recxfer x;
	char got[2000], want[400];
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, "ok\n");
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server -e.Lsfx . /tmp/d", SID, sock);
	recxfer_from_user(&x, (const uint8_t *)"12345", 5);
	recxfer_from_target(&x, (const uint8_t *)"12", 2);
	recxfer_end(&x);
	recxfer_start(&x, RECXFER_SCP, "scp /nowhere", SID, sock);
	rectest_stop(p);
	requests(got, sizeof got);
	snprintf(want, sizeof want, "file session=%s dir=upload path=/tmp/d size=5 sha256=- proto=rsync\n"
		 "file session=%s dir=download path=- size=2 sha256=- proto=rsync\n"
		 "file session=%s dir=upload path=- size=- sha256=- proto=scp reason=unparsed\n", SID, SID, SID);
	CHECK(!strcmp(got, want));
	/* a download names the path (escape undone; the request's own
	 * encoding shows the space) in its download record; a command that
	 * cannot be read names none */
	p = rectest_jumpd(sock, logp, "ok\n");
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server --sender -logDtpre.iLsfxCIvu . /srv/a\\ b", SID, sock);
	recxfer_from_user(&x, (const uint8_t *)"1", 1);
	recxfer_from_target(&x, (const uint8_t *)"123", 3);
	recxfer_end(&x);
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server -e.Lsfx /no-placeholder", SID, sock);
	recxfer_end(&x);
	rectest_stop(p);
	requests(got, sizeof got);
	snprintf(want, sizeof want, "file session=%s dir=upload path=- size=1 sha256=- proto=rsync\n"
		 "file session=%s dir=download path=/srv/a%%20b size=3 sha256=- proto=rsync\n"
		 "file session=%s dir=upload path=- size=0 sha256=- proto=rsync\n"
		 "file session=%s dir=download path=- size=0 sha256=- proto=rsync\n", SID, SID, SID, SID);
	CHECK(!strcmp(got, want));
	/* jumpd cannot audit: noted for the session's fail-closed end */
	unlink(sock);
	p = rectest_jumpd(sock, logp, "deny reason=audit-unavailable\n");
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server . /x", SID, sock);
	recxfer_end(&x);
	rectest_stop(p);
	CHECK(x.audit_failed);
	unlink(sock);
	unlink(logp);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	ut_path(sock, sizeof sock, "auth.sock");
	ut_path(logp, sizeof logp, "log");
	RUN(kinds);
	RUN(scp_upload_file_event);
	RUN(rsync_and_unparsed);
	UT_END();
}
