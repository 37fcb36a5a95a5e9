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

step() { echo "== $* [$(( $(date +%s) - JB_T0 ))s]"; }

step "build (the first build compiles the kernel: about 10 minutes on 2 cores)"
t0=$(date +%s)
# each component's line as it starts, and a heartbeat every minute (the kernel
# step is long and silent: the count of its compiled objects shows it moves)
rm -f out/test/build.rc
{ make -s image 2>&1; echo $? > out/test/build.rc; } | tee out/test/build.log | while IFS= read -r line; do
	case $line in "  "[A-Z]*) progress "${line#  }" ;; esac
done &
build_pipe=$!
while kill -0 $build_pipe 2>/dev/null; do
	for _ in $(seq 60); do kill -0 $build_pipe 2>/dev/null && sleep 1; done
	kill -0 $build_pipe 2>/dev/null || break
	objs=$(find "${JB_CACHE:-$HOME/.cache/jumpbox}"/build/linux-* -name '*.o' 2>/dev/null | wc -l)
	progress "still building: $(tail -1 out/test/build.log | cut -c1-70) (kernel objects so far: $objs)"
done
wait $build_pipe
if [ "$(cat out/test/build.rc 2>/dev/null)" = 0 ]; then
	pass build/image
else
	tail -30 out/test/build.log
	fail build/image "see out/test/build.log"
fi
t1=$(date +%s)
step "unit tests"
tests/unit.sh
step "transfer parsers between OpenSSH's sftp/scp clients and servers (sha256 of every file)"
tests/transfer.sh
step "recording export: a synthetic session through rec-export, played by asciinema"; tests/recexport.sh
step "host tests in network namespaces: MFA, channels, firewall, menu, audit spool (OpenSSH client and server, oathtool)"
tests/host.sh
step "audit shipping in network namespaces (rsyslog with TLS as the collector)"; tests/ship.sh
step "artefact checks"
tests/static.sh
step "static analysis"
tests/lint.sh
step "image tests (QEMU)"
tests/image.sh
step "reproducibility"
tests/repro.sh quick
step "fuzz (short run on the seed corpus)"
tests/fuzz.sh ${FUZZ_SECONDS:-20}

echo
echo "total time: $(( $(date +%s) - JB_T0 ))s"
echo "build time: $((t1 - t0))s (this run; cached outputs are reused)"
[ -f images/jumpbox.efi ] && echo "images/jumpbox.efi: $(stat -c %s images/jumpbox.efi) bytes"
[ -f images/jumpbox.img ] && echo "images/jumpbox.img: $(stat -c %s images/jumpbox.img) bytes"
cat out/test/image/boot-time 2>/dev/null
grep '^SKIP' "$RESULTS" | sed 's/^SKIP/skipped:/'
grep '^FAIL' "$RESULTS" | sed 's/^FAIL/failed:/'
p=$(grep -c '^PASS' "$RESULTS"); f=$(grep -c '^FAIL' "$RESULTS"); s=$(grep -c '^SKIP' "$RESULTS")
if [ "$s" -gt 0 ]; then echo "$p passed, $f failed, $s skipped"; else echo "$p passed, $f failed"; fi
[ "$f" = 0 ]
