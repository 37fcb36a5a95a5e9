#!/usr/bin/env python3
# tests/host/rec_listener.py: a stand-in for jumprec on /run/rec/rec.sock
# (tests/host/relay.sh), until the real recorder replaces it. For each
# connection: one `open ...` line with SCM_RIGHTS fds (logged to LOG as
# "LINE | nfds=N raw=yes|no|-"), then it acts on the open line's mode:
#   exec:  writes "stub-out <cmd>" to fd 1 and "stub-err" to fd 2, reads
#          one line from fd 0 and writes "stub-in <line>" to fd 1, closes
#          its copies, sends "exit status=7";
#   shell: (a pty) writes "recorded shell raw=yes|no" to fd 1, waits for a
#          `winch` line on the socket or a line typed on fd 0 (up to 10 s),
#          writes what it got, closes, sends "exit status=5";
#   sftp:  writes "stub-sftp" to fd 2, sends "end reason=test".
# Usage: rec_listener.py SOCKET LOG
import os, socket, sys, termios, select, time, urllib.parse

path, log = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
os.chmod(path, 0o666)
srv.listen(8)

def note(text):
    with open(log, "a") as f:
        f.write(text + "\n")

def readline_fd(fd, deadline):
    buf = b""
    while not buf.endswith(b"\n") and not buf.endswith(b"\r") and time.time() < deadline:
        r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
        if not r:
            break
        c = os.read(fd, 1)
        if not c:
            break
        buf += c
    return buf.strip().decode(errors="replace")

while True:
    conn, _ = srv.accept()
    data, fds = b"", []
    while not data.endswith(b"\n"):
        msg, got, _, _ = socket.recv_fds(conn, 1024, 3)
        if not msg:
            break
        data += msg
        fds += got
    line = data.decode(errors="replace").strip()
    raw = "-"
    if fds and os.isatty(fds[0]):
        lflag = termios.tcgetattr(fds[0])[3]
        raw = "no" if lflag & (termios.ICANON | termios.ECHO) else "yes"
    note("%s | nfds=%d raw=%s" % (line, len(fds), raw))
    fields = dict((k, urllib.parse.unquote(v)) for k, _, v in (f.partition("=") for f in line.split()[1:]))
    mode = fields.get("mode")
    if len(fds) != 3:
        conn.sendall(b"end reason=no-fds\n")
    elif mode == "exec":
        cmd = fields.get("cmd", "")
        os.write(fds[1], ("stub-out %s\n" % cmd).encode())
        os.write(fds[2], b"stub-err\n")
        got = readline_fd(fds[0], time.time() + 10)
        os.write(fds[1], ("stub-in %s\n" % got).encode())
        for fd in fds:
            os.close(fd)
        conn.sendall(b"exit status=7\n")
    elif mode == "shell":
        os.write(fds[1], ("recorded shell raw=%s\r\n" % raw).encode())
        deadline = time.time() + 10
        said = "nothing"
        while time.time() < deadline:
            r, _, _ = select.select([conn, fds[0]], [], [], max(0, deadline - time.time()))
            if conn in r:
                said = conn.recv(200).decode(errors="replace").strip() or "socket-eof"
                break
            if fds[0] in r:
                said = "typed " + readline_fd(fds[0], deadline)
                break
        note("shell got: " + said)
        os.write(fds[1], ("shell got %s\r\n" % said).encode())
        for fd in fds:
            os.close(fd)
        conn.sendall(b"exit status=5\n")
    else:
        os.write(fds[2], b"stub-sftp\n")
        for fd in fds:
            os.close(fd)
        conn.sendall(b"end reason=test\n")
    conn.close()
