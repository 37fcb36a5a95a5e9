# tests/host/topology.sh: the host test bed, sourced by tests/host.sh. The
# same static jumpd and Dropbear the image ships run in a bastion network
# namespace (own mount namespace: our passwd/group/shells, /run/jumpd on a
# tmpfs), as their own uids with the capabilities init gives them; Debian's
# OpenSSH client in a client namespace answers the code prompt through
# SSH_ASKPASS with codes from oathtool; Debian's sshd in a target namespace
# is the `ssh -J` target. The firewall helper (glibc, libnftnl) holds
# CAP_NET_ADMIN alone and loads the egress policy into the bastion namespace;
# a fourth namespace is a host in a forbidden segment.
# Expects MODE (test|bench), NBENCH, TOP; defines the helpers the suites use.
T=$TOP/out/test/host
BIN=$TOP/out/bin
# namespace names from JB_NS (default jbm): two checkouts can run their test beds at once
NS=${JB_NS:-jbm}
C=$NS-c B=$NS-b TG=$NS-t FB=$NS-f
BASTION=10.89.1.1
SSHD_UID=102 JUMPD_UID=103 FW_UID=104
CAPS=+net_bind_service,+setuid,+setgid

make -s -C "$TOP" out/test/spoolgen > "$TOP/out/test/host-build.log" 2>&1 || fail host/spoolgen-builds "see out/test/host-build.log"
for b in jumpd jumpctl dropbearmulti jumpfw jumpmenu; do
	[ -x "$BIN/$b" ] || { fail host/setup "missing $BIN/$b (make image first)"; exit 0; }
done

cleanup() {
	[ -f "$T/ns.pid" ] && kill "$(cat "$T/ns.pid")" 2>/dev/null
	for p in "$T"/*.run; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	# whatever still runs in our namespaces (a previous run's leftovers included)
	for n in $C $B $TG $FB; do ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null; done
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
USERS="alice bob carol dave erin frank gina harry ivan jack kim"
# a TOTP code works once per user and step: the benchmark needs one user per login
[ "$MODE" = bench ] && USERS="gina $(seq -f 'bench%02g' 1 "$NBENCH" | tr '\n' ' ')"
ssh-keygen -q -t ed25519 -N '' -C mfa-test -f "$T/id"
# the target's host key first: the recorded target t1r pins it
ssh-keygen -q -t ed25519 -N '' -f "$T/target/hostkey"
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
	# t1r: the same server, reached only through the recorder (ssh USER+t1r@bastion)
	printf '[target t1r]\naddress = 10.89.2.2\naccess = recorded\nhost-key = %s\n' \
		"$(ssh-keygen -lf "$T/target/hostkey.pub" | cut -d' ' -f2)"
	[ "$MODE" = bench ] || printf '[grant admins]\nto = group:admins\ntarget = t1\n'
	printf '[grant gina-t1]\nto = user:gina\ntarget = t1\nport = 22\n'
	printf '[grant gina-t1r]\nto = user:gina\ntarget = t1r\naccount = root\n'
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
		case $u in harry|ivan|jack|kim) echo "group = admins" ;; esac
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
# the socket groups as jb-setup renders them (jumpd/init/users.c, common/sockgroups.h):
# each process of the bed starts with its account's groups (setpriv --init-groups)
members=$(echo $USERS | tr ' ' ',')
admins=$(for u in $USERS; do [ $u = harry ] && printf ',%s' $u; done)
printf 'auth-sock:x:110:jumpd,sshd,fw,ship,rec,%s\nctl-sock:x:111:jumpd,rec%s\nfw-sock:x:112:jumpd,fw\nrec-sock:x:113:rec,%s\n' \
	"$members" "$admins" "$members" >> "$T/etc/group"
chown $JUMPD_UID:$JUMPD_UID "$T/jumpbox.conf" "$T/state"; chmod 600 "$T/jumpbox.conf"; chmod 700 "$T/state"
"$BIN/dropbearmulti" dropbearkey -t ed25519 -f "$T/hostkey" >/dev/null 2>&1
chown $SSHD_UID "$T/hostkey"
if "$BIN/jumpctl" check-config "$T/jumpbox.conf" > "$T/check.out" 2>&1; then
	pass "host/check-config-accepts-test-config"
else
	fail "host/check-config-accepts-test-config" "$(cat "$T/check.out")"
fi

# ---- bastion: its own mount namespace, held open by a sleeper
ip netns exec $B unshare -m --propagation private sh -c "
	mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/jumpd /run/sshd /run/fw &&
	chown $JUMPD_UID:$JUMPD_UID /run/jumpd && chown $SSHD_UID:$SSHD_UID /run/sshd && chown $FW_UID:$FW_UID /run/fw &&
	for f in passwd group shells; do mount --bind $T/etc/\$f /etc/\$f; done &&
	echo \$\$ > $T/ns.pid && exec sleep 100000" &
for _ in $(seq 50); do [ -s "$T/ns.pid" ] && break; sleep 0.1; done
in_bastion() { nsenter -t "$(cat "$T/ns.pid")" -m -n -- "$@"; }
# the firewall helper as init starts it: own uid, CAP_NET_ADMIN only (extra options: $@)
start_fw() {
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $FW_UID --regid $FW_UID --init-groups --no-new-privs \
		--inh-caps +net_admin --ambient-caps +net_admin --bounding-set -all,+net_admin \
		"$BIN/jumpfw" -i jbm-bc -p 22 -S 10.89.2.0/24 -S fd89:2::/64 -u $JUMPD_UID -r /run/fw \
		-j /run/jumpd/auth.sock "$@" >> "$T/fw.log" 2>&1 &
	echo $! > "$T/fw.run"
	for _ in $(seq 50); do in_bastion test -S /run/fw/fw.sock && return 0; sleep 0.1; done
	return 1
}
start_fw || fail host/firewall-helper-starts "$(tail -3 "$T/fw.log")"
starts() { n=$(grep -c "JUMPD_START" "${JSTATE:-$T/state}/audit.spool" 2>/dev/null); echo "${n:-0}"; }
start_jumpd() { # in the background without a subshell, so $! is jumpd itself
	n_starts=$(starts)
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --init-groups --no-new-privs \
		"$BIN/jumpd" -c "${JCONF:-$T/jumpbox.conf}" -s "${JSTATE:-$T/state}" -r /run/jumpd -u $SSHD_UID \
		${JUMPD_FW_OPTS--f /run/fw/fw.sock -w $FW_UID} >> "$T/jumpd.log" 2>&1 &
	echo $! > "$T/jumpd.run"
	# ready once its start is audited: it listens first, then has the firewall
	# helper flush the pinholes, then writes JUMPD_START (deadline 10 s)
	for _ in $(seq 100); do
		[ "$(starts)" -gt "$n_starts" ] && in_bastion test -S /run/jumpd/auth.sock && return 0
		kill -0 "$(cat "$T/jumpd.run")" 2>/dev/null || break
		sleep 0.1
	done
	echo "jumpd not ready: no new JUMPD_START in ${JSTATE:-$T/state}/audit.spool within 10 s" >&2
	return 1
}
stop_jumpd() { kill "$(cat "$T/jumpd.run")"; wait "$(cat "$T/jumpd.run")" 2>/dev/null; rm -f "$T/jumpd.run"; }
start_jumpd || fail host/jumpd-starts "$(tail -3 "$T/jumpd.log")"
nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $SSHD_UID --regid $SSHD_UID --init-groups --no-new-privs \
	--inh-caps $CAPS --ambient-caps $CAPS \
	"$BIN/dropbearmulti" dropbear -F -E -w -p $BASTION:22 -r "$T/hostkey" -P /run/sshd/dropbear.pid \
	2>> "$T/dropbear.log" &
echo $! > "$T/dropbear.run"

# ---- target: Debian's OpenSSH server (its host key made above)
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
# safe_files FILE...: each is valid UTF-8 with no C0 or C1 control but its newlines
# (the rule of jumpd/common/utf8.h for what reaches screens and records)
safe_files() { python3 -c '
import sys
for f in sys.argv[1:]:
    try:
        t = open(f, "rb").read().decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit("%s: not UTF-8: %s" % (f, e))
    bad = [c for c in t if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0)]
    if bad:
        sys.exit("%s: controls %r" % (f, bad[:4]))' "$@"; }
check() { # NAME CONDITION-COMMAND...  (a shell expression); named SUITE/NAME
	name=$1; shift
	if eval "$@"; then pass "$SUITE/$name"; else fail "$SUITE/$name" "out: $(tr '\n' ' ' 2>/dev/null < "$T/out" | cut -c1-200) event: $(tail -1 "$T/state/audit.spool" | cut -c1-300)"; fi
}

# try_connect UID PATH: connects to the unix socket PATH as UID with that
# account's groups (as the box starts its processes; 65534 has no account
# here: no group) and prints "connected" or the errno's name (EACCES ...)
try_connect() {
	groups=--init-groups; [ "$1" = 65534 ] && groups=--clear-groups
	in_bastion setpriv --reuid "$1" --regid "$1" $groups /usr/bin/python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1]); print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' "$2" 2>&1
}
# sock_is PATH MODE GROUP: the socket file's mode and group
sock_is() { [ "$(in_bastion stat -c '%a %G' "$1" 2>/dev/null)" = "$2 $3" ]; }
# flood UID PATH SECONDS HOLD: as UID (its groups), keeps HOLD connections to
# PATH open, reconnecting each one the server closes, for SECONDS; then
# prints how many connections it made. In the background; pid in $T/flood.run
flood() {
	groups=--init-groups; [ "$1" = 0 ] && groups=--keep-groups
	in_bastion setpriv --reuid "$1" --regid "$1" $groups /usr/bin/python3 -c '
import select, socket, sys, time
path, secs, hold = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
end, made, live = time.time() + secs, 0, []
while time.time() < end:
    while len(live) < hold:
        s = socket.socket(socket.AF_UNIX); s.setblocking(False)
        try:
            s.connect(path); made += 1; live.append(s)
        except BlockingIOError:
            s.close(); break
        except OSError:
            s.close(); break
    r, _, _ = select.select(live, [], [], 0.01)
    for s in r:  # closed by the server: make another
        try:
            gone = s.recv(64, socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            gone = False
        except OSError:
            gone = True
        if gone:
            live.remove(s); s.close()
print(made)' "$2" "$3" "$4" > "$T/flood.out" 2>&1 &
	echo $! > "$T/flood.run"
}
