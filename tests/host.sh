#!/bin/sh
# Owns: the host tests with real peers in network namespaces (the test bed is
# tests/host/topology.sh). Each suite is one file in tests/host/, its checks
# named after it, so a failure's name says what broke:
#   mfa       the second factor (codes, replay, lockout, remember, fail-closed)
#   kex       algorithms OpenSSH negotiates and the box offers, SHA-1 refused, ssh-audit
#   clients   paramiko (key + TOTP, AES-CTR with encrypt-then-MAC) and plink through direct-tcpip
#   channels  channel policy, forwarding off, data through the jump
#   firewall  egress policy, pinholes, restarts, blocked egress audited
#   auditfail a failing spool sync (injected with strace): no pinhole without
#             a durable record, a revoked pinhole's connections cut
#   menu      the jump menu
#   relay     recorded sessions' front: USER+TARGET login names, dbclient with
#             a pinned host key, jumpmenu handing the session to the recorder
#   spool     audit records, floods bounded, crash recovery, spool full
#   scale     300 sessions ending at once all recorded, 50 logins from one
#             address, a pre-auth flood that keeps nobody else out
#   recording recorded sessions through jumprec: keys, pins, exec and pty
#             sessions and their records and export, admin list/watch/end,
#             the recorder killed, storage full, scp/sftp through it
#   sockets   who may connect to jumpd's and the firewall helper's sockets
#             (EACCES for the others), local floods that keep nobody out
#             and a console bound on the refusals
#   sandbox   the seccomp filters: a forbidden call injected into each real
#             service kills it (SIGSYS), audited as a restart
# The suites run in this order on one test bed (later ones read records the
# earlier ones made: session ends, the logins of the spool checks).
# Usage: host.sh [SUITE...]   the tests (all suites by default)
#        host.sh bench N      scale (idle sessions and their PSS, channel
#                             burst, 50 logins from one address, flood:
#                             bench_scale.sh), server CPU per login and
#                             channel open cost against OpenSSH as the jump
#                             host (`make bench`)
set -u
MODE=test NBENCH=20 SUITES="mfa kex clients channels firewall auditfail menu relay spool scale recording sockets sandbox"
if [ "${1:-}" = bench ]; then
	MODE=bench NBENCH=${2:-20}
elif [ $# -gt 0 ]; then
	SUITES=$*
fi
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/host-results
. "$TOP/tests/lib.sh"
for s in $SUITES; do
	[ -f "$TOP/tests/host/$s.sh" ] || { echo "host.sh: no suite '$s' (tests/host/$s.sh)" >&2; exit 2; }
done
SUITE=host
. "$TOP/tests/host/topology.sh"
if [ "$MODE" = bench ]; then
	# BENCH_PARTS: a subset while working on one (default all three)
	for part in ${BENCH_PARTS:-throughput scale logins}; do
		case $part in
		throughput) . "$TOP/tests/host/bench_throughput.sh" ;; # with bench_recording.sh
		scale) . "$TOP/tests/host/bench_scale.sh" ;;
		logins) . "$TOP/tests/host/bench.sh" ;;
		*) echo "host.sh: no bench part '$part' (throughput scale logins)" >&2 ;;
		esac
	done
	exit 0
fi
for SUITE in $SUITES; do
	progress "host suite $SUITE"
	. "$TOP/tests/host/$SUITE.sh"
done
results_summary
