# tests/host/bench_recording.sh: recorded sessions against the unrecorded
# paths, in the same run (`make bench`). Sourced by bench_throughput.sh
# while its OpenSSH jump host (root's sshd on PEER_PORT) still runs.
# Printed, not checked (the figures go into the notes):
#  - BENCH_MIB MiB of text (`yes`) printed by the target through
#    `ssh gina+t1r@bastion` (recorded), `ssh -J gina@bastion` (jumpbox,
#    unrecorded) and `ssh -J` through OpenSSH's sshd: MB/s, and the
#    bastion's CPU per MiB (recorded: the recorder with its dbclient
#    children, Dropbear's connection process, jumpd);
#  - keystroke echo latency through a pty, recorded against -J (p50/p99);
#  - the recording trail's size per MiB of output and per minute of a
#    scripted interactive session;
#  - the recorder's RSS, sampled through a BENCH_FLOOD_S (600) second
#    `yes` flood in one recorded session.
REC_UID=106 RS=$T/recstate-bench H=$TOP/tests/host
RB_TEXT="yes jumpbox-recording-bench-line-0123456789abcdefghijklmnopqrstuvwxyz"
rm -rf "$RS"; mkdir -p "$RS/keys"; chmod 700 "$RS" "$RS/keys"
grep -q "^rec:" "$T/etc/passwd" || echo "rec:x:$REC_UID:$REC_UID::/nonexistent:/bin/false" >> "$T/etc/passwd"
grep -q "^rec:" "$T/etc/group" || echo "rec:x:$REC_UID:" >> "$T/etc/group"
# gina's login shell becomes the image's, the jump menu (the recorder's stub); same inode (bind-mounted)
cp "$T/etc/passwd" "$T/passwd.saved"
sed "s|^\(gina:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:\).*|\1$BIN/jumpmenu|" "$T/passwd.saved" > "$T/passwd.rec"
cat "$T/passwd.rec" > "$T/etc/passwd"
# the box's key for t1r, made here (the recorder makes it on first use otherwise), on the target
"$BIN/dropbearmulti" dropbearkey -t ed25519 -f "$RS/keys/t1r" > /dev/null 2>&1
"$BIN/dropbearmulti" dropbearkey -y -f "$RS/keys/t1r" | grep '^ssh-ed25519' >> "$T/target/authorized_keys"
chown -R $REC_UID:$REC_UID "$RS"; chmod 600 "$RS/keys/t1r"
in_bastion sh -c "mkdir -p /run/rec && chown $REC_UID:$REC_UID /run/rec && chmod 755 /run/rec"
stop_jumpd
kill "$(cat "$T/fw.run")" 2>/dev/null; wait "$(cat "$T/fw.run")" 2>/dev/null
start_fw -e $REC_UID || echo "  (bench: firewall helper did not restart: $(tail -1 "$T/fw.log"))"
tp_peer_rules # the reloaded policy has not the OpenSSH jump host's rules
JUMPD_FW_OPTS="-f /run/fw/fw.sock -w $FW_UID -e $REC_UID" start_jumpd || echo "  (bench: jumpd did not restart)"
. "$H/rec_bed.sh"
: > "$T/jumprec.log"
start_rec 2048 0 || echo "  (bench: jumprec did not start: $(tail -2 "$T/jumprec.log"))"
rec_pid=$(cat "$T/jumprec.run")
rb_ssh() { ip netns exec $C ssh -F "$T/ssh_config_gina" "$@"; }
rb_spool_size() { stat -c %s "$RS/spool" 2>/dev/null || echo 0; }
rb_run() { # LABEL LISTENER-PID EXTRA-PIDS SSH-ARGS...: one line into $T/rb
	label=$1 lpid=$2 xpids=$3; shift 3
	tp_children_gone "$lpid"
	hz=$(getconf CLK_TCK)
	c0=$(tp_ticks "$lpid"); for p in $xpids; do c0=$((c0 + $(tp_ticks "$p"))); done
	s0=$(rb_spool_size); t0=$(date +%s%N)
	rb_ssh "$@" "$RB_TEXT | head -c ${MIB}M" < /dev/null 2> "$T/rb.err" | wc -c > "$T/rb.out"
	t1=$(date +%s%N)
	tp_children_gone "$lpid"; sleep 1 # the recorder's last chunk and REC_END
	c1=$(tp_ticks "$lpid"); for p in $xpids; do c1=$((c1 + $(tp_ticks "$p"))); done
	got=$(tr -d ' \n' < "$T/rb.out")
	ok=1; [ "$got" = $((MIB * 1048576)) ] || { ok=0; echo "  (bench: $label carried ${got:-0} bytes: $(head -c 200 "$T/rb.err"))" >&2; }
	echo "$label $ok $(( (t1 - t0) / 1000 )) $(( (c1 - c0) * 1000 / hz )) $(( $(rb_spool_size) - s0 ))" >> "$T/rb"
}
: > "$T/rb"
echo "Recorded sessions ($MIB MiB of text printed by the target; the bastion's CPU in ms)"
for rep in $(seq "${BENCH_REPS:-2}"); do
	rb_run recorded "$(cat "$T/dropbear.run")" "$rec_pid $(cat "$T/jumpd.run")" "gina+t1r@$BASTION"
	rb_run jump "$(cat "$T/dropbear.run")" "$(cat "$T/jumpd.run")" -J "gina@$BASTION" root@10.89.2.2
	rb_run openssh "$(cat "$T/tp-sshd.run")" "" -J "root@$BASTION:$PEER_PORT" root@10.89.2.2
done
awk -v mib="$MIB" '$2 == 1 { if (!($1 in us) || $3 < us[$1]) { us[$1] = $3; cpu[$1] = $4; sp[$1] = $5 } }
END {
	b = mib * 1048576
	for (k in us) mbs[k] = b / us[k]
	printf "  recorded %6.1f MB/s %6.2f CPU-ms/MiB | -J %6.1f MB/s %6.2f CPU-ms/MiB | OpenSSH -J %6.1f MB/s %6.2f CPU-ms/MiB\n",
		mbs["recorded"], cpu["recorded"] / mib, mbs["jump"], cpu["jump"] / mib, mbs["openssh"], cpu["openssh"] / mib
	if (us["recorded"] && us["jump"] && us["openssh"])
		printf "  recorded / -J throughput %.2fx (target >= 0.5x), recorded / OpenSSH -J %.2fx; recording trail %.2f MiB per MiB of output\n",
			mbs["recorded"] / mbs["jump"], mbs["recorded"] / mbs["openssh"], sp["recorded"] / b
}' "$T/rb" | tee "$T/rb.summary"
# echo latency: one key at a time on a pty running `cat` on the target
for how in recorded jump; do
	if [ $how = recorded ]; then set -- -tt "gina+t1r@$BASTION"; else set -- -tt -J "gina@$BASTION" root@10.89.2.2; fi
	ip netns exec $C python3 "$H/echo_latency.py" "${BENCH_KEYS:-300}" -- ssh -F "$T/ssh_config_gina" "$@" cat \
		> "$T/echo-$how" 2>&1 || echo "  (bench: echo latency $how: $(tail -1 "$T/echo-$how"))"
done
awk 'FNR == 1 { f++ } /^p50/ { p50[f] = $2; p99[f] = $4 }
END { if (f == 2) printf "  echo latency (us): recorded p50 %d p99 %d | -J p50 %d p99 %d | added p50 %d p99 %d (target p99 < 2000)\n",
	p50[1], p99[1], p50[2], p99[2], p50[1] - p50[2], p99[1] - p99[2] }' "$T/echo-recorded" "$T/echo-jump"
# size of a scripted interactive session
s0=$(rb_spool_size); t0=$(date +%s)
ip netns exec $C env TERM=xterm python3 "$H/pty_run.py" 120 size:120x40 until:'#' \
	send:'ls -la /usr/bin | head -60\r' wait:3 send:'top -b -n 2 -d 2 | head -60\r' wait:6 \
	send:'for i in 1 2 3 4 5; do ps aux | head -20; sleep 2; done\r' wait:12 \
	send:'vi /etc/hosts\r' wait:2 send:'jjjjkkkk' wait:2 send:':q!\r' wait:2 send:'exit\r' \
	-- ssh -F "$T/ssh_config_gina" -t "gina+t1r@$BASTION" > /dev/null 2>&1
t1=$(date +%s); sleep 1
awk -v b=$(( $(rb_spool_size) - s0 )) -v s=$(( t1 - t0 )) 'BEGIN {
	printf "  scripted interactive session (ls, top, ps, vi): %d s, trail %.1f KiB, %.1f KiB per minute\n", s, b / 1024, b / 1024 * 60 / s }'
# the recorder's memory through a flood (recording stops at 2 GiB of trail; the session goes on: -F 0)
FLOOD=${BENCH_FLOOD_S:-600}
rb_ssh "gina+t1r@$BASTION" "timeout $FLOOD yes" < /dev/null > /dev/null 2>&1 &
flood=$!
: > "$T/rb-rss"
for _ in $(seq $(( FLOOD / 10 ))); do
	sleep 10
	awk '/^VmRSS/ {print $2}' "/proc/$rec_pid/status" >> "$T/rb-rss"
done
wait $flood
awk -v f="$FLOOD" -v pk="$(awk '/^VmHWM/ {print $2}' "/proc/$rec_pid/status")" 'NR == 1 { first = $1 } { if ($1 > max) max = $1; last = $1 }
END { printf "  %d s yes flood in one recorded session: recorder RSS %d KiB after 10 s, %d KiB at most, %d KiB at the end (peak %d KiB)\n", f, first, max, last, pk }' "$T/rb-rss"
stop_rec
cat "$T/passwd.saved" > "$T/etc/passwd"
