#!/bin/sh
# Owns: the image tests. Boots images/jumpbox.img under QEMU (UEFI) with a
# config volume and a state volume and checks, with the OpenSSH client:
# login with the demo key, read-only root, writable mounts hardened, only SSH
# listening, no unexpected processes, no module loading, host key kept across
# a reboot (second boot with a static address), and a broken config refused.
# The audit trail goes to an rsyslog collector with TLS on this host's
# loopback (10.0.2.2 to the guest); the first boot ends with a hard kill of
# QEMU while records are being written, and after the second boot every
# record the box spooled must be at the collector, the chain intact.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/image-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/image
rm -rf "$T"; mkdir -p "$T"
IMG=$TOP/images/jumpbox.img
# ports on the host's loopback: free ones unless given (two runs, or anything
# else listening, must not make QEMU's forwarding fail)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${JB_TEST_PORT:-$(free_port)}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-240}
[ -f "$IMG" ] || { fail image/present "no $IMG"; exit 0; }

ssh-keygen -q -t ed25519 -N '' -C test@jumpbox -f "$T/id_ed25519"
CPORT=${JB_TEST_COLLECTOR_PORT:-$(free_port)}
P=$T/pki; mkdir -p "$P"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/ca.key" -out "$P/ca.pem" \
	-days 30 -subj "/CN=jumpbox image test CA" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/server.key" -out "$P/server.csr" \
	-subj "/CN=collector.test" -addext "subjectAltName=DNS:collector.test" 2>/dev/null
openssl x509 -req -in "$P/server.csr" -CA "$P/ca.pem" -CAkey "$P/ca.key" -CAcreateserial -days 30 \
	-copy_extensions copy -out "$P/server.pem" 2>/dev/null
W=$T/collector; mkdir -p "$W"
cat > "$W/rsyslog.conf" <<EOF
global(workDirectory="$W" maxMessageSize="64k" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="$P/ca.pem"
       DefaultNetstreamDriverCertFile="$P/server.pem" DefaultNetstreamDriverKeyFile="$P/server.key")
main_queue(queue.type="Direct")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
input(type="imtcp" port="$CPORT" address="127.0.0.1")
template(name="raw" type="string" string="%rawmsg%\n")
action(type="omfile" file="$W/raw.log" template="raw")
EOF
rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslogd.pid" > "$W/rsyslogd.log" 2>&1 &
COLLECTOR_PID=$!
# demo: key only (mfa = off), for the checks below that run commands on the
# box; ops: key + TOTP (the default), admin, for the MFA checks
OPS_SECRET=$("$TOP/out/bin/jumpctl" mfa-enroll ops --host jumpbox-test | sed -n 's/^totp-secret = //p')
TPORT=${JB_TEST_TARGET_PORT:-$(free_port)}
SSH="ssh -i $T/id_ed25519 -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 \
 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$T/known_hosts -o LogLevel=ERROR"
on_box() { $SSH demo@127.0.0.1 "$@"; }

# the target's host key first: the recorded target's entry pins it
mkdir -p "$T/target" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$T/target/hostkey"
TARGET_PIN=$(ssh-keygen -lf "$T/target/hostkey.pub" | awk '{print $2}')
write_conf() { # FILE MODE(dhcp|static)
	{
		echo "[system]"; echo "hostname = jumpbox-test"
		echo "[network]"; echo "interface = eth0"
		if [ "$2" = static ]; then
			echo "address = 10.0.2.15/24"; echo "gateway = 10.0.2.2"; echo "dns = 10.0.2.3"
		else
			echo "address = dhcp"
		fi
		# the ssh -J target: an OpenSSH server on this host's loopback, 10.0.2.2 to the guest
		printf '[segment qemu-host]\ncidr = 10.0.2.2/32\n[target host-sshd]\naddress = 10.0.2.2\nport = %s\n' "$TPORT"
		printf '[grant ops-host]\nto = user:ops\nto = user:menu\ntarget = host-sshd\n'
		# the same server as a recorded target: the box logs in as root with its own key
		printf '[target host-rec]\naddress = 10.0.2.2\nport = %s\naccess = recorded\nhost-key = %s\n' "$TPORT" "$TARGET_PIN"
		printf '[grant menu-rec]\nto = user:menu\ntarget = host-rec\naccount = root\n'
		printf '[syslog]\ncollector = 10.0.2.2\nport = %s\nserver-name = collector.test\nca = /config/ca.pem\n' "$CPORT"
		# demo: the break-glass diagnostic shell (an admin's opt-in) these tests inspect the box with
		echo "[user demo]"; echo "key = $(cat "$T/id_ed25519.pub")"; echo "mfa = off"
		echo "admin = yes"; echo "shell = diagnostic"
		echo "[user ops]"; echo "key = $(cat "$T/id_ed25519.pub")"; echo "totp-secret = $OPS_SECRET"
		echo "admin = yes"
		# menu: a plain user, whose login shell is the jump menu like everyone's by default
		echo "[user menu]"; echo "key = $(cat "$T/id_ed25519.pub")"; echo "mfa = off"
	} > "$1"
}

# the accelerator, probed once (a /dev/kvm that exists may still not run OVMF)
ACCEL=$("$TOP/tests/accel.sh" 2> "$T/accel.log") || { fail image/accelerator "$(cat "$T/accel.log")"; exit 0; }
echo "  $(cat "$T/accel.log")"
boot() { # NAME CONFIG_IMG STATE_IMG -> sets BOOT_SECS; returns 0 once SSH answers
	name=$1
	mkdir -p "$T/$name"
	start=$(date +%s.%N)
	if ! "$TOP/tests/vm.sh" "$T/$name" "$IMG" "$PORT" "$2" "$3" 2> "$T/$name.vm.err"; then
		BOOT_WHY="QEMU did not start: $(grep -v '^accel:' "$T/$name.vm.err" | head -2 | tr '\n' ' ')"
		return 1
	fi
	deadline=$(( $(date +%s) + BOOT_TIMEOUT ))
	while [ "$(date +%s)" -lt $deadline ]; do
		if on_box true 2>/dev/null; then
			BOOT_SECS=$(echo "$(date +%s.%N) - $start" | bc)
			return 0
		fi
		if ! kill -0 "$(cat "$T/$name/qemu.pid" 2>/dev/null)" 2>/dev/null; then
			BOOT_WHY="QEMU exited during the boot; console tail: $(tail -5 "$T/$name/console.log" 2>/dev/null | tr '\n' '|')"
			return 1
		fi
		sleep 1
	done
	return 1
}

stop_vm() { # NAME: hard stop (the power-cut case; state must survive it)
	pid=$(cat "$T/$1/qemu.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
	kill -9 "$pid" 2>/dev/null
}
trap 'for d in "$T"/*/; do stop_vm "$(basename "$d")"; done; kill $COLLECTOR_PID 2>/dev/null' EXIT

write_conf "$T/dhcp.conf" dhcp
"$TOP/tests/volumes.sh" config "$T/dhcp.conf" "$T/config-dhcp.img" "$P/ca.pem"
"$TOP/tests/volumes.sh" state "$T/state.img"

# ---- first boot: DHCP, fresh state volume ----
if ! boot first "$T/config-dhcp.img" "$T/state.img"; then
	fail image/boot-to-ssh "${BOOT_WHY:-no SSH login within ${BOOT_TIMEOUT}s ($ACCEL); console tail: $(tail -5 "$T/first/console.log" 2>/dev/null | tr '\n' '|')}"
	exit 0
fi
pass image/boot-to-ssh
echo "  boot-to-SSH (first boot, UEFI, $ACCEL): ${BOOT_SECS}s" | tee "$T/boot-time"

[ "$(on_box id -un)" = demo ] && pass image/login-demo-key || fail image/login-demo-key
# a key that is not configured must not get in
ssh-keygen -q -t ed25519 -N '' -f "$T/other_key"
# (refused by the server itself, not lost on the way: the positive control is
# login-demo-key above, in the same boot)
if ssh -i "$T/other_key" -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 \
	-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$T/known_hosts -o LogLevel=ERROR demo@127.0.0.1 true 2> "$T/wrongkey.err"; then
	fail image/login-wrong-key-refused "an unknown key got in"
elif ! grep -q "Permission denied (publickey" "$T/wrongkey.err"; then
	fail image/login-wrong-key-refused "not refused by the server: $(tr '\n' ' ' < "$T/wrongkey.err")"
else
	pass image/login-wrong-key-refused
fi

# root file system: read-only squashfs; writing fails with EROFS or EACCES, and the mount says ro
rootline=$(on_box "grep ' / ' /proc/mounts")
if echo "$rootline" | grep -q ' / squashfs ro[,\ ]' && ! on_box "touch /probe" 2>/dev/null \
	&& ! on_box "touch /etc/probe" 2>/dev/null; then
	pass image/root-read-only
else
	fail image/root-read-only "$rootline"
fi
on_box "grep -q ' /state ext4 ' /proc/mounts" && pass image/state-volume-mounted || fail image/state-volume-mounted

# only the SSH port listens: TCP LISTEN sockets (state 0A) must all be port 22; no UDP sockets
listen=$(on_box "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null" | awk '$4=="0A" {split($2,a,":"); print a[2]}' | sort -u | tr '\n' ' ')
udp=$(on_box "cat /proc/net/udp /proc/net/udp6 2>/dev/null" | awk 'NR>1 && $2 ~ /:/ && $1 != "sl" {split($2,a,":"); print a[2]}' | sort -u | tr '\n' ' ')
if [ "$listen" = "0016 " ] && [ -z "$udp" ]; then pass image/only-ssh-listens
else fail image/only-ssh-listens "tcp listening: [$listen] udp: [$udp]"; fi

# no unexpected processes: every user-space process is one we know
procs=$(on_box 'for p in /proc/[0-9]*; do echo "@${p#/proc/}"; cat $p/cmdline 2>/dev/null; echo; done' 2>/dev/null |
	tr '\0' ' ' | awk '/^@/ {pid=substr($0,2); next} NF {w=$1; if (w=="/sbin/dropbearmulti"||w=="/bin/busybox") w=w"+"$2; print pid, w}')
unexpected=$(echo "$procs" | awk '{print $2}' | grep -v -x -e /sbin/init -e /sbin/jb-supervise -e /sbin/jumpd -e /sbin/jumpfw -e /sbin/jumpship -e /sbin/jumprec -e /sbin/dropbearmulti+dropbear -e /bin/busybox+udhcpc -e sh -e -sh -e cat | sort -u | tr '\n' ' ')
pid1=$(echo "$procs" | awk '$1==1 {print $2}')
if [ -z "$unexpected" ] && [ "$pid1" = /sbin/init ]; then pass image/no-unexpected-processes
else fail image/no-unexpected-processes "unexpected: [$unexpected] pid1: [$pid1]"; fi
echo "$procs" > "$T/processes"
# nothing runs as root but PID 1 and its supervisor (kernel threads have no command line);
# the boot steps that run as root (jb-setup, jb-hostkeys) are over
roots=$(on_box 'for p in /proc/[0-9]*; do echo "@@"; cat $p/cmdline 2>/dev/null; echo; grep "^Uid:" $p/status 2>/dev/null; done' |
	tr '\0\t' '  ' | awk '/^@@$/ { if (rec != "") print rec; rec = ""; next } { rec = rec " " $0 } END { print rec }' |
	awk '{ for (i = 2; i < NF; i++) if ($i == "Uid:") { if ($(i + 1) == 0) print $1; break } }' | sort -u | tr '\n' ' ')
if [ "$roots" = "/sbin/init /sbin/jb-supervise " ]; then pass image/only-init-and-its-supervisor-run-as-root
else fail image/only-init-and-its-supervisor-run-as-root "as root: [$roots]"; fi

# no module loading: the kernel has no module support at all
if on_box "test ! -e /proc/modules && test ! -e /proc/sys/kernel/modprobe && test ! -e /proc/sys/kernel/modules_disabled"; then
	pass image/no-module-loading
else
	fail image/no-module-loading
fi
# the hardening floor for sysctls, written here independently of init's table so that
# weakening the table fails this check
floor="kernel/kptr_restrict=2 kernel/dmesg_restrict=1 kernel/perf_event_paranoid=3 kernel/yama/ptrace_scope=2
kernel/randomize_va_space=2 kernel/panic_on_oops=1 fs/suid_dumpable=0 fs/protected_symlinks=1 fs/protected_hardlinks=1
fs/protected_fifos=2 fs/protected_regular=2 vm/mmap_min_addr=65536 dev/tty/ldisc_autoload=0 dev/tty/legacy_tiocsti=0
user/max_user_namespaces=0 net/ipv4/conf/all/rp_filter=1 net/ipv4/conf/all/accept_redirects=0
net/ipv4/conf/all/send_redirects=0 net/ipv4/conf/all/accept_source_route=0 net/ipv4/tcp_syncookies=1
net/ipv4/ip_forward=0 net/ipv6/conf/all/accept_redirects=0 net/ipv6/conf/all/accept_source_route=0"
got=$(on_box "for kv in $(echo $floor); do f=/proc/sys/\${kv%%=*}; echo \"\$kv \$(cat \$f 2>/dev/null || echo ABSENT)\"; done")
bad=$(echo "$got" | awk '{ split($1, a, "="); if (a[2] != $2) print a[1] "=" $2 }' | tr '\n' ' ')
[ -n "$got" ] && [ -z "$bad" ] && pass "image/sysctls-hardening-floor ($(echo $floor | wc -w) settings)" \
	|| fail image/sysctls-hardening-floor "got: $bad"
# services run supervised: dropbear restarts after being killed? (we cannot kill root's process as demo; checked via console log of the boot)
grep -q 'jumpinit: service dropbear started' "$T/first/console.log" && pass image/dropbear-supervised || fail image/dropbear-supervised
grep -q 'dhcp: bound' "$T/first/console.log" && pass image/network-dhcp || fail image/network-dhcp


# every sysctl in init's table: equal to the table, or absent because the feature is compiled out
want_sysctls=$(sed -n 's/^\t{ "\([a-z0-9_.]*\)", "\([^"]*\)" },$/\1=\2/p' "$TOP/jumpd/init/sysctl.c")
paths=$(echo "$want_sysctls" | sed 's/=.*//; s|\.|/|g; s|^|/proc/sys/|' | tr '\n' ' ')
got=$(on_box "for f in $paths; do if [ -e \$f ]; then echo \"\$f=\$(cat \$f)\"; else echo \"\$f=ABSENT\"; fi; done")
bad="" absent=""
for kv in $want_sysctls; do
	k=${kv%%=*} v=${kv#*=}
	g=$(echo "$got" | grep "^/proc/sys/$(echo "$k" | tr . /)=" | sed 's/^[^=]*=//')
	if [ "$g" = ABSENT ]; then absent="$absent $k"; elif [ "$g" != "$v" ]; then bad="$bad $k=$g(want $v)"; fi
done
n=$(echo "$want_sysctls" | wc -l)
[ -z "$bad" ] && [ "$n" -ge 30 ] && pass "image/sysctls-all ($n in table; compiled out:$absent)" || fail image/sysctls-all "$bad"

# every writable mount is nosuid+noexec, and nodev except devtmpfs/devpts
bad=$(on_box "cat /proc/mounts" | awk '$4 ~ /(^|,)rw(,|$)/ {
	if ($4 !~ /nosuid/ || $4 !~ /noexec/ || ($4 !~ /nodev/ && $3 != "devtmpfs" && $3 != "devpts")) print $2":"$4 }')
[ -z "$bad" ] && pass image/all-writable-mounts-hardened || fail image/all-writable-mounts-hardened "$bad"

# the command line the kernel booted with is the one in kernel-config/cmdline
[ "$(on_box cat /proc/cmdline)" = "$(cat "$TOP/kernel-config/cmdline")" ] && pass image/kernel-cmdline-as-configured \
	|| fail image/kernel-cmdline-as-configured "$(on_box cat /proc/cmdline)"
# no /proc page monitor (PROC_PAGE_MONITOR off: no smaps, pagemap, clear_refs); maps is the positive control
pm=$(on_box 'for f in maps smaps pagemap clear_refs; do [ -e /proc/self/$f ] && echo "$f"; done' | tr '\n' ' ')
[ "$pm" = "maps " ] && pass image/kernel-no-proc-page-monitor || fail image/kernel-no-proc-page-monitor "present: $pm"

# each service runs with its own uid and only the capabilities it needs
status=$(on_box 'for p in /proc/[0-9]*; do echo "@@"; cat $p/cmdline 2>/dev/null; echo; grep -E "^(Uid|CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs)" $p/status 2>/dev/null; done' |
	tr '\0\t' '  ' | awk '/^@@$/ { if (rec != "") print rec; rec = ""; next } { rec = rec " " $0 } END { print rec }' |
	grep -e '/sbin/dropbearmulti dropbear' -e '/bin/busybox udhcpc' -e '/sbin/jumpd' -e '/sbin/jumpfw' -e '/sbin/jumpship' | sed 's/  */ /g')
echo "$status" > "$T/service-status"
# dropbear: NET_BIND_SERVICE SETUID SETGID (no CHOWN, FOWNER: security finding 9); udhcpc: NET_RAW NET_ADMIN NET_BIND_SERVICE
db=$(echo "$status" | grep 'dropbear' | grep 'Uid: 102 ' | head -1)
dh=$(echo "$status" | grep 'udhcpc' | head -1)
if echo "$db" | grep -q 'CapBnd: 00000000000004c0' && echo "$db" | grep -q 'CapEff: 00000000000004c0' \
	&& echo "$db" | grep -q 'NoNewPrivs: 1' && ! echo "$status" | grep 'dropbear' | grep -q 'Uid: 0 '; then
	pass image/dropbear-own-user-capabilities-limited
else fail image/dropbear-own-user-capabilities-limited "$db"; fi
# ...and a session on it has none at all (Dropbear patch 0001)
sess=$(on_box 'grep -E "^(Uid|CapEff|CapPrm|CapInh|CapAmb)" /proc/self/status' | tr '\n\t' '  ')
if echo "$sess" | grep -q 'CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000' \
	&& echo "$sess" | grep -q 'CapAmb: 0000000000000000' && echo "$sess" | grep -q 'Uid: 2000 '; then
	pass image/session-has-no-capabilities
else
	fail image/session-has-no-capabilities "$sess"
fi
if echo "$dh" | grep -q 'Uid: 101 ' && echo "$dh" | grep -q 'CapEff: 0000000000003400' \
	&& echo "$dh" | grep -q 'CapBnd: 0000000000003400'; then pass image/udhcpc-own-user-capabilities-limited
else fail image/udhcpc-own-user-capabilities-limited "$dh"; fi
jd=$(echo "$status" | grep '/sbin/jumpd' | head -1)
if echo "$jd" | grep -q 'Uid: 103 ' && echo "$jd" | grep -q 'CapEff: 0000000000000000' \
	&& echo "$jd" | grep -q 'CapPrm: 0000000000000000' && echo "$jd" | grep -q 'NoNewPrivs: 1'; then
	pass image/jumpd-own-user-no-capabilities
else fail image/jumpd-own-user-no-capabilities "$jd"; fi
# the firewall helper: its own uid, CAP_NET_ADMIN (bit 12) and nothing else
fw=$(echo "$status" | grep '/sbin/jumpfw' | head -1)
if echo "$fw" | grep -q 'Uid: 104 ' && echo "$fw" | grep -q 'CapEff: 0000000000001000' \
	&& echo "$fw" | grep -q 'CapBnd: 0000000000001000' && echo "$fw" | grep -q 'NoNewPrivs: 1'; then
	pass image/firewall-helper-only-net-admin
else fail image/firewall-helper-only-net-admin "$fw"; fi
if grep -q 'jumpfw: policy loaded (SSH on eth0 port 22, 1 segment networks' "$T/first/console.log" \
	&& grep -q 'JUMPD_START .*pinholes_flushed="yes"' "$T/first/console.log"; then
	pass image/firewall-policy-loaded-at-boot
else fail image/firewall-policy-loaded-at-boot "$(grep -m3 'jumpfw\|JUMPD_START' "$T/first/console.log" | tr '\n' '|')"; fi

# MFA in the image: OpenSSH answers the code prompt through SSH_ASKPASS with oathtool's code
cat > "$T/askpass" <<EOF
#!/bin/sh
echo "\$*" >> "$T/askpass.log"
cat "$T/code"
EOF
chmod 755 "$T/askpass"
mfa_login() { # ssh options... ; output in $T/mfa.out
	: > "$T/askpass.log"
	env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 ssh -F "$T/mfa_config" "$@" \
		> "$T/mfa.out" 2>&1 < /dev/null
}
cat > "$T/mfa_config" <<EOF
Host *
	IdentityFile $T/id_ed25519
	IdentitiesOnly yes
	UserKnownHostsFile $T/known_hosts
	StrictHostKeyChecking accept-new
	LogLevel ERROR
	ConnectTimeout 10
	NumberOfPasswordPrompts 1
	PreferredAuthentications publickey,keyboard-interactive
EOF
oathtool --totp -b "$OPS_SECRET" > "$T/code"
mfa_login -p $PORT ops@127.0.0.1 list
# (ops' login shell is the jump menu: `list` shows the target granted to ops)
if grep -q "host-sshd  *10.0.2.2" "$T/mfa.out" && grep -q "Verification code" "$T/askpass.log"; then pass image/mfa-right-code-in
else fail image/mfa-right-code-in "$(tr '\n' ' ' < "$T/mfa.out")"; fi
mfa_login -p $PORT ops@127.0.0.1 list
# refused for the replay, said so in the audit record (the console copy); the
# same code got in just above (mfa-right-code-in)
for _ in $(seq 20); do grep -q 'AUTH .*user="ops".*reason="replayed-code"' "$T/first/console.log" && break; sleep 0.25; done
if grep -q "host-sshd" "$T/mfa.out"; then fail image/mfa-reused-code-out "the reused code got in"
elif ! grep -q 'AUTH .*user="ops".*result="deny" reason="replayed-code"' "$T/first/console.log"; then
	fail image/mfa-reused-code-out "no replayed-code refusal recorded: $(grep 'AUTH .*user="ops"' "$T/first/console.log" | tail -1 | cut -c1-200)"
else pass image/mfa-reused-code-out; fi
oathtool --totp -b "$OPS_SECRET" -N "@$(( $(date +%s) + 300 ))" > "$T/code"
mfa_login -p $PORT ops@127.0.0.1 list
if ! grep -q "host-sshd" "$T/mfa.out" && [ -s "$T/askpass.log" ]; then pass image/mfa-wrong-code-out
else fail image/mfa-wrong-code-out "$(tr '\n' ' ' < "$T/mfa.out")"; fi
# ssh -J through the box (MFA on the first hop) to an OpenSSH server on this host's
# loopback, which the guest reaches as 10.0.2.2 (QEMU user networking)
cp "$T/id_ed25519.pub" "$T/target/authorized_keys"
# the box's key for the recorded target, from the admin command, into the target's keys
on_box jumpctl target-key host-rec > "$T/target-key.out" 2>&1
grep 'ssh-ed25519 ' "$T/target-key.out" | grep -v '^#' >> "$T/target/authorized_keys"
/usr/sbin/sshd -D -f /dev/null -o ListenAddress=127.0.0.1:$TPORT -o HostKey="$T/target/hostkey" \
	-o AuthorizedKeysFile="$T/target/authorized_keys" -o PasswordAuthentication=no -o StrictModes=no \
	-o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o PidFile=none \
	-E "$T/target/sshd.log" &
TARGET_PID=$!
sleep 1
sleep_until_next_step() { s=$(date +%s); sleep $(( 30 - s % 30 + 1 )); }
# the previous right code used this step: wait for a fresh one
sleep_until_next_step; oathtool --totp -b "$OPS_SECRET" > "$T/code"
mfa_login -J ops@127.0.0.1:$PORT -p $TPORT root@host-sshd 'echo "target-sees $SSH_CONNECTION"'
# demo has no grant: the same target is refused, and the client is told so
# (LogLevel INFO in the file, first value wins: `ssh -J` hands only -F to the jump hop)
{ echo "LogLevel INFO"; cat "$T/mfa_config"; } > "$T/deny_config"
ssh -F "$T/deny_config" -J demo@127.0.0.1:$PORT -p $TPORT root@host-sshd true > "$T/deny.out" 2>&1 < /dev/null
# one recorded session, end to end: typed through a pty, recorded, shipped to
# the collector over TLS, exported from the collector's file, verified, played
REC_MARK=rec-$$-mark
{ sleep 2; echo "echo $REC_MARK-\$((6*7))"; sleep 1; echo exit; } | script -qfec \
	"ssh -tt -F $T/mfa_config -p $PORT menu+host-rec@127.0.0.1" /dev/null > "$T/rec.out" 2>&1
# the recording trail ships on its own rate-capped connection: wait (60 s at most) until the
# collector holds every chunk REC_END counts, i.e. until rec-export verifies; its last refusal
# is the cause shown if it never does
rec_session="" exported=no
for _ in $(seq 120); do
	rec_session=$(sed -n 's/.*REC_END .*session="\([0-9a-f]*\)".*/\1/p' "$W/raw.log" | tail -1)
	if [ -n "$rec_session" ] && "$TOP/out/bin/jumpctl" rec-export "$rec_session" "$T/rec.cast" \
		--collector "$W/raw.log" > "$T/rec-export.out" 2>&1; then
		exported=yes; break
	fi
	sleep 0.5
done
if grep -q "$REC_MARK-42" "$T/rec.out" && [ -n "$rec_session" ] && [ $exported = yes ] \
	&& script -qec "asciinema cat $T/rec.cast" /dev/null 2>/dev/null | grep -q "$REC_MARK-42"; then
	pass image/recorded-session-shipped-exported-played
else fail image/recorded-session-shipped-exported-played "session '${rec_session}': $(tail -c 300 "$T/rec.out" | tr '\r\n' '  '); $(cat "$T/rec-export.out" 2>/dev/null | head -2 | tr '\n' ' '); $(cat "$T/target-key.out" | head -2)"; fi
kill $TARGET_PID 2>/dev/null
if grep -q "administratively prohibited" "$T/deny.out"; then pass image/policy-ungranted-target-refused
else fail image/policy-ungranted-target-refused "$(tr '\n' ' ' < "$T/deny.out")"; fi
if grep -q '^target-sees 127.0.0.1 [0-9]* 127.0.0.1 '"$TPORT" "$T/mfa.out" && [ -s "$T/askpass.log" ]; then
	pass image/mfa-ssh-J-through-box-to-openssh
else fail image/mfa-ssh-J-through-box-to-openssh "$(tr '\n' ' ' < "$T/mfa.out")"; fi
# that channel went through a pinhole for ops' uid, opened and closed with it, and was audited with its bytes
sleep 1
if grep -q 'PINHOLE_OPEN .*user="ops" uid="2001" target="host-sshd" address="10.0.2.2"' "$T/first/console.log" \
	&& grep -q 'CHANNEL_CLOSE .*user="ops" .*to_target="[1-9][0-9]*" from_target="[1-9][0-9]*"' "$T/first/console.log" \
	&& grep -q 'PINHOLE_CLOSE .*user="ops"' "$T/first/console.log"; then
	pass image/pinhole-per-channel-audited
else fail image/pinhole-per-channel-audited "$(grep -m4 'PINHOLE\|CHANNEL' "$T/first/console.log" | cut -c1-200 | tr '\n' '|')"; fi

# a plain user's login shell is the jump menu: their targets, no shell
$SSH menu@127.0.0.1 list > "$T/menu.list" 2>&1
$SSH menu@127.0.0.1 'id; cat /etc/passwd' > "$T/menu.cmd" 2>&1; cmd_rc=$?
echo quit | $SSH menu@127.0.0.1 > "$T/menu.interactive" 2>&1
if grep -q "host-sshd  *10.0.2.2  *port $TPORT" "$T/menu.list" && [ $cmd_rc -ne 0 ] \
	&& grep -q "is not a command here" "$T/menu.cmd" && ! grep -q 'uid=\|root:' "$T/menu.cmd" \
	&& grep -q "you are menu" "$T/menu.interactive" && grep -q "host-sshd" "$T/menu.interactive"; then
	pass image/login-shell-is-jump-menu
else fail image/login-shell-is-jump-menu "$(cat "$T/menu.list" "$T/menu.cmd" | tr '\n' '|')"; fi

# SSH algorithms offered by the box: modern only
ssh -vv -i "$T/id_ed25519" -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$T/known_hosts \
	demo@127.0.0.1 true 2> "$T/ssh-vv.log"
offer=$(tr -d '\r' < "$T/ssh-vv.log" | sed -n '/peer server KEXINIT proposal/,/first_kex_follows/p')
field() { echo "$offer" | sed -n "s/^debug2: $1: //p" | head -1 | tr ',' '\n'; }
bad=""
for a in $(field 'KEX algorithms'); do case $a in sntrup761x25519-sha512|sntrup761x25519-sha512@openssh.com|mlkem768x25519-sha256|curve25519-sha256|curve25519-sha256@libssh.org|ecdh-sha2-nistp256|ecdh-sha2-nistp384|ecdh-sha2-nistp521|kex-strict-s-v00@openssh.com|kexguess2@matt.ucc.asn.au|ext-info-s) ;; *) bad="$bad kex:$a";; esac; done
for a in $(field 'host key algorithms'); do case $a in ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) ;; *) bad="$bad hostkey:$a";; esac; done
for a in $(field 'ciphers ctos') $(field 'ciphers stoc'); do case $a in chacha20-poly1305@openssh.com|aes128-gcm@openssh.com|aes256-gcm@openssh.com|aes128-ctr|aes256-ctr) ;; *) bad="$bad cipher:$a";; esac; done
for a in $(field 'MACs ctos') $(field 'MACs stoc'); do case $a in hmac-sha2-256-etm@openssh.com|hmac-sha2-512-etm@openssh.com) ;; *) bad="$bad mac:$a";; esac; done
if [ -n "$offer" ] && [ -z "$bad" ]; then pass image/ssh-modern-algorithms-only; else fail image/ssh-modern-algorithms-only "${bad:-no KEXINIT seen}"; fi
# Debian's OpenSSH client and the box agree on post-quantum hybrid key exchange
chosen=$(tr -d '\r' < "$T/ssh-vv.log" | sed -n 's/^debug1: kex: //p')
if echo "$chosen" | grep -qx "algorithm: sntrup761x25519-sha512" && [ "$(field 'KEX algorithms' | head -1)" = sntrup761x25519-sha512 ]; then
	pass image/ssh-kex-post-quantum
else fail image/ssh-kex-post-quantum "$(echo "$chosen" | tr '\n' '|')"; fi
# ssh-audit may report only the findings tests/ssh-audit.allow lists (why: docs/hardening.md)
if command -v ssh-audit > /dev/null; then
	ssh-audit -n -p $PORT 127.0.0.1 > "$T/ssh-audit.txt" 2>&1
	not_allowed=$(sh "$TOP/tests/ssh-audit-findings.sh" "$T/ssh-audit.txt"; echo "rc=$?")
	[ "$not_allowed" = "rc=0" ] && pass image/ssh-audit-only-justified-findings \
		|| fail image/ssh-audit-only-justified-findings "$(echo "$not_allowed" | tr '\n' ';') (report: $T/ssh-audit.txt)"
else skip image/ssh-audit-only-justified-findings "ssh-audit not installed (build/deps.sh test)"; fi
# each entry: client options (space-separated); a MAC alone says nothing with
# an AEAD cipher (none is used), so MACs go with CTR, which needs one
weak_ok=""
for opt in "Ciphers=aes256-cbc" "KexAlgorithms=diffie-hellman-group14-sha256" "KexAlgorithms=diffie-hellman-group14-sha1" \
	"HostKeyAlgorithms=rsa-sha2-256" "Ciphers=aes128-ctr MACs=hmac-sha1" "Ciphers=aes128-ctr MACs=hmac-sha2-256"; do
	$SSH $(for o in $opt; do printf -- '-o %s ' "$o"; done) demo@127.0.0.1 true 2>/dev/null && weak_ok="$weak_ok [$opt]"
done
[ -z "$weak_ok" ] && pass image/ssh-weak-algorithms-refused || fail image/ssh-weak-algorithms-refused "accepted:$weak_ok"
# the positive control: AES-CTR with encrypt-then-MAC (for clients without an AEAD) gets in
$SSH -o Ciphers=aes128-ctr -o MACs=hmac-sha2-256-etm@openssh.com demo@127.0.0.1 true 2> "$T/ctr.err" \
	&& pass image/ssh-ctr-etm-accepted || fail image/ssh-ctr-etm-accepted "$(tr '\n' ' ' < "$T/ctr.err")"
# which packet-cipher code Dropbear runs (patch 0009 logs it at start): under
# TCG the guest CPU is QEMU's default qemu64, with SSE2 but no AES-NI, PCLMUL or
# AVX2, so the portable constant-time AES and GHASH and BearSSL's SSE2 ChaCha20
paths=$(grep -o 'Packet ciphers: .*' "$T/first/console.log" | head -1 | tr -d '\r')
echo "  (image, $ACCEL: $paths)"
if [ "$ACCEL" = tcg ]; then
	[ "$paths" = "Packet ciphers: chacha20=sse2 aes=ct64 ghash=ctmul64 poly1305=radix64" ] \
		&& pass image/packet-ciphers-portable-under-tcg || fail image/packet-ciphers-portable-under-tcg "${paths:-no Packet ciphers line on the console}"
else
	[ -n "$paths" ] && pass image/packet-ciphers-logged || fail image/packet-ciphers-logged "no Packet ciphers line on the console"
fi
# the server offers no password method at all (its refusal lists what it offers);
# the positive control: the same client options with the key get in
if ssh -i "$T/id_ed25519" -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$T/known_hosts \
	-o PasswordAuthentication=yes -o PreferredAuthentications=password demo@127.0.0.1 true 2> "$T/password.err"; then
	fail image/ssh-password-auth-off "a password-only client got in"
elif ! grep -q "Permission denied (publickey" "$T/password.err" || grep -q "Permission denied ([^)]*password" "$T/password.err"; then
	fail image/ssh-password-auth-off "refusal not from the server or password offered: $(tr '\n' ' ' < "$T/password.err")"
elif ! ssh -i "$T/id_ed25519" -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$T/known_hosts \
	-o PasswordAuthentication=yes -o PreferredAuthentications=password,publickey demo@127.0.0.1 true 2>/dev/null; then
	fail image/ssh-password-auth-off "positive control: the key did not get in with the same options"
else pass image/ssh-password-auth-off; fi

fp1=$(ssh-keyscan -t ed25519 -p $PORT 127.0.0.1 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')

# the audit trail reached the collector over TLS (shipper: own uid, no capability), chain intact
for _ in $(seq 60); do grep -q 'CHANNEL_CLOSE .*user="ops"' "$W/raw.log" 2>/dev/null && break; sleep 1; done
"$TOP/out/bin/jumpctl" audit-verify "$W/raw.log" > "$T/verify1.out" 2>&1
sh_=$(echo "$status" | grep '/sbin/jumpship' | head -1)
if grep -q 'CHANNEL_CLOSE .*user="ops"' "$W/raw.log" && grep -q 'COLLECTOR_UP' "$W/raw.log" \
	&& grep -q '0 missing, 0 chain breaks' "$T/verify1.out" && grep -q 'sequenceId 1\.\.' "$T/verify1.out" \
	&& echo "$sh_" | grep -q 'Uid: 105 ' && echo "$sh_" | grep -q 'CapEff: 0000000000000000'; then
	pass image/audit-shipped-over-tls-chain-intact
else fail image/audit-shipped-over-tls-chain-intact "$(cat "$T/verify1.out") ship: $sh_"; fi

# records being written when the power goes: a burst of refused channels, then a hard kill
for i in $(seq 40); do
	ssh -F "$T/deny_config" -J demo@127.0.0.1:$PORT -p $TPORT root@host-sshd true > /dev/null 2>&1 < /dev/null
done &
burst=$!
sleep 4
kill -9 "$(cat "$T/first/qemu.pid")"
wait $burst 2>/dev/null
stop_vm first

# ---- second boot: same state volume, static address: the host key must be the same ----
write_conf "$T/static.conf" static
"$TOP/tests/volumes.sh" config "$T/static.conf" "$T/config-static.img" "$P/ca.pem"
if boot second "$T/config-static.img" "$T/state.img"; then
	echo "  boot-to-SSH (reboot, existing state): ${BOOT_SECS}s" | tee -a "$T/boot-time"
	pass image/reboot-login
	# after the hard kill: the spool recovered, and the shipper caught up from its cursor
	for _ in $(seq 90); do grep -q 'JUMPD_START' "$T/second/console.log" && \
		[ "$(grep -c 'JUMPD_START' "$W/raw.log")" -ge 2 ] && break; sleep 1; done
	fp2=$(ssh-keyscan -t ed25519 -p $PORT 127.0.0.1 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')
	if [ -n "$fp1" ] && [ "$fp1" = "$fp2" ]; then pass image/host-key-kept-across-reboot
	else fail image/host-key-kept-across-reboot "[$fp1] vs [$fp2]"; fi
	grep -q 'net: eth0 static' "$T/second/console.log" && [ "$(on_box hostname)" = jumpbox-test ] \
		&& pass image/network-static || fail image/network-static
	# clean shutdown: the hypervisor's ACPI power button
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"system_powerdown\n"); import time; time.sleep(1)' \
		"$T/second/monitor.sock"
	pid=$(cat "$T/second/qemu.pid")
	for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	if ! kill -0 "$pid" 2>/dev/null && grep -q 'power button pressed' "$T/second/console.log" \
		&& grep -q 'jumpinit: powering off' "$T/second/console.log"; then
		pass image/acpi-power-button-clean-poweroff
	else
		fail image/acpi-power-button-clean-poweroff "$(tail -3 "$T/second/console.log" | tr '\n' '|')"
	fi
else
	fail image/reboot-login "console tail: $(tail -5 "$T/second/console.log" | tr '\n' '|')"
fi
stop_vm second
# every record the box spooled (read from the state volume) is at the collector, in one unbroken chain
cp "$T/state.img" "$T/state-copy.img"; e2fsck -fy "$T/state-copy.img" > /dev/null 2>&1 # replays the journal, if any
debugfs -R "cat /jumpd/audit.spool" "$T/state-copy.img" > "$T/box.spool" 2>/dev/null
"$TOP/out/bin/jumpctl" audit-verify "$W/raw.log" > "$T/verify2.out" 2>&1
box_seqs=$(sed -n 's/.*\[meta sequenceId="\([0-9]*\)"\].*/\1/p' "$T/box.spool" | sort -un)
col_seqs=$(sed -n 's/.*\[meta sequenceId="\([0-9]*\)"\].*/\1/p' "$W/raw.log" | sort -un)
printf '%s\n' "$col_seqs" > "$T/col.seqs"
missing=$(printf '%s\n' "$box_seqs" | grep -vxF -f "$T/col.seqs" | head -5 | tr '\n' ' ')
nbox=$(printf '%s\n' "$box_seqs" | grep -c .)
if [ "$nbox" -gt 20 ] && [ -z "$missing" ] && grep -q '0 missing, 0 chain breaks' "$T/verify2.out" \
	&& grep -q 'CHANNEL .*user="demo"' "$T/box.spool"; then
	pass "image/hard-kill-mid-stream-nothing-lost ($nbox records, $(grep -c . "$W/raw.log") stored with duplicates)"
else fail image/hard-kill-mid-stream-nothing-lost "box $nbox, missing at collector: [$missing]; $(cat "$T/verify2.out")"; fi

# the trail at the collector is signed by the key the first boot printed on
# the console (made then, kept on the state volume: the reboot printed it again, not new)
skey=$(sed -n 's/.*jumpd: audit signing key [0-9a-f]* (new): \([0-9a-f]\{130\}\).*/\1/p' "$T/first/console.log" | head -1)
"$TOP/out/bin/jumpctl" audit-verify --key "${skey:-none}" "$W/raw.log" > "$T/verify-key.out" 2>&1; rc=$?
if [ -n "$skey" ] && [ $rc = 0 ] && grep -q "jumpd: audit signing key [0-9a-f]*: $skey" "$T/second/console.log" \
	&& grep -q ', 0 forged, signed through sequenceId [1-9][0-9]*\(; [0-9]* recording-trail lines ([^)]*)\)\{0,1\}: intact$' "$T/verify-key.out"; then
	pass image/collector-trail-signed-by-the-box-key
else fail image/collector-trail-signed-by-the-box-key "key [$skey] $(tail -2 "$T/verify-key.out" | tr '\n' ' ')"; fi

# ---- third boot: broken config is refused with file and line, nothing served ----
cp "$T/static.conf" "$T/broken.conf"
echo "colour = blue" >> "$T/broken.conf"
line=$(wc -l < "$T/broken.conf")
"$TOP/tests/volumes.sh" config "$T/broken.conf" "$T/config-broken.img" "$P/ca.pem"
mkdir -p "$T/broken"
"$TOP/tests/vm.sh" "$T/broken" "$IMG" "$PORT" "$T/config-broken.img" "$T/state.img"
deadline=$(( $(date +%s) + BOOT_TIMEOUT ))
while [ "$(date +%s)" -lt $deadline ] && ! grep -q 'boot complete' "$T/broken/console.log" 2>/dev/null; do sleep 1; done
if grep -q "CONFIG REFUSED: /config/jumpbox.conf:$line: unknown key 'colour'" "$T/broken/console.log" \
	&& ! on_box true 2>/dev/null; then
	pass image/broken-config-refused
else
	fail image/broken-config-refused "$(grep -m1 'CONFIG' "$T/broken/console.log")"
fi
stop_vm broken
# ...and the refusal is in the audit trail (jumpd ran with no user, only to record it)
cp "$T/state.img" "$T/state-copy.img"; e2fsck -fy "$T/state-copy.img" > /dev/null 2>&1 # replays the journal after the hard stop
debugfs -R "cat /jumpd/audit.spool" "$T/state-copy.img" > "$T/box3.spool" 2>/dev/null
if grep -q "CONFIG_REFUSED .*reason=\"/config/jumpbox.conf:$line: unknown key 'colour'" "$T/box3.spool"; then
	pass image/config-refusal-audited
else fail image/config-refusal-audited "$(grep -c . "$T/box3.spool") records, none CONFIG_REFUSED"; fi
results_summary
