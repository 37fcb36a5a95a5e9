/* libFuzzer harness for sftpparse.c, two ways chosen by the first byte.
 * Raw: the input is cut into chunks for either direction; at most one
 * "unparsed" event and nothing after it; every file event has a size >= 0.
 * Generated: the input describes a session (uploads and downloads in
 * pieces of the sizes it says, stat calls between), which the harness writes as both streams and feeds in
 * pieces; the events must be exactly the files, with size and SHA-256. */
#include "sftpparse.h"
#include "xferevent_check.h"
#include <stdio.h>
#include <string.h>

static struct sftpparse parser;
static struct xfer_check check;

static void client(void *p, const uint8_t *b, size_t n) { sftpparse_client(p, b, n); }
static void server(void *p, const uint8_t *b, size_t n) { sftpparse_server(p, b, n); }

static void raw(const uint8_t *d, size_t n)
{
	memset(&check, 0, sizeof check);
	sftpparse_init(&parser, xfer_check_event, &check);
	xfer_feed_raw(d, n, client, server, &parser);
	sftpparse_end(&parser);
	if (check.bad || check.unparsed > 1 || check.after_unparsed)
		__builtin_trap();
}

/* packets of the generated session, each kept whole, in the order sent */
static uint8_t pk[512][300];
static size_t pklen[512];
static char pkwho[512];
static int npk;

static uint8_t *begin_pkt(char who, uint8_t type, uint32_t id, size_t *n)
{
	uint8_t *b = pk[npk];
	pkwho[npk] = who;
	*n = 4;
	b[(*n)++] = type;
	for (int i = 3; i >= 0; i--)
		b[(*n)++] = (uint8_t)(id >> (8 * i));
	return b;
}

static void put32(uint8_t *b, size_t *n, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		b[(*n)++] = (uint8_t)(v >> (8 * i));
}

static void put_bytes(uint8_t *b, size_t *n, const void *p, size_t len)
{
	put32(b, n, (uint32_t)len);
	memcpy(b + *n, p, len);
	*n += len;
}

static void end_pkt(size_t n)
{
	size_t at = 0;
	put32(pk[npk], &at, (uint32_t)(n - 4));
	pklen[npk++] = n;
}

static void generated(const uint8_t *d, size_t n)
{
	struct xfer_check *s = &check;
	memset(s, 0, sizeof *s);
	s->expect = 1;
	uint32_t id = 10;
	size_t at = 1, m;
	npk = 0;
	(void)begin_pkt('c', 1, 3, &m), end_pkt(m); /* INIT, version 3 */
	(void)begin_pkt('s', 2, 3, &m), end_pkt(m);
	for (int f = 0; f < 16 && at + 2 < n && npk < 400; f++) {
		int up = d[at] & 1, pieces = 1 + (d[at] >> 1) % 4, noise = d[at] & 0x80;
		char handle[4] = { 'h', (char)('a' + f), 0, 0 };
		at++;
		snprintf(s->want_path[f], sizeof s->want_path[f], "/f%d", f);
		s->want_dir[f] = up ? XFER_UPLOAD : XFER_DOWNLOAD;
		uint8_t *b = begin_pkt('c', 3, id, &m);
		put_bytes(b, &m, s->want_path[f], strlen(s->want_path[f]));
		put32(b, &m, up ? 0x1a : 1), put32(b, &m, 0), end_pkt(m);
		b = begin_pkt('s', 102, id++, &m), put_bytes(b, &m, handle, 2), end_pkt(m);
		if (noise) { /* a stat and a listing between */
			b = begin_pkt('c', 17, id, &m), put_bytes(b, &m, "/", 1), end_pkt(m);
			b = begin_pkt('s', 105, id++, &m), put32(b, &m, 0), end_pkt(m);
		}
		br_sha256_context c;
		br_sha256_init(&c);
		uint64_t off = 0;
		for (int p = 0; p < pieces && at < n; p++) {
			size_t len = d[at++] % 200;
			if (len > n - at)
				len = n - at;
			if (up) {
				b = begin_pkt('c', 6, id++, &m), put_bytes(b, &m, handle, 2);
				put32(b, &m, (uint32_t)(off >> 32)), put32(b, &m, (uint32_t)off);
				put_bytes(b, &m, d + at, len), end_pkt(m);
			} else { /* a READ and its DATA answer */
				b = begin_pkt('c', 5, id++, &m), put_bytes(b, &m, handle, 2);
				put32(b, &m, (uint32_t)(off >> 32)), put32(b, &m, (uint32_t)off);
				put32(b, &m, 200), end_pkt(m);
				b = begin_pkt('s', 103, id - 1, &m), put_bytes(b, &m, d + at, len), end_pkt(m);
			}
			br_sha256_update(&c, d + at, len);
			off += len;
			at += len;
		}
		if (!up) { /* the end of file */
			b = begin_pkt('c', 5, id, &m), put_bytes(b, &m, handle, 2), put32(b, &m, 0), put32(b, &m, (uint32_t)off);
			put32(b, &m, 200), end_pkt(m);
			b = begin_pkt('s', 101, id++, &m), put32(b, &m, 1), put_bytes(b, &m, "", 0), put_bytes(b, &m, "", 0);
			end_pkt(m);
		}
		b = begin_pkt('c', 4, id++, &m), put_bytes(b, &m, handle, 2), end_pkt(m);
		br_sha256_out(&c, s->want_sha[f]);
		s->want_size[f] = (int64_t)off;
		s->nwant = f + 1;
	}
	/* feed: each packet split at a byte the input picks */
	sftpparse_init(&parser, xfer_check_event, s);
	size_t cut = 1 + d[0] % 7;
	for (int i = 0; i < npk; i++) {
		for (size_t o = 0; o < pklen[i]; o += cut) {
			size_t k = pklen[i] - o < cut ? pklen[i] - o : cut;
			if (pkwho[i] == 'c')
				sftpparse_client(&parser, pk[i] + o, k);
			else
				sftpparse_server(&parser, pk[i] + o, k);
		}
	}
	sftpparse_end(&parser);
	if (!xfer_check_exact(s))
		__builtin_trap();
}

XFER_FUZZ_TWO_WAYS(generated, raw)
