# Sourced by tests/host.sh in bench mode (`make bench`), before bench.sh:
# scale against Debian's OpenSSH sshd as the jump host in the same run.
#   idle    BENCH_SESSIONS (5000) `-J` sessions from 50 source addresses, one
#           channel each, held: how many, and PSS per session (Dropbear's
#           processes with jumpd's and jumpfw's share / sshd's processes);
#           then all closed at once: every CHANNEL_CLOSE and SESSION_CLOSE
#           recorded?
#   burst   500 sessions, then one channel on each at the same moment: open
#           latency (request to the first echoed byte)
#   office  50 logins at once from one address
#   flood   500 connections from one address that never authenticate, and a
#           login from another address during it (OpenSSH's client, timed)
# The load: tests/host/sshload.py (asyncssh). Figures and ratios on stdout.
BENCH_SESSIONS=${BENCH_SESSIONS:-5000}
NSRC=50 PER_USER=$((BENCH_SESSIONS + 1000))
. "$TOP/tests/host/scale_bed.sh"
# the peer: OpenSSH's sshd as the jump host on port 2200, Debian's defaults
# but for what the bed needs (root's key, no DNS)
cp "$T/id.pub" "$T/target/peer_keys"
ip netns exec $B /usr/sbin/sshd -D -f /dev/null -o ListenAddress=$BASTION:2200 -o HostKey="$T/target/hostkey" \
	-o AuthorizedKeysFile="$T/target/peer_keys" -o PasswordAuthentication=no -o StrictModes=no -o UseDNS=no \
	-o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o PidFile=none -E "$T/scale-sshd.log" &
echo $! > "$T/scale-sshd.run"
sleep 1
# pss PID...: summed PSS in KiB
pss() { for p in "$@"; do awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
# the jump host's processes: Dropbear's (listener and connections) with jumpd and jumpfw; or sshd's on 2200
# (a re-executed Dropbear child's comm is its fd number: everything in the namespace but sshd and the holder)
box_pids() { ip netns pids $B | while read -r p; do case $(cat "/proc/$p/comm" 2>/dev/null) in sshd|sleep|"") ;; *) echo "$p" ;; esac; done; }
peer_pids() { ip netns pids $B | while read -r p; do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sshd ] && echo "$p"; done; }
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v, dict) else None
print(v if v is not None else "-")' "$1" "$2" 2>/dev/null; }
: > "$T/scale-bench"
idle() { # LABEL PORT USER PIDS-FUNCTION
	label=$1 port=$2 user=$3 pids=$4
	rm -f "$T/held" "$T/go"
	cc0=$(count 'CHANNEL_CLOSE .*reason="closed"'); sc0=$(count 'SESSION_CLOSE ')
	$LOAD hold --port "$port" --user "$user" --n "$BENCH_SESSIONS" --srcs "$SRCS" --ready "$T/held" --trigger "$T/go" \
		--timeout 120 > "$T/idle-$label.json" 2> "$T/idle-$label.err" &
	load=$!
	wait_for 900 '[ -s "$T/held" ]'
	sleep 2
	held=$(cat "$T/held" 2>/dev/null); kib=$(pss $($pids))
	touch "$T/go"; wait $load
	rec="-"
	if [ "$label" = jumpbox ]; then
		wait_for 120 '[ "$(count "SESSION_CLOSE ")" -ge $((sc0 + ${held:-0})) ] && [ "$(count "CHANNEL_CLOSE .*reason=\"closed\"")" -ge $((cc0 + ${held:-0})) ]'
		rec="$(( $(count 'CHANNEL_CLOSE .*reason="closed"') - cc0 ))/$(( $(count 'SESSION_CLOSE ') - sc0 ))"
	fi
	echo "idle $label ${held:-0} $kib $(jget "$T/idle-$label.json" open_s) $rec $(jget "$T/idle-$label.json" errors | tr -d ' ' | cut -c1-120)" >> "$T/scale-bench"
	sleep 3
}
chanburst() { # LABEL PORT USER
	rm -f "$T/go"
	$LOAD chanburst --port "$2" --user "$3" --n 500 --srcs "$SRCS" --trigger "$T/go" > "$T/cb-$1.json" 2> "$T/cb-$1.err" &
	load=$!
	# the sessions up first (sshload prints nothing until done: give it time), then the burst
	sleep 25; touch "$T/go"; wait $load
	echo "chanburst $1 $(jget "$T/cb-$1.json" opened) $(jget "$T/cb-$1.json" latency_ms.p50) $(jget "$T/cb-$1.json" latency_ms.p99) $(jget "$T/cb-$1.json" wall_ms)" >> "$T/scale-bench"
}
office() { # LABEL PORT USER
	$LOAD burst --port "$2" --user "$3" --n 50 --srcs 10.89.1.3 --timeout 30 > "$T/office-$1.json" 2>&1
	echo "office $1 $(jget "$T/office-$1.json" in) $(jget "$T/office-$1.json" refused) $(jget "$T/office-$1.json" latency_ms.max)" >> "$T/scale-bench"
}
flood() { # LABEL PORT USER
	rm -f "$T/flood.ready" "$T/flood.go"
	$LOAD flood --port "$2" --n 500 --srcs 10.89.1.2 --ready "$T/flood.ready" --trigger "$T/flood.go" --hold-s 3 > "$T/flood-$1.json" 2>&1 &
	load=$!
	wait_for 30 '[ -s "$T/flood.ready" ]'
	t0=$(date +%s%N)
	ip netns exec $C ssh -F "$T/ssh_config_gina" -p "$2" -b 10.89.1.3 -o ConnectTimeout=10 "$3@$BASTION" echo in > "$T/out" 2>&1 < /dev/null
	ms=$(( ($(date +%s%N) - t0) / 1000000 )); ok=no; grep -qx in "$T/out" && ok=yes
	touch "$T/flood.go"; wait $load
	echo "flood $1 $ok $ms $(jget "$T/flood-$1.json" turned_away)" >> "$T/scale-bench"
	sleep 2
}
progress "bench: $BENCH_SESSIONS idle sessions, 500-channel burst, 50 logins from one address, flood: jumpbox"
idle jumpbox 22 gina box_pids
chanburst jumpbox 22 gina
office jumpbox 22 gina
flood jumpbox 22 gina
# the peer needs the box's firewall out of the way (inbound 2200, sshd's egress)
progress "bench: the same against OpenSSH's sshd"
kill "$(cat "$T/fw.run")"; wait "$(cat "$T/fw.run")" 2>/dev/null
in_bastion nft delete table inet jumpbox
idle openssh 2200 root peer_pids
chanburst openssh 2200 root
office openssh 2200 root
flood openssh 2200 root
kill "$(cat "$T/scale-sshd.run")" 2>/dev/null; kill "$(cat "$T/echo.run")" 2>/dev/null
# bench.sh next: the bed as topology.sh left it (firewall helper, jumpd with the bench config)
start_fw || echo "bench: the firewall helper did not start again" >&2
stop_jumpd; start_jumpd || echo "bench: jumpd did not start again" >&2
echo "Scale (jumpbox: Dropbear + jumpd + jumpfw; OpenSSH: Debian's sshd as the jump host; same run)"
awk '
$1 == "idle" { h[$2] = $3; k[$2] = $4; o[$2] = $5; r[$2] = $6; e[$2] = $7
	printf "  idle %-8s asked %d held %5d  PSS %8d KiB = %6.1f KiB/session  opened in %s s  closes/ends recorded %s  errors %s\n", $2, '"$BENCH_SESSIONS"', $3, $4, ($3 ? $4 / $3 : 0), $5, $6, $7 }
$1 == "chanburst" { cb[$2] = $4; c99[$2] = $5; printf "  500-channel burst %-8s opened %s  p50 %s ms  p99 %s ms  all in %s ms\n", $2, $3, $4, $5, $6 }
$1 == "office" { printf "  50 logins from one address %-8s in %s refused %s (slowest %s ms)\n", $2, $3, $4, $5 }
$1 == "flood" { printf "  flood of 500 from one address %-8s login from another: %s in %s ms; flood connections turned away: %s\n", $2, $3, $4, $5 }
END {
	if (h["jumpbox"] && h["openssh"]) printf "  ratios jumpbox/OpenSSH: sessions held %.2f, PSS per session %.3f\n", h["jumpbox"] / h["openssh"], (k["jumpbox"] / h["jumpbox"]) / (k["openssh"] / h["openssh"])
	if (cb["openssh"] > 0) printf "  ratio jumpbox/OpenSSH channel-burst p50 latency %.2f, p99 %.2f\n", cb["jumpbox"] / cb["openssh"], c99["jumpbox"] / c99["openssh"]
}' "$T/scale-bench"
