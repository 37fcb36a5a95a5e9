/* libFuzzer harness for the shipper's resume path: the cursor file as a
 * restart finds it (cursor_parse), the spool as the state volume holds it
 * (spoolread: matching the cursor, then following whole lines from there,
 * finding the last record). Input: the cursor's line, '\n', the spool's
 * bytes. Whatever both hold, nothing overruns, and:
 *  - a cursor naming a real line end with that line's hash matches, and
 *    with one bit of the hash changed does not;
 *  - the lines handed out are the file's bytes at their offset, without a
 *    '\n', and the walk from the resume point reaches the last '\n'. */
#include "cursor.h"
#include "spoolread.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];
static int wfd = -1;

static void put_spool(const uint8_t *d, size_t n)
{
	if (wfd < 0) {
		snprintf(path, sizeof path, "/tmp/jb-spoolread-fuzz-XXXXXX");
		wfd = mkstemp(path);
		if (wfd < 0)
			abort();
	}
	if (ftruncate(wfd, 0) || (n && pwrite(wfd, d, n, 0) != (ssize_t)n))
		abort();
}

/* the walk of the shipper after a resume at off: every line as the file has it */
static void walk(struct spoolread *r, const uint8_t *d, size_t n, uint64_t off)
{
	const uint8_t *lastnl = n ? memrchr(d, '\n', n) : NULL;
	uint64_t end = lastnl ? (uint64_t)(lastnl - d) + 1 : 0;
	for (;;) {
		const char *line;
		size_t len;
		int last;
		int k = spoolread_line(r, off, &line, &len, &last);
		if (k < 0)
			abort();
		if (k == 0)
			break;
		if (off + len > n)
			__builtin_trap();
		if (k == 1) {
			if (memchr(line, '\n', len) || memcmp(line, d + off, len) != 0 || d[off + len] != '\n')
				__builtin_trap();
			off += len + 1;
		} else {
			if (len == 0)
				__builtin_trap(); /* no progress: the shipper would spin */
			off += len;
		}
	}
	/* only a tail without '\n' (a record being written) is left behind;
	 * a skipped overlong run may end past the last '\n' */
	if (off < end)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t clen = nl ? (size_t)(nl - data) : size;
	const uint8_t *spool = nl ? nl + 1 : data + size;
	size_t n = (size_t)(data + size - spool);
	static struct spoolread r;
	char err[320];
	struct cursor c;
	put_spool(spool, n);
	if (spoolread_open(&r, path, err, sizeof err))
		abort();
	uint64_t seq, fsize;
	if (spoolread_last(&r, &seq, &fsize) || fsize != n)
		__builtin_trap();
	uint64_t from = 0;
	if (cursor_parse((const char *)data, clen, &c) == 0) {
		int m = spoolread_matches(&r, &c);
		if (m < 0)
			abort();
		if (m == 1 && (c.offset > n || spool[c.offset - 1] != '\n'))
			__builtin_trap();
		if (m == 1)
			from = c.offset;
	}
	/* a cursor the shipper itself would have stored: the end of the line
	 * picked by the first byte of the cursor text */
	size_t want = clen ? data[0] : 0, k = 0, start = 0;
	for (size_t i = 0; i < n; i++) {
		if (spool[i] != '\n')
			continue;
		if (k++ == want && i - start <= AUDITREC_MAX) {
			struct cursor own = { .seq = 1, .offset = i + 1 };
			auditrec_hash((const char *)spool + start, i - start, own.hash);
			if (spoolread_matches(&r, &own) != 1)
				__builtin_trap();
			own.hash[want % 32] ^= 1;
			if (spoolread_matches(&r, &own) != 0)
				__builtin_trap();
			break;
		}
		start = i + 1;
	}
	walk(&r, spool, n, from);
	spoolread_close(&r);
	return 0;
}
