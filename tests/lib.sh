# tests/lib.sh: result bookkeeping shared by the test scripts (sourced).
# Results go to $RESULTS (one line each: PASS/FAIL/SKIP name [reason]).
: "${RESULTS:?}"
pass() { echo "PASS $1" >> "$RESULTS"; echo "  PASS  $1"; }
fail() { echo "FAIL $1 ${2:-}" >> "$RESULTS"; echo "  FAIL  $1 ${2:-}"; }
skip() { echo "SKIP $1 ${2:-}" >> "$RESULTS"; echo "  SKIP  $1 ${2:-}"; }
