# Sourced by tests/host.sh in bench mode (`make bench`): server CPU per login,
# key + TOTP against key only, and the channel open cost with and without the
# pinhole against OpenSSH's sshd as the jump host, in the same run.
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
	pin=$(grep 'PINHOLE_OPEN .*reason="channel"' "$T/state/audit.spool" | sed -n 's/.*pinhole_us="\([0-9]*\)".*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int(NR * 0.5 + 0.5)] }')
	echo "  (jumpd's own measure of the pinhole step, median over the opened pinholes (PINHOLE_OPEN): ${pin:-?} us)"
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
