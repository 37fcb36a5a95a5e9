#!/bin/sh
# Owns: `make run`. Makes a demo key and a TOTP secret (once, locally, never
# committed), a config volume naming the demo user, a state volume that
# persists between runs, and boots the image in QEMU with the console here.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=$TOP/out/demo
PORT=${JB_SSH_PORT:-2222}
mkdir -p "$D"
if [ ! -f "$D/id_ed25519" ]; then
	ssh-keygen -q -t ed25519 -N '' -C demo@jumpbox-run -f "$D/id_ed25519"
fi
if [ ! -f "$D/enroll.txt" ]; then
	"$TOP/out/bin/jumpctl" mfa-enroll demo --host jumpbox-demo > "$D/enroll.txt"
fi
SECRET=$(sed -n 's/^totp-secret = //p' "$D/enroll.txt")
cat > "$D/jumpbox.conf" <<CONF
# demo configuration written by 'make run'
[system]
hostname = jumpbox-demo

[network]
interface = eth0
address = dhcp

# one target: this machine's own sshd, which the guest sees as 10.0.2.2
[segment qemu-host]
cidr = 10.0.2.2/32

[target host]
address = 10.0.2.2
port = 22

[grant demo-host]
to = user:demo
target = host

[user demo]
key = $(cat "$D/id_ed25519.pub")
totp-secret = $SECRET
admin = yes
CONF
"$TOP/tests/volumes.sh" config "$D/jumpbox.conf" "$D/config.img"
[ -f "$D/state.img" ] || "$TOP/tests/volumes.sh" state "$D/state.img"
cat <<MSG

  Booting jumpbox under QEMU (software emulation: give it a few seconds).
  Quit QEMU with Ctrl-A then X.  In another terminal:

    ssh -i $D/id_ed25519 -o UserKnownHostsFile=$D/known_hosts -p $PORT demo@127.0.0.1

  You get the jump menu (no shell on a jump host). Through the box to this
  machine's own sshd (if it runs):  ssh -J demo@127.0.0.1:$PORT YOU@host
  (the jump hop asks for the code too; add -i/-o options for it in ~/.ssh/config).

  It asks for a verification code: add this URI to an authenticator app
  (or get a code with: oathtool --totp -b $SECRET):

    $(grep '^otpauth:' "$D/enroll.txt")

MSG
VM_FOREGROUND=1 exec "$TOP/tests/vm.sh" "$D" "$TOP/images/jumpbox.img" "$PORT" "$D/config.img" "$D/state.img"
