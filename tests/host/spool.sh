# tests/host/spool.sh: the audit spool: structured events, floods bounded (local and pre-auth), crash recovery, reclaim after delivery, the admins' reserve, spool full.
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
check user-flood-of-malformed-and-refused-verbs-bounded '[ "$(cat "$T/flood.sent")" -ge 500 ] && [ $((c1 - c0)) -le 8 ] && grep -q "HOOK_ERROR .*peer_uid=\"$UID_alice\" peer_pid=\"[1-9][0-9]*\" reason=\"malformed request\"" "$T/flood.records" && grep -q "HOOK_REFUSED .*peer_uid=\"$UID_alice\" peer=\"user\" verb=\"pubkey\" reason=\"not-permitted\"" "$T/flood.records"'

# a flood of verified-key logins for a locked account from two addresses (security
# finding 1: each one was an AUTH record, and no code is needed): per address its
# burst (30) then 2 records/s, box-wide 20/s; the rest summed in one RATE_LIMITED per
# address and 10 s. kim is locked as an admin lockout is kept (the state volume's
# totp-steps); gina (mfa = off: an allow is never braked) gets in from the flooded
# address meanwhile, the positive control
stop_jumpd
echo "kim 0 20 1" >> "$T/state/totp-steps"
start_jumpd || fail "$SUITE/jumpd-restarts-with-kim-locked" "$(tail -2 "$T/jumpd.log")"
FLOOD_S=15
a0=$(grep -c . "$T/state/audit.spool") t0=$(date +%s)
ip netns exec $C /usr/bin/python3 "$TOP/tests/host/authflood.py" $BASTION kim "$T/id" $FLOOD_S 4 10.89.1.2,10.89.1.3 8 > "$T/authflood.out" 2>&1 &
fpid=$!
sleep 4
login gina "$T/id" -b 10.89.1.2
wait $fpid
a1=$(grep -c . "$T/state/audit.spool") t1=$(date +%s)
sed -n "$((a0 + 1)),${a1}p" "$T/state/audit.spool" > "$T/authflood.records"
tries=$(cut -d' ' -f1 "$T/authflood.out") refused=$(cut -d' ' -f2 "$T/authflood.out")
kim_records=$(grep -c " AUTH .*user=\"kim\"" "$T/authflood.records")
# the summaries: each address's window ends after the flood (deadline 15 s)
for _ in $(seq 75); do
	grep -q "RATE_LIMITED .*src=\"10.89.1.2\" auth_not_recorded=\"[1-9]" "$T/state/audit.spool" &&
		grep -q "RATE_LIMITED .*src=\"10.89.1.3\" auth_not_recorded=\"[1-9]" "$T/state/audit.spool" && break
	sleep 0.2
done
not_recorded=$(sed -n 's/.* RATE_LIMITED .*src="10\.89\.1\.[23]" auth_not_recorded="\([0-9]*\)".*/\1/p' "$T/state/audit.spool" | awk '{s += $1} END {print s + 0}')
# what jumpd saw: the keys it was asked about, recorded or counted; the bound over
# the time the flood took (two addresses: 30 at once and 2/s each)
attempts=$((kim_records + not_recorded)) bound=$((2 * (30 + 2 * (t1 - t0 + 1))))
echo "  (locked-account flood: $tries connections in $FLOOD_S s ($refused refused), $attempts verified keys: $kim_records AUTH records ($(awk "BEGIN {printf \"%.1f\", $kim_records / $FLOOD_S}") records/s, bound $bound in $((t1 - t0)) s), $not_recorded counted in RATE_LIMITED)"
check locked-account-key-flood-bounded-per-address '[ "$not_recorded" -ge 50 ] && [ "$kim_records" -ge 2 ] && [ "$kim_records" -le $bound ] &&
	grep -q " AUTH .*user=\"kim\".*result=\"deny\" reason=\"user-locked\"" "$T/authflood.records" && grep -qx in-as-gina "$T/out"'

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

# the reserve (spool-max-mb = 1, filled by the test into its last sixteenth): a
# user's login is refused with the reserve's reason (Dropbear's log says it) while
# an admin still logs in with key and code and runs `jumpctl status`; the state
# change is an AUDIT_SPOOL record and on the console; nothing in the spool is dropped
stop_jumpd
check stop-ends-the-trail-with-a-signed-checkpoint 'tail -1 "$T/state/audit.spool" | grep -q " AUDIT_CHECKPOINT .*reason=\"stop\"" &&
	"$BIN/jumpctl" audit-verify --key "$key" "$T/state/audit.spool" | grep -q "signed through sequenceId $(grep -c . "$T/state/audit.spool"): intact$"'
# reclaim after delivery: the real shipper (jumpship, its own uid in jumpd's group)
# sends the spool to a TLS collector (openssl s_server, certificates made here);
# jumpd, given its cursor (-k) and spool-keep-hours = 0, gives the delivered head
# back: the spool's allocated blocks shrink (its size does not), AUDIT_RECLAIM says
# from where it is verified; the shipper restarted resumes on its cursor, and the
# spool verifies with the key from the stated checkpoint (jumpd run on a copy of the state)
SHIP_UID=105 P=$T/pki sign_key=$key # (login sets $key)
mkdir -p "$P" "$T/ship/state" "$T/ship/run"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/ca.key" -out "$P/ca.pem" \
	-days 2 -subj "/CN=spool test CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/col.key" -out "$P/col.csr" \
	-subj "/CN=collector.test" 2>/dev/null
printf 'subjectAltName=DNS:collector.test\n' > "$P/ext"
openssl x509 -req -in "$P/col.csr" -CA "$P/ca.pem" -CAkey "$P/ca.key" -CAcreateserial -days 2 -extfile "$P/ext" \
	-out "$P/col.pem" 2>/dev/null
printf '[system]\nhostname = bastion-test\n[syslog]\ncollector = 127.0.0.1\nport = 6514\nserver-name = collector.test\nca = %s\n' \
	"$P/ca.pem" > "$T/ship.conf"
chmod 644 "$T/ship.conf" "$P/ca.pem"; chown -R $SHIP_UID:$JUMPD_UID "$T/ship"; chmod 750 "$T/ship/state"
# on a copy of the state (the later suites read the spool as it was)
RS=$T/state-reclaim; rm -rf "$RS"; cp -a "$T/state" "$RS"
chmod 750 "$RS" # as the image's /state/jumpd: the shipper (jumpd's group) reads the spool
# s_server ends a session when its stdin ends: a fifo held open by a sleeper
rm -f "$T/collector.in"; mkfifo "$T/collector.in"
sleep 600 > "$T/collector.in" &
echo $! > "$T/collector-in.run"
nsenter -t "$(cat "$T/ns.pid")" -m -n -- openssl s_server -accept 127.0.0.1:6514 -cert "$P/col.pem" -key "$P/col.key" -quiet \
	< "$T/collector.in" > "$T/collector.got" 2>&1 &
echo $! > "$T/collector.run"
start_ship() { # without a subshell, so $! is the shipper itself
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $SHIP_UID --regid $JUMPD_UID --clear-groups --no-new-privs "$BIN/jumpship" -c "$T/ship.conf" \
		-f "$RS/audit.spool" -s "$T/ship/state" -r "$T/ship/run" -m 1000 -B 1 >> "$T/ship.log" 2>&1 &
	echo $! > "$T/ship.run"
}
{ cat "$T/jumpbox.conf"; printf '[syslog]\nspool-keep-hours = 0\n'; } > "$T/jumpbox-reclaim.conf"
chown $JUMPD_UID "$T/jumpbox-reclaim.conf"; chmod 600 "$T/jumpbox-reclaim.conf"
JCONF=$T/jumpbox-reclaim.conf JSTATE=$RS JUMPD_FW_OPTS="-f /run/fw/fw.sock -w $FW_UID -k $T/ship/state/cursor" start_jumpd
blocks0=$(stat -c %b "$RS/audit.spool") size0=$(stat -c %s "$RS/audit.spool")
start_ship
# delivered (the cursor stored), then reclaimed within jumpd's 10 s tick (deadline 30 s)
for _ in $(seq 150); do grep -q " AUDIT_RECLAIM " "$RS/audit.spool" && break; sleep 0.2; done
sleep 1
blocks1=$(stat -c %b "$RS/audit.spool") size1=$(stat -c %s "$RS/audit.spool")
first=$(sed -n 's/.* AUDIT_RECLAIM .*first_kept_seq="\([0-9]*\)".*/\1/p' "$RS/audit.spool" | tail -1)
echo "  (reclaim: $blocks0 -> $blocks1 blocks of 512 B allocated, size $size0 -> $size1; verified from sequenceId ${first:-none})"
kill "$(cat "$T/ship.run")"; wait "$(cat "$T/ship.run")" 2>/dev/null
login gina "$T/id" # a record after the reclaim, shipped by the restarted shipper
start_ship
for _ in $(seq 50); do [ "$(grep -c "connected to collector" "$T/ship.log")" -ge 2 ] && break; sleep 0.2; done
sleep 2
# from the last reclaim's stated start (the restarted shipper's deliveries may reclaim again)
first=$(sed -n 's/.* AUDIT_RECLAIM .*first_kept_seq="\([0-9]*\)".*/\1/p' "$RS/audit.spool" | tail -1)
"$BIN/jumpctl" audit-verify --key "$sign_key" --from "${first:-1}" "$RS/audit.spool" > "$T/verify-reclaim.out" 2>&1; vrc=$?
"$BIN/jumpctl" audit-verify --key "$sign_key" "$RS/audit.spool" > "$T/verify-reclaim-nofrom.out" 2>&1; vrc2=$?
check reclaim-after-delivery-shrinks-spool '[ -n "$first" ] && [ "$blocks1" -lt "$blocks0" ] && [ "$size1" -ge "$size0" ] &&
	grep -q " AUDIT_RECLAIM .*delivered_seq=\"[1-9]" "$RS/audit.spool" && grep -qx in-as-gina "$T/out"'
check shipper-resumes-and-spool-verifies-across-reclaimed-head '[ $vrc = 0 ] && grep -q "head was reclaimed" "$T/verify-reclaim.out" &&
	grep -q "intact$" "$T/verify-reclaim.out" && [ $vrc2 = 1 ] && grep -q "cut: the trail starts at sequenceId" "$T/verify-reclaim-nofrom.out" &&
	[ "$(grep -c "connected to collector" "$T/ship.log")" -ge 2 ] && ! grep -q "does not match" "$T/ship.log" &&
	grep "shipping .* from sequenceId" "$T/ship.log" | tail -1 | grep -qv "from sequenceId 1$"'
kill "$(cat "$T/ship.run")" "$(cat "$T/collector.run")" "$(cat "$T/collector-in.run")" 2>/dev/null
wait "$(cat "$T/ship.run")" "$(cat "$T/collector.run")" "$(cat "$T/collector-in.run")" 2>/dev/null
stop_jumpd

cp "$T/jumpbox.conf" "$T/jumpbox-full.conf"; printf '[syslog]\nspool-max-mb = 1\n' >> "$T/jumpbox-full.conf"
fill_spool() { # DIR BYTES: a spool of spoolgen's records cut to BYTES (mid-record: the torn tail is cut at open)
	rm -rf "$1"; mkdir -p "$1"
	"$TOP/out/test/spoolgen" -f "$1/audit.spool" -n 4000 -H bastion-test > "$T/spoolgen.out" 2>&1
	[ "$(stat -c %s "$1/audit.spool")" -gt 1048576 ] || fail "$SUITE"/spool-full-setup "spoolgen wrote too little"
	truncate -s "$2" "$1/audit.spool"
	cp "$T/state/totp-steps" "$1/" 2>/dev/null
	chown -R $JUMPD_UID:$JUMPD_UID "$1" "$T/jumpbox-full.conf"; chmod 700 "$1"; chmod 600 "$T/jumpbox-full.conf"
}
fill_spool "$T/state-full" $((1048576 - 40 * 1024))
: > "$T/jumpd.log"; : > "$T/dropbear.log"
JCONF=$T/jumpbox-full.conf JSTATE=$T/state-full start_jumpd
login gina "$T/id"
cp "$T/out" "$T/out-gina"
code_now harry > "$T/code"
login harry "$T/id"
cp "$T/out" "$T/out-harry"
in_bastion setpriv --reuid $UID_harry --regid $UID_harry --init-groups "$BIN/jumpctl" status > "$T/status-reserve" 2>&1; st=$?
"$BIN/jumpctl" audit-verify "$T/state-full/audit.spool" > "$T/verify-full.out" 2>&1
echo "  (reserve: $(stat -c %s "$T/state-full/audit.spool") of 1048576 bytes; gina: $(head -1 "$T/out-gina"); harry: $(head -1 "$T/out-harry"))"
check reserve-refuses-user-with-reason '! grep -q in-as "$T/out-gina" && grep -q "Auth refused for .gina. from .* by jumpd: audit-spool-reserve" "$T/dropbear.log" &&
	grep -q "AUDIT SPOOL RESERVE" "$T/jumpd.log" && grep -q " AUDIT_SPOOL .*state=\"reserve\"" "$T/state-full/audit.spool"'
check reserve-admin-logs-in-and-runs-status 'grep -qx in-as-harry "$T/out-harry" && [ $st = 0 ] && grep -q "^locked_users:" "$T/status-reserve" &&
	grep -q " AUTH .*user=\"harry\".*result=\"allow\" reason=\"totp-ok\"" "$T/state-full/audit.spool" &&
	[ "$(stat -c %s "$T/state-full/audit.spool")" -le 1048576 ] && grep -q "0 missing, 0 chain breaks" "$T/verify-full.out"'
stop_jumpd
# and full: even the reserve used up, the admin is refused too (audit-spool-full)
fill_spool "$T/state-full" $((1048576 - 1500))
: > "$T/jumpd.log"; : > "$T/dropbear.log"
JCONF=$T/jumpbox-full.conf JSTATE=$T/state-full start_jumpd
login gina "$T/id"
login harry "$T/id"
"$BIN/jumpctl" audit-verify "$T/state-full/audit.spool" > "$T/verify-full.out" 2>&1
check spool-full-refuses-admins-too-keeps-records '! grep -q in-as "$T/out" && grep -q "Auth refused for .harry. from .* by jumpd: audit-spool-full" "$T/dropbear.log" &&
	grep -q "AUDIT SPOOL FULL" "$T/jumpd.log" && [ "$(stat -c %s "$T/state-full/audit.spool")" -le 1048576 ] && grep -q "0 missing, 0 chain breaks" "$T/verify-full.out"'
stop_jumpd
start_jumpd || fail "$SUITE/jumpd-restarts-after-full" "$(tail -2 "$T/jumpd.log")"
