# tests/host/clients.sh: the clients people automate with, against the box:
# Debian's paramiko 2.12 (no AEAD cipher: AES-CTR with encrypt-then-MAC)
# logs in with key + TOTP and carries bytes through direct-tcpip; PuTTY's
# plink (Debian's putty-tools) through direct-tcpip with a key.
# Sourced by tests/host.sh (topology and check() in tests/host/topology.sh);
# check names here are "clients/...". kim: TOTP, group admins (grant to t1).
PY=/usr/bin/python3
PJ="$TOP/tests/host/paramiko_jump.py"
last_kim() { grep "AUTH .*user=\"kim\"" "$T/state/audit.spool" | tail -1; }
if $PY -c 'import paramiko' 2> /dev/null; then
	# a code from an hour ago: refused at the second factor, for that reason
	# (the positive control, the right code, follows in the same run)
	code_at kim $(( $(date +%s) - 3600 )) > "$T/code"
	ip netns exec $C $PY "$PJ" $BASTION kim "$T/id" "$T/code" 10.89.2.2 root 65536 > "$T/out" 2>&1
	rc=$?
	sed 's/^/  (paramiko, wrong code) /' "$T/out" | grep -v Traceback | head -6
	check paramiko-wrong-code-refused '[ $rc = 5 ] && grep -q "^after-publickey: keyboard-interactive" "$T/out" &&
		grep -q "^code-refused:" "$T/out" && ! grep -q "bytes-through" "$T/out" && last_kim | grep -q "reason=\"wrong-code\""'
	# key, then the right code through keyboard-interactive, then 1 MiB each
	# way through a direct-tcpip channel (paramiko's own SSH session to t1)
	code_now kim > "$T/code"
	ip netns exec $C $PY "$PJ" $BASTION kim "$T/id" "$T/code" 10.89.2.2 root 1048576 > "$T/out" 2>&1
	rc=$?
	sed 's/^/  (paramiko) /' "$T/out" | head -8
	check paramiko-key-totp-direct-tcpip '[ $rc = 0 ] && grep -q "^after-publickey: keyboard-interactive" "$T/out" &&
		grep -q "^prompts: .*Verification code" "$T/out" && grep -q "^after-code: (authenticated)" "$T/out" &&
		grep -q "^bytes-through-direct-tcpip: 1048576 match" "$T/out" && last_kim | grep -q "reason=\"totp-ok\"" &&
		grep "CHANNEL .*user=\"kim\"" "$T/state/audit.spool" | tail -1 | grep -q "result=\"allow\""'
	check paramiko-negotiates-ctr-etm 'grep -Eq "^cipher: aes(128|256)-ctr aes(128|256)-ctr" "$T/out" &&
		grep -Eq "^mac: hmac-sha2-(256|512)-etm@openssh.com hmac-sha2-(256|512)-etm@openssh.com" "$T/out"'
	# paramiko held to encrypt-and-MAC: refused at negotiation (the box offers
	# only encrypt-then-MAC), before any authentication; the positive
	# control is the login above with paramiko's default list
	ip netns exec $C $PY "$PJ" $BASTION kim "$T/id" "$T/code" 10.89.2.2 root 1024 hmac-sha2-256,hmac-sha2-512 > "$T/out" 2>&1
	rc=$?
	sed 's/^/  (paramiko, encrypt-and-MAC only) /' "$T/out" | head -3
	check paramiko-encrypt-and-mac-refused '[ $rc = 3 ] && grep -qi "^negotiation-refused: .*no acceptable macs" "$T/out"'
else
	skip "$SUITE/paramiko-key-totp-direct-tcpip" "python3-paramiko not installed (build/deps.sh test)"
fi

# PuTTY's plink: gina's key (mfa = off: plink would ask for the code on its
# terminal), -nc through a direct-tcpip channel: the target's banner arrives
if command -v plink > /dev/null && command -v puttygen > /dev/null; then
	puttygen "$T/id" -O private -o "$T/id.ppk" > /dev/null 2>&1
	fp=$("$BIN/dropbearmulti" dropbearkey -y -f "$T/hostkey" 2>/dev/null | grep '^ssh-ed25519' | ssh-keygen -lf - | awk '{print $2}')
	ip netns exec $C timeout 20 plink -batch -v -ssh -i "$T/id.ppk" -hostkey "$fp" -nc 10.89.2.2:22 "gina@$BASTION" \
		< /dev/null > "$T/out" 2> "$T/plink.log"
	echo "  (plink) $(head -c 40 "$T/out" | tr -d '\r\n'); $(grep -i 'Initialised.*outbound'  "$T/plink.log" | tr '\n' ' ')"
	check plink-direct-tcpip 'head -c 8 "$T/out" | grep -q "^SSH-2.0-" && grep "CHANNEL .*user=\"gina\"" "$T/state/audit.spool" | tail -1 | grep -q "host=\"10.89.2.2\".*result=\"allow\""'
else
	skip "$SUITE/plink-direct-tcpip" "putty-tools not installed (build/deps.sh test)"
fi
