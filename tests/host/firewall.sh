# tests/host/firewall.sh: the egress firewall: base policy, per-uid pinholes, helper and jumpd restarts, blocked egress audited.
# Sourced by tests/host.sh (the shared topology, helpers and check() are
# in tests/host/topology.sh); check names here are "firewall/...".
# ---- egress firewall: the base policy and per-user pinholes (jumpfw)
pins() { in_bastion nft list set inet jumpbox pin4 2>/dev/null | grep -o '10\.89\.[0-9.]* \. [0-9]* \. [0-9]*'; }
tcp_try() { # UID ADDR PORT: succeeds if a TCP connection from the bastion opens
	in_bastion setpriv --reuid "$1" --regid "$1" --clear-groups /usr/bin/python3 -c "
import socket, sys
s = socket.socket(); s.settimeout(3)
try:
    s.connect(('$2', $3))
except OSError as e:
    print(e); sys.exit(1)"
}
check firewall-policy-loaded 'in_bastion nft list chain inet jumpbox output | grep -q "policy drop" && in_bastion nft list chain inet jumpbox input | grep -q "iifname \"jbm-bc\" tcp dport 22 accept"'
check firewall-helper-caps-only-net-admin '[ "$(grep CapEff /proc/$(cat "$T/fw.run")/status)" = "CapEff:	0000000000001000" ] && [ "$(stat -c %u /proc/$(cat "$T/fw.run"))" = $FW_UID ]'
ip netns exec $FB /usr/bin/python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.89.3.2", 8080)); s.listen(8)
while True:
    c, _ = s.accept(); c.close()' > /dev/null 2>&1 &
echo $! > "$T/forbidden.run"
# a listener in a segment the config does not approve: no uid on the bastion, root
# included, reaches it (and blocked-egress-audited below shows the policy refused it)
sleep 0.3
check forbidden-segment-blocked-even-for-root '! tcp_try 0 10.89.3.2 8080 > "$T/tcp.out" 2>&1'
# gina holds a channel to t1: a pinhole for gina's uid only
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" root@t1 'sleep 5' > "$T/out.hold" 2>&1 < /dev/null &
hold=$!
for _ in $(seq 50); do pins | grep -q "10.89.2.2 . 22 . $UID_gina" && break; sleep 0.1; done
check pinhole-open-while-channel-lives 'pins | grep -qx "10.89.2.2 . 22 . $UID_gina"'
check pinhole-lets-its-uid-through 'tcp_try $UID_gina 10.89.2.2 22'
check other-users-uid-blocked-at-that-target '! tcp_try $UID_alice 10.89.2.2 22 > "$T/tcp.out" 2>&1'
check root-blocked-at-that-target '! tcp_try 0 10.89.2.2 22 > "$T/tcp.out" 2>&1'
# only jumpd's uid may ask the helper for a pinhole: a user cannot even connect
# (fw.sock is group fw-sock's: tests/host/sockets.sh); root can, and is not answered
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/fw/fw.sock')
s.sendall(b'pin uid=$UID_alice addr=10.89.2.2 port=22 ttl=600\n'); print(s.recv(100))" > "$T/fwask.out" 2>&1
in_bastion /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/fw/fw.sock')
s.sendall(b'pin uid=$UID_alice addr=10.89.2.2 port=22 ttl=600\n'); print(s.recv(100))" > "$T/fwask-root.out" 2>&1
check only-jumpd-may-ask-for-pinholes '! pins | grep -q " $UID_alice\$" && grep -q "PermissionError" "$T/fwask.out" && grep -q "request from uid 0 refused" "$T/fw.log"'
wait $hold
for _ in $(seq 50); do pins | grep -q . || break; sleep 0.1; done
check pinhole-gone-after-channel-closes '! pins | grep -q .'
check channel-close-audited-with-bytes 'grep "CHANNEL_CLOSE .*user=\"gina\"" "$T/state/audit.spool" | tail -1 | grep -q "target=\"t1\" port=\"22\" to_target=\"[1-9][0-9]*\" from_target=\"[1-9][0-9]*\" duration_ms=\"[0-9]*\" reason=\"closed\""'
check pinhole-open-and-close-audited 'grep -q "PINHOLE_OPEN .*user=\"gina\".*address=\"10.89.2.2\" port=\"22\"" "$T/state/audit.spool" && grep -q "PINHOLE_CLOSE .*user=\"gina\".*reason=\"closed\"" "$T/state/audit.spool"'
# a jumpd killed while a channel lives: its successor flushes the pinholes
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" root@t1 'sleep 3' > "$T/out.hold" 2>&1 < /dev/null &
hold=$!
for _ in $(seq 50); do pins | grep -q . && break; sleep 0.1; done
kill -9 "$(cat "$T/jumpd.run")"; wait "$(cat "$T/jumpd.run")" 2>/dev/null
start_jumpd || fail "$SUITE/jumpd-restarts" "$(tail -2 "$T/jumpd.log")"
check jumpd-restart-leaves-no-pinhole '! pins | grep -q . && grep "JUMPD_START" "$T/state/audit.spool" | tail -1 | grep -q "pinholes_flushed=\"yes\""'
wait $hold
# a restarted firewall helper reloads the policy: no pinhole survives it either
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" root@t1 'sleep 3' > "$T/out.hold" 2>&1 < /dev/null &
hold=$!
for _ in $(seq 50); do pins | grep -q . && break; sleep 0.1; done
had=$(pins | wc -l)
# blocked just before the helper stops, well inside its 10 s summary window
tcp_try 0 10.89.3.2 8082 > /dev/null 2>&1
kill "$(cat "$T/fw.run")"; wait "$(cat "$T/fw.run")" 2>/dev/null
start_fw
check helper-restart-leaves-no-pinhole '[ "$had" = 1 ] && ! pins | grep -q .'
for _ in $(seq 50); do grep -q "EGRESS_BLOCKED .*port=\"8082\"" "$T/state/audit.spool" && break; sleep 0.2; done
check blocked-egress-reported-when-helper-stops 'grep -q "EGRESS_BLOCKED .*uid=\"0\" user=\"-\" address=\"10.89.3.2\" proto=\"6\" port=\"8082\"" "$T/state/audit.spool" && grep -q "jumpfw: stopped" "$T/fw.log"'
wait $hold
# blocked egress reaches the audit trail, summed per uid and destination every
# 10 s; root's and alice's attempts above came before the helper's restart, so
# the stopped helper must have sent its last summary (deadline 25 s)
blocked_root() { grep -q "EGRESS_BLOCKED .*uid=\"0\" user=\"-\" address=\"10.89.3.2\" proto=\"6\" port=\"8080\"" "$T/state/audit.spool"; }
blocked_alice() { grep -q "EGRESS_BLOCKED .*uid=\"$UID_alice\" user=\"alice\" address=\"10.89.2.2\" proto=\"6\" port=\"22\"" "$T/state/audit.spool"; }
for _ in $(seq 125); do blocked_root && blocked_alice && break; sleep 0.2; done
blocked_why="root's record: $(blocked_root && echo yes || echo missing), alice's: $(blocked_alice && echo yes || echo missing); helper log: $(grep -v "policy loaded" "$T/fw.log" | tail -2 | tr '\n' ' ')"
check blocked-egress-audited 'blocked_root && blocked_alice || { echo "$blocked_why" > "$T/out"; false; }'
# the same in the running helper's own 10 s summary (no restart in between)
tcp_try 0 10.89.3.2 8081 > /dev/null 2>&1
for _ in $(seq 125); do grep -q "EGRESS_BLOCKED .*port=\"8081\"" "$T/state/audit.spool" && break; sleep 0.2; done
check blocked-egress-periodic-summary 'grep -q "EGRESS_BLOCKED .*uid=\"0\" user=\"-\" address=\"10.89.3.2\" proto=\"6\" port=\"8081\" count=\"1\"" "$T/state/audit.spool"'
kill "$(cat "$T/forbidden.run")" 2>/dev/null
# pinholes only for configured users' uids (security finding 2): not even jumpd's
# uid gets one for a system account (nobody) or a uid past the users. As init
# starts the helper today (no -n): at most 64 users, 2000..2063
fw_ask() { # REQUEST: sent as jumpd's uid; the helper's answer in $T/out
	in_bastion setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --init-groups /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/fw/fw.sock')
s.sendall(b'$1\\n'); print(s.recv(200).decode())" > "$T/out" 2>&1
}
refused_uid() { grep -q "^err reason=uid%20$1%20is%20not%20a%20configured%20user" "$T/out" && ! pins | grep -q " $1\$"; }
fw_ask "pin uid=65534 addr=10.89.2.2 port=22 ttl=60"
check pin-refused-for-nobody 'refused_uid 65534 && grep -q "pin refused: uid 65534 is not a configured user.s (2000..2063)" "$T/fw.log"'
fw_ask "pin uid=2064 addr=10.89.2.2 port=22 ttl=60"
check pin-refused-past-64-users 'refused_uid 2064'
fw_ask "pin uid=$UID_alice addr=10.89.2.2 port=22 ttl=60"
check pin-for-a-configured-user-opens 'grep -q "^ok" "$T/out" && pins | grep -qx "10.89.2.2 . 22 . $UID_alice"'
fw_ask "unpin uid=$UID_alice addr=10.89.2.2 port=22"
# told the number of users (-n, what init is to pass): the uid after the last user is refused
n_users=$(echo $USERS | wc -w)
kill "$(cat "$T/fw.run")"; wait "$(cat "$T/fw.run")" 2>/dev/null
start_fw -n "$n_users" || fail "$SUITE/helper-restarts-with-n" "$(tail -2 "$T/fw.log")"
last_uid=$((2000 + n_users - 1))
fw_ask "pin uid=$((last_uid + 1)) addr=10.89.2.2 port=22 ttl=60"
check pin-refused-past-the-configured-users 'refused_uid $((last_uid + 1)) && grep -q "pinholes for $n_users users" "$T/fw.log"'
fw_ask "pin uid=$last_uid addr=10.89.2.2 port=22 ttl=60"
check pin-for-the-last-configured-user-opens 'grep -q "^ok" "$T/out" && pins | grep -qx "10.89.2.2 . 22 . $last_uid"'
fw_ask "unpin uid=$last_uid addr=10.89.2.2 port=22"
check helper-refuses-n-past-64 '"$BIN/jumpfw" -i lo -p 22 -n 65 -l > "$T/out" 2>&1; [ $? = 2 ] && grep -q "number of users" "$T/out"'
