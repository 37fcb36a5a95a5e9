#!/usr/bin/env python3
# tests/host/fake_targets.py: answers jumpmenu's `targets` on SOCKET with
# one recorded target (the 4th token that jumpd's targets reply gains with
# recording), for tests/host/relay.sh's menu checks in a mount namespace
# of their own. Usage: fake_targets.py SOCKET NAME ADDRESS
import os, socket, sys

path, name, addr = sys.argv[1:4]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
os.chmod(path, 0o666)
srv.listen(4)
while True:
    c, _ = srv.accept()
    c.recv(1024)
    c.sendall(("ok ta=%s%%20%s%%2022%%20recorded total=1\n" % (name, addr)).encode())
    c.close()
