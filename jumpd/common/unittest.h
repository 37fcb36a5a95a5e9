/* unittest: the smallest test harness that reports per test case.
 * Each TEST prints "PASS name" or "FAIL name: file:line: expr"; tests/unit.sh
 * counts those lines. A test binary exits non-zero if any case failed.
 * ut_path gives tests that need files a scratch directory of their own. */
#ifndef JB_UNITTEST_H
#define JB_UNITTEST_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int ut_failed_cases, ut_case_failed;
static const char *ut_case;

#define CHECK(expr) do { if (!(expr)) { \
	if (!ut_case_failed) printf("FAIL %s: %s:%d: %s\n", ut_case, __FILE__, __LINE__, #expr); \
	ut_case_failed = 1; } } while (0)

#define RUN(fn) do { ut_case = #fn; ut_case_failed = 0; fn(); \
	if (ut_case_failed) ut_failed_cases++; else printf("PASS %s\n", #fn); } while (0)

#define UT_END() return ut_failed_cases ? 1 : 0

/* File helpers are static inline, so that a test binary needing no files
 * compiles without unused-function warnings. */
static inline char *ut_scratch_dir(void)
{
	static char ut_dir[] = "/tmp/jb-unit-XXXXXX";
	return ut_dir;
}

static inline void ut_remove_scratch_dir(void)
{
	rmdir(ut_scratch_dir());
}

/* Writes into out the path of `name` in a scratch directory under /tmp,
 * made for this test binary on first use (the binary exits if it cannot
 * be) and removed at exit if the tests left it empty. */
static inline void ut_path(char *out, size_t cap, const char *name)
{
	static int made;
	if (!made) {
		if (!mkdtemp(ut_scratch_dir())) {
			perror("unittest: mkdtemp");
			exit(1);
		}
		atexit(ut_remove_scratch_dir);
		made = 1;
	}
	snprintf(out, cap, "%s/%s", ut_scratch_dir(), name);
}
#endif
