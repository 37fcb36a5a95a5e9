# tests/host/spool.sh: the audit spool: structured events, floods bounded, crash recovery, spool full.
# Sourced by tests/host.sh (the shared topology, helpers and check() are
# in tests/host/topology.sh); check names here are "spool/...".
# events are structured and name key, source and method
check events-structured 'grep -q " AUTH \[origin software=\"jumpbox\" swVersion=\"[^\"]*\"\]\[meta sequenceId=\"[0-9]*\"\]\[jumpbox@32473 prev=\"[0-9a-f]\{64\}\" user=\"alice\" fp=\"SHA256:[^\"]*\" keytype=\"ssh-ed25519\" src=\"10.89.1.2\" port=\"[0-9]*\" conn=\"[0-9]*\" method=\"publickey\" result=\"challenge\"" "$T/state/audit.spool"'
# the end of a session is audited too (Dropbear patch 0007), after its channels' closes
check session-close-audited 'grep -q "SESSION_CLOSE .*user=\"gina\" conn=\"[0-9]*\" duration_s=\"[0-9]*\" reason=\"[^\"]*\"" "$T/state/audit.spool" && grep -q "SESSION_CLOSE .*user=\"jack\"" "$T/state/audit.spool"'
# a flood of refused connections costs the spool at most a record or two, not
# one each: uid 65534 (no account, no socket group) is refused by the kernel
# (EACCES) and makes none; root can connect but is not a peer of auth.sock,
# and is refused by jumpd (HOOK_REFUSED, braked per uid)
records_now() { grep -vc ' AUDIT_CHECKPOINT ' "$T/state/audit.spool"; } # a heartbeat may fall in a window
refused_flood() { # UID SETPRIV-GROUPS: 300 connections to auth.sock; the errors seen in $T/flood.err
	in_bastion setpriv --reuid "$1" --regid "$1" "$2" /usr/bin/python3 -c '
import errno, socket
seen = set()
for _ in range(300):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect("/run/jumpd/auth.sock"); s.recv(64)
    except OSError as e:
        seen.add(errno.errorcode.get(e.errno, str(e.errno)))
    s.close()
print(" ".join(sorted(seen)))' > "$T/flood.err" 2>&1
}
n0=$(records_now)
refused_flood 65534 --clear-groups
n1=$(records_now)
check accountless-flood-refused-by-kernel-no-record '[ $((n1 - n0)) = 0 ] && grep -qx "EACCES" "$T/flood.err"'
refused_flood 0 --keep-groups
n2=$(records_now)
check refused-connection-flood-does-not-fill-spool '[ $((n2 - n1)) -ge 1 ] && [ $((n2 - n1)) -le 3 ] && grep -q "HOOK_REFUSED .*peer_uid=\"0\"" "$T/state/audit.spool"'

# a user's processes flooding jumpd's auth socket with malformed lines, verbs
# the table refuses them and unknown verbs (measured before the verb table:
# 3,110 records/s):
# the first of each kind is recorded, the rest counted into one RATE_LIMITED
# per 10 s (the window may roll once during the flood)
n0=$(wc -l < "$T/state/audit.spool")
c0=$(records_now)
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups /usr/bin/python3 -c '
import socket, time
sent = 0
end = time.time() + 5
while time.time() < end:
    for line in (b"\x7f\n", b"pubkey user=erin fp=x src=10.0.0.1\n", b"unlock user=erin\n"):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect("/run/jumpd/auth.sock"); s.sendall(line); s.recv(64); sent += 1
        except OSError:
            pass
        s.close()
print(sent)' > "$T/flood.sent" 2>&1
n1=$(wc -l < "$T/state/audit.spool")
sed -n "$((n0 + 1)),\$p" "$T/state/audit.spool" > "$T/flood.records"
c1=$(records_now)
echo "  (user flood: $(cat "$T/flood.sent") requests in 5 s made $((c1 - c0)) records, checkpoints aside)"
check user-flood-of-malformed-and-refused-verbs-bounded '[ "$(cat "$T/flood.sent")" -ge 500 ] && [ $((c1 - c0)) -le 8 ] && grep -q "HOOK_ERROR .*peer_uid=\"$UID_alice\" reason=\"malformed request\"" "$T/flood.records" && grep -q "HOOK_REFUSED .*peer_uid=\"$UID_alice\" peer=\"user\" verb=\"pubkey\" reason=\"not-permitted\"" "$T/flood.records"'

# a user's processes holding jumpd's connections open cannot starve the logins:
# they get a few slots, the SSH server's requests always find room
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups /usr/bin/python3 -c '
import socket, time
held = []
for _ in range(80):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect("/run/jumpd/auth.sock"); held.append(s)
    except OSError:
        pass
time.sleep(4)' > /dev/null 2>&1 &
holder=$!
sleep 1
login gina "$T/id"
wait $holder
check held-connections-do-not-starve-logins 'grep -qx in-as-gina "$T/out"'

# SIGKILL of jumpd, and a torn record left at the spool's end as by a power cut:
# the restart cuts the torn bytes and the chain goes on
kill -9 "$(cat "$T/jumpd.run")"; wait "$(cat "$T/jumpd.run")" 2>/dev/null
printf '<85>1 2026-11-24T10:00:00.000Z bastion-test jumpd 1 AUTH [origin software="jumpb' >> "$T/state/audit.spool"
start_jumpd
login gina "$T/id"
check spool-recovers-after-sigkill-and-torn-write 'grep -qx in-as-gina "$T/out" && grep -q "JUMPD_START .*spool_torn_bytes=\"80\"" "$T/state/audit.spool"'
"$BIN/jumpctl" audit-verify "$T/state/audit.spool" > "$T/verify.out" 2>&1
check audit-spool-chain-intact 'grep -q ": intact$" "$T/verify.out" && [ "$(stat -c %a "$T/state/audit.spool")" = 640 ]'
# the trail is signed (security finding 4): jumpd made its key at the first
# start (0600, its own), printed it on the console and in JUMPD_START, kept it
# across the restart; checkpoints verify with it. A copy rewritten by whoever
# holds the stored trail (a user renamed, every prev after it recomputed)
# passes the chain check alone and fails with the key; a copy cut at the end
# fails against the last sequenceId seen.
key=$(sed -n 's/^jumpd: audit signing key [0-9a-f]* (new): \([0-9a-f]\{130\}\)$/\1/p' "$T/jumpd.log" | head -1)
"$BIN/jumpctl" audit-verify --key "$key" "$T/state/audit.spool" > "$T/verify-key.out" 2>&1
check audit-signing-key-made-once-printed-and-kept '[ -n "$key" ] && [ "$(stat -c "%a %u" "$T/state/audit-sign.key")" = "600 $JUMPD_UID" ] &&
	grep -q "JUMPD_START .*sign_key=\"$key\" sign_key_new=\"yes\"" "$T/state/audit.spool" &&
	grep -q "JUMPD_START .*sign_key=\"$key\" sign_key_new=\"no\"" "$T/state/audit.spool"'
check audit-trail-signed-checkpoints-verify 'grep -q "AUDIT_CHECKPOINT .*reason=\"start\"" "$T/state/audit.spool" && grep -q "forged, signed through sequenceId [1-9][0-9]*: intact$" "$T/verify-key.out"'
python3 - "$T/state/audit.spool" "$T/forged.spool" <<'PY'
import hashlib, re, sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
i = next(k for k, l in enumerate(lines) if b' AUTH ' in l and b'user="alice"' in l)
lines[i] = lines[i].replace(b'user="alice"', b'user="mallory"', 1)
for k in range(i + 1, len(lines)):
    prev = hashlib.sha256(lines[k - 1]).hexdigest().encode()
    lines[k] = re.sub(rb'prev="[0-9a-f]{64}"', b'prev="' + prev + b'"', lines[k], count=1)
open(sys.argv[2], 'wb').write(b'\n'.join(lines) + b'\n')
PY
"$BIN/jumpctl" audit-verify "$T/forged.spool" > "$T/verify-forged-plain.out" 2>&1
"$BIN/jumpctl" audit-verify --key "$key" "$T/forged.spool" > "$T/verify-forged-key.out" 2>&1; rc=$?
check rewritten-trail-passes-chain-fails-signature 'grep -q "0 malformed: intact$" "$T/verify-forged-plain.out" && [ $rc = 1 ] &&
	grep -q "^line [0-9]*: forged: checkpoint sequenceId [0-9]* does not verify with the key" "$T/verify-forged-key.out"'
last=$(grep -c . "$T/state/audit.spool")
head -n $((last - 3)) "$T/state/audit.spool" > "$T/cut.spool"
"$BIN/jumpctl" audit-verify --key "$key" --seen "$last" "$T/cut.spool" > "$T/verify-cut.out" 2>&1; rc=$?
"$BIN/jumpctl" audit-verify --key "$key" --seen "$last" "$T/state/audit.spool" > "$T/verify-uncut.out" 2>&1; rc2=$?
check trail-cut-at-the-end-found '[ $rc = 1 ] && grep -q "cut: the trail ends at sequenceId $((last - 3)), but sequenceId $last was seen" "$T/verify-cut.out" && [ $rc2 = 0 ]'
check replay-state-mode-0600 '[ "$(stat -c %a "$T/state/totp-steps")" = 600 ] && grep -q "^alice [0-9]" "$T/state/totp-steps"'

# spool full (spool-max-mb = 1, filled by the test to just under it): once a record no
# longer fits, logins are refused and the alarm is raised; nothing in the spool is dropped
stop_jumpd
check stop-ends-the-trail-with-a-signed-checkpoint 'tail -1 "$T/state/audit.spool" | grep -q " AUDIT_CHECKPOINT .*reason=\"stop\"" &&
	"$BIN/jumpctl" audit-verify --key "$key" "$T/state/audit.spool" | grep -q "signed through sequenceId $(grep -c . "$T/state/audit.spool"): intact$"'
mkdir -p "$T/state-full"
cp "$T/jumpbox.conf" "$T/jumpbox-full.conf"; printf '[syslog]\nspool-max-mb = 1\n' >> "$T/jumpbox-full.conf"
"$TOP/out/test/spoolgen" -f "$T/state-full/audit.spool" -n 4000 -H bastion-test > "$T/spoolgen.out" 2>&1
[ "$(stat -c %s "$T/state-full/audit.spool")" -gt 1048576 ] || fail "$SUITE"/spool-full-setup "spoolgen wrote too little"
truncate -s $((1048576 - 1500)) "$T/state-full/audit.spool" # mid-record: the torn tail is cut at open
chown -R $JUMPD_UID:$JUMPD_UID "$T/state-full" "$T/jumpbox-full.conf"; chmod 700 "$T/state-full"; chmod 600 "$T/jumpbox-full.conf"
: > "$T/jumpd.log"
JCONF=$T/jumpbox-full.conf JSTATE=$T/state-full start_jumpd
ins=0 outs=0
for i in 1 2 3 4 5 6; do
	login gina "$T/id"
	if grep -qx in-as-gina "$T/out"; then ins=$((ins + 1)); [ $outs = 0 ] || ins=99; else outs=$((outs + 1)); fi
done
records=$(grep -c . "$T/state-full/audit.spool")
"$BIN/jumpctl" audit-verify "$T/state-full/audit.spool" > "$T/verify-full.out" 2>&1
check spool-full-refuses-logins-keeps-records '[ $outs -ge 1 ] && [ $ins -lt 99 ] && grep -q "AUDIT SPOOL FULL" "$T/jumpd.log" && [ "$(stat -c %s "$T/state-full/audit.spool")" -le 1048576 ] && grep -q "0 missing, 0 chain breaks" "$T/verify-full.out"'
echo "  (spool full: $ins logins in, then $outs refused; $records records kept)"

