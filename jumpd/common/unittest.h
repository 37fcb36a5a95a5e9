/* unittest: the smallest test harness that reports per test case.
 * Each TEST prints "PASS name" or "FAIL name: file:line: expr"; tests/unit.sh
 * counts those lines. A test binary exits non-zero if any case failed. */
#ifndef JB_UNITTEST_H
#define JB_UNITTEST_H
#include <stdio.h>

static int ut_failed_cases, ut_case_failed;
static const char *ut_case;

#define CHECK(expr) do { if (!(expr)) { \
	if (!ut_case_failed) printf("FAIL %s: %s:%d: %s\n", ut_case, __FILE__, __LINE__, #expr); \
	ut_case_failed = 1; } } while (0)

#define RUN(fn) do { ut_case = #fn; ut_case_failed = 0; fn(); \
	if (ut_case_failed) ut_failed_cases++; else printf("PASS %s\n", #fn); } while (0)

#define UT_END() return ut_failed_cases ? 1 : 0
#endif
