#!/bin/sh
# Owns: static analysis of our C (jumpd/): cppcheck and clang-tidy must be
# clean. Disabled clang-tidy checks are listed, with reasons, in .clang-tidy;
# inline NOLINT/cppcheck-suppress comments carry their reason beside them.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
mkdir -p out/lint
STANDALONE_RESULTS=$TOP/out/lint/results
. tests/lib.sh
SRCS=$(find jumpd -name '*.c' | LC_ALL=C sort)
if cppcheck --quiet --enable=warning,style,performance,portability --error-exitcode=1 --inline-suppr \
	-D__linux__ --std=c11 jumpd/ > out/lint/cppcheck.out 2>&1; then
	pass "lint/cppcheck ($(echo "$SRCS" | wc -l) files)"
else
	fail lint/cppcheck "$(head -3 out/lint/cppcheck.out | tr '\n' ' ')"
fi
if clang-tidy --quiet $SRCS -- -std=c11 -D_GNU_SOURCE > out/lint/clang-tidy.out 2>&1; then
	pass "lint/clang-tidy ($(echo "$SRCS" | wc -l) files)"
else
	fail lint/clang-tidy "$(grep -m3 'error:' out/lint/clang-tidy.out | tr '\n' ' ')"
fi
results_summary
