# tests/host/mfa.sh: the second factor: codes, replay, delay, lockout, remember, fail-closed hooks, ssh -J with MFA.
# Sourced by tests/host.sh (the shared topology, helpers and check() are
# in tests/host/topology.sh); check names here are "mfa/...".

# right key + right code: in
code_now alice > "$T/code"; cp "$T/code" "$T/alice.used"
login alice "$T/id"
check right-key-right-code-in 'grep -qx in-as-alice "$T/out" && asked && last_event alice | grep -q "result=\"allow\" reason=\"totp-ok\""'
check askpass-saw-prompt 'grep -q "Verification code" "$T/askpass.log"'
# the MFA login's allow and its end share conn (docs/audit.md): the answer
# names its connection (Dropbear patch 0019) and jumpd records the login under it
allow_conn=$(last_event alice | sed -n 's/.* conn="\([0-9]*\)".*result="allow" reason="totp-ok".*/\1/p')
for _ in $(seq 50); do grep -q "SESSION_CLOSE .*user=\"alice\" conn=\"${allow_conn:-x}\"" "$T/state/audit.spool" && break; sleep 0.1; done
check mfa-login-allow-and-session-close-share-conn '[ -n "$allow_conn" ] && grep -q "SESSION_CLOSE .*user=\"alice\" conn=\"$allow_conn\"" "$T/state/audit.spool" || { echo "allow conn: ${allow_conn:-none}; $(grep "SESSION_CLOSE .*user=\"alice\"" "$T/state/audit.spool" | tail -1 | cut -c1-300)" > "$T/out"; false; }'
# a challenge token is bound to its connection: answered (with the right
# code) from another connection of the SSH server's uid — a direct hook
# client, naming the first connection — it is refused unjudged; the same
# code on the token's own connection logs in (the positive control)
in_bastion setpriv --reuid $SSHD_UID --regid $SSHD_UID --init-groups /usr/bin/python3 -c '
import os, socket, sys
def ask(line):
    s = socket.socket(socket.AF_UNIX); s.connect("/run/jumpd/auth.sock"); s.sendall(line.encode() + b"\n")
    r = s.recv(1024).decode().strip(); s.close(); return r
def token(r):
    return dict(kv.split("=", 1) for kv in r.split()[1:])["token"]
me, code = os.getpid(), sys.argv[1]
key = "pubkey user=kim fp=SHA256:bound keytype=ssh-ed25519 src=10.89.1.9 port=4000 conn=%d" % me
tok = token(ask(key))
pid = os.fork()
if pid == 0:  # connection B
    print("other", ask("answer user=kim token=%s conn=%d code=%s" % (tok, me, code))); sys.exit(0)
os.waitpid(pid, 0)
print("stale", ask("answer user=kim token=%s conn=%d code=%s" % (tok, me, code)))
print("own", ask("answer user=kim token=%s conn=%d code=%s" % (token(ask(key)), me, code)))
print("pid", me)' "$(code_now kim)" > "$T/bound.out" 2>&1
bound_pid=$(sed -n 's/^pid //p' "$T/bound.out")
check token-answered-on-another-connection-refused 'grep -qx "other deny reason=challenge-of-another-connection" "$T/bound.out" && grep -q "AUTH .*user=\"kim\" fp=\"SHA256:bound\".* conn=\"[0-9]*\" method=\"keyboard-interactive\" result=\"deny\" reason=\"challenge-of-another-connection\"" "$T/state/audit.spool" && grep -qx "stale deny reason=no-such-challenge" "$T/bound.out" || { cat "$T/bound.out" > "$T/out"; false; }'
check token-answered-on-its-own-connection-in 'grep -qx "own allow reason=totp-ok" "$T/bound.out" && last_event kim | grep -q "conn=\"$bound_pid\" method=\"keyboard-interactive\" result=\"allow\"" || { cat "$T/bound.out" > "$T/out"; false; }'

# the same code again: out (replay)
login alice "$T/id"
check reused-code-out '! grep -q in-as "$T/out" && last_event alice | grep -q "reason=\"replayed-code\""'

# right key + wrong code: out, with the growing delay on top of Dropbear's own
code_at bob $(( $(date +%s) + 300 )) > "$T/code"
t0=$(date +%s%N); login bob "$T/id"; t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
delay=$(last_event bob | sed -n 's/.*delay_ms="\([0-9]*\)".*/\1/p')
check right-key-wrong-code-out-with-delay '! grep -q in-as "$T/out" && [ "${delay:-0}" -ge 250 ] && [ $ms -ge $((delay + 250)) ]'
echo "  (wrong code: refused after ${ms} ms; jumpd delay ${delay:-?} ms + Dropbear's 250-350 ms)"

# wrong key: refused by Dropbear, never asked for a code
code_now carol > "$T/code"
n0=$(grep -c 'user="carol"' "$T/state/audit.spool")
login carol "$T/stranger"
check wrong-key-never-asked '! grep -q in-as "$T/out" && ! asked && [ "$(grep -c "user=\"carol\"" "$T/state/audit.spool")" = "$n0" ]'

# a code from two steps ago: out
code_at carol $(( $(date +%s) - 60 )) > "$T/code"
login carol "$T/id"
check code-two-steps-old-out '! grep -q in-as "$T/out" && asked && last_event carol | grep -q "reason=\"wrong-code\""'

# jumpd stopped: out (fail closed), and Dropbear says why
stop_jumpd
code_now dave > "$T/code"
login dave "$T/id"
check jumpd-down-out '! grep -q in-as "$T/out" && grep -q "jumpd hook failed" "$T/dropbear.log"'
# a jumpd that answers garbage: out, whatever the garbage says
cat > "$T/garbage.py" <<'EOF'
import os, socket, sys
path, replies = sys.argv[1], [r.encode().decode('unicode_escape').encode('latin-1') for r in sys.argv[2:]]
try: os.unlink(path)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX); s.bind(path); os.chmod(path, 0o666); s.listen(8)
for r in replies:
    c, _ = s.accept(); c.recv(1024); c.sendall(r); c.close()
    open('/run/jumpd/served', 'a').write('x')
EOF
for g in 'ALLOW reason=x\n' 'allow reason=x' 'allow reason=x\x01\n' 'allow reason=x\nallow\n' 'challenge token= prompt=x\n'; do
	in_bastion rm -f /run/jumpd/served
	in_bastion setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --init-groups /usr/bin/python3 "$T/garbage.py" /run/jumpd/auth.sock "$g" &
	gpid=$!
	sleep 0.3
	login dave "$T/id"
	kill $gpid 2>/dev/null; wait $gpid 2>/dev/null
	check "garbage-from-jumpd-refused-($(printf %s "$g" | tr -c 'a-zA-Z0-9=_' '.'))" 'in_bastion test -s /run/jumpd/served && ! grep -q in-as "$T/out" && ! asked'
done
start_jumpd
# replay state survived the restart
cp "$T/alice.used" "$T/code"
login alice "$T/id"
check replay-refused-after-restart '! grep -q in-as "$T/out" && last_event alice | grep -q "reason=\"replayed-code\""'
code_now dave > "$T/code"
login dave "$T/id"
check right-code-after-restart-in 'grep -qx in-as-dave "$T/out"'

# 20 wrong codes in a row: locked out, audited; unlock works (admins only)
for i in $(seq 20); do
	code_at erin $(( $(date +%s) + 300 + i * 30 )) > "$T/code"
	login erin "$T/id"
done
check twenty-wrong-codes-lock-user 'grep -q "LOCKOUT .*user=\"erin\".*scope=\"user\"" "$T/state/audit.spool"'
code_now erin > "$T/code"
login erin "$T/id"
check locked-user-refused-right-code '! grep -q in-as "$T/out" && ! asked && last_event erin | grep -q "reason=\"user-locked\""'
# the lockout is on the state volume: a jumpd restart (or a reboot) does not lift it
stop_jumpd; start_jumpd || fail "$SUITE/jumpd-restarts" "$(tail -2 "$T/jumpd.log")"
code_now erin > "$T/code"
login erin "$T/id"
check lockout-survives-jumpd-restart '! grep -q in-as "$T/out" && ! asked && last_event erin | grep -q "reason=\"user-locked\"" && grep -q "^erin [0-9]* 20 1$" "$T/state/totp-steps"'
if in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups "$BIN/jumpctl" unlock erin > "$T/out" 2>&1; then
	fail "$SUITE"/unlock-refused-for-non-admin "a non-admin unlocked: $(cat "$T/out")"
else
	check unlock-refused-for-non-admin 'grep -q "not an admin" "$T/out"'
fi
in_bastion setpriv --reuid $UID_harry --regid $UID_harry --init-groups "$BIN/jumpctl" status > "$T/status" 2>&1
check admin-status-lists-locked-user 'grep -q "locked_users: erin" "$T/status"'
in_bastion "$BIN/jumpctl" unlock erin > "$T/out" 2>&1
login erin "$T/id"
check unlock-lets-user-in 'grep -qx in-as-erin "$T/out" && grep -q "UNLOCK .*user=\"erin\" by_uid=\"0\" result=\"unlocked\"" "$T/state/audit.spool"'
# an unlock of nobody says so in its record (security finding 9: the record
# was written as if it had been done)
in_bastion "$BIN/jumpctl" unlock nosuchuser > "$T/out" 2>&1
check unlock-of-unknown-user-recorded-as-such 'grep -q "no such user" "$T/out" && grep -q "UNLOCK .*user=\"nosuchuser\" by_uid=\"0\" result=\"no-such-user\"" "$T/state/audit.spool"'

# remember window: bound to user, key and source address
code_now frank > "$T/code"
login frank "$T/id" -b 10.89.1.2
echo 000000 > "$T/code"
login frank "$T/id" -b 10.89.1.2
check remember-same-key-same-source 'grep -qx in-as-frank "$T/out" && ! asked && last_event frank | grep -q "reason=\"remembered\""'
login frank "$T/id" -b 10.89.1.3
check remember-not-from-other-source '! grep -q in-as "$T/out" && asked'

# mfa = off: the key alone
login gina "$T/id"
check mfa-off-key-only 'grep -qx in-as-gina "$T/out" && ! asked'
# an interactive session (pty) still works when the connection already runs as the user
ip netns exec $C ssh $SSHOPTS -i "$T/id" -tt "gina@$BASTION" 'tty; stat -c %U $(tty)' > "$T/out" 2>&1 < /dev/null
check pty-session-as-user 'grep -q "^/dev/pts/" "$T/out" && grep -q "^gina" "$T/out"'

# ssh -J through the bastion (MFA on the first hop) to an OpenSSH target
code_now harry > "$T/code"
: > "$T/askpass.log"
ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh -F "$T/ssh_config_jump" -J "harry@$BASTION" root@10.89.2.2 \
	'echo "target-sees $SSH_CONNECTION"' > "$T/out" 2>&1 < /dev/null
check ssh-J-through-bastion-to-openssh 'grep -q "^target-sees 10.89.2.1 [0-9]* 10.89.2.2 22" "$T/out" && asked'

# the forwarded connection leaves the bastion as the user (Dropbear patch 0004),
# and the connection process holds no capability
code_now ivan > "$T/code"
ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh -F "$T/ssh_config_jump" -J "ivan@$BASTION" root@10.89.2.2 'sleep 4' > "$T/out" 2>&1 < /dev/null &
fwd=$!
for _ in $(seq 30); do
	ip netns exec $B ss -tne state established dst 10.89.2.2 > "$T/ss" 2>&1
	grep -q 'uid:' "$T/ss" && break
	sleep 0.2
done
conn_caps=$(for p in $(pgrep -u $UID_ivan -f 'dropbear -F'); do grep CapEff "/proc/$p/status"; done | sort -u)
wait $fwd
check forwarded-connection-carries-user-uid 'grep -q "uid:$UID_ivan " "$T/ss" && ! grep -q "uid:$SSHD_UID " "$T/ss" && [ "$conn_caps" = "CapEff:	0000000000000000" ]'

