# tests/host/channels.sh: channel policy: jumpd decides every direct-tcpip channel; forwarding other than that is off; data byte for byte.
# Sourced by tests/host.sh (the shared topology, helpers and check() are
# in tests/host/topology.sh); check names here are "channels/...".
# ---- channel policy (jumpd decides every direct-tcpip channel)
# gina: key only (mfa = off), so each check is one plain login
jump() { # TARGET-HOST COMMAND...: through the bastion as gina
	h=$1; shift
	ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" "root@$h" "$@" > "$T/out" 2>&1 < /dev/null
}
last_channel() { grep "CHANNEL .*user=\"gina\"" "$T/state/audit.spool" | tail -1; }
jump t1 'echo "target-sees $SSH_CONNECTION"'
check policy-target-by-name 'grep -q "^target-sees 10.89.2.1 " "$T/out" && last_channel | grep -q "host=\"t1\" port=\"22\" target=\"t1\" grant=\"gina-t1\".*result=\"allow\""'
for c in "t2 not-granted" "10.89.2.3 not-granted" "10.89.3.5 forbidden-segment" "db9.example.com unknown-target" \
	"10.89.2.77 not-a-target" "t3 grant-expired" "t4 outside-window"; do
	h=${c% *} why=${c#* }
	jump "$h" true
	check "policy-refused-$why-($h)" 'grep -q "administratively prohibited" "$T/out" && last_channel | grep -q "host=\"$h\".*result=\"deny\" reason=\"$why\""'
done
# a recorded-only target: -J is refused with the hint in OpenSSH's "open
# failed" message (Dropbear patch 0017) and reason recorded-only in the
# trail; the same server as t1 (allowed above, the positive control) and
# the same grant holder. Without the grant it is not-granted, with no hint.
jump t1r true
check policy-refused-recorded-only-with-hint 'grep -q "open failed: administratively prohibited: recorded target: use ssh gina+t1r@bastion-test" "$T/out" && last_channel | grep -q "host=\"t1r\".*grant=\"gina-t1r\".*result=\"deny\" reason=\"recorded-only\""'
jump t1 true
check recorded-only-leaves-jump-targets-open 'last_channel | grep -q "host=\"t1\".*result=\"allow\" reason=\"granted\"" && ! grep -q "open failed" "$T/out"'
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" -p 2222 root@t1 true > "$T/out" 2>&1 < /dev/null
check policy-refused-port-not-allowed 'grep -q "administratively prohibited" "$T/out" && last_channel | grep -q "reason=\"port-not-allowed\""'
# host names from outside reach screens and records only as safe text (security
# finding 1; docs/hook-protocol.md): `ssh -W` to a UTF-8 name is decided and recorded
# as it is; a name with C1 controls (U+009B, 8-bit CSI) or bytes of no character is
# refused before jumpd; the spool, jumpd's console and Dropbear's log stay safe text
utf8_host=$(printf 'caf\303\251')
ip netns exec $C ssh -F "$T/ssh_config_gina" -W "$utf8_host:22" "gina@$BASTION" > "$T/out" 2>&1 < /dev/null
check w-host-utf8-decided-and-recorded-as-is 'grep -q "administratively prohibited" "$T/out" && last_channel | grep -qF "host=\"$utf8_host\" port=\"22\"" && last_channel | grep -q "reason=\"unknown-target\""'
n_channels=$(grep -c "CHANNEL .*user=\"gina\"" "$T/state/audit.spool")
bad_host=$(printf 'db1\302\2332J\2331m\377\300')
ip netns exec $C ssh -F "$T/ssh_config_gina" -W "$bad_host:22" "gina@$BASTION" > "$T/out" 2>&1 < /dev/null
check w-host-c1-and-bad-bytes-refused-before-jumpd 'grep -q "administratively prohibited" "$T/out" && grep -q "Channel to a host the hook cannot carry refused for .gina." "$T/dropbear.log" && [ "$(grep -c "CHANNEL .*user=\"gina\"" "$T/state/audit.spool")" = "$n_channels" ]'
check spool-console-and-dropbear-log-safe-text 'safe_files "$T/state/audit.spool" "$T/jumpd.log" "$T/dropbear.log" > "$T/out" 2>&1'
# t2 is a live OpenSSH server too (10.89.2.3): refused above by policy, not by absence
check second-target-live-but-refused 'ip netns exec $TG ss -ltn | grep -q "10.89.2.3:22 " && grep -q "CHANNEL .*host=\"t2\".*result=\"deny\" reason=\"not-granted\"" "$T/state/audit.spool"'
# remote, unix-socket and agent forwarding are off
ip netns exec $C ssh -F "$T/ssh_config_gina" -o ExitOnForwardFailure=yes -R 10.89.1.1:2222:10.89.2.2:22 "gina@$BASTION" true > "$T/out" 2>&1 < /dev/null
check remote-forwarding-refused 'grep -qi "remote port forwarding failed\|forwarding failed" "$T/out"'
ip netns exec $C ssh -F "$T/ssh_config_gina" -N -L 127.0.0.1:7000:/run/jumpd/auth.sock "gina@$BASTION" < /dev/null > "$T/out" 2>&1 &
fwd=$!
sleep 1.5
ip netns exec $C /usr/bin/python3 -c '
import socket
s = socket.create_connection(("127.0.0.1", 7000), timeout=5)
s.sendall(b"status\n")
try:
    print("got:", s.recv(100))
except OSError as e:
    print("got nothing:", e)' > "$T/out.sock" 2>&1
sleep 0.5; kill $fwd 2>/dev/null; wait $fwd 2>/dev/null
check unix-socket-forwarding-refused 'grep -qi "open failed" "$T/out" && ! grep -q "got: b.[a-z]" "$T/out.sock"'
ip netns exec $C env SSH_AUTH_SOCK=/nonexistent ssh -F "$T/ssh_config_gina" -A "gina@$BASTION" 'echo "agent=[$SSH_AUTH_SOCK]"' > "$T/out" 2>&1 < /dev/null
check agent-forwarding-off 'grep -q "^agent=\[\]" "$T/out"'
ip netns exec $C env DISPLAY=:0 ssh -F "$T/ssh_config_gina" -X "gina@$BASTION" 'echo "display=[$DISPLAY]"' > "$T/out" 2>&1 < /dev/null
check x11-forwarding-off 'grep -q "^display=\[\]" "$T/out"'
# real data through the bastion, byte for byte: scp, sftp, rsync
head -c 3000000 /dev/urandom > "$T/payload"
want=$(sha256sum < "$T/payload")
rm -f "$T/target/got.scp" "$T/target/got.sftp" "$T/target/got.rsync"
ip netns exec $C scp -q -F "$T/ssh_config_gina" -J "gina@$BASTION" "$T/payload" "root@t1:$T/target/got.scp" < /dev/null > "$T/out" 2>&1
check data-scp-J-byte-for-byte '[ "$(sha256sum < "$T/target/got.scp" 2>/dev/null)" = "$want" ]'
printf 'put %s %s\n' "$T/payload" "$T/target/got.sftp" > "$T/sftp.batch"
ip netns exec $C sftp -q -F "$T/ssh_config_gina" -J "gina@$BASTION" -b "$T/sftp.batch" root@t1 < /dev/null > "$T/out" 2>&1
check data-sftp-J-byte-for-byte '[ "$(sha256sum < "$T/target/got.sftp" 2>/dev/null)" = "$want" ]'
ip netns exec $C rsync -e "ssh -F $T/ssh_config_gina -J gina@$BASTION" "$T/payload" "root@t1:$T/target/got.rsync" < /dev/null > "$T/out" 2>&1
check data-rsync-J-byte-for-byte '[ "$(sha256sum < "$T/target/got.rsync" 2>/dev/null)" = "$want" ]'

