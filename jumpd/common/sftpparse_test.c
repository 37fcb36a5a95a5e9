/* unit tests for sftpparse.c: uploads and downloads (whole and one byte at
 * a time) with their sizes and SHA-256, empty files, out-of-order pieces
 * (SHA-256 unknown), handles that move no data (nothing), failed OPENs,
 * a READ answered after its handle was closed and the slot reused, the
 * end inside a packet, and each way to be unparsed (reported once, after
 * the open files as incomplete), with positive controls. */
#include "sftpparse.h"
#include "unittest.h"
#include "xferevent_check.h"
#include <stdarg.h>
#include <string.h>

/* the two streams a test writes */
static uint8_t cs[1 << 16], ss[1 << 16];
static size_t cn, sn;
/* the order the packets went in: 'c' or 's' with its end in its stream */
static char order_who[256];
static size_t order_end[256];
static int norder;

static void u8(uint8_t *b, size_t *n, uint8_t v) { b[(*n)++] = v; }
static void u32(uint8_t *b, size_t *n, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		u8(b, n, (uint8_t)(v >> (8 * i)));
}
static void str(uint8_t *b, size_t *n, const char *s, size_t len)
{
	u32(b, n, (uint32_t)len);
	memcpy(b + *n, s, len);
	*n += len;
}

/* a packet: who ('c' client, 's' server), type, id, then fmt fields:
 * 'u' uint32, 'q' uint64, 's' string (NUL-terminated), 'd' data (pointer, length) */
static void pkt(char who, uint8_t type, const char *fmt, ...)
{
	uint8_t *b = who == 'c' ? cs : ss;
	size_t *n = who == 'c' ? &cn : &sn, start = *n;
	va_list ap;
	va_start(ap, fmt);
	*n += 4;
	u8(b, n, type);
	for (const char *f = fmt; *f; f++) {
		if (*f == 'u') {
			u32(b, n, va_arg(ap, uint32_t)); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
		} else if (*f == 'q') {
			uint64_t v = va_arg(ap, uint64_t); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
			u32(b, n, (uint32_t)(v >> 32));
			u32(b, n, (uint32_t)v);
		} else if (*f == 's') {
			const char *s = va_arg(ap, const char *); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
			str(b, n, s, strlen(s));
		} else {
			const char *s = va_arg(ap, const char *); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
			str(b, n, s, va_arg(ap, size_t)); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
		}
	}
	va_end(ap);
	size_t len = *n - start - 4;
	u32(b, &start, (uint32_t)len);
	order_who[norder] = who;
	order_end[norder++] = *n;
}

static void begin(void)
{
	cn = sn = 0;
	norder = 0;
	pkt('c', 1, "u", 3);      /* INIT */
	pkt('s', 2, "u", 3);      /* VERSION */
}

/* feeds the packets in the order they were made, whole or byte by byte */
static void play(struct sftpparse *p, int bytewise, int end)
{
	size_t at_c = 0, at_s = 0;
	for (int i = 0; i < norder; i++) {
		size_t *at = order_who[i] == 'c' ? &at_c : &at_s;
		const uint8_t *b = order_who[i] == 'c' ? cs : ss;
		while (*at < order_end[i]) {
			size_t k = bytewise ? 1 : order_end[i] - *at;
			if (order_who[i] == 'c')
				sftpparse_client(p, b + *at, k);
			else
				sftpparse_server(p, b + *at, k);
			*at += k;
		}
	}
	if (end)
		sftpparse_end(p);
}

#define U(x) ((uint32_t)(x))
#define Q(x) ((uint64_t)(x))

static void test_upload(void)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		static struct sftpparse p;
		struct xfer_check g = { 0 };
		begin();
		pkt('c', 16, "us", U(1), ".");                       /* REALPATH: passed over */
		pkt('s', 104, "uu", U(1), U(0));                    /* NAME */
		pkt('c', 3, "usuu", U(2), "/tmp/up.bin", U(0x1a), U(0)); /* OPEN write|creat|trunc */
		pkt('s', 102, "us", U(2), "h1");
		pkt('c', 6, "usqd", U(3), "h1", Q(0), "hello ", (size_t)6);
		pkt('c', 6, "usqd", U(4), "h1", Q(6), "world", (size_t)5);
		pkt('s', 101, "uuss", U(3), U(0), "", "");
		pkt('s', 101, "uuss", U(4), U(0), "", "");
		pkt('c', 4, "us", U(5), "h1");
		pkt('s', 101, "uuss", U(5), U(0), "", "");
		sftpparse_init(&p, xfer_check_event, &g);
		play(&p, bytewise, 1);
		CHECK(g.n == 1 && g.dir[0] == XFER_UPLOAD && !strcmp(g.path[0], "/tmp/up.bin") && g.size[0] == 11);
		CHECK(g.sha_known[0] && xfer_sha_is(g.sha[0], "hello world", 11) && g.reason[0] == NULL);
	}
}

static void test_download_pipelined(void)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		static struct sftpparse p;
		struct xfer_check g = { 0 };
		begin();
		pkt('c', 3, "usuu", U(7), "/etc/hosts", U(1), U(0)); /* OPEN read */
		pkt('s', 102, "ud", U(7), "\0\0\0\1", (size_t)4);
		pkt('c', 8, "ud", U(8), "\0\0\0\1", (size_t)4);            /* FSTAT */
		pkt('s', 105, "uu", U(8), U(0));                   /* ATTRS */
		/* three READs in flight, then the answers in order, the last short */
		pkt('c', 5, "udqu", U(9), "\0\0\0\1", (size_t)4, Q(0), U(4));
		pkt('c', 5, "udqu", U(10), "\0\0\0\1", (size_t)4, Q(4), U(4));
		pkt('c', 5, "udqu", U(11), "\0\0\0\1", (size_t)4, Q(8), U(4));
		pkt('s', 103, "ud", U(9), "127.", (size_t)4);
		pkt('s', 103, "ud", U(10), "0.0.", (size_t)4);
		pkt('s', 103, "ud", U(11), "1", (size_t)1);
		pkt('c', 5, "udqu", U(12), "\0\0\0\1", (size_t)4, Q(9), U(4));
		pkt('s', 101, "uuss", U(12), U(1), "EOF", "");      /* STATUS EOF */
		pkt('c', 4, "ud", U(13), "\0\0\0\1", (size_t)4);
		sftpparse_init(&p, xfer_check_event, &g);
		play(&p, bytewise, 1);
		CHECK(g.n == 1 && g.dir[0] == XFER_DOWNLOAD && !strcmp(g.path[0], "/etc/hosts") && g.size[0] == 9);
		CHECK(g.sha_known[0] && xfer_sha_is(g.sha[0], "127.0.0.1", 9));
	}
}

static void test_empty_files_and_no_data_handles(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	begin();
	/* an empty upload: OPEN with the write flag, CLOSE */
	pkt('c', 3, "usuu", U(1), "/tmp/empty", U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "e");
	pkt('c', 4, "us", U(2), "e");
	/* an empty download: a READ that meets the end */
	pkt('c', 3, "usuu", U(3), "/tmp/zero", U(1), U(0));
	pkt('s', 102, "us", U(3), "z");
	pkt('c', 5, "usqu", U(4), "z", Q(0), U(32768));
	pkt('s', 101, "uuss", U(4), U(1), "EOF", "");
	pkt('c', 4, "us", U(5), "z");
	/* no data: a directory listing, a stat, a file opened for reading and closed */
	pkt('c', 11, "us", U(6), "/tmp");                   /* OPENDIR */
	pkt('s', 102, "us", U(6), "d");
	pkt('c', 12, "us", U(7), "d");                      /* READDIR */
	pkt('s', 104, "uu", U(7), U(0));
	pkt('c', 4, "us", U(8), "d");
	pkt('c', 17, "us", U(9), "/tmp/x");                 /* STAT */
	pkt('s', 105, "uu", U(9), U(0));
	pkt('c', 3, "usuu", U(10), "/tmp/ro", U(1), U(0));
	pkt('s', 102, "us", U(10), "r");
	pkt('c', 4, "us", U(11), "r");
	sftpparse_init(&p, xfer_check_event, &g);
	play(&p, 0, 1);
	CHECK(g.n == 2);
	CHECK(g.dir[0] == XFER_UPLOAD && !strcmp(g.path[0], "/tmp/empty") && g.size[0] == 0 && xfer_sha_is(g.sha[0], "", 0));
	CHECK(g.dir[1] == XFER_DOWNLOAD && !strcmp(g.path[1], "/tmp/zero") && g.size[1] == 0 && xfer_sha_is(g.sha[1], "", 0));
}

static void test_out_of_order_and_reuse(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	begin();
	pkt('c', 3, "usuu", U(1), "/tmp/sparse", U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "h");
	pkt('c', 6, "usqd", U(2), "h", Q(4), "5678", (size_t)4);
	pkt('c', 6, "usqd", U(3), "h", Q(0), "1234", (size_t)4);
	/* a READ in flight when its handle closes; the slot then serves another file */
	pkt('c', 5, "usqu", U(4), "h", Q(0), U(8));
	pkt('c', 4, "us", U(5), "h");
	pkt('c', 3, "usuu", U(6), "/tmp/next", U(0x1a), U(0));
	pkt('s', 102, "us", U(6), "h");
	pkt('s', 103, "ud", U(4), "stale!!!", (size_t)8);   /* belongs to the closed one: not counted */
	pkt('c', 6, "usqd", U(7), "h", Q(0), "ok", (size_t)2);
	pkt('c', 4, "us", U(8), "h");
	sftpparse_init(&p, xfer_check_event, &g);
	play(&p, 0, 1);
	CHECK(g.n == 3);
	CHECK(!strcmp(g.path[0], "/tmp/sparse") && g.dir[0] == XFER_UPLOAD && g.size[0] == 8 && !g.sha_known[0]);
	CHECK(!strcmp(g.path[1], "/tmp/sparse") && g.dir[1] == XFER_DOWNLOAD && g.size[1] == 0);
	CHECK(!strcmp(g.path[2], "/tmp/next") && g.dir[2] == XFER_UPLOAD && g.size[2] == 2 && xfer_sha_is(g.sha[2], "ok", 2));
}

static void test_server_side_copy(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	begin();
	pkt('c', 3, "usuu", U(1), "/tmp/src", U(1), U(0));
	pkt('s', 102, "us", U(1), "r");
	pkt('c', 3, "usuu", U(2), "/tmp/dst", U(0x1a), U(0));
	pkt('s', 102, "us", U(2), "w");
	pkt('c', 200, "ussqqsq", U(3), "copy-data", "r", Q(0), Q(0), "w", Q(0));
	pkt('s', 101, "uuss", U(3), U(0), "", "");
	pkt('c', 4, "us", U(4), "r");
	pkt('c', 4, "us", U(5), "w");
	sftpparse_init(&p, xfer_check_event, &g);
	play(&p, 0, 1);
	/* the destination: an upload of unknown content (its bytes never passed) */
	CHECK(g.n == 1 && !strcmp(g.path[0], "/tmp/dst") && g.dir[0] == XFER_UPLOAD && !g.sha_known[0]);
}

static void test_failed_opens_free_slots(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	begin();
	for (uint32_t i = 0; i < 3 * SFTP_FILES_MAX; i++) {
		pkt('c', 3, "usuu", U(100 + i), "/root/x", U(1), U(0));
		pkt('s', 101, "uuss", U(100 + i), U(3), "Permission denied", "");
	}
	pkt('c', 3, "usuu", U(1), "/tmp/a", U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "a");
	pkt('c', 6, "usqd", U(2), "a", Q(0), "x", (size_t)1);
	sftpparse_init(&p, xfer_check_event, &g);
	play(&p, 0, 1); /* left open: reported at the end */
	CHECK(g.n == 1 && !strcmp(g.path[0], "/tmp/a") && g.size[0] == 1 && g.sha_known[0] && g.reason[0] == NULL);
}

static void check_unparsed(const struct xfer_check *g, int i, enum xfer_dir dir, const char *detail)
{
	CHECK(g->n == i + 1 && g->reason[i] && !strcmp(g->reason[i], "unparsed") && !strcmp(g->path[i], "-") &&
	      g->size[i] == -1 && g->dir[i] == dir && g->detail[i] && !strcmp(g->detail[i], detail));
	if (g->n == i + 1 && g->detail[i] && strcmp(g->detail[i], detail) != 0)
		printf("  detail: %s\n", g->detail[i]);
}

static void test_unparsed(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	/* a packet over the limit, with an open file that has moved data */
	begin();
	pkt('c', 3, "usuu", U(1), "/tmp/a", U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "a");
	pkt('c', 6, "usqd", U(2), "a", Q(0), "abc", (size_t)3);
	sftpparse_init(&p, xfer_check_event, &g);
	play(&p, 0, 0);
	sftpparse_server(&p, (const uint8_t *)"\0\x05\0\0\x65", 5);
	CHECK(g.n == 2 && g.reason[0] && !strcmp(g.reason[0], "incomplete") && !g.sha_known[0] && g.size[0] == 3);
	check_unparsed(&g, 1, XFER_DOWNLOAD, "bad packet length");
	/* nothing after it */
	play(&p, 0, 1);
	CHECK(g.n == 2);

	struct {
		char who;
		const char *bytes;
		size_t len;
		const char *detail;
	} cases[] = {
		{ 'c', "\0\0\0\x05\x03\0\0\0\x01", 9, "bad OPEN (or its path too long)" },
		{ 'c', "\0\0\0\x09\x06\0\0\0\x01\0\0\x01\x01", 13, "bad WRITE" },
		{ 'c', "\0\0\0\x00", 4, "bad packet length" },
		{ 's', "\0\0\0\x05\x67\0\0\0\x01", 9, "bad DATA" },
		{ 's', "\0\0\0\x09\x66\0\0\0\x01\0\0\x01\x01", 13, "bad HANDLE" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct xfer_check h = { 0 };
		begin();
		sftpparse_init(&p, xfer_check_event, &h);
		play(&p, 0, 0);
		if (cases[i].who == 'c')
			sftpparse_client(&p, (const uint8_t *)cases[i].bytes, cases[i].len);
		else
			sftpparse_server(&p, (const uint8_t *)cases[i].bytes, cases[i].len);
		sftpparse_end(&p);
		check_unparsed(&h, 0, cases[i].who == 'c' ? XFER_UPLOAD : XFER_DOWNLOAD, cases[i].detail);
	}
	/* the first packets must be INIT and VERSION 3 */
	struct xfer_check h = { 0 };
	sftpparse_init(&p, xfer_check_event, &h);
	sftpparse_client(&p, (const uint8_t *)"\0\0\0\x05\x10\0\0\0\x01", 9);
	check_unparsed(&h, 0, XFER_UPLOAD, "no INIT");
	struct xfer_check v = { 0 };
	sftpparse_init(&p, xfer_check_event, &v);
	sftpparse_server(&p, (const uint8_t *)"\0\0\0\x05\x02\0\0\0\x06", 9);
	check_unparsed(&v, 0, XFER_DOWNLOAD, "SFTP version other than 3");
	/* too many open files */
	struct xfer_check m = { 0 };
	begin();
	for (uint32_t i = 0; i <= SFTP_FILES_MAX; i++)
		pkt('c', 3, "usuu", U(i), "/tmp/many", U(1), U(0));
	sftpparse_init(&p, xfer_check_event, &m);
	play(&p, 0, 1);
	check_unparsed(&m, 0, XFER_UPLOAD, "too many open files");
	/* a path longer than SFTP_PATH_MAX - 1 (and the longest that fits, the control) */
	static char longpath[SFTP_PATH_MAX + 1];
	memset(longpath, 'p', SFTP_PATH_MAX);
	struct xfer_check l = { 0 };
	begin();
	pkt('c', 3, "usuu", U(1), longpath + 1, U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "a");
	pkt('c', 4, "us", U(2), "a");
	pkt('c', 3, "usuu", U(3), longpath, U(0x1a), U(0));
	sftpparse_init(&p, xfer_check_event, &l);
	play(&p, 0, 1);
	CHECK(l.n == 2 && strlen(l.path[0]) == SFTP_PATH_MAX - 1 && l.reason[0] == NULL);
	check_unparsed(&l, 1, XFER_UPLOAD, "bad OPEN (or its path too long)");
}

static void test_end_inside_data(void)
{
	static struct sftpparse p;
	struct xfer_check g = { 0 };
	begin();
	pkt('c', 3, "usuu", U(1), "/tmp/cut", U(0x1a), U(0));
	pkt('s', 102, "us", U(1), "c");
	pkt('c', 6, "usqd", U(2), "c", Q(0), "0123456789", (size_t)10);
	sftpparse_init(&p, xfer_check_event, &g);
	order_end[norder - 1] -= 4; /* the last 4 data bytes never come */
	play(&p, 0, 1);
	CHECK(g.n == 1 && !strcmp(g.path[0], "/tmp/cut") && g.reason[0] && !strcmp(g.reason[0], "incomplete") &&
	      !g.sha_known[0]);
}

int main(void)
{
	RUN(test_upload);
	RUN(test_download_pipelined);
	RUN(test_empty_files_and_no_data_handles);
	RUN(test_out_of_order_and_reuse);
	RUN(test_server_side_copy);
	RUN(test_failed_opens_free_slots);
	RUN(test_unparsed);
	RUN(test_end_inside_data);
	UT_END();
}
