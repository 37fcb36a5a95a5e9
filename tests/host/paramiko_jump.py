# tests/host/paramiko_jump.py: a real paramiko (Debian's 2.12) client for the
# clients suite (tests/host/clients.sh): logs in to the box with a key and,
# when asked (publickey partial success), a TOTP code through
# keyboard-interactive; opens a direct-tcpip channel to the target, runs its
# own SSH session to the target over it and pipes random bytes through
# `sha256sum` there. Prints what it saw, one "key: value" a line; exit 0 only
# when the target's digest of the bytes matches.
# Usage: paramiko_jump.py BASTION USER KEY CODE-FILE TARGET TARGET-USER NBYTES [MACS [CIPHERS]]
import hashlib
import os
import socket
import sys

import paramiko


def main():
    bastion, user, keyfile, codefile, target, tuser, nbytes = sys.argv[1:8]
    macs = sys.argv[8].split(",") if len(sys.argv) > 8 and sys.argv[8] else None
    ciphers = sys.argv[9].split(",") if len(sys.argv) > 9 and sys.argv[9] else None
    key = paramiko.Ed25519Key.from_private_key_file(keyfile)
    print("paramiko:", paramiko.__version__)
    sock = socket.create_connection((bastion, 22), timeout=15)
    t = paramiko.Transport(sock)
    opts = t.get_security_options()
    if macs:
        opts.digests = tuple(macs)
    if ciphers:
        opts.ciphers = tuple(ciphers)
    try:
        t.start_client(timeout=15)
    except paramiko.SSHException as e:
        print("negotiation-refused:", e)
        return 3
    print("cipher:", t.local_cipher, t.remote_cipher)
    print("mac:", t.local_mac, t.remote_mac)
    try:
        rest = t.auth_publickey(user, key)
    except paramiko.AuthenticationException as e:
        print("publickey-refused:", e)
        return 4
    print("after-publickey:", ",".join(rest) or "(authenticated)")
    if rest:
        code = open(codefile).read().strip()
        prompts = []

        def answer(title, instructions, plist):
            prompts.extend(p for p, _ in plist)
            return [code for _ in plist]
        try:
            rest = t.auth_interactive(user, answer)
        except paramiko.AuthenticationException as e:
            print("prompts:", prompts)
            print("code-refused:", e)
            return 5
        print("prompts:", prompts)
        print("after-code:", ",".join(rest) or "(authenticated)")
    ch = t.open_channel("direct-tcpip", (target, 22), ("127.0.0.1", 0), timeout=15)
    # our own SSH session to the target, inside the channel
    inner = paramiko.Transport(ch)
    inner.start_client(timeout=15)
    inner.auth_publickey(tuser, key)
    s = inner.open_session()
    s.exec_command("sha256sum")
    data = os.urandom(int(nbytes))
    s.sendall(data)
    s.shutdown_write()
    got = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
    want = hashlib.sha256(data).hexdigest()
    print("target-digest:", got.decode(errors="replace").split()[0] if got else "(none)")
    print("bytes-through-direct-tcpip:", len(data), "match" if got.startswith(want.encode()) else "MISMATCH")
    inner.close()
    t.close()
    return 0 if got.startswith(want.encode()) else 6


if __name__ == "__main__":
    sys.exit(main())
