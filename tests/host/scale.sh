# tests/host/scale.sh: scale and admission, sourced by tests/host.sh (a
# smaller but real version of the bench's cases, tests/host/bench_scale.sh):
#   300 `-J` sessions from 10 addresses, each with a channel carrying bytes,
#   closed in the same instant: every CHANNEL_CLOSE (with its bytes) and every
#   SESSION_CLOSE is in the spool; 50 logins at once from one address (an
#   office's NAT): none refused; a flood of 500 connections from one address
#   that never authenticate, against a budget of 64 (-Q 64): a login from
#   another address during it gets in within 2 s, while the flood's extra
#   connections are turned away with the reason, in the client's first line
#   and in Dropbear's log, the log lines bounded.
# The load: Debian's asyncssh (tests/host/sshload.py) and OpenSSH's client;
# the channels' target is an echo server in the target namespace.
. "$TOP/tests/host/scale_bed.sh"
grep -q "jumpd: budget: .*(1000 per user)" "$T/jumpd.log" && pass scale/budget-from-machine-and-site ||
	fail scale/budget-from-machine-and-site "$(grep 'budget:' "$T/jumpd.log" | tail -1)"

# ---- 300 sessions closing in the same instant: every end recorded, with bytes
progress "scale: 300 sessions with a channel each"
rm -f "$T/held" "$T/go"
cc0=$(count 'CHANNEL_CLOSE .*reason="closed"'); sc0=$(count 'SESSION_CLOSE ')
$LOAD hold --n 300 --srcs "$SRCS" --ready "$T/held" --trigger "$T/go" > "$T/hold.json" 2> "$T/hold.err" &
load=$!
wait_for 150 '[ -s "$T/held" ]' || fail scale/300-sessions-held "not all up within 150 s: $(tail -2 "$T/hold.err")"
held=$(cat "$T/held" 2>/dev/null)
check 300-sessions-held '[ "${held:-0}" = 300 ]'
touch "$T/go"; wait $load
want_cc=$((cc0 + 300)) want_sc=$((sc0 + 300))
wait_for 60 '[ "$(count "CHANNEL_CLOSE .*reason=\"closed\"")" -ge $want_cc ] && [ "$(count "SESSION_CLOSE ")" -ge $want_sc ]'
cc=$(( $(count 'CHANNEL_CLOSE .*reason="closed"') - cc0 )); sc=$(( $(count 'SESSION_CLOSE ') - sc0 ))
bytes=$(grep 'CHANNEL_CLOSE .*target="sink"' "$SPOOL" | tail -300 | grep -c 'to_target="100" from_target="100"')
gone=$(grep 'SESSION_CLOSE ' "$SPOOL" | tail -300 | grep -c 'reason="connection-gone"')
check every-channel-close-recorded-with-bytes '[ $cc = 300 ] && [ $bytes = 300 ]' ||
	echo "    closes recorded $cc of 300, with both byte counts $bytes; $(cat "$T/hold.json")"
check every-session-close-reported '[ $sc = 300 ] && [ $gone = 0 ]' ||
	echo "    session ends $sc of 300 ($gone only as connection-gone); dropbear: $(grep -c 'not reported' "$T/dropbear.log") unreported"

# ---- 50 logins at once from one address (OpenSSH's client): none refused
progress "scale: 50 logins at once from 10.89.1.3"
rm -f "$T"/burst.*
pids=
for i in $(seq 50); do
	ip netns exec $C ssh -F "$T/ssh_config_gina" -b 10.89.1.3 "gina@$BASTION" echo ok > "$T/burst.$i" 2>&1 < /dev/null &
	pids="$pids $!"
done
wait $pids
bad=$(for i in $(seq 50); do grep -qx ok "$T/burst.$i" || echo $i; done | wc -l)
check 50-logins-from-one-address-none-refused '[ $bad = 0 ]' || echo "    $bad refused: $(cat "$T"/burst.* | sort | uniq -c | head -3)"

# ---- a flood from one address against a budget of 64: a login from another
# address gets in within 2 s; the flood's extra connections are turned away
progress "scale: flood of 500 unauthenticated connections from 10.89.1.2 (budget 64)"
restart_dropbear -Q 64 || fail scale/dropbear-restarts "$(tail -2 "$T/dropbear.log")"
log0=$(wc -l < "$T/dropbear.log")
rm -f "$T/flood.ready" "$T/flood.go"
$LOAD flood --n 500 --srcs 10.89.1.2 --ready "$T/flood.ready" --trigger "$T/flood.go" --hold-s 3 > "$T/flood.json" 2>&1 &
flood=$!
wait_for 30 '[ -s "$T/flood.ready" ]'
t0=$(date +%s%N)
ip netns exec $C ssh -F "$T/ssh_config_gina" -b 10.89.1.3 "gina@$BASTION" echo in-during-flood > "$T/out" 2>&1 < /dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check login-from-elsewhere-during-flood-within-2s 'grep -qx in-during-flood "$T/out" && [ $ms -lt 2000 ]' ||
	echo "    took $ms ms"
touch "$T/flood.go"; wait $flood
away=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("turned_away", 0))' "$T/flood.json" 2>/dev/null)
check flood-turned-away-with-reason '[ "${away:-0}" -ge 400 ] && grep -q "preauth-full" "$T/flood.json"' ||
	echo "    $(cat "$T/flood.json")"
tail -n +"$((log0 + 1))" "$T/dropbear.log" > "$T/flood.log"
lines=$(grep -c "pre-auth admission:" "$T/flood.log")
check flood-logged-with-reason-bounded 'grep -q "reason=preauth-full" "$T/flood.log" && grep -q "reason=preauth-evicted" "$T/flood.log" && [ $lines -le 11 ]' ||
	echo "    $lines admission lines: $(grep 'admission' "$T/flood.log" | head -3)"
# the same policy for the next suites (the budget from the machine again)
restart_dropbear || fail scale/dropbear-restarts "$(tail -2 "$T/dropbear.log")"
kill "$(cat "$T/echo.run")" 2>/dev/null
