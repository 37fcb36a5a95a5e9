/* libFuzzer harness for scpparse.c, two ways chosen by the first byte.
 * Raw: the input is cut into chunks for either direction; the parser
 * reports at most one "unparsed" event and nothing after it, and every
 * file event has a path and a size within bounds. Generated: the input
 * describes a well-formed session (files with contents, directories,
 * times, refused files) that the harness writes as both streams and feeds
 * in pieces the input chooses; the events must be exactly the files the
 * harness sent, each with its path, size and SHA-256. */
#include "scpparse.h"
#include "xferevent_check.h"
#include <stdio.h>
#include <string.h>

static void data(void *p, const uint8_t *b, size_t n) { scpparse_data(p, b, n); }
static void reply(void *p, const uint8_t *b, size_t n) { scpparse_reply(p, b, n); }

static void raw(const uint8_t *d, size_t n)
{
	static struct scpparse p;
	static struct xfer_check c;
	memset(&c, 0, sizeof c);
	scpparse_init(&p, d[0] & 2 ? XFER_DOWNLOAD : XFER_UPLOAD, "/srv/x", xfer_check_event, &c);
	xfer_feed_raw(d, n, data, reply, &p);
	scpparse_end(&p);
	if (c.bad || c.unparsed > 1 || c.after_unparsed)
		__builtin_trap();
}

/* the two streams the harness writes, and where it cuts them */
static uint8_t src[65536], snk[4096];
static size_t srclen, snklen;
static size_t cut_src[512], cut_snk[512];
static int ncut;

static void put(uint8_t *buf, size_t *len, size_t cap, const void *p, size_t n)
{
	if (*len + n > cap)
		return;
	memcpy(buf + *len, p, n);
	*len += n;
}

/* a turn: the source's bytes so far, then the sink's answer */
static void turn(const char *answer, size_t n)
{
	if (ncut < 512) {
		cut_src[ncut] = srclen;
		cut_snk[ncut] = snklen;
		ncut++;
	}
	put(snk, &snklen, sizeof snk, answer, n);
}

static void generated(const uint8_t *d, size_t n)
{
	static struct xfer_check s;
	memset(&s, 0, sizeof s);
	s.expect = 1;
	char dir[256] = "/srv", line[300];
	size_t dirlen = 4, dirstack[8];
	int depth = 0, files = 0;
	srclen = snklen = 0;
	ncut = 0;
	turn("", 1); /* the sink is ready */
	for (size_t i = 1; i + 1 < n && files < 64 && srclen < sizeof src - 600 && ncut < 500 && snklen < sizeof snk - 20; i += 2) {
		uint8_t op = d[i] % 6, arg = d[i + 1];
		char name[8];
		snprintf(name, sizeof name, "n%u", (unsigned)(arg % 7));
		if (op <= 1) { /* a file with arg bytes of content */
			int k = snprintf(line, sizeof line, "C0644 %u %s\n", arg, name);
			put(src, &srclen, sizeof src, line, (size_t)k);
			turn("", 1);
			br_sha256_context c;
			br_sha256_init(&c);
			for (unsigned b = 0; b < arg; b++) {
				uint8_t byte = d[(i + b) % n];
				put(src, &srclen, sizeof src, &byte, 1);
				br_sha256_update(&c, &byte, 1);
			}
			br_sha256_out(&c, s.want_sha[files]);
			s.want_dir[files] = XFER_UPLOAD;
			put(src, &srclen, sizeof src, "", 1);
			turn("", 1);
			snprintf(s.want_path[files], 256, "%s/%s", dir, name);
			s.want_size[files++] = arg;
		} else if (op == 2 && depth < 8 && dirlen + 4 < 200) {
			int k = snprintf(line, sizeof line, "D0755 0 %s\n", name);
			put(src, &srclen, sizeof src, line, (size_t)k);
			turn("", 1);
			dirstack[depth++] = dirlen;
			dirlen += (size_t)snprintf(dir + dirlen, sizeof dir - dirlen, "/%s", name);
		} else if (op == 3 && depth > 0) {
			put(src, &srclen, sizeof src, "E\n", 2);
			turn("", 1);
			dirlen = dirstack[--depth];
			dir[dirlen] = 0;
		} else if (op == 4) {
			put(src, &srclen, sizeof src, "T1 0 2 0\n", 9);
			turn("", 1);
		} else if (op == 5) { /* refused: no content follows */
			int k = snprintf(line, sizeof line, "C0644 %u %s\n", (unsigned)arg + 1, name);
			put(src, &srclen, sizeof src, line, (size_t)k);
			turn("\1scp: refused\n", 14);
		}
	}
	/* feed turn by turn: each turn's source bytes in pieces, then its answer */
	static struct scpparse p;
	s.nwant = files;
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &s);
	size_t at_src = 0, at_snk = 0, piece = 1 + d[0] % 13;
	for (int t = 0; t <= ncut; t++) {
		size_t end_src = t < ncut ? cut_src[t] : srclen, end_snk = t < ncut ? cut_snk[t] : snklen;
		while (at_src < end_src) {
			size_t k = end_src - at_src < piece ? end_src - at_src : piece;
			scpparse_data(&p, src + at_src, k);
			at_src += k;
		}
		if (t < ncut && t + 1 <= ncut) {
			size_t next = t + 1 < ncut ? cut_snk[t + 1] : snklen;
			scpparse_reply(&p, snk + at_snk, next - at_snk);
			at_snk = next;
		}
		(void)end_snk;
	}
	scpparse_end(&p);
	if (!xfer_check_exact(&s))
		__builtin_trap();
}

XFER_FUZZ_TWO_WAYS(generated, raw)
