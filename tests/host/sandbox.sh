# tests/host/sandbox.sh: the services' seccomp filters (jumpd/common/sandbox.h),
# sourced by tests/host.sh. Each long-lived service runs as the bed runs it
# (own uid, init's capabilities); tests/host/sysinject (ptrace) makes the
# real process execute one system call: one its list has (getpid: the
# positive control, the process lives on and answers) and one no list has
# (ptrace): the process must die of SIGSYS at that call. The firewall
# helper runs under tests/host/svcwatch, the supervisor's own restart path
# (service table and exit report): the kill must reach the audit trail as
# SERVICE_RESTART status="signal-SIGSYS", and the helper come back.
SI=$TOP/out/test/sysinject SW=$TOP/out/test/svcwatch
NR_GETPID=39 NR_PTRACE=101 NR_BIND=49 NR_FALLOCATE=285
make -s -C "$TOP" out/test/sysinject out/test/svcwatch > "$T/sandbox-build.log" 2>&1 ||
	fail sandbox/tools-build "$(tail -3 "$T/sandbox-build.log")"

# sb_check NAME DETAIL EXPR: EXPR (a shell expression) or fail with DETAIL
sb_check() {
	name=$1 detail=$2; shift 2
	if eval "$@"; then pass "sandbox/$name"; else fail "sandbox/$name" "$detail"; fi
}
# sandbox_allowed NAME PID: the listed call runs, the process lives on
sandbox_allowed() {
	out=$("$SI" "$2" $NR_GETPID 2>&1)
	sleep 0.5 # back in its interrupted call (restarted) and on
	if [ "$out" = "returned $2" ] && kill -0 "$2" 2>/dev/null; then
		pass "sandbox/$1-listed-call-runs"
	else
		fail "sandbox/$1-listed-call-runs" "sysinject said '$out'; alive: $(kill -0 "$2" 2>/dev/null && echo yes || echo no)"
	fi
}
# sandbox_killed NAME PID: the unlisted call kills it: SIGSYS at that very
# call is the filter's (nobody else sends it). The kernel's own record
# (type=1326, pid and call) is shown when it fails, not required: the
# kernel rate-limits those lines ("callbacks suppressed") when the machine
# makes many
sandbox_killed() { # NAME PID [NR: instead of ptrace's]
	nr=${3:-$NR_PTRACE}
	out=$("$SI" "$2" $nr 2>&1)
	for _ in $(seq 50); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
	alive=$(kill -0 "$2" 2>/dev/null && echo yes || echo no)
	seen=$(dmesg 2>/dev/null | grep "type=1326" | grep " pid=$2 " | grep -c " sig=31 .*syscall=$NR_PTRACE ")
	if [ "$out" = "killed SIGSYS" ] && [ "$alive" = no ]; then
		pass "sandbox/$1-unlisted-call-kills"
	else
		fail "sandbox/$1-unlisted-call-kills" "sysinject said '$out'; alive after 5 s: $alive; kernel seccomp records for pid $2: ${seen:-0}"
	fi
}

# ---- jumpd: killed, the shell (its parent here) sees SIGSYS; a new one starts
jpid=$(cat "$T/jumpd.run")
sandbox_allowed jumpd "$jpid"
# still answering after the injected call: a login (gina: key only) goes through
login gina "$T/id"
sb_check jumpd-serves-after-listed-call "$(tr '\n' ' ' < "$T/out" | cut -c1-200)" 'grep -q in-as-gina "$T/out"'
sandbox_killed jumpd "$jpid"
wait "$jpid" 2>/dev/null; rc=$?
sb_check jumpd-killed-by-sigsys "exit status $rc" '[ $rc = $((128 + 31)) ]'
rm -f "$T/jumpd.run"
start_jumpd || fail sandbox/jumpd-restarts "$(tail -3 "$T/jumpd.log")"
# bind(2): its list no longer has it (nothing binds after the filter; the
# channels, recording and auditfail suites run jumpd's revokes under it)
jpid=$(cat "$T/jumpd.run")
sandbox_killed jumpd-bind "$jpid" $NR_BIND
kill "$jpid" 2>/dev/null # still alive: the call was let through (the check then fails, not hangs)
wait "$jpid" 2>/dev/null; rc=$?
sb_check jumpd-bind-killed-by-sigsys "exit status $rc" '[ $rc = $((128 + 31)) ]'
rm -f "$T/jumpd.run"
start_jumpd || fail sandbox/jumpd-restarts-again "$(tail -3 "$T/jumpd.log")"

# ---- jumpfw under the supervisor's restart path
kill "$(cat "$T/fw.run")" 2>/dev/null; wait "$(cat "$T/fw.run")" 2>/dev/null
in_bastion "$SW" /run/jumpd/ctl.sock jumpfw "$(command -v setpriv)" --reuid $FW_UID --regid $FW_UID --init-groups --no-new-privs \
	--inh-caps +net_admin --ambient-caps +net_admin --bounding-set -all,+net_admin \
	"$BIN/jumpfw" -i jbm-bc -p 22 -S 10.89.2.0/24 -S fd89:2::/64 -u $JUMPD_UID -r /run/fw \
	-j /run/jumpd/auth.sock > "$T/svcwatch.out" 2>> "$T/fw.log" &
SWPID=$!
fpid=
for _ in $(seq 50); do
	fpid=$(sed -n '1s/^started //p' "$T/svcwatch.out")
	[ -n "$fpid" ] && in_bastion test -S /run/fw/fw.sock && break
	sleep 0.1
done
sleep 0.3 # listening comes just before the filter: let it reach its loop
sandbox_allowed jumpfw "$fpid"
restarts_before=$(grep -c 'SERVICE_RESTART.* service="jumpfw" status="signal-SIGSYS"' "$T/state/audit.spool")
sandbox_killed jumpfw "$fpid"
for _ in $(seq 150); do grep -q '^started' "$T/svcwatch.out" && [ "$(grep -c '^started' "$T/svcwatch.out")" -ge 2 ] && break; sleep 0.1; done
wait $SWPID 2>/dev/null
restarts_after=$(grep -c 'SERVICE_RESTART.* service="jumpfw" status="signal-SIGSYS"' "$T/state/audit.spool")
sb_check jumpfw-kill-audited-as-restart \
	"svcwatch said: $(tr '\n' ' ' < "$T/svcwatch.out"); SERVICE_RESTART signal-SIGSYS records for jumpfw: $restarts_before before, $restarts_after after" \
	'[ "$(sed -n 2p "$T/svcwatch.out")" = "ended signal-SIGSYS" ] && [ "$(sed -n 3p "$T/svcwatch.out")" = "reported ok" ] && [ "$restarts_after" -gt "$restarts_before" ]'
npid=$(sed -n '4s/^started //p' "$T/svcwatch.out")
for _ in $(seq 50); do in_bastion test -S /run/fw/fw.sock && break; sleep 0.1; done
sb_check jumpfw-restarted-after-kill "svcwatch said: $(tr '\n' ' ' < "$T/svcwatch.out")" \
	'[ -n "$npid" ] && [ "$npid" != "$fpid" ] && kill -0 "$npid" 2>/dev/null && in_bastion test -S /run/fw/fw.sock'
# the restarted helper is a filtered, working one: the listed call runs, it lives on
[ -n "$npid" ] && sandbox_allowed jumpfw-restarted "$npid"
# the bed's helper from here on is the restarted one (not this shell's child)
echo "$npid" > "$T/fw.run"

# ---- jumprec (its list is also what dbclient needs: the recording suite ran under it)
REC_UID=${REC_UID:-106} RS=$T/sandbox-rec
mkdir -p "$RS"; chown $REC_UID:$REC_UID "$RS"; chmod 700 "$RS"
in_bastion sh -c "mkdir -p /run/rec && chown $REC_UID:$REC_UID /run/rec && chmod 755 /run/rec"
. "$TOP/tests/host/rec_bed.sh"
if start_rec 16 1; then
	rpid=$(cat "$T/jumprec.run")
	sandbox_allowed jumprec "$rpid"
	sandbox_killed jumprec "$rpid"
	wait "$rpid" 2>/dev/null; rc=$?
	sb_check jumprec-killed-by-sigsys "exit status $rc" '[ $rc = $((128 + 31)) ]'
else
	fail sandbox/jumprec-starts "$(tail -3 "$T/jumprec.log")"
fi

# ---- jumpship: a collector that does not answer; it waits in its loop
SB=$T/sandbox-ship SHIP_UID=105
mkdir -p "$SB/state" "$SB/run"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=sandbox-ca \
	-keyout "$SB/ca.key" -out "$SB/ca.pem" > /dev/null 2>&1
cp "$T/state/audit.spool" "$SB/spool"
printf '[system]\nhostname = bastion-test\n[syslog]\ncollector = 10.89.2.2\nport = 6514\nserver-name = collector.test\nca = %s\n' \
	"$SB/ca.pem" > "$SB/ship.conf"
chown -R $SHIP_UID:$SHIP_UID "$SB"
# sandbox_ship NAME [NR]: a jumpship in its loop; the listed call runs (the
# first time), the unlisted one (ptrace, or NR) kills it
sandbox_ship() {
	: > "$T/sandbox-ship.log"
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $SHIP_UID --regid $SHIP_UID --clear-groups --no-new-privs --inh-caps -all --bounding-set -all \
		"$BIN/jumpship" -c "$SB/ship.conf" -f "$SB/spool" -s "$SB/state" -r "$SB/run" -j /run/jumpd/auth.sock -B 1 \
		> "$T/sandbox-ship.log" 2>&1 &
	spid=$!
	for _ in $(seq 50); do grep -q "jumpship: shipping" "$T/sandbox-ship.log" && break; sleep 0.1; done
	sleep 0.5 # past the filter, into its connect/backoff loop
	if grep -q "jumpship: shipping" "$T/sandbox-ship.log"; then
		[ -z "${2:-}" ] && sandbox_allowed jumpship "$spid"
		sandbox_killed "$1" "$spid" ${2:-}
		kill "$spid" 2>/dev/null # still alive: let through (fails, not hangs)
		wait "$spid" 2>/dev/null; rc=$?
		sb_check "$1-killed-by-sigsys" "exit status $rc; $(tail -2 "$T/sandbox-ship.log" | tr '\n' ' ')" '[ $rc = $((128 + 31)) ]'
	else
		fail "sandbox/$1-starts" "$(tail -3 "$T/sandbox-ship.log")"
		kill "$spid" 2>/dev/null
	fi
}
sandbox_ship jumpship
# fallocate: reclaiming is jumpd's, the shipper's list no longer has it
sandbox_ship jumpship-fallocate $NR_FALLOCATE

# ---- Dropbear's connection process before authentication (its deny-list,
# jumpd/dropbear/jb-sandbox.c): a client that connected and sent nothing
before=$(pgrep -P "$(cat "$T/dropbear.run")" | sort -n | tail -1)
ip netns exec $C python3 -c 'import socket, sys, time
s = socket.create_connection((sys.argv[1], 22)); time.sleep(15)' $BASTION &
holder=$!
cpid=
for _ in $(seq 50); do
	cpid=$(pgrep -P "$(cat "$T/dropbear.run")" | sort -n | tail -1)
	[ -n "$cpid" ] && [ "$cpid" != "$before" ] && break
	cpid=; sleep 0.1
done
if [ -n "$cpid" ]; then
	sleep 0.3 # past svr_session's start: in select(), waiting for the client's version line
	sandbox_allowed dropbear-preauth "$cpid"
	sandbox_killed dropbear-preauth "$cpid"
else
	fail sandbox/dropbear-preauth-connection-seen "no new connection process under the listener $(cat "$T/dropbear.run")"
fi
kill $holder 2>/dev/null; wait $holder 2>/dev/null
