#!/bin/sh
# Owns: `make test`. Builds the image (timed), then runs the unit tests
# (plain and ASan/UBSan), the artefact checks, the QEMU image tests and the
# reproducibility check, and ends with one line: N passed, N failed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
mkdir -p out/test
RESULTS=$TOP/out/test/results
export RESULTS
: > "$RESULTS"
. tests/lib.sh

echo "== build"
t0=$(date +%s)
if make -s image > out/test/build.log 2>&1; then
	pass build/image
else
	tail -30 out/test/build.log
	fail build/image "see out/test/build.log"
fi
t1=$(date +%s)
echo "== unit tests"
tests/unit.sh
echo "== host tests in network namespaces: MFA, channel policy, audit spool (OpenSSH client and server, oathtool)"
tests/mfa.sh
echo "== audit shipping in network namespaces (rsyslog with TLS as the collector)"; tests/ship.sh
echo "== artefact checks"
tests/static.sh
echo "== static analysis"
tests/lint.sh
echo "== image tests (QEMU)"
tests/image.sh
echo "== reproducibility"
tests/repro.sh quick
echo "== fuzz (short run on the seed corpus)"
tests/fuzz.sh ${FUZZ_SECONDS:-20}

echo
echo "build time: $((t1 - t0))s (this run; cached outputs are reused)"
[ -f images/jumpbox.efi ] && echo "images/jumpbox.efi: $(stat -c %s images/jumpbox.efi) bytes"
[ -f images/jumpbox.img ] && echo "images/jumpbox.img: $(stat -c %s images/jumpbox.img) bytes"
cat out/test/image/boot-time 2>/dev/null
grep '^SKIP' "$RESULTS" | sed 's/^SKIP/skipped:/'
grep '^FAIL' "$RESULTS" | sed 's/^FAIL/failed:/'
p=$(grep -c '^PASS' "$RESULTS"); f=$(grep -c '^FAIL' "$RESULTS"); s=$(grep -c '^SKIP' "$RESULTS")
if [ "$s" -gt 0 ]; then echo "$p passed, $f failed, $s skipped"; else echo "$p passed, $f failed"; fi
[ "$f" = 0 ]
