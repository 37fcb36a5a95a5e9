/* libFuzzer harness for rsyncstream.c (with rsyncdata.c, rsyncflist.c):
 * the input is a session as tests/corpus/rsyncstream holds them (real ones,
 * captured by that folder's capture.sh): a byte, the server command up to a
 * NUL, then chunks (length << 1 | 1 for the server's stream). A command
 * rsyncparse cannot read is replaced by a plain upload's. The parser must
 * not read or write out of bounds, report at most one "unparsed" and
 * nothing after it, and every event must keep xferevent_check.h's rules. */
#include "rsyncstream.h"
#include "xferevent_check.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static struct rsyncstream parser;
static struct xfer_check check;

static void client(void *p, const uint8_t *b, size_t n) { rsyncstream_client(p, b, n); }
static void server(void *p, const uint8_t *b, size_t n) { rsyncstream_server(p, b, n); }

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static char cmd[1024], path[512];
	size_t at = 1;
	struct rsync_cmd c;
	while (at < n && d[at] && at < sizeof cmd)
		at++;
	if (n < 2 || at >= n || d[at])
		return 0;
	memcpy(cmd, d + 1, at - 1);
	cmd[at - 1] = 0;
	if (rsyncparse_command(cmd, &c, path, sizeof path))
		rsyncparse_command("rsync --server -logDtpre.iLsfxCIvu . /d/", &c, path, sizeof path);
	memset(&check, 0, sizeof check);
	rsyncstream_init(&parser, &c, path, xfer_check_event, &check);
	xfer_feed_raw(d + at, n - at, client, server, &parser);
	rsyncstream_end(&parser);
	if (check.bad || check.unparsed > 1 || check.after_unparsed)
		__builtin_trap();
	return 0;
}
