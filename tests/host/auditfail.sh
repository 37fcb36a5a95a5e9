# tests/host/auditfail.sh: the audit fail window (security finding 3, issue #18
# item 2): a channel's pinhole opens only behind a durable CHANNEL record, and
# a pinhole jumpd cannot stand by is revoked with the connections it let
# through. The spool's fdatasync is made to fail (EIO, after a 1.5 s delay:
# the window a racing process would use) by strace attached to the real jumpd,
# which runs here on a spool of its own (so the syncs counted are this suite's
# alone). Each case: a user's own process asks for a channel and meanwhile
# connects to the target itself. Sourced by tests/host.sh; checks "auditfail/...".
AF=$T/auditfail AFC=$TOP/tests/host/af_client.py
mkdir -p "$AF/state"; chown $JUMPD_UID:$JUMPD_UID "$AF/state"; chmod 700 "$AF/state"
af_pins() { in_bastion nft list set inet jumpbox pin4 2>/dev/null | grep -o '10\.89\.[0-9.]* \. [0-9]* \. [0-9]*'; }
af_ct() { in_bastion cat /proc/net/nf_conntrack 2>/dev/null; } # this namespace's conntrack table
af_val() { sed -n "s/^$1 //p" "$2" | head -1; }
# af_case NAME USER HOLD_S [WHEN]: the client as USER; with WHEN, the WHEN-th
# fdatasync of the spool after strace attaches fails (EIO, 1.5 s late)
af_case() {
	name=$1 u=$2 hold=$3 when=${4:-}
	: > "$AF/$name.out"
	if [ -n "$when" ]; then
		strace -qq -p "$(cat "$T/jumpd.run")" -P "$AF/state/audit.spool" -e trace=fdatasync -e signal=none \
			-e inject=fdatasync:error=EIO:delay_enter=1500000:when=$when -o "$AF/$name.strace" 2> "$AF/$name.strace.err" &
		echo $! > "$AF/strace.run"
		# attached once the kernel names jumpd's tracer (deadline 5 s)
		for _ in $(seq 50); do [ "$(awk '/^TracerPid/ { print $2 }' /proc/"$(cat "$T/jumpd.run")"/status)" != 0 ] && break; sleep 0.1; done
	fi
	eval "uid=\$UID_$u"
	in_bastion setpriv --reuid "$uid" --regid "$uid" --init-groups /usr/bin/python3 "$AFC" "$u" 10.89.2.2 22 "$hold" \
		> "$AF/$name.out" 2>&1 &
	echo $! > "$AF/$name.run"
	for _ in $(seq 100); do grep -q '^alive' "$AF/$name.out" && break; sleep 0.1; done
	if [ -n "$when" ]; then kill "$(cat "$AF/strace.run")" 2>/dev/null; wait "$(cat "$AF/strace.run")" 2>/dev/null; fi
}
af_why() { echo "client: $(tr '\n' ' ' < "$AF/$1.out") strace: $(cat "$AF/$1.strace" 2>/dev/null | tr "\n" " ") pins: $(af_pins | tr '\n' ,) jumpd: $(tail -2 "$T/jumpd.log" | tr '\n' ' ')" > "$T/out"; }
af_no_flow() { # SPORT: no conntrack entry of that connection to the target survives
	! af_ct | grep -q "dst=10.89.2.2 sport=$1 dport=22 "
}

stop_jumpd
JSTATE=$AF/state start_jumpd || fail "$SUITE/jumpd-starts-on-its-own-spool" "$(tail -3 "$T/jumpd.log")"
# positive control: allowed, pinhole open, the connection carried and its flow marked with the uid
af_case control ivan 60
sp=$(af_val sport "$AF/control.out")
af_why control
check channel-allowed-pinhole-and-flow-marked 'af_val reply "$AF/control.out" | grep -q "^allow reason=granted" && af_pins | grep -qx "10.89.2.2 . 22 . $UID_ivan" && [ "$(af_val alive "$AF/control.out")" = yes ] && af_ct | grep "dst=10.89.2.2 sport=$sp dport=22 " | grep -q "mark=$UID_ivan "'
check pinhole-open-records-its-time 'grep "PINHOLE_OPEN .*user=\"ivan\"" "$AF/state/audit.spool" | tail -1 | grep -q "reason=\"channel\" pinhole_us=\"[0-9]*\""'
# the CHANNEL record's sync fails: the pinhole never opened, nobody got through
af_case record-sync-fails kim 0 1
sp=$(af_val sport "$AF/record-sync-fails.out")
af_why record-sync-fails
check record-sync-failure-refused-audit-unavailable 'af_val reply "$AF/record-sync-fails.out" | grep -qx "deny reason=audit-unavailable" && grep -q "INJECTED" "$AF/record-sync-fails.strace"'
check record-sync-failure-nothing-got-through 'af_val through-before-reply "$AF/record-sync-fails.out" | grep -q "^no [1-9]" && { [ "$sp" = - ] || af_no_flow "$sp"; } && [ "$(af_val alive "$AF/record-sync-fails.out")" = no ]'
check record-sync-failure-no-pinhole 'sleep 0.5; ! af_pins | grep -q " $UID_kim\$"'
# kim's tries were blocked: their summary comes within 10 s; wait for it, so
# no report's sync falls into the next case's count (deadline 25 s)
for _ in $(seq 125); do grep -q "EGRESS_BLOCKED .*uid=\"$UID_kim\"" "$AF/state/audit.spool" && break; sleep 0.2; done
# PINHOLE_OPEN's sync fails (the second of the round): the pinhole was open
# behind a durable CHANNEL record, a connection got through; then it is revoked
af_case pin-record-sync-fails harry 0 2
sp=$(af_val sport "$AF/pin-record-sync-fails.out")
af_why pin-record-sync-fails
check pinhole-record-sync-failure-refused-audit-unavailable 'af_val reply "$AF/pin-record-sync-fails.out" | grep -qx "deny reason=audit-unavailable" && grep -q "INJECTED" "$AF/pin-record-sync-fails.strace" && grep "CHANNEL .*user=\"harry\"" "$AF/state/audit.spool" | tail -1 | grep -q "result=\"allow\""'
check pinhole-record-sync-failure-pinhole-revoked 'af_val through-before-reply "$AF/pin-record-sync-fails.out" | grep -q "^yes" && ! af_pins | grep -q " $UID_harry\$" && grep "PINHOLE_CLOSE .*user=\"harry\"" "$AF/state/audit.spool" | tail -1 | grep -q "reason=\"audit-unavailable\""'
check pinhole-record-sync-failure-flow-cut '[ "$sp" != - ] && af_no_flow "$sp" && [ "$(af_val alive "$AF/pin-record-sync-fails.out")" = no ]'
check channel-dropped-not-refreshed 'grep "CHANNEL_CLOSE .*user=\"harry\"" "$AF/state/audit.spool" | tail -1 | grep -q "reason=\"audit-unavailable\""'
# the control's channel was untouched by the others' failures
check control-channel-still-carried 'af_pins | grep -qx "10.89.2.2 . 22 . $UID_ivan"'
kill "$(cat "$AF/control.run")" 2>/dev/null
stop_jumpd
start_jumpd || fail "$SUITE/jumpd-restarts" "$(tail -3 "$T/jumpd.log")"
