# tests/host/rec_bed.sh: starting and stopping the session recorder in the
# bastion namespace as init does (uid rec, no capability, no_new_privs),
# for the recording suite and the recording bench. Sourced; expects T, BIN,
# REC_UID, RS (its state directory).
rec_starts() { n=$(grep -c "jumprec: listening" "$T/jumprec.log" 2>/dev/null); echo "${n:-0}"; }
start_rec() { # MAX_MB FAIL_CLOSED: as init starts it (own uid, no capability, no_new_privs)
	n=$(rec_starts)
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $REC_UID --regid $REC_UID --init-groups --no-new-privs \
		--inh-caps -all --bounding-set -all \
		"$BIN/jumprec" -s "$RS" -r /run/rec -j /run/jumpd/auth.sock -M "$1" -F "$2" -b "$BIN/dropbearmulti" \
		>> "$T/jumprec.log" 2>&1 &
	echo $! > "$T/jumprec.run"
	for _ in $(seq 100); do
		[ "$(rec_starts)" -gt "$n" ] && return 0
		kill -0 "$(cat "$T/jumprec.run")" 2>/dev/null || break
		sleep 0.1
	done
	echo "jumprec not listening within 10 s" >&2
	return 1
}
stop_rec() { kill "$(cat "$T/jumprec.run")" 2>/dev/null; wait "$(cat "$T/jumprec.run")" 2>/dev/null; }
