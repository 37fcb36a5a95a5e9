# tests/host/menu.sh: the jump menu (every plain user's login shell).
# Sourced by tests/host.sh (the shared topology, helpers and check() are
# in tests/host/topology.sh); check names here are "menu/...".
# a plain user's login shell is the jump menu: what the policy opens to them now, no shell
ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" list > "$T/out" 2>&1 < /dev/null
check menu-lists-targets-open-now 'grep -q "^  t1  *10.89.2.2  *port 22$" "$T/out" && ! grep -q "^  t[234] " "$T/out" && grep -q "ssh -J jack@" "$T/out"'
ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" 'id; cat /etc/passwd' > "$T/out" 2>&1 < /dev/null
check menu-runs-no-commands '! grep -q "uid=\|root:" "$T/out" && grep -q "is not a command here" "$T/out"'
# the user's own text comes back only as printable ASCII: no escape reaches the terminal
ip netns exec $C ssh $SSHOPTS -i "$T/id" "jack@$BASTION" "$(printf 'x\033[2J\302\233\2330m')" > "$T/out" 2>&1 < /dev/null
check menu-echoes-no-terminal-escape 'grep -qF "jumpbox: '"'"'x?[2J???0m'"'"' is not a command here" "$T/out" && safe_files "$T/out"'
# jumpd answers the list only to the user's own uid
in_bastion setpriv --reuid $UID_alice --regid $UID_alice --init-groups /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('/run/jumpd/auth.sock')
s.sendall(b'targets user=jack offset=0\n'); print(s.recv(200))" > "$T/out" 2>&1
check menu-list-only-for-own-uid 'grep -q "error reason=bad-request" "$T/out" && ! grep -q "ta=" "$T/out"'

