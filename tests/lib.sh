# tests/lib.sh: result bookkeeping shared by the test scripts (sourced).
# Results go to $RESULTS (one line each: PASS/FAIL/SKIP name [reason]). Run
# alone (no $RESULTS from tests/run.sh), a script keeps its own file, set by
# STANDALONE_RESULTS before sourcing, and ends with results_summary.
STANDALONE=0
if [ -z "${RESULTS:-}" ]; then
	: "${STANDALONE_RESULTS:?}"
	mkdir -p "$(dirname "$STANDALONE_RESULTS")"
	RESULTS=$STANDALONE_RESULTS
	: > "$RESULTS"
	STANDALONE=1
fi
# prints "N passed, N failed" and fails if anything did, when run alone
results_summary() {
	[ "$STANDALONE" = 1 ] || return 0
	p=$(grep -c '^PASS' "$RESULTS" || true); f=$(grep -c '^FAIL' "$RESULTS" || true)
	echo "$p passed, $f failed"
	[ "$f" = 0 ]
}
pass() { echo "PASS $1" >> "$RESULTS"; echo "  PASS  $1"; }
fail() { echo "FAIL $1 ${2:-}" >> "$RESULTS"; echo "  FAIL  $1 ${2:-}"; }
skip() { echo "SKIP $1 ${2:-}" >> "$RESULTS"; echo "  SKIP  $1 ${2:-}"; }
# a progress line with the time since the run began (JB_T0, set by tests/run.sh
# or by the first script that needs it), so a long step shows it is alive
: "${JB_T0:=$(date +%s)}"
export JB_T0
progress() { echo "  [$(( $(date +%s) - JB_T0 ))s] $*"; }
