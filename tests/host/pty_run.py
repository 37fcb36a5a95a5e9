#!/usr/bin/env python3
# tests/host/pty_run.py: runs a program on a fresh pty (its controlling
# terminal) for tests/host/relay.sh and prints everything it wrote; the
# exit status is the program's (124 when the deadline passed: killed).
# Steps, after the program's argv and before "--":
#   send:TEXT      writes TEXT (\r, \n escapes), one byte at a time with
#                  a pause, as a person types
#   wait:SECONDS   waits, reading output
#   until:TEXT     waits until TEXT appeared in the output (at most 10 s)
#   resize:COLSxROWS sets the window (the program gets SIGWINCH)
#   size:COLSxROWS (first step only) the window the program starts with
# Usage: pty_run.py DEADLINE STEP... -- ARGV...
import os, pty, select, signal, struct, sys, termios, fcntl, time

deadline = time.time() + float(sys.argv[1])
sep = sys.argv.index("--")
steps, argv = sys.argv[2:sep], sys.argv[sep + 1:]
pid, master = pty.fork()
if pid == 0:
    if steps and steps[0].startswith("size:"):
        cols, rows = (int(x) for x in steps[0][5:].split("x"))
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(argv[0], argv)
out = b""

def pump(until):
    global out
    while time.time() < until:
        r, _, _ = select.select([master], [], [], max(0, min(until, deadline) - time.time()))
        if not r:
            return
        try:
            data = os.read(master, 4096)
        except OSError:
            return
        if not data:
            return
        out += data

for s in steps:
    kind, _, arg = s.partition(":")
    if kind == "send":
        for ch in arg.encode().decode("unicode_escape").encode("latin-1"):
            os.write(master, bytes([ch]))
            pump(time.time() + 0.15)
    elif kind == "wait":
        pump(time.time() + float(arg))
    elif kind == "until":
        t = time.time() + 10
        while arg.encode() not in out and time.time() < t:
            pump(time.time() + 0.1)
    elif kind == "size":
        pass
    elif kind == "resize":
        cols, rows = (int(x) for x in arg.split("x"))
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
status = None
while time.time() < deadline:
    pump(time.time() + 0.2)
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
pump(time.time() + 0.3)
sys.stdout.write(out.decode(errors="replace"))
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.exit(124)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
