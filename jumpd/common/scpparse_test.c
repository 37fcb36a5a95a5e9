/* unit tests for scpparse.c: uploads and downloads of files and directory
 * trees (paths, sizes, SHA-256), fed whole and one byte at a time; refused
 * files; zero-length files; the source's read error; a stream cut in a
 * file; and each kind of malformed input reported once as "unparsed"
 * (with a positive control: the same session well-formed gives files). */
#include "scpparse.h"
#include "unittest.h"
#include "xferevent_check.h"
#include <string.h>

/* one step of a session: 'd' source bytes or 'r' sink bytes */
struct step {
	char who;
	const char *bytes;
	size_t len; /* 0: strlen */
};

static void play(struct scpparse *p, const struct step *s, size_t n, int bytewise)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = s[i].len ? s[i].len : strlen(s[i].bytes);
		for (size_t off = 0; off < len; off += bytewise ? 1 : len) {
			size_t k = bytewise ? 1 : len;
			if (s[i].who == 'd')
				scpparse_data(p, (const uint8_t *)s[i].bytes + off, k);
			else
				scpparse_reply(p, (const uint8_t *)s[i].bytes + off, k);
		}
	}
	scpparse_end(p);
}

#define OK { 'r', "", 1 }
static const struct step upload_tree[] = {
	OK, { 'd', "T1700000000 0 1700000000 0\n", 0 }, OK,
	{ 'd', "D0755 0 proj\n", 0 }, OK,
	{ 'd', "C0644 5 a.txt\n", 0 }, OK, { 'd', "hello", 0 }, { 'd', "", 1 }, OK,
	{ 'd', "D0700 0 sub dir\n", 0 }, OK,
	{ 'd', "C0600 0 empty\n", 0 }, OK, { 'd', "", 1 }, OK,
	{ 'd', "C0644 3 b\n", 0 }, OK, { 'd', "x\0y\0", 4 }, OK,
	{ 'd', "E\n", 0 }, OK,
	{ 'd', "C0644 2 c\n", 0 }, OK, { 'd', "hi\0", 3 }, OK,
	{ 'd', "E\n", 0 }, OK,
	{ 'd', "C0644 1 top\n", 0 }, OK, { 'd', "!\0", 2 }, OK,
};

static void check_tree(const struct xfer_check *g)
{
	CHECK(g->n == 5);
	CHECK(!strcmp(g->path[0], "/tmp/proj/a.txt") && g->size[0] == 5 && xfer_sha_is(g->sha[0], "hello", 5));
	CHECK(!strcmp(g->path[1], "/tmp/proj/sub dir/empty") && g->size[1] == 0 && xfer_sha_is(g->sha[1], "", 0));
	CHECK(!strcmp(g->path[2], "/tmp/proj/sub dir/b") && g->size[2] == 3 && xfer_sha_is(g->sha[2], "x\0y", 3));
	CHECK(!strcmp(g->path[3], "/tmp/proj/c") && g->size[3] == 2 && xfer_sha_is(g->sha[3], "hi", 2));
	CHECK(!strcmp(g->path[4], "/tmp/top") && g->size[4] == 1 && xfer_sha_is(g->sha[4], "!", 1));
	for (int i = 0; i < g->n && i < 5; i++)
		CHECK(g->sha_known[i] && g->reason[i] == NULL);
}

static void test_upload_tree(void)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct scpparse p;
		struct xfer_check g = { 0 };
		scpparse_init(&p, XFER_UPLOAD, "/tmp/", xfer_check_event, &g);
		play(&p, upload_tree, sizeof upload_tree / sizeof *upload_tree, bytewise);
		check_tree(&g);
	}
}

static void test_download_paths(void)
{
	static const struct step one[] = { OK, { 'd', "C0644 3 hosts\n", 0 }, OK, { 'd', "127\0", 4 }, OK };
	static const char *const args[][2] = {
		{ "/etc/hosts", "/etc/hosts" }, { "hosts", "hosts" }, { "/hosts", "/hosts" }, { "a/b//", "a/hosts" },
		{ "/etc/*", "/etc/hosts" },
	};
	for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
		struct scpparse p;
		struct xfer_check g = { 0 };
		scpparse_init(&p, XFER_DOWNLOAD, args[i][0], xfer_check_event, &g);
		play(&p, one, sizeof one / sizeof *one, 0);
		CHECK(g.n == 1 && !strcmp(g.path[0], args[i][1]) && g.size[0] == 3 && xfer_sha_is(g.sha[0], "127", 3));
	}
	/* upload into the home directory (scp's "." target) and into / */
	struct scpparse p;
	struct xfer_check g = { 0 };
	scpparse_init(&p, XFER_UPLOAD, ".", xfer_check_event, &g);
	play(&p, one, sizeof one / sizeof *one, 0);
	scpparse_init(&p, XFER_UPLOAD, "/", xfer_check_event, &g);
	play(&p, one, sizeof one / sizeof *one, 0);
	CHECK(g.n == 2 && !strcmp(g.path[0], "./hosts") && !strcmp(g.path[1], "/hosts"));
}

static void test_refused_and_failed_files(void)
{
	static const struct step s[] = {
		OK,
		/* the sink cannot open it: no content follows */
		{ 'd', "C0644 5 denied\n", 0 }, { 'r', "\1scp: denied: Permission denied\n", 0 },
		/* a refused directory: nothing is entered */
		{ 'd', "D0755 0 nodir\n", 0 }, { 'r', "\1scp: nodir: File exists\n", 0 },
		/* the source could not read it: bytes follow, then an error */
		{ 'd', "C0644 3 unreadable\n", 0 }, OK, { 'd', "\0\0\0\1scp: unreadable: I/O error\n", 31 }, OK,
		{ 'd', "C0644 2 ok\n", 0 }, OK, { 'd', "ok\0", 3 }, { 'r', "\1scp: ok: No space left\n", 0 },
		/* cut in the middle of a file */
		{ 'd', "C0644 10 cut\n", 0 }, OK, { 'd', "12345", 0 },
	};
	struct scpparse p;
	struct xfer_check g = { 0 };
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
	play(&p, s, sizeof s / sizeof *s, 0);
	CHECK(g.n == 3);
	CHECK(!strcmp(g.path[0], "/srv/unreadable") && g.size[0] == 3 && !g.sha_known[0] &&
	      g.reason[0] && !strcmp(g.reason[0], "incomplete"));
	CHECK(!strcmp(g.path[1], "/srv/ok") && g.sha_known[1] && g.reason[1] == NULL);
	CHECK(!strcmp(g.path[2], "/srv/cut") && g.size[2] == 5 && !g.sha_known[2] &&
	      g.reason[2] && !strcmp(g.reason[2], "incomplete"));
}

static void test_fatal_ends_quietly(void)
{
	static const struct step s[] = {
		OK, { 'd', "C0644 1 a\n", 0 }, { 'r', "\2scp: fatal\n", 0 }, { 'd', "garbage", 0 },
	};
	struct scpparse p;
	struct xfer_check g = { 0 };
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
	play(&p, s, sizeof s / sizeof *s, 0);
	CHECK(g.n == 0);
}

static void test_malformed_unparsed_once(void)
{
	static const char *const bad[] = {
		"C06x4 5 a\n", "C0644 5 a/b\n", "C0644 5 ..\n", "C0644 5 .\n", "C0644 5 \n", "C0644  a\n",
		"C0644 99999999999999999999 a\n", "C644 5 a\n", "X\n", "E extra\n", "T1 2 3\n", "Tx 0 1 0\n",
		"No match.\n", "D0755 0 a\0b\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct scpparse p;
		struct xfer_check g = { 0 };
		size_t len = i == sizeof bad / sizeof *bad - 1 ? 12 : strlen(bad[i]); /* the last holds a NUL */
		scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
		scpparse_reply(&p, (const uint8_t *)"", 1);
		scpparse_data(&p, (const uint8_t *)bad[i], len);
		/* what follows is not read: one event only */
		scpparse_reply(&p, (const uint8_t *)"", 1);
		scpparse_data(&p, (const uint8_t *)"C0644 1 z\n", 10);
		scpparse_end(&p);
		CHECK(g.n == 1 && g.reason[0] && !strcmp(g.reason[0], "unparsed") && !strcmp(g.path[0], "-") &&
		      g.size[0] == -1 && !g.sha_known[0] && g.detail[0]);
		if (g.n != 1)
			printf("  case %zu: %d events\n", i, g.n);
	}
	/* out of turn: data before the ready answer, an answer nobody waits for,
	 * a control line that never ends */
	struct scpparse p;
	struct xfer_check g = { 0 };
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
	scpparse_data(&p, (const uint8_t *)"C0644 1 a\n", 10);
	CHECK(g.n == 1 && !strcmp(g.detail[0], "data before the answer it waits for"));
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
	scpparse_reply(&p, (const uint8_t *)"\0\0", 2);
	CHECK(g.n == 2 && !strcmp(g.detail[1], "answer out of turn"));
	static char long_line[SCP_LINE_MAX + 10];
	memset(long_line, 'a', sizeof long_line);
	long_line[0] = 'C';
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &g);
	scpparse_reply(&p, (const uint8_t *)"", 1);
	scpparse_data(&p, (const uint8_t *)long_line, sizeof long_line);
	CHECK(g.n == 3 && !strcmp(g.detail[2], "control line too long"));
	/* the positive control: the same parser takes a well-formed line */
	struct xfer_check ok = { 0 };
	scpparse_init(&p, XFER_UPLOAD, "/srv", xfer_check_event, &ok);
	play(&p, (const struct step[]){ OK, { 'd', "C0644 1 z\n", 0 }, OK, { 'd', "z\0", 2 }, OK }, 5, 0);
	CHECK(ok.n == 1 && ok.reason[0] == NULL && !strcmp(ok.path[0], "/srv/z"));
}

static void test_limits(void)
{
	static char arg[SCP_PATH_MAX + 1];
	struct scpparse p;
	struct xfer_check g = { 0 };
	memset(arg, 'a', SCP_PATH_MAX);
	scpparse_init(&p, XFER_UPLOAD, arg, xfer_check_event, &g);
	CHECK(g.n == 1 && !strcmp(g.detail[0], "path argument too long"));
	/* directories deeper than SCP_DEPTH_MAX */
	scpparse_init(&p, XFER_UPLOAD, "/", xfer_check_event, &g);
	scpparse_reply(&p, (const uint8_t *)"", 1);
	for (int i = 0; i <= SCP_DEPTH_MAX && g.n == 1; i++) {
		scpparse_data(&p, (const uint8_t *)"D0755 0 d\n", 10);
		scpparse_reply(&p, (const uint8_t *)"", 1);
	}
	CHECK(g.n == 2 && !strcmp(g.detail[1], "directories too deep"));
}

static void test_command(void)
{
	static const struct {
		const char *cmd, *path;
		enum xfer_dir dir;
	} ok[] = {
		{ "scp -t /tmp/", "/tmp/", XFER_UPLOAD },
		{ "scp -v -r -p -d -t -- -odd name", "-odd name", XFER_UPLOAD },
		{ "scp -f /etc/hosts", "/etc/hosts", XFER_DOWNLOAD },
		{ "scp -r -f /srv/my dir", "/srv/my dir", XFER_DOWNLOAD },
		{ "scp -pf x", "x", XFER_DOWNLOAD },
	};
	static const char *const bad[] = {
		"scp /tmp", "scp -t", "scp -t ", "scp -t -f x", "sftp -t x", "scp -x", "scp -t1 x", "scp  -t x",
		"rsync --server -t x", "scp -tf x",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		enum xfer_dir dir = (enum xfer_dir)-1;
		const char *path = NULL;
		CHECK(scpparse_command(ok[i].cmd, &dir, &path) == 0 && dir == ok[i].dir && path && !strcmp(path, ok[i].path));
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		enum xfer_dir dir;
		const char *path;
		CHECK(scpparse_command(bad[i], &dir, &path) == -1);
		if (scpparse_command(bad[i], &dir, &path) == 0)
			printf("  taken: %s\n", bad[i]);
	}
}

int main(void)
{
	RUN(test_command);
	RUN(test_upload_tree);
	RUN(test_download_paths);
	RUN(test_refused_and_failed_files);
	RUN(test_fatal_ends_quietly);
	RUN(test_malformed_unparsed_once);
	RUN(test_limits);
	UT_END();
}
