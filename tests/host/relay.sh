# tests/host/relay.sh: the front half of recorded sessions: login names
# with a target selector (Dropbear patch 0015), dbclient as the relay's
# client with a pinned host key (patch 0016), and jumpmenu's stub handing
# the session to the recorder over /run/rec/rec.sock, with a stand-in
# listener (rec_listener.py) where jumprec will be. Sourced by
# tests/host.sh (the bed: tests/host/topology.sh); check names "relay/...".
H=$TOP/tests/host
RELAY_UID=106
grep -q "^rec:" "$T/etc/passwd" || echo "rec:x:$RELAY_UID:$RELAY_UID::$T/relayhome:/bin/false" >> "$T/etc/passwd"
mkdir -p "$T/relayhome"; chown $RELAY_UID "$T/relayhome"
# the relay's key (Dropbear format, as jumprec keeps them), installed on the target
rm -f "$T/relay_key"
"$BIN/dropbearmulti" dropbearkey -t ed25519 -f "$T/relay_key" 2>/dev/null | grep '^ssh-ed25519' >> "$T/target/authorized_keys"
chown $RELAY_UID "$T/relay_key"
TFP=$(ssh-keygen -lf "$T/target/hostkey.pub" | awk '{print $2}')
OTHER_FP=$(ssh-keygen -lf "$T/stranger.pub" | awk '{print $2}')
# uid rec's pinhole to the target, as jumpd would ask for it (rec_open)
in_bastion nft add element inet jumpbox pin4 "{ 10.89.2.2 . 22 . $RELAY_UID timeout 10m }" 2> "$T/out" ||
	fail relay/pinhole-for-the-relay "$(cat "$T/out")"
# as_relay CMD...: in the bastion as uid rec with a clean environment
as_relay() { in_bastion setpriv --reuid $RELAY_UID --regid $RELAY_UID --init-groups \
	env -i HOME="$T/relayhome" PATH=/usr/bin:/bin TERM=xterm "$@"; }
DBC="$BIN/dropbearmulti dbclient -i $T/relay_key -l root"

# ---- dbclient: pinned host key
rc=0; as_relay JB_HOSTKEY="$TFP" timeout 20 $DBC 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-right-pin-runs-command '[ $rc = 0 ] && grep -qx "relay-42" "$T/out"'
rc=0; as_relay JB_HOSTKEY="$OTHER_FP,$TFP" timeout 20 $DBC 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-any-pin-of-the-list '[ $rc = 0 ] && grep -qx "relay-42" "$T/out"'
rc=0; as_relay JB_HOSTKEY="$OTHER_FP" timeout 20 $DBC 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-wrong-pin-refused-without-tty '[ $rc != 0 ] && [ $rc != 124 ] && grep -qF "host key $TFP of 10.89.2.2 is not the pinned one" "$T/out" && ! grep -q "relay-42\|continue connecting" "$T/out" && [ ! -e "$T/relayhome/.ssh/known_hosts" ]'
rc=0; as_relay JB_HOSTKEY="$OTHER_FP" python3 "$H/pty_run.py" 20 -- $DBC 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 || rc=$?
check dbclient-wrong-pin-refused-with-tty-no-prompt '[ $rc != 0 ] && [ $rc != 124 ] && grep -qF "host key $TFP of 10.89.2.2 is not the pinned one" "$T/out" && ! grep -q "relay-42\|continue connecting\|(y/n)" "$T/out"'
rc=0; as_relay JB_HOSTKEY="$OTHER_FP" timeout 20 $DBC -y -y 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-wrong-pin-refused-even-with-y '[ $rc != 0 ] && [ $rc != 124 ] && grep -qF "is not the pinned one" "$T/out" && ! grep -q "relay-42" "$T/out"'
# over a socket the recorder opened (-J '&FD'), as jumprec runs it
rc=0; as_relay JB_HOSTKEY="$TFP" timeout 20 bash -c 'exec 3<>/dev/tcp/10.89.2.2/22 && exec "$@"' - \
	$DBC -J '&3' 10.89.2.2 'echo relay-$((6*7))' > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-over-an-open-socket '[ $rc = 0 ] && grep -qx "relay-42" "$T/out"'
# positive control: upstream dbclient (no pin) on a tty does ask, and waits
rc=0; as_relay python3 "$H/pty_run.py" 4 -- $DBC 10.89.2.2 true > "$T/out" 2>&1 || rc=$?
check dbclient-unpinned-would-prompt-control '[ $rc = 124 ] && grep -q "continue connecting" "$T/out"'
rc=0; as_relay JB_HOSTKEY="SHA256:short" timeout 20 $DBC 10.89.2.2 true > "$T/out" 2>&1 < /dev/null || rc=$?
check dbclient-malformed-pin-refused '[ $rc != 0 ] && [ $rc != 124 ] && grep -q "JB_HOSTKEY is not a list of SHA256 fingerprints" "$T/out"'
rc=0; as_relay JB_HOSTKEY_SCAN=1 timeout 20 "$BIN/dropbearmulti" dbclient 10.89.2.2 > "$T/out" 2> "$T/scan.err" < /dev/null || rc=$?
check dbclient-scan-prints-the-fingerprint '[ $rc = 0 ] && grep -qx "host-key = $TFP" "$T/out" && grep -qx "# 10.89.2.2 ssh-ed25519" "$T/out" && [ "$(wc -l < "$T/out")" = 2 ]'
# ~. typed in relay mode reaches the target's shell (as a command it does not know);
# the control: upstream mode (-y -y, no pin) obeys it and ends the session
relay_tilde() { # extra environment for dbclient...
	as_relay "$@" python3 "$H/pty_run.py" 25 until:'# ' send:'\r' send:'~.' send:'\r' wait:1 \
		send:'echo after-$((6*7))\r' until:after-42 send:'exit\r' -- $DBC -t 10.89.2.2 'PS1="# " sh' > "$T/out" 2>&1
}
rc=0; relay_tilde JB_HOSTKEY="$TFP" || rc=$?
check dbclient-relay-passes-tilde-dot '[ $rc = 0 ] && grep -q "after-42" "$T/out" && ! grep -q "Terminated" "$T/out"'
rc=0; DBC="$DBC -y -y" relay_tilde || rc=$?
check dbclient-upstream-obeys-tilde-dot-control '[ $rc != 0 ] && grep -q "Terminated" "$T/out" && ! grep -q "after-42" "$T/out"'

# ---- login names with a selector (patch 0015): the user authenticates as today
code_now ivan > "$T/code"
: > "$T/askpass.log"
ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh $SSHOPTS -i "$T/id" "ivan+t1@$BASTION" 'echo in-as-$(id -un) target=$JB_TARGET' > "$T/out" 2>&1 < /dev/null
check selector-login-is-the-user-with-totp 'asked && grep -qx "in-as-ivan target=t1" "$T/out"'
code_now kim > "$T/code"
ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh $SSHOPTS -i "$T/id" "kim+deploy%t1@$BASTION" 'echo in-as-$(id -un) target=$JB_TARGET' > "$T/out" 2>&1 < /dev/null
check selector-account-and-target 'grep -qx "in-as-kim target=deploy%t1" "$T/out"'
n_bad=$(grep -c "malformed target selector" "$T/dropbear.log")
rc=0; ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack+T1@$BASTION" true > "$T/out" 2>&1 < /dev/null || rc=$?
check selector-malformed-refused-and-logged '[ $rc = 255 ] && grep -q "Permission denied" "$T/out" && [ "$(grep -c "malformed target selector" "$T/dropbear.log")" -gt "$n_bad" ]'

# the hooks carry the selector: a second Dropbear (10.89.1.4:22) in a mount
# namespace whose auth.sock is fake_hook.py, which logs what it is asked
ip -n $B addr add 10.89.1.4/24 dev jbm-bc 2>/dev/null
: > "$T/hook.log"
in_bastion unshare -m --propagation private sh -c "
	mount -t tmpfs -o mode=755 tmpfs /run/jumpd || exit 1
	python3 $H/fake_hook.py /run/jumpd/auth.sock $T/hook.log erin &
	echo \$! > $T/fake_hook.run
	for _ in \$(seq 150); do [ -S /run/jumpd/auth.sock ] && break; sleep 0.1; done
	exec setpriv --reuid $SSHD_UID --regid $SSHD_UID --init-groups --no-new-privs --inh-caps $CAPS --ambient-caps $CAPS \
		$BIN/dropbearmulti dropbear -F -E -w -p 10.89.1.4:22 -r $T/hostkey -P /run/sshd/dropbear-hook.pid" \
	> "$T/dropbear-hook.log" 2>&1 &
echo $! > "$T/dropbear-hook.run"
for _ in $(seq 100); do grep -q "Not backgrounding" "$T/dropbear-hook.log" && break; sleep 0.1; done
echo 123456 > "$T/code"
ip netns exec $C env SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	ssh $SSHOPTS -i "$T/id" "erin+deploy%t1@10.89.1.4" 'echo in-as-$(id -un)' > "$T/out" 2>&1 < /dev/null
check hooks-carry-the-selector 'grep -qx "in-as-erin" "$T/out" && grep -q "^pubkey user=erin .* target=deploy%25t1$" "$T/hook.log" && grep -q "^answer user=erin token=.* code=123456 target=deploy%25t1$" "$T/hook.log"'
ip netns exec $C ssh $SSHOPTS -i "$T/id" "erin@10.89.1.4" true > "$T/out" 2>&1 < /dev/null
check hooks-plain-login-has-no-target 'grep "^pubkey user=erin " "$T/hook.log" | tail -1 | grep -qv "target="'
# (the sh above exec'd into dropbear: $! is the server itself)
kill "$(cat "$T/dropbear-hook.run")" "$(cat "$T/fake_hook.run")" 2>/dev/null

# ---- the stub: jumpmenu hands the session to the recorder (a stand-in listener)
in_bastion mkdir -p /run/rec
: > "$T/rec.log"
in_bastion python3 "$H/rec_listener.py" /run/rec/rec.sock "$T/rec.log" >> "$T/rec_listener.err" 2>&1 &
echo $! > "$T/rec_listener.run"
for _ in $(seq 50); do in_bastion test -S /run/rec/rec.sock && break; sleep 0.1; done
rc=0; echo typed-line | ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack+t1@$BASTION" 'uname -a' > "$T/out" 2> "$T/err" || rc=$?
check stub-exec-hands-fds-and-status '[ $rc = 7 ] && grep -qx "stub-out uname -a" "$T/out" && grep -qx "stub-in typed-line" "$T/out" && grep -qx "stub-err" "$T/err" && grep -qx "open target=t1 mode=exec pty=no cmd=uname%20-a | nfds=3 raw=-" "$T/rec.log"'
rc=0; ip netns exec $C env TERM=xterm python3 "$H/pty_run.py" 25 size:100x30 until:'recorded shell' send:'hello\r' \
	-- ssh $SSHOPTS -i "$T/id" -t "jack+t1@$BASTION" > "$T/out" 2>&1 || rc=$?
check stub-shell-raw-pty-and-status '[ $rc = 5 ] && grep -q "recorded shell raw=yes" "$T/out" && grep -q "shell got typed hello" "$T/out" && grep -qx "open target=t1 mode=shell pty=yes term=xterm cols=100 rows=30 | nfds=3 raw=yes" "$T/rec.log"'
rc=0; ip netns exec $C env TERM=xterm python3 "$H/pty_run.py" 25 size:100x30 until:'recorded shell' resize:120x40 until:'shell got' \
	-- ssh $SSHOPTS -i "$T/id" -t "jack+t1@$BASTION" > "$T/out" 2>&1 || rc=$?
check stub-forwards-window-change '[ $rc = 5 ] && grep -q "shell got winch cols=120 rows=40" "$T/out"'
rc=0; ip netns exec $C sftp -F "$T/ssh_config" -i "$T/id" -b /dev/null "jack+t1@$BASTION" > "$T/out" 2>&1 || rc=$?
check stub-sftp-subsystem-is-mode-sftp '[ $rc != 0 ] && grep -q "stub-sftp" "$T/out" && grep -qx "open target=t1 mode=sftp pty=no | nfds=3 raw=-" "$T/rec.log"'
# without a selector, the sftp subsystem is refused by the menu (positive control: the line above)
rc=0; ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" /usr/libexec/jb-sftp > "$T/out" 2>&1 < /dev/null || rc=$?
check menu-refuses-sftp-without-target '[ $rc = 1 ] && grep -q "sftp works only with a recorded target" "$T/out"'

# ---- the menu: a recorded target listed and picked by name (jumpd's targets
# reply with the access mode stood in by fake_targets.py, in a mount namespace of its own)
rc=0; in_bastion unshare -m --propagation private sh -c "
	mount -t tmpfs tmpfs /run/jumpd || exit 1
	python3 $H/fake_targets.py /run/jumpd/auth.sock t1 10.89.2.2 &
	for _ in \$(seq 150); do [ -S /run/jumpd/auth.sock ] && break; sleep 0.1; done
	setpriv --reuid $UID_jack --regid $UID_jack --init-groups env -i TERM=xterm PATH=/bin:/usr/bin \
		python3 $H/pty_run.py 25 size:90x20 until:'jumpbox> ' send:'t1\r' until:'recorded shell' send:'hi\r' \
		until:'ended (status 5)' send:'quit\r' -- $BIN/jumpmenu
	st=\$?; kill %1; exit \$st" > "$T/out" 2>&1 || rc=$?
check menu-shows-and-picks-recorded-target '[ $rc = 0 ] && grep -q "t1  *10.89.2.2  *port 22  recorded: ssh -t jack+t1@" "$T/out" && grep -q "shell got typed hi" "$T/out" && grep -q "session to t1 ended (status 5)" "$T/out" && grep -q "open target=t1 mode=shell pty=yes term=xterm cols=90 rows=20 | nfds=3 raw=yes" "$T/rec.log"'

# no recorder: the stub says so itself (nothing was handed over)
kill "$(cat "$T/rec_listener.run")" 2>/dev/null; wait "$(cat "$T/rec_listener.run")" 2>/dev/null
in_bastion rm -f /run/rec/rec.sock
rc=0; ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack+t1@$BASTION" uptime > "$T/out" 2>&1 < /dev/null || rc=$?
check stub-without-recorder-refuses '[ $rc = 255 ] && grep -q "jumpbox: the session recorder is not available now" "$T/out"'
