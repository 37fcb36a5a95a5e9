#!/usr/bin/env python3
# tests/host/fake_hook.py: a stand-in for jumpd on the auth hook socket, for
# tests/host/relay.sh's check that Dropbear's pubkey/answer requests carry
# the login name's selector (target=). Logs every request line to LOG;
# answers pubkey with allow (user CHALLENGED: a code challenge), answer
# with allow, anything else with ok.
# Usage: fake_hook.py SOCKET LOG CHALLENGED
import os, socket, sys

path, log, challenged = sys.argv[1:4]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
os.chmod(path, 0o666)
srv.listen(16)
while True:
    c, _ = srv.accept()
    line = b""
    while not line.endswith(b"\n"):
        got = c.recv(1024)
        if not got:
            break
        line += got
    text = line.decode(errors="replace").strip()
    with open(log, "a") as f:
        f.write(text + "\n")
    verb = text.split(" ", 1)[0]
    if verb == "pubkey" and (" user=%s " % challenged) in text:
        reply = "challenge reason=totp-required token=" + "ab" * 16 + " prompt=Code:%20"
    elif verb in ("pubkey", "answer"):
        reply = "allow reason=test"
    else:
        reply = "ok"
    c.sendall((reply + "\n").encode())
    c.close()
