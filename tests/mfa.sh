#!/bin/sh
# Owns: the MFA tests on the host with real peers. The same static jumpd and
# Dropbear the image ships run in a bastion network namespace (own mount
# namespace: our passwd/group/shells, /run/jumpd on a tmpfs), as their own
# uids with the capabilities init gives them; Debian's OpenSSH client in a
# client namespace answers the code prompt through SSH_ASKPASS with codes
# from oathtool; Debian's sshd in a target namespace is the `ssh -J` target.
# The firewall helper (glibc, libnftnl) holds CAP_NET_ADMIN alone and loads
# the egress policy into the bastion namespace; a fourth namespace is a host
# in a forbidden segment.
# Usage: mfa.sh            the tests
#        mfa.sh bench N    server CPU per login, key + TOTP against key only,
#                          and the channel open cost with and without the
#                          pinhole against OpenSSH as the jump host
#                          (N logins / channels each; `make bench`)
set -u
MODE=${1:-test} NBENCH=${2:-20}
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/mfa-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/mfa
BIN=$TOP/out/bin
C=jbm-c B=jbm-b TG=jbm-t FB=jbm-f
BASTION=10.89.1.1
SSHD_UID=102 JUMPD_UID=103 FW_UID=104
CAPS=+net_bind_service,+setuid,+setgid,+chown,+fowner

make -s -C "$TOP" out/test/spoolgen > "$TOP/out/test/mfa-build.log" 2>&1 || fail mfa/spoolgen-builds "see out/test/mfa-build.log"
for b in jumpd jumpctl dropbearmulti jumpfw jumpmenu; do
	[ -x "$BIN/$b" ] || { fail mfa/setup "missing $BIN/$b (make image first)"; exit 0; }
done

cleanup() {
	[ -f "$T/ns.pid" ] && kill "$(cat "$T/ns.pid")" 2>/dev/null
	for p in "$T"/*.run; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	pkill -f -- "-r /run/fw -j /run/jumpd" 2>/dev/null
	pkill -f -- "-c $T/jumpbox.conf" 2>/dev/null; pkill -f -- "-r $T/hostkey" 2>/dev/null
	for n in $C $B $TG $FB; do ip netns del $n 2>/dev/null; done
	return 0
}
cleanup
rm -rf "$T"; mkdir -p "$T/etc" "$T/state" "$T/home" "$T/target"
trap cleanup EXIT

# ---- topology: client (two addresses) -- bastion -- target
for n in $C $B $TG $FB; do ip netns add $n; ip -n $n link set lo up; done
ip link add jbm-cb netns $C type veth peer name jbm-bc netns $B
ip link add jbm-bt netns $B type veth peer name jbm-tb netns $TG
ip link add jbm-bf netns $B type veth peer name jbm-fb netns $FB
ip -n $B addr add 10.89.3.1/24 dev jbm-bf; ip -n $FB addr add 10.89.3.2/24 dev jbm-fb
ip -n $B link set jbm-bf up; ip -n $FB link set jbm-fb up
ip -n $C addr add 10.89.1.2/24 dev jbm-cb; ip -n $C addr add 10.89.1.3/24 dev jbm-cb
ip -n $B addr add $BASTION/24 dev jbm-bc; ip -n $B addr add 10.89.2.1/24 dev jbm-bt
ip -n $TG addr add 10.89.2.2/24 dev jbm-tb; ip -n $TG addr add 10.89.2.3/24 dev jbm-tb
for l in "$C jbm-cb" "$B jbm-bc" "$B jbm-bt" "$TG jbm-tb"; do set -- $l; ip -n $1 link set $2 up; done

# ---- users, keys, secrets, site config
USERS="alice bob carol dave erin frank gina harry ivan jack"
# a TOTP code works once per user and step: the benchmark needs one user per login
[ "$MODE" = bench ] && USERS="gina $(seq -f 'bench%02g' 1 "$NBENCH" | tr '\n' ' ')"
ssh-keygen -q -t ed25519 -N '' -C mfa-test -f "$T/id"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$T/stranger"
{
	echo "[system]"; echo "hostname = bastion-test"
	echo "[mfa]"; echo "lockout-failures = 20"; echo "max-delay-seconds = 1"
	# policy: one approved segment; t1 is the real target, the others only names
	today=$(date -u +%a | tr 'A-Z' 'a-z' | cut -c1-3)
	other_day=$(for d in mon tue wed thu fri sat sun; do [ $d = "$today" ] || { echo $d; break; }; done)
	printf '[segment lab]\ncidr = 10.89.2.0/24\ncidr = fd89:2::/64\n'
	printf '[target t1]\naddress = 10.89.2.2\nport = 22\nsegment = lab\n'
	printf '[target t2]\naddress = 10.89.2.3\n[target t3]\naddress = 10.89.2.4\n[target t4]\naddress = 10.89.2.5\n'
	[ "$MODE" = bench ] || printf '[grant admins]\nto = group:admins\ntarget = t1\n'
	printf '[grant gina-t1]\nto = user:gina\ntarget = t1\nport = 22\n'
	printf '[grant gina-old]\nto = user:gina\ntarget = t3\nexpires = 2020-01-31\n'
	printf '[grant gina-weekly]\nto = user:gina\ntarget = t4\ndays = %s\n' "$other_day"
} > "$T/jumpbox.conf"
printf 'root:x:0:0:root:/:/bin/false\nsshd:x:%s:%s::/:/bin/false\njumpd:x:%s:%s::/:/bin/false\nfw:x:%s:%s::/:/bin/false\n' \
	$SSHD_UID $SSHD_UID $JUMPD_UID $JUMPD_UID $FW_UID $FW_UID > "$T/etc/passwd"
printf 'root:x:0:\nsshd:x:%s:\njumpd:x:%s:\nfw:x:%s:\n' $SSHD_UID $JUMPD_UID $FW_UID > "$T/etc/group"
printf '/bin/sh\n%s\n' "$BIN/jumpmenu" > "$T/etc/shells"
uid=2000
for u in $USERS; do
	secret=$("$BIN/jumpctl" mfa-enroll "$u" --host bastion-test | sed -n 's/^totp-secret = //p')
	echo "$secret" > "$T/$u.secret"
	{
		echo "[user $u]"; echo "key = $(cat "$T/id.pub")"
		case $u in
		gina|jack) echo "mfa = off" ;;
		*) echo "totp-secret = $secret" ;;
		esac
		[ $u = frank ] && echo "mfa-remember-minutes = 5"
		[ $u = harry ] && echo "admin = yes"
		case $u in harry|ivan|jack) echo "group = admins" ;; esac
	} >> "$T/jumpbox.conf"
	# jack has the image's login shell, the jump menu; the others a shell for the checks
	shell=/bin/sh; [ $u = jack ] && shell=$BIN/jumpmenu
	echo "$u:x:$uid:$uid::$T/home/$u:$shell" >> "$T/etc/passwd"
	echo "$u:x:$uid:" >> "$T/etc/group"
	mkdir -p "$T/home/$u/.ssh"; cp "$T/id.pub" "$T/home/$u/.ssh/authorized_keys"
	chown -R $uid:$uid "$T/home/$u"; chmod 700 "$T/home/$u"
	eval "UID_$u=$uid"
	uid=$((uid + 1))
done
chown $JUMPD_UID:$JUMPD_UID "$T/jumpbox.conf" "$T/state"; chmod 600 "$T/jumpbox.conf"; chmod 700 "$T/state"
"$BIN/dropbearmulti" dropbearkey -t ed25519 -f "$T/hostkey" >/dev/null 2>&1
chown $SSHD_UID "$T/hostkey"
if "$BIN/jumpctl" check-config "$T/jumpbox.conf" > "$T/check.out" 2>&1; then
	pass "mfa/check-config-accepts-test-config"
else
	fail "mfa/check-config-accepts-test-config" "$(cat "$T/check.out")"
fi

# ---- bastion: its own mount namespace, held open by a sleeper
ip netns exec $B unshare -m --propagation private sh -c "
	mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/jumpd /run/sshd /run/fw &&
	chown $JUMPD_UID:$JUMPD_UID /run/jumpd && chown $SSHD_UID:$SSHD_UID /run/sshd && chown $FW_UID:$FW_UID /run/fw &&
	for f in passwd group shells; do mount --bind $T/etc/\$f /etc/\$f; done &&
	echo \$\$ > $T/ns.pid && exec sleep 100000" &
for _ in $(seq 50); do [ -s "$T/ns.pid" ] && break; sleep 0.1; done
in_bastion() { nsenter -t "$(cat "$T/ns.pid")" -m -n -- "$@"; }
# the firewall helper as init starts it: own uid, CAP_NET_ADMIN only
start_fw() {
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $FW_UID --regid $FW_UID --clear-groups --no-new-privs \
		--inh-caps +net_admin --ambient-caps +net_admin --bounding-set -all,+net_admin \
		"$BIN/jumpfw" -i jbm-bc -p 22 -S 10.89.2.0/24 -S fd89:2::/64 -u $JUMPD_UID -r /run/fw \
		-j /run/jumpd/auth.sock >> "$T/fw.log" 2>&1 &
	echo $! > "$T/fw.run"
	for _ in $(seq 50); do in_bastion test -S /run/fw/fw.sock && return 0; sleep 0.1; done
	return 1
}
start_fw || fail mfa/firewall-helper-starts "$(tail -3 "$T/fw.log")"
start_jumpd() { # in the background without a subshell, so $! is jumpd itself
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --clear-groups --no-new-privs \
		"$BIN/jumpd" -c "${JCONF:-$T/jumpbox.conf}" -s "${JSTATE:-$T/state}" -r /run/jumpd -u $SSHD_UID \
		${JUMPD_FW_OPTS--f /run/fw/fw.sock -w $FW_UID} >> "$T/jumpd.log" 2>&1 &
	echo $! > "$T/jumpd.run"
	for _ in $(seq 50); do in_bastion test -S /run/jumpd/auth.sock && return 0; sleep 0.1; done
	return 1
}
stop_jumpd() { kill "$(cat "$T/jumpd.run")"; wait "$(cat "$T/jumpd.run")" 2>/dev/null; rm -f "$T/jumpd.run"; }
start_jumpd || fail mfa/jumpd-starts "$(tail -3 "$T/jumpd.log")"
nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $SSHD_UID --regid $SSHD_UID --clear-groups --no-new-privs \
	--inh-caps $CAPS --ambient-caps $CAPS \
	"$BIN/dropbearmulti" dropbear -F -E -w -p $BASTION:22 -r "$T/hostkey" -P /run/sshd/dropbear.pid \
	2>> "$T/dropbear.log" &
echo $! > "$T/dropbear.run"

# ---- target: Debian's OpenSSH server
ssh-keygen -q -t ed25519 -N '' -f "$T/target/hostkey"
cp "$T/id.pub" "$T/target/authorized_keys"
cat > "$T/target/sshd_config" <<EOF
ListenAddress 10.89.2.2
ListenAddress 10.89.2.3
HostKey $T/target/hostkey
AuthorizedKeysFile $T/target/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PidFile $T/target/sshd.pid
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
mkdir -p /run/sshd
ip netns exec $TG /usr/sbin/sshd -D -f "$T/target/sshd_config" -E "$T/target/sshd.log" &
echo $! > "$T/target.run"
for _ in $(seq 50); do
	ip netns exec $C sh -c "echo > /dev/tcp/$BASTION/22" 2>/dev/null && break
	ip netns exec $C nc -z $BASTION 22 2>/dev/null && break
	sleep 0.2
done
sleep 0.5

# ---- the client side
cat > "$T/askpass" <<EOF
#!/bin/sh
echo "\$*" >> "$T/askpass.log"
cat "$T/code"
EOF
chmod 755 "$T/askpass"
# a config file, not -o options: `ssh -J` hands -F (only) to the jump hop
cat > "$T/ssh_config" <<EOF
Host *
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
	ConnectTimeout 10
	PreferredAuthentications publickey,keyboard-interactive
	NumberOfPasswordPrompts 1
EOF
{ cat "$T/ssh_config"; echo "	IdentityFile $T/id"; } > "$T/ssh_config_jump"
SSHOPTS="-F $T/ssh_config"
# gina's (mfa = off): LogLevel INFO (first value wins): the client then prints the server's refusal
{ echo "LogLevel INFO"; cat "$T/ssh_config"; echo "	IdentityFile $T/id"; } > "$T/ssh_config_gina"
# login USER KEY [ssh options...] -- runs `echo in-as-$USER`; output in $T/out
login() {
	u=$1 key=$2; shift 2
	: > "$T/askpass.log"
	ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
		ssh $SSHOPTS -i "$key" "$@" "$u@$BASTION" "echo in-as-\$(id -un)" \
		> "$T/out" 2>&1 < /dev/null
}
code_now() { oathtool --totp -b "$(cat "$T/$1.secret")"; }
code_at() { oathtool --totp -b "$(cat "$T/$1.secret")" -N "@$2"; }
asked() { [ -s "$T/askpass.log" ]; }
last_event() { grep "AUTH .*user=\"$1\"" "$T/state/audit.spool" | tail -1; }
check() { # NAME CONDITION-COMMAND...  (a shell expression)
	name=$1; shift
	if eval "$@"; then pass "mfa/$name"; else fail "mfa/$name" "out: $(tr '\n' ' ' < "$T/out" | cut -c1-200) event: $(tail -1 "$T/state/audit.spool" | cut -c1-300)"; fi
}

# ---- benchmark: CPU of the server side (Dropbear's connection processes,
# reaped into the listener's children time, plus jumpd) per login
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
bench_run() { # LABEL USERS...: prints server CPU ms per login and wall ms per login
	label=$1; shift
	d0=$(ticks "$(cat "$T/dropbear.run")"); j0=$(ticks "$(cat "$T/jumpd.run")"); t0=$(date +%s%N); n=0 bad=0
	for u in "$@"; do
		[ "$u" = gina ] || code_now "$u" > "$T/code"
		login "$u" "$T/id"
		grep -qx "in-as-$u" "$T/out" || bad=$((bad + 1))
		n=$((n + 1))
	done
	t1=$(date +%s%N); sleep 1
	d1=$(ticks "$(cat "$T/dropbear.run")"); j1=$(ticks "$(cat "$T/jumpd.run")")
	hz=$(getconf CLK_TCK)
	echo "$label $n $bad $(( (d1 - d0) * 1000 / hz )) $(( (j1 - j0) * 1000 / hz )) $(( (t1 - t0) / 1000000 ))" >> "$T/bench"
}
if [ "$MODE" = bench ]; then
	: > "$T/bench"
	gina_list=$(for _ in $(seq "$NBENCH"); do printf 'gina '; done)
	bench_run key-only $gina_list
	bench_run key+totp $(seq -f 'bench%02g' 1 "$NBENCH")
	bench_run key-only-again $gina_list
	echo "MFA login cost, $NBENCH logins each (server side: Dropbear connection processes + jumpd)"
	awk '{ printf "  %-15s logins %d failed %d  dropbear %4d ms  jumpd %3d ms  => server CPU %.1f ms/login, wall %.0f ms/login\n",
		$1, $2, $3, $4, $5, ($4 + $5) / $2, $6 / $2 }' "$T/bench"
	awk '$1 == "key-only" || $1 == "key-only-again" { k += $4 + $5; kn += $2 } $1 == "key+totp" { m = $4 + $5; mn = $2 }
		END { if (k > 0) printf "  ratio key+totp / key-only (server CPU per login): %.2f\n", (m / mn) / (k / kn) }' "$T/bench"
fi

# ---- benchmark: the cost of a channel decision, seen from the client: time
# from the channel request to the target's first byte, through one multiplexed
# connection (ssh -W over a ControlMaster), jumpbox with pinholes, jumpbox
# without the firewall helper, and Debian's OpenSSH sshd as the jump host
channel_bench() { # LABEL USER@HOST: prints median and p90 ms over NBENCH channels
	label=$1 dest=$2 cm=$T/cm-$1
	ip netns exec $C ssh -F "$T/ssh_config_gina" -o ControlMaster=yes -o ControlPath="$cm" -o ControlPersist=120 \
		-N -f "$dest" < /dev/null > /dev/null 2>&1
	: > "$T/chbench-$label"
	for _ in $(seq "$NBENCH"); do
		t0=$(date +%s%N)
		ip netns exec $C ssh -F "$T/ssh_config_gina" -o ControlPath="$cm" -W 10.89.2.2:22 "$dest" < /dev/null 2>/dev/null | head -c 4 > "$T/banner"
		t1=$(date +%s%N)
		[ "$(cat "$T/banner")" = SSH- ] && echo $(( (t1 - t0) / 1000 )) >> "$T/chbench-$label"
	done
	ip netns exec $C ssh -o ControlPath="$cm" -O exit "$dest" > /dev/null 2>&1
	sort -n "$T/chbench-$label" | awk -v l="$label" '{ v[NR] = $1 } END { if (NR) printf "  %-28s channels %3d  median %6.2f ms  p90 %6.2f ms\n", l, NR, v[int(NR * 0.5 + 0.5)] / 1000, v[int(NR * 0.9 + 0.5)] / 1000; else printf "  %-28s no channel opened\n", l }' | tee -a "$T/chbench"
}
if [ "$MODE" = bench ]; then
	: > "$T/chbench"
	echo "Channel open cost (client: request to the target's first byte, $NBENCH channels each)"
	channel_bench jumpbox-with-pinhole "gina@$BASTION"
	pin=$(grep 'CHANNEL .*result="allow"' "$T/state/audit.spool" | sed -n 's/.*pinhole_us="\([0-9]*\)".*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int(NR * 0.5 + 0.5)] }')
	echo "  (jumpd's own measure of the pinhole step, median over the allowed channels: ${pin:-?} us)"
	# without the firewall: jumpd decides, nothing is pinned, nothing enforced
	stop_jumpd; kill "$(cat "$T/fw.run")"; wait "$(cat "$T/fw.run")" 2>/dev/null
	in_bastion nft delete table inet jumpbox
	JUMPD_FW_OPTS= start_jumpd
	channel_bench jumpbox-without-firewall "gina@$BASTION"
	# the peer: OpenSSH's sshd as the jump host, same namespace, no policy at all
	cp "$T/id.pub" "$T/target/peer_keys"
	ip netns exec $B /usr/sbin/sshd -D -f /dev/null -o ListenAddress=$BASTION:2200 -o HostKey="$T/target/hostkey" \
		-o AuthorizedKeysFile="$T/target/peer_keys" -o PasswordAuthentication=no -o StrictModes=no \
		-o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o PidFile=none -E "$T/peer-sshd.log" &
	echo $! > "$T/peer-sshd.run"
	sleep 1
	printf 'Host peer\n\tHostName %s\n\tPort 2200\n\tUser root\n' "$BASTION" > "$T/peer_host"
	{ cat "$T/peer_host"; cat "$T/ssh_config_gina"; } > "$T/ssh_config_peer"
	cp "$T/ssh_config_gina" "$T/ssh_config_gina.keep"; cp "$T/ssh_config_peer" "$T/ssh_config_gina"
	channel_bench openssh-sshd-as-jump-host peer
	cp "$T/ssh_config_gina.keep" "$T/ssh_config_gina"
	awk '{ m[$1] = $5 } END { if (m["openssh-sshd-as-jump-host"] > 0) printf "  ratio jumpbox (with pinhole) / OpenSSH: %.2f; pinhole share: %.2f ms\n", m["jumpbox-with-pinhole"] / m["openssh-sshd-as-jump-host"], m["jumpbox-with-pinhole"] - m["jumpbox-without-firewall"] }' "$T/chbench"
	exit 0
fi

# right key + right code: in
code_now alice > "$T/code"; cp "$T/code" "$T/alice.used"
login alice "$T/id"
check right-key-right-code-in 'grep -qx in-as-alice "$T/out" && asked && last_event alice | grep -q "result=\"allow\" reason=\"totp-ok\""'
check askpass-saw-prompt 'grep -q "Verification code" "$T/askpass.log"'

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
	in_bastion setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --clear-groups /usr/bin/python3 "$T/garbage.py" /run/jumpd/auth.sock "$g" &
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
if in_bastion setpriv --reuid $UID_alice --regid $UID_alice --clear-groups "$BIN/jumpctl" unlock erin > "$T/out" 2>&1; then
	fail mfa/unlock-refused-for-non-admin "a non-admin unlocked: $(cat "$T/out")"
else
	check unlock-refused-for-non-admin 'grep -q "not an admin" "$T/out"'
fi
in_bastion setpriv --reuid $UID_harry --regid $UID_harry --clear-groups "$BIN/jumpctl" status > "$T/status" 2>&1
check admin-status-lists-locked-user 'grep -q "locked_users: erin" "$T/status"'
in_bastion "$BIN/jumpctl" unlock erin > "$T/out" 2>&1
login erin "$T/id"
check unlock-lets-user-in 'grep -qx in-as-erin "$T/out" && grep -q "UNLOCK .*user=\"erin\".*by_uid=\"0\"" "$T/state/audit.spool"'

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
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" -p 2222 root@t1 true > "$T/out" 2>&1 < /dev/null
check policy-refused-port-not-allowed 'grep -q "administratively prohibited" "$T/out" && last_channel | grep -q "reason=\"port-not-allowed\""'
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
# only jumpd's uid may ask the helper for a pinhole
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --clear-groups /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/fw/fw.sock')
s.sendall(b'pin uid=$UID_alice addr=10.89.2.2 port=22 ttl=600\n'); print(s.recv(100))" > "$T/fwask.out" 2>&1
check only-jumpd-may-ask-for-pinholes '! pins | grep -q " $UID_alice\$" && grep -q "request from uid $UID_alice refused" "$T/fw.log"'
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
start_jumpd
check jumpd-restart-leaves-no-pinhole '! pins | grep -q . && grep "JUMPD_START" "$T/state/audit.spool" | tail -1 | grep -q "pinholes_flushed=\"yes\""'
wait $hold
# a restarted firewall helper reloads the policy: no pinhole survives it either
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" root@t1 'sleep 3' > "$T/out.hold" 2>&1 < /dev/null &
hold=$!
for _ in $(seq 50); do pins | grep -q . && break; sleep 0.1; done
had=$(pins | wc -l)
kill "$(cat "$T/fw.run")"; wait "$(cat "$T/fw.run")" 2>/dev/null
start_fw
check helper-restart-leaves-no-pinhole '[ "$had" = 1 ] && ! pins | grep -q .'
wait $hold
# blocked egress reaches the audit trail, summed per uid and destination every 10 s
for _ in $(seq 120); do grep -q "EGRESS_BLOCKED .*address=\"10.89.3.2\"" "$T/state/audit.spool" && break; sleep 0.2; done
check blocked-egress-audited 'grep -q "EGRESS_BLOCKED .*uid=\"0\" user=\"-\" address=\"10.89.3.2\" proto=\"6\" port=\"8080\"" "$T/state/audit.spool" && grep -q "EGRESS_BLOCKED .*uid=\"$UID_alice\" user=\"alice\" address=\"10.89.2.2\" proto=\"6\" port=\"22\"" "$T/state/audit.spool"'
kill "$(cat "$T/forbidden.run")" 2>/dev/null

# a plain user's login shell is the jump menu: what the policy opens to them now, no shell
ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" list > "$T/out" 2>&1 < /dev/null
check menu-lists-targets-open-now 'grep -q "^  t1  *10.89.2.2  *port 22$" "$T/out" && ! grep -q "^  t[234] " "$T/out" && grep -q "ssh -J jack@" "$T/out"'
ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" 'id; cat /etc/passwd' > "$T/out" 2>&1 < /dev/null
check menu-runs-no-commands '! grep -q "uid=\|root:" "$T/out" && grep -q "is not a command here" "$T/out"'
# jumpd answers the list only to the user's own uid
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --clear-groups /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/jumpd/auth.sock')
s.sendall(b'targets user=jack offset=0\n'); print(s.recv(200))" > "$T/out" 2>&1
check menu-list-only-for-own-uid 'grep -q "error reason=bad-request" "$T/out" && ! grep -q "ta=" "$T/out"'

# events are structured and name key, source and method
check events-structured 'grep -q " AUTH \[origin software=\"jumpbox\" swVersion=\"[^\"]*\"\]\[meta sequenceId=\"[0-9]*\"\]\[jumpbox@32473 prev=\"[0-9a-f]\{64\}\" user=\"alice\" fp=\"SHA256:[^\"]*\" keytype=\"ssh-ed25519\" src=\"10.89.1.2\" port=\"[0-9]*\" conn=\"[0-9]*\" method=\"publickey\" result=\"challenge\"" "$T/state/audit.spool"'
# the end of a session is audited too (Dropbear patch 0007), after its channels' closes
check session-close-audited 'grep -q "SESSION_CLOSE .*user=\"gina\" conn=\"[0-9]*\" duration_s=\"[0-9]*\" reason=\"[^\"]*\"" "$T/state/audit.spool" && grep -q "SESSION_CLOSE .*user=\"jack\"" "$T/state/audit.spool"'
# a flood of refused connections (uid 65534 is neither the SSH server nor a user)
# costs the spool at most a record or two, not one each
n0=$(wc -l < "$T/state/audit.spool")
in_bastion setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 -c '
import socket
for _ in range(300):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect("/run/jumpd/auth.sock"); s.recv(64)
    except OSError:
        pass
    s.close()' > "$T/flood.err" 2>&1
n1=$(wc -l < "$T/state/audit.spool")
check refused-connection-flood-does-not-fill-spool '[ $((n1 - n0)) -ge 1 ] && [ $((n1 - n0)) -le 3 ] && grep -q "HOOK_REFUSED .*peer_uid=\"65534\"" "$T/state/audit.spool"'

# a user's processes holding jumpd's connections open cannot starve the logins:
# they get a few slots, the SSH server's requests always find room
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --clear-groups /usr/bin/python3 -c '
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
check replay-state-mode-0600 '[ "$(stat -c %a "$T/state/totp-steps")" = 600 ] && grep -q "^alice [0-9]" "$T/state/totp-steps"'

# spool full (spool-max-mb = 1, filled by the test to just under it): once a record no
# longer fits, logins are refused and the alarm is raised; nothing in the spool is dropped
stop_jumpd
mkdir -p "$T/state-full"
cp "$T/jumpbox.conf" "$T/jumpbox-full.conf"; printf '[syslog]\nspool-max-mb = 1\n' >> "$T/jumpbox-full.conf"
"$TOP/out/test/spoolgen" -f "$T/state-full/audit.spool" -n 4000 -H bastion-test > "$T/spoolgen.out" 2>&1
[ "$(stat -c %s "$T/state-full/audit.spool")" -gt 1048576 ] || fail mfa/spool-full-setup "spoolgen wrote too little"
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

results_summary
