/* testutil: what init's unit tests share: a scratch directory, files in it,
 * and a site configuration that passes the checks. Test code only. */
#ifndef JB_INIT_TESTUTIL_H
#define JB_INIT_TESTUTIL_H
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEST_KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX demo@x"
#define TEST_SECRET "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

static char test_dirs[16][256];
static unsigned test_ndirs;

static inline int test_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static inline void test_remove_dirs(void)
{
	for (unsigned i = 0; i < test_ndirs; i++)
		nftw(test_dirs[i], test_remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* a fresh directory under $TMPDIR (or /tmp), removed when the test ends */
static inline const char *test_dir(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	if (test_ndirs == sizeof test_dirs / sizeof test_dirs[0])
		return NULL;
	char *path = test_dirs[test_ndirs];
	snprintf(path, sizeof test_dirs[0], "%s/jb-%s-XXXXXX", tmp && tmp[0] ? tmp : "/tmp", tag);
	if (!mkdtemp(path))
		return NULL;
	if (test_ndirs++ == 0)
		atexit(test_remove_dirs);
	return path;
}

static inline int test_write(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f))
		rc = -1;
	return rc ? rc : chmod(path, mode);
}

/* the whole of a small file, NUL-terminated, in a static buffer ("" if none) */
static inline const char *test_read(const char *path)
{
	static char buf[8192];
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}
#endif
