# tests/host/kex.sh: what Debian's OpenSSH client (9.2) negotiates with the box,
# what the box offers, SHA-1 refused, and ssh-audit's verdict.
# Sourced by tests/host.sh (topology and check() in tests/host/topology.sh);
# check names here are "kex/...". gina logs in with her key alone (mfa = off).

# OpenSSH 9.2 and Dropbear 2025.89: post-quantum hybrid key exchange
ip netns exec $C ssh $SSHOPTS -vv -i "$T/id" "gina@$BASTION" 'echo in-as-$(id -un)' > "$T/out" 2> "$T/kex.log" < /dev/null
tr -d '\r' < "$T/kex.log" | sed -n 's/^debug1: kex: //p' > "$T/kex.chosen"
sed 's/^/  (negotiated) /' "$T/kex.chosen"
check openssh-negotiates-sntrup761x25519 'grep -qx in-as-gina "$T/out" && grep -qx "algorithm: sntrup761x25519-sha512" "$T/kex.chosen"'
check openssh-negotiates-aead-cipher-ed25519-host-key 'grep -qx "host key algorithm: ssh-ed25519" "$T/kex.chosen" &&
	[ "$(grep -c "cipher: chacha20-poly1305@openssh.com MAC: <implicit> compression: none" "$T/kex.chosen")" = 2 ]'

# the server's KEXINIT: post-quantum first, strict KEX (both sides offer it:
# kex-strict-s/-c, so the Terrapin countermeasure is on), nothing with SHA-1
server_field() { # NAME: a field of the server's KEXINIT proposal, one name a line
	tr -d '\r' < "$T/kex.log" | sed -n '/peer server KEXINIT proposal/,/first_kex_follows/p' |
		sed -n "s/^debug2: $1: //p" | tr ',' '\n'
}
client_kex=$(tr -d '\r' < "$T/kex.log" | sed -n '/local client KEXINIT proposal/,/first_kex_follows/p' | sed -n 's/^debug2: KEX algorithms: //p')
server_field 'KEX algorithms' > "$T/kex.offer"
echo "  (box offers kex) $(tr '\n' ' ' < "$T/kex.offer")"
check server-offers-post-quantum-first '[ "$(head -2 "$T/kex.offer" | tr "\n" " ")" = "sntrup761x25519-sha512 sntrup761x25519-sha512@openssh.com " ] &&
	sed -n 3p "$T/kex.offer" | grep -qx mlkem768x25519-sha256'
check strict-kex-both-sides 'grep -qx "kex-strict-s-v00@openssh.com" "$T/kex.offer" && echo "$client_kex" | grep -q "kex-strict-c-v00@openssh.com"'
{ server_field 'KEX algorithms'; server_field 'host key algorithms'; server_field 'MACs ctos'; server_field 'MACs stoc'; } > "$T/kex.all"
check server-offers-no-sha1 '[ -s "$T/kex.all" ] && ! grep -Eq "sha1|^ssh-rsa$|^ssh-dss$" "$T/kex.all"'

# a client that insists on SHA-1 key exchange is refused, and says why; the
# same client with a modern key exchange gets in (positive control)
ip netns exec $C ssh $SSHOPTS -o LogLevel=INFO -o KexAlgorithms=diffie-hellman-group14-sha1 -i "$T/id" \
	"gina@$BASTION" 'echo in-as-$(id -un)' > "$T/out" 2>&1 < /dev/null
rc=$?
echo "  (group14-sha1 refused) $(grep -o "no matching key exchange method found.*" "$T/out" | cut -c1-160)"
check sha1-kex-refused-with-reason '[ $rc != 0 ] && ! grep -q in-as "$T/out" &&
	grep -q "Unable to negotiate with $BASTION port 22: no matching key exchange method found. Their offer: sntrup761x25519-sha512," "$T/out"'
ip netns exec $C ssh $SSHOPTS -vv -o KexAlgorithms=curve25519-sha256 -i "$T/id" \
	"gina@$BASTION" 'echo in-as-$(id -un)' > "$T/out" 2> "$T/kex-control.log" < /dev/null
check control-curve25519-kex-accepted 'grep -qx in-as-gina "$T/out" && tr -d "\r" < "$T/kex-control.log" | grep -qx "debug1: kex: algorithm: curve25519-sha256"'

# ssh-audit: every [fail]/[warn] it reports must be one that
# tests/ssh-audit.allow lists (justified in docs/hardening.md)
if command -v ssh-audit > /dev/null; then
	ip netns exec $C ssh-audit -n -p 22 $BASTION > "$T/ssh-audit.txt" 2>&1
	not_allowed=$(sh "$TOP/tests/ssh-audit-findings.sh" "$T/ssh-audit.txt"; echo "rc=$?")
	echo "  (ssh-audit) $(grep -c '\[fail\]' "$T/ssh-audit.txt") fail, $(grep -c '\[warn\]' "$T/ssh-audit.txt") warn notes, all in tests/ssh-audit.allow unless listed: $(echo "$not_allowed" | grep -v '^rc=0$' | tr '\n' ';')"
	if [ "$not_allowed" = "rc=0" ]; then
		pass "$SUITE/ssh-audit-only-justified-findings"
	else
		fail "$SUITE/ssh-audit-only-justified-findings" "$(echo "$not_allowed" | tr '\n' ';') (report: $T/ssh-audit.txt)"
	fi
else
	skip "$SUITE/ssh-audit-only-justified-findings" "ssh-audit not installed (build/deps.sh test)"
fi
