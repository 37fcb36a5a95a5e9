/* unit tests for recxfer.c: which sessions are transfers; an scp upload's stream through the
 * parser becomes one `file` request with the file's SHA-256; a real rsync
 * session (tests/corpus/rsyncstream/up-single, captured by its capture.sh)
 * becomes one `file` request per file with its SHA-256; what rsync's parser
 * refuses is one unparsed request naming why; an scp or rsync command that cannot be read is reported unparsed. */
#include "recxfer.h"
#include "rectest.h"
#include "../common/hex.h"
#include "../common/unittest.h"

#include <bearssl.h>
#include <stdio.h>
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

/* the SHA-256 of data[0..n) in hex */
static void sha_hex(const char *data, size_t n, char out[65])
{
	uint8_t sha[32];
	br_sha256_context h;
	br_sha256_init(&h);
	br_sha256_update(&h, data, n);
	br_sha256_out(&h, sha);
	hex_encode(sha, 32, out);
	out[64] = 0;
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
	sha_hex("hello\n", 6, hexsha);
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

/* feeds a captured session (tests/corpus/rsyncstream/NAME) to x; its command into cmd */
static int feed_capture(struct recxfer *x, const char *name, char *cmd, size_t cap)
{
	static uint8_t d[16384];
	char path[1024];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *slash = strrchr(path, '/');
	snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "../../tests/corpus/rsyncstream/%s", name);
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(d, 1, sizeof d, f) : 0, i = 1;
	if (f)
		fclose(f);
	while (i < n && d[i])
		i++;
	if (!n || i >= n || i - 1 >= cap)
		return -1;
	memcpy(cmd, d + 1, i - 1);
	cmd[i - 1] = 0;
	recxfer_start(x, RECXFER_RSYNC, cmd, SID, sock);
	for (i++; i < n;) {
		size_t k = d[i] >> 1, srv = d[i] & 1;
		i++;
		k = k > n - i ? n - i : k;
		(srv ? recxfer_from_target : recxfer_from_user)(x, d + i, k);
		i += k;
	}
	recxfer_end(x);
	return 0;
}

static void rsync_and_unparsed(void)
{
	static struct recxfer x;
	char got[2000], want[600], cmd[512], hexsha[65];
	sha_hex("alpha\n", 6, hexsha);
	unlink(sock);
	pid_t p = rectest_jumpd(sock, logp, "ok\n");
	CHECK(feed_capture(&x, "up-single", cmd, sizeof cmd) == 0);
	recxfer_start(&x, RECXFER_SCP, "scp /nowhere", SID, sock);
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server -e.Lsfx /no-placeholder", SID, sock);
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server -z . /tmp/z", SID, sock);
	recxfer_end(&x);
	rectest_stop(p);
	requests(got, sizeof got);
	/* the upload's destination: the command's last word */
	snprintf(want, sizeof want, "file session=%s dir=upload path=%s size=6 sha256=%s proto=rsync\n"
		 "file session=%s dir=upload path=- size=- sha256=- proto=scp reason=unparsed\n"
		 "file session=%s dir=upload path=- size=- sha256=- proto=rsync reason=unparsed:command\n"
		 "file session=%s dir=upload path=- size=- sha256=- proto=rsync reason=unparsed:compression\n",
		 SID, strrchr(cmd, ' ') + 1, hexsha, SID, SID, SID);
	CHECK(!strcmp(got, want));
	/* jumpd cannot audit: noted for the session's fail-closed end */
	unlink(sock);
	p = rectest_jumpd(sock, logp, "deny reason=audit-unavailable\n");
	recxfer_start(&x, RECXFER_RSYNC, "rsync --server -z . /x", SID, sock);
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
