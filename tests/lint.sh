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
# docs/architecture.md's generated tables are what build/arch-doc.sh makes of the code now
for t in verbs events; do
	sed -n "/^<!-- generated: build\/arch-doc.sh $t -->\$/,/^<!-- end generated -->\$/p" docs/architecture.md | sed '1d;$d' > out/lint/arch-$t.doc
	if build/arch-doc.sh $t > out/lint/arch-$t.code 2> out/lint/arch-$t.err && [ -s out/lint/arch-$t.doc ] &&
		cmp -s out/lint/arch-$t.doc out/lint/arch-$t.code; then
		pass "lint/architecture-doc-$t-table-matches-code"
	else
		fail "lint/architecture-doc-$t-table-matches-code" "$(cat out/lint/arch-$t.err) $(diff out/lint/arch-$t.doc out/lint/arch-$t.code | head -4 | tr '\n' ' ') (regenerate with build/arch-doc.sh $t)"
	fi
done
# no include circles among our headers and sources
if python3 tests/include_cycles.py jumpd > out/lint/includes.out 2>&1; then
	pass lint/no-include-circles
else
	fail lint/no-include-circles "$(head -3 out/lint/includes.out | tr '\n' ' ')"
fi
results_summary
