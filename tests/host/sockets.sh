# tests/host/sockets.sh: who may connect to jumpd's and the firewall helper's
# sockets, and floods of local connections (security finding 6 / issue 18
# item 8). Each socket is mode 0660 and one group's (common/sockgroups.h):
# a uid with no business on it gets EACCES from the kernel (the reason
# checked), the legitimate peer connects (the positive control, same run).
# A flood from a uid that may connect does not keep the legitimate client
# out (a deadline), and the console copy of the refusals stays within its
# documented bound (jumpd/common/consrate.h: CONSRATE_SHOWN lines and one
# summary per 10 s). The recorder's sockets: tests/host/recording.sh.
# Sourced by tests/host.sh after the other suites (the bed: topology.sh);
# check names "sockets/...".
FW_SOCK=/run/fw/fw.sock AUTH_SOCK=/run/jumpd/auth.sock CTL_SOCK=/run/jumpd/ctl.sock

# ---- who may connect
check fw-sock-0660-group-fw-sock 'sock_is $FW_SOCK 660 fw-sock'
check auth-sock-0660-group-auth-sock 'sock_is $AUTH_SOCK 660 auth-sock'
check ctl-sock-0660-group-ctl-sock 'sock_is $CTL_SOCK 660 ctl-sock'
check user-cannot-connect-to-fw-sock '[ "$(try_connect $UID_alice $FW_SOCK)" = EACCES ] && [ "$(try_connect $SSHD_UID $FW_SOCK)" = EACCES ]'
check jumpd-connects-to-fw-sock '[ "$(try_connect $JUMPD_UID $FW_SOCK)" = connected ]'
check non-admin-cannot-connect-to-ctl-sock '[ "$(try_connect $UID_alice $CTL_SOCK)" = EACCES ] && [ "$(try_connect $SSHD_UID $CTL_SOCK)" = EACCES ]'
check admin-connects-to-ctl-sock '[ "$(try_connect $UID_harry $CTL_SOCK)" = connected ]'
check accountless-uid-cannot-connect-to-auth-sock '[ "$(try_connect 65534 $AUTH_SOCK)" = EACCES ]'
check user-and-ssh-server-connect-to-auth-sock '[ "$(try_connect $UID_alice $AUTH_SOCK)" = connected ] && [ "$(try_connect $SSHD_UID $AUTH_SOCK)" = connected ]'
# the admin command as a non-admin says why (the kernel's EACCES, named)
rc=0; in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups "$BIN/jumpctl" status > "$T/out" 2>&1 || rc=$?
check jumpctl-non-admin-told-not-an-admin '[ $rc = 1 ] && grep -q "refused: not an admin (/run/jumpd/ctl.sock: only admins and root may connect)" "$T/out"'

# ---- a user floods auth.sock: another user still logs in within the deadline
lines0=$(wc -l < "$T/jumpd.log")
flood $UID_alice $AUTH_SOCK 12 400
sleep 1
t0=$(date +%s)
login gina "$T/id"
took=$(( $(date +%s) - t0 ))
check auth-flood-other-user-logs-in-within-10s 'grep -q "in-as-gina" "$T/out" && [ $took -le 10 ] || { echo "took ${took}s: $(cat "$T/out")"; false; }'
wait "$(cat "$T/flood.run")"
check auth-flood-was-a-flood '[ "$(cat "$T/flood.out")" -gt 400 ]'
# alice's connections, refused beyond her share, wrote nothing on jumpd's console
# (gina's login wrote its own records: AUTH, SESSION_OPEN, SESSION_CLOSE)
check auth-flood-console-bounded '[ $(( $(wc -l < "$T/jumpd.log") - lines0 )) -le 10 ] || { echo "jumpd console grew by $(( $(wc -l < "$T/jumpd.log") - lines0 )) lines"; false; }'

# ---- root (who can connect to every socket, and is not jumpd) floods fw.sock:
# the helper turns each away at once, jumpd's pinholes still open, and the
# console shows CONSRATE_SHOWN (5) of the refusals and a summary of the rest
fwlines0=$(wc -l < "$T/fw.log")
flood 0 $FW_SOCK 6 200
sleep 1
t0=$(date +%s)
ip netns exec $C ssh -F "$T/ssh_config_gina" -J "gina@$BASTION" root@t1 'echo through-t1' > "$T/out" 2>&1 < /dev/null
took=$(( $(date +%s) - t0 ))
check fw-flood-channel-still-opens-within-10s 'grep -q "through-t1" "$T/out" && [ $took -le 10 ] || { echo "took ${took}s: $(cat "$T/out")"; false; }'
wait "$(cat "$T/flood.run")"
made=$(cat "$T/flood.out")
# the window's summary comes once its 10 s are over (the helper wakes at least every 10 s)
for _ in $(seq 250); do tail -n +"$((fwlines0 + 1))" "$T/fw.log" | grep -q "more requests refused" && break; sleep 0.1; done
tail -n +"$((fwlines0 + 1))" "$T/fw.log" > "$T/fw.flood"
shown=$(grep -c "request from uid 0 refused" "$T/fw.flood")
hidden=$(sed -n 's/^jumpfw: \([0-9]*\) more requests refused in the last 10 s (not shown)$/\1/p' "$T/fw.flood" | awk '{ n += $1 } END { print n + 0 }')
windows=$(grep -c "more requests refused" "$T/fw.flood")
check fw-flood-console-within-bound '[ "$made" -gt 1000 ] && [ "$shown" -le 5 ] && [ "$windows" -ge 1 ] && [ "$windows" -le 2 ] && [ $(( shown + ${hidden:-0} )) = "$made" ] && [ "$(wc -l < "$T/fw.flood")" -le $(( 6 * windows + 2 )) ] || { echo "made $made, shown $shown, summed ${hidden:-0} in $windows summaries, $(wc -l < "$T/fw.flood") lines"; false; }'
