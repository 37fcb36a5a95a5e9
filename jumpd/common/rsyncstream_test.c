/* Unit tests for rsyncstream.c on real rsync sessions: the seeds in
 * tests/corpus/rsyncstream, captured from rsync 3.5.0 (protocol 32, and 30 and
 * 31 by --protocol) through transfer_tap by that folder's capture.sh, whose
 * files' contents are fixed (a = "alpha\n", e empty, sub/b = 5000 bytes of
 * "0123456789"). Each session's events must be exactly its files with their
 * paths, sizes and SHA-256 (whole and fed a byte at a time); a delta is
 * reported without a SHA-256; compression is refused by name; a stream cut
 * short or broken gives "incomplete" / one "unparsed" and nothing wrong. */
#include "rsyncstream.h"
#include "unittest.h"
#include "xferevent_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rsyncstream parser;
static struct xfer_check check;
static uint8_t session[64 * 1024];
static size_t session_len;
static char base[200];
static void want_three(enum xfer_dir dir, const char *prefix);
static const char *want_prefix; /* replay expects the three files under base + this */
static enum xfer_dir want_dir;

/* reads tests/corpus/rsyncstream/NAME; returns the offset of its chunks */
static size_t load(const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
		 "../../tests/corpus/rsyncstream/%s", name);
	FILE *f = fopen(path, "rb");
	session_len = f ? fread(session, 1, sizeof session, f) : 0;
	if (f)
		fclose(f);
	size_t cmd_end = 1;
	while (cmd_end < session_len && session[cmd_end])
		cmd_end++;
	return cmd_end;
}

static void client(void *p, const uint8_t *b, size_t n) { rsyncstream_client(p, b, n); }
static void server(void *p, const uint8_t *b, size_t n) { rsyncstream_server(p, b, n); }

/* feeds the session (its first `upto` bytes) in pieces of at most `piece` */
static int replay(const char *name, size_t upto, size_t piece)
{
	size_t at = load(name);
	struct rsync_cmd c;
	char path[512];
	if (!session_len || rsyncparse_command((const char *)session + 1, &c, path, sizeof path))
		return -1;
	memset(&check, 0, sizeof check);
	rsyncstream_init(&parser, &c, path, xfer_check_event, &check);
	snprintf(base, sizeof base, "%.190s", parser.base); /* what names are joined to */
	if (want_prefix)
		want_three(want_dir, want_prefix);
	for (size_t i = at + 1; i < session_len && i < upto;) {
		size_t k = session[i] >> 1, which = session[i] & 1;
		i++;
		if (k > session_len - i)
			k = session_len - i;
		if (i + k > upto)
			k = upto - i;
		for (size_t j = 0; j < k; j += piece)
			(which ? server : client)(&parser, session + i + j, k - j < piece ? k - j : piece);
		i += k;
	}
	rsyncstream_end(&parser);
	return 0;
}

/* the three files, as base + prefix + name */
static void want_three(enum xfer_dir dir, const char *prefix)
{
	static char b[5000];
	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (char)('0' + i % 10);
	const char *names[3] = {"a", "e", "sub/b"};
	const void *data[3] = {"alpha\n", "", b};
	size_t len[3] = {6, 0, sizeof b};
	check.expect = 1;
	check.nwant = 3;
	for (int i = 0; i < 3; i++) {
		check.want_dir[i] = dir;
		snprintf(check.want_path[i], sizeof check.want_path[i], "%s%s%s%s", base,
			 base[0] && base[strlen(base) - 1] != '/' ? "/" : "", prefix, names[i]);
		check.want_size[i] = (int64_t)len[i];
		xfer_sha256(data[i], len[i], check.want_sha[i]);
	}
}

/* replays NAME whole and a byte at a time: both exactly the three files */
static int three_files(const char *name, enum xfer_dir dir, const char *prefix)
{
	int ok = 1;
	want_prefix = prefix;
	want_dir = dir;
	ok = !replay(name, SIZE_MAX, 65536) && xfer_check_exact(&check);
	ok = ok && !replay(name, SIZE_MAX, 1) && xfer_check_exact(&check);
	want_prefix = NULL;
	return ok;
}

static void upload_incremental_protocol32(void) { CHECK(three_files("up-inc", XFER_UPLOAD, "")); }
static void upload_one_file_list(void) { CHECK(three_files("up-noinc", XFER_UPLOAD, "")); }
static void upload_protocol30(void) { CHECK(three_files("up-proto30", XFER_UPLOAD, "")); }
static void download_incremental(void) { CHECK(three_files("down-inc", XFER_DOWNLOAD, "src/")); }
static void download_protocol31_checksums(void) { CHECK(three_files("down-proto31", XFER_DOWNLOAD, "")); }

static void single_file_to_a_new_name(void)
{
	CHECK(replay("up-single", SIZE_MAX, 7) == 0);
	CHECK(check.n == 1 && !check.unparsed && !strcmp(check.path[0], base) && check.size[0] == 6 &&
	      check.sha_known[0] && xfer_sha_is(check.sha[0], "alpha\n", 6));
}

/* a: sent whole (its new content); sub/b: block matches against the old
 * one the recorder never saw: its size, no SHA-256, reason "delta" */
static void delta_has_no_sha(void)
{
	char pb[256];
	CHECK(replay("up-delta", SIZE_MAX, 65536) == 0);
	snprintf(pb, sizeof pb, "%ssub/b", base);
	CHECK(check.n == 2 && !check.unparsed);
	CHECK(check.sha_known[0] && xfer_sha_is(check.sha[0], "alpha and more\n", 15) && check.reason[0] == NULL);
	CHECK(!strcmp(check.path[1], pb) && check.size[1] == 8000 && !check.sha_known[1] && check.reason[1] &&
	      !strcmp(check.reason[1], "delta"));
}

static void compression_refused_by_name(void)
{
	CHECK(replay("up-compress", SIZE_MAX, 65536) == 0);
	CHECK(check.n == 1 && check.unparsed == 1 && !strcmp(check.detail[0], "compression"));
}

/* cut inside sub/b's data: a and e whole, b incomplete with no SHA-256 */
static void cut_short_is_incomplete(void)
{
	CHECK(replay("up-inc", 3000, 65536) == 0);
	CHECK(check.n == 3 && !check.bad && !check.unparsed && check.reason[2] &&
	      !strcmp(check.reason[2], "incomplete") && !check.sha_known[2]);
}

/* every single byte of a session changed in turn: at most one "unparsed",
 * nothing after it, no event that breaks the rules (and no crash) */
static void any_byte_broken(void)
{
	int bad = 0, stopped = 0;
	size_t at = load("down-inc");
	static uint8_t orig[sizeof session];
	size_t n = session_len;
	memcpy(orig, session, n);
	for (size_t k = at + 1; k < n; k += 3) {
		struct rsync_cmd c;
		char path[512];
		memcpy(session, orig, n);
		session[k] ^= 0x5A;
		if (rsyncparse_command((const char *)orig + 1, &c, path, sizeof path)) {
			CHECK(0);
			return;
		}
		memset(&check, 0, sizeof check);
		rsyncstream_init(&parser, &c, path, xfer_check_event, &check);
		for (size_t i = at + 1; i < n;) {
			size_t len = session[i] >> 1, which = session[i] & 1;
			i++;
			len = len > n - i ? n - i : len;
			(which ? server : client)(&parser, session + i, len);
			i += len;
		}
		rsyncstream_end(&parser);
		bad |= check.unparsed > 1 || check.after_unparsed;
		stopped += check.unparsed;
	}
	CHECK(!bad && stopped > 0);
}

int main(void)
{
	RUN(upload_incremental_protocol32);
	RUN(upload_one_file_list);
	RUN(upload_protocol30);
	RUN(download_incremental);
	RUN(download_protocol31_checksums);
	RUN(single_file_to_a_new_name);
	RUN(delta_has_no_sha);
	RUN(compression_refused_by_name);
	RUN(cut_short_is_incomplete);
	RUN(any_byte_broken);
	UT_END();
}
