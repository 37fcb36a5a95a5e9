# tests/host/bench_throughput.sh: bulk data through the jump, jumpbox against
# Debian's OpenSSH sshd as the jump host in the same run. Sourced by
# tests/host.sh in bench mode (`make bench`), before bench.sh.
# For each outer cipher (the hop through the bastion; the inner client-target
# session is chacha20-poly1305 in every run) and each direction,
# BENCH_MIB (256) MiB go through `ssh -J` to the OpenSSH target; printed:
# MB/s, the bastion's CPU-s per GiB (jumpbox: Dropbear's connection process,
# reaped into its listener's children time, plus jumpd; OpenSSH: its
# listener with every sshd process of the connection, reaped the same way)
# and the ratios. Not a timed test: the figures go into the notes.
MIB=${BENCH_MIB:-256}
TP_CIPHERS=${BENCH_CIPHERS:-"chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com aes128-ctr"}
TP_MAC=hmac-sha2-256-etm@openssh.com
PEER_PORT=2201
# the box's egress policy stays on for jumpbox's runs; for the comparison
# host's, rules at the top of its chains let root's sshd on PEER_PORT in and
# out to the target (removed at the end, by handle)
tp_peer_rules() { # (again after the firewall helper reloaded its policy)
	: > "$T/tp-rules"
	for r in "input tcp dport $PEER_PORT" "output tcp sport $PEER_PORT" "output meta skuid 0 ip daddr 10.89.2.2 tcp dport 22" \
		"input ip saddr 10.89.2.2 tcp sport 22 ct state established"; do
		set -- $r
		h=$(in_bastion nft --echo --handle insert rule inet jumpbox $r accept | sed -n 's/.*# handle \([0-9]*\)$/\1/p')
		[ -n "$h" ] && echo "$1 $h" >> "$T/tp-rules"
	done
}
tp_peer_rules
cp "$T/id.pub" "$T/target/peer_keys"
ip netns exec $B /usr/sbin/sshd -D -f /dev/null -o ListenAddress=$BASTION:$PEER_PORT -o HostKey="$T/target/hostkey" \
	-o AuthorizedKeysFile="$T/target/peer_keys" -o PasswordAuthentication=no -o StrictModes=no \
	-o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o PidFile=none -E "$T/tp-sshd.log" &
echo $! > "$T/tp-sshd.run"
for _ in $(seq 50); do ip netns exec $B ss -ltn | grep -q "$BASTION:$PEER_PORT " && break; sleep 0.1; done
tp_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
tp_children_gone() { # PID: waits (deadline 10 s) until PID has no child left (all reaped)
	for _ in $(seq 100); do
		[ -z "$(ps -o pid= --ppid "$1")" ] && return 0
		sleep 0.1
	done
	echo "  (bench: children of $1 still running after 10 s; CPU figure incomplete)" >&2
	return 1
}
tp_run() { # LABEL JUMP-SPEC LISTENER-PID EXTRA-PID CIPHER DIRECTION: one line into $T/tp
	label=$1 jspec=$2 lpid=$3 xpid=$4 cipher=$5 dir=$6
	{ printf 'Host %s\n\tCiphers %s\n\tMACs %s\n' "$BASTION" "$cipher" "$TP_MAC"; cat "$T/ssh_config_gina"; } > "$T/ssh_config_tp"
	tp_children_gone "$lpid"
	hz=$(getconf CLK_TCK)
	l0=$(tp_ticks "$lpid"); x0=0; [ -n "$xpid" ] && x0=$(tp_ticks "$xpid")
	t0=$(date +%s%N)
	if [ "$dir" = up ]; then
		head -c "${MIB}M" /dev/zero | ip netns exec $C ssh -F "$T/ssh_config_tp" -J "$jspec" root@10.89.2.2 \
			'wc -c' > "$T/tp.out" 2> "$T/tp.err"
	else
		ip netns exec $C ssh -F "$T/ssh_config_tp" -J "$jspec" root@10.89.2.2 "head -c ${MIB}M /dev/zero" \
			< /dev/null 2> "$T/tp.err" | wc -c > "$T/tp.out"
	fi
	t1=$(date +%s%N)
	tp_children_gone "$lpid"
	l1=$(tp_ticks "$lpid"); x1=0; [ -n "$xpid" ] && x1=$(tp_ticks "$xpid")
	got=$(tr -d ' \n' < "$T/tp.out")
	ok=1; [ "$got" = $((MIB * 1048576)) ] || ok=0
	[ $ok = 1 ] || echo "  (bench: $label $cipher $dir carried ${got:-0} bytes: $(tr '\n' ' ' < "$T/tp.err" | cut -c1-200))" >&2
	echo "$label $cipher $dir $ok $(( (t1 - t0) / 1000 )) $(( (l1 - l0 + x1 - x0) * 1000 / hz ))" >> "$T/tp"
}
: > "$T/tp"
echo "Throughput through the jump ($MIB MiB per run, ssh -J to the OpenSSH target; outer MAC for CTR: $TP_MAC)"
echo "  (jumpbox's paths: $(grep -o 'Packet ciphers: .*' "$T/dropbear.log" | tail -1))"
for rep in $(seq "${BENCH_REPS:-2}"); do
	for c in $TP_CIPHERS; do
		for d in up down; do
			tp_run jumpbox "gina@$BASTION" "$(cat "$T/dropbear.run")" "$(cat "$T/jumpd.run")" "$c" $d
			tp_run openssh "root@$BASTION:$PEER_PORT" "$(cat "$T/tp-sshd.run")" "" "$c" $d
		done
	done
done
# recorded sessions against both unrecorded paths, while the OpenSSH jump host runs
. "$TOP/tests/host/bench_recording.sh"
kill "$(cat "$T/tp-sshd.run")" 2>/dev/null; wait "$(cat "$T/tp-sshd.run")" 2>/dev/null
while read -r chain h; do in_bastion nft delete rule inet jumpbox "$chain" handle "$h"; done < "$T/tp-rules"
# per host, cipher and direction: the faster of the two runs, and its CPU
awk -v mib="$MIB" '$4 == 1 {
	k = $1 " " $2 " " $3
	if (!(k in us) || $5 < us[k]) { us[k] = $5; cpu[k] = $6 }
}
END {
	n = split("chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com aes128-ctr", cs, " ")
	for (i = 1; i <= n; i++) for (d = 1; d <= 2; d++) {
		dir = d == 1 ? "up" : "down"
		j = "jumpbox " cs[i] " " dir; o = "openssh " cs[i] " " dir
		if (!(j in us) || !(o in us)) { printf "  %-30s %-4s no complete run (jumpbox %s, openssh %s)\n", cs[i], dir, (j in us) ? "ok" : "failed", (o in us) ? "ok" : "failed"; continue }
		bytes = mib * 1048576
		jm = bytes / us[j]; om = bytes / us[o]
		jc = cpu[j] / 1000 * 1024 / mib; oc = cpu[o] / 1000 * 1024 / mib
		printf "  %-30s %-4s jumpbox %6.1f MB/s %5.2f CPU-s/GiB | openssh %6.1f MB/s %5.2f CPU-s/GiB | throughput %.2fx, CPU %.2fx\n",
			cs[i], dir, jm, jc, om, oc, jm / om, (oc > 0 ? jc / oc : 0)
	}
}' "$T/tp" | tee "$T/tp.summary"
