#!/usr/bin/env python3
"""tests/rec/jumprec_process.py: jumprec as a whole process, without a
target or namespaces: a fake jumpd (answers the rec_* verbs, logs them), a
fake dropbearmulti (tests/rec/fake-dropbearmulti), and this script as the
stub and the user. Prints PASS/FAIL lines (tests/unit.sh counts them).
Usage: jumprec_process.py JUMPREC_BINARY"""
import os, pty, secrets, select, signal, socket, subprocess, sys, tempfile, threading, time

JUMPREC = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
tmp = tempfile.mkdtemp(prefix="jb-rec-")
state, run = os.path.join(tmp, "state"), os.path.join(tmp, "run")
os.makedirs(state); os.makedirs(run)
failed = 0

def check(name, cond, why=""):
    global failed
    if cond:
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))

# ---- fake jumpd: one line per connection, like jumpd
reqs, reqs_lock = [], threading.Lock()
# the "target": accepts and holds connections (the fake dbclient does not speak SSH)
tcp = socket.socket(); tcp.bind(("127.0.0.1", 0)); tcp.listen(64)
TPORT = tcp.getsockname()[1]
held = []
def tcp_accept():
    while True:
        c, _ = tcp.accept(); held.append(c)
deny_marks = {"v": False}
slow = {}  # verb -> seconds the fake jumpd waits before it answers

def parse(line):
    parts = line.split(" ")
    from urllib.parse import unquote
    return parts[0], {k: unquote(v) for k, v in (p.split("=", 1) for p in parts[1:])}

def answer(verb, f):
    if verb == "rec_open":
        t = f["target"]
        if t == "nope":
            return "deny reason=not-granted"
        hk = "SHA256:bad" if t == "bad" else "SHA256:good"
        return "allow session=%s target=t1 account=acc address=127.0.0.1 port=%d hostkey=%s input=yes" % (
            secrets.token_hex(8), TPORT, hk)
    if verb == "rec_admin":
        return "allow address=10.0.0.1 port=22"
    if verb == "rec_mark" and deny_marks["v"]:
        return "deny reason=audit-unavailable"
    return "ok"

def jumpd_conn(c):
    data = b""
    while not data.endswith(b"\n"):
        b = c.recv(2048)
        if not b:
            return
        data += b
    verb, f = parse(data.decode().rstrip("\n"))
    with reqs_lock:
        reqs.append((verb, f))
    if slow.get(verb):
        time.sleep(slow[verb])
    c.sendall((answer(verb, f) + "\n").encode()); c.close()

jsock = os.path.join(run, "auth.sock")
js = socket.socket(socket.AF_UNIX); js.bind(jsock); js.listen(64)
def jumpd_loop():
    while True:
        c, _ = js.accept()
        threading.Thread(target=jumpd_conn, args=(c,), daemon=True).start()
threading.Thread(target=jumpd_loop, daemon=True).start()
threading.Thread(target=tcp_accept, daemon=True).start()

def got(verb, **kv):
    with reqs_lock:
        return [f for v, f in reqs if v == verb and all(f.get(k) == x for k, x in kv.items())]

def wait_for(pred, secs=5):
    end = time.time() + secs
    while time.time() < end:
        r = pred()
        if r:
            return r
        time.sleep(0.05)
    return pred()

env = dict(os.environ, FAKE_ENV_LOG="must-not-reach-dbclient")
def start(maxmb=64, fail=1):
    for f in ("rec.sock", "ctl.sock"):
        if os.path.exists(os.path.join(run, f)):
            os.unlink(os.path.join(run, f))
    p = subprocess.Popen([JUMPREC, "-s", state, "-r", run, "-j", jsock, "-M", str(maxmb), "-F", str(fail),
                          "-b", os.path.join(HERE, "fake-dropbearmulti"), "-n", "8"],
                         stderr=open(os.path.join(tmp, "jumprec.log"), "a"), env=env)
    wait_for(lambda: os.path.exists(os.path.join(run, "ctl.sock")))
    return p

def pct(v):
    """hookproto's value encoding: lower-case %xx outside the safe set"""
    safe = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/+=@,-")
    return "".join(chr(c) if c in safe else "%%%02x" % c for c in v.encode())

class Session:
    """the stub and the user: pipes (or a pty) as the user's fds"""
    def __init__(self, target="t1", mode="exec", cmd=None, use_pty=False, stdin_data=b""):
        self.s = socket.socket(socket.AF_UNIX); self.s.connect(os.path.join(run, "rec.sock"))
        if use_pty:
            self.master, slave = pty.openpty()
            fds = [slave, slave, slave]; mine = [slave]
        else:
            i_r, self.i_w = os.pipe(); self.o_r, o_w = os.pipe(); self.e_r, e_w = os.pipe()
            fds = [i_r, o_w, e_w]; mine = fds
        line = "open target=%s mode=%s pty=%s term=xterm cols=80 rows=24" % (target, mode, "yes" if use_pty else "no")
        if cmd:
            line += " cmd=" + pct(cmd)
        socket.send_fds(self.s, [(line + "\n").encode()], fds)
        for fd in set(mine):
            os.close(fd)
        self.pty = use_pty
        if not use_pty:
            if stdin_data:
                os.write(self.i_w, stdin_data)
            os.close(self.i_w)
    def finish(self, secs=10):
        """reads the user's output to EOF and the stub's last line"""
        out, err, ctl = b"", b"", b""
        fds = [self.master] if self.pty else [self.o_r, self.e_r]
        fds.append(self.s.fileno())
        end = time.time() + secs
        while fds and time.time() < end:
            r, _, _ = select.select(fds, [], [], 0.2)
            for fd in r:
                try:
                    b = os.read(fd, 65536)
                except OSError:
                    b = b""
                if not b:
                    fds.remove(fd); continue
                if fd == self.s.fileno(): ctl += b
                elif self.pty or fd == self.o_r: out += b
                else: err += b
        return out, err, ctl.decode()

def ctl(line):
    c = socket.socket(socket.AF_UNIX); c.connect(os.path.join(run, "ctl.sock"))
    c.sendall((line + "\n").encode())
    c.settimeout(5)
    data = b""
    try:
        while True:
            b = c.recv(4096)
            if not b: break
            data += b
    except socket.timeout:
        pass
    return data.decode()

def spool_sessions():
    try:
        return open(os.path.join(state, "spool")).read()
    except FileNotFoundError:
        return ""

jr = start()
# 1. exec: output, stderr, exit status, audit requests, recording, live mark gone
s = Session(cmd="echo hello; echo oops >&2; exit 3")
out, err, last = s.finish()
check("exec-output-reaches-the-user", out == b"hello\n", repr(out))
check("exec-stderr-reaches-the-user", err == b"oops\n", repr(err))
check("exec-exit-status-to-the-stub", last == "exit status=3\n", repr(last))
ends = wait_for(lambda: got("rec_end", exit="3", reason="exit"))
check("exec-rec-end-exit-3", ends, str(reqs[-3:]))
sid = ends[0]["session"] if ends else "?"
check("exec-rec-start", got("rec_start", session=sid), str(reqs))
check("exec-command-record", got("command", session=sid, kind="exec", line="echo hello; echo oops >&2; exit 3"), str(reqs))
check("exec-recorded-in-spool", ('session="%s"' % sid) in spool_sessions(), "no REC_DATA of " + sid)
check("exec-rec-end-chunks", ends and int(ends[0]["chunks"]) >= 1 and int(ends[0]["bytes"]) > 0, str(ends))
check("exec-live-mark-removed", os.listdir(os.path.join(state, "live")) == [], str(os.listdir(os.path.join(state, "live"))))
envtext = open(os.path.join(state, "dbclient.env")).read()
check("dbclient-env-only-pins-and-home", "JB_HOSTKEY=SHA256:good" in envtext and "HOME=/nonexistent" in envtext
      and "FAKE_ENV_LOG" not in envtext, envtext)
keyf = os.path.join(state, "keys", "t1")
check("target-key-file-0600", os.path.exists(keyf) and (os.stat(keyf).st_mode & 0o777) == 0o600, "no key or mode")

# 2. stdin through, EOF reaches the target
s = Session(cmd="cat", stdin_data=b"abc" * 5000)
out, err, last = s.finish()
check("exec-stdin-through-and-eof", out == b"abc" * 5000 and last == "exit status=0\n", "%d bytes, %r" % (len(out), last))

# 3. host key refused
s = Session(target="bad", cmd="true")
out, err, last = s.finish()
check("host-key-refusal-shown", b"host key of t1 is not the pinned one" in err, repr(err))
check("host-key-refusal-to-stub", last == "end reason=host-key\n", repr(last))
check("host-key-rec-end", wait_for(lambda: got("rec_end", reason="host-key")), str(reqs[-2:]))
# positive control for the pin: the good one above ran (exec-exit-status-to-the-stub)

# 4. jumpd denies
s = Session(target="nope", cmd="true")
out, err, last = s.finish()
check("deny-reason-shown", err.startswith(b"jumpbox: ") and b"no grant" in err, repr(err))
check("deny-reason-to-stub", last == "end reason=not-granted\n", repr(last))

# 5. list, watch, end
s = Session(cmd="for i in 1 2 3 4 5 6 7 8 9 10; do echo tick$i; sleep 0.3; done")
time.sleep(0.5)
lst = ctl("list")
check("ctl-list-shows-session", "session id=" in lst and "target=t1" in lst and "mode=exec" in lst, lst)
sid = lst.split("id=")[1].split(" ")[0] if "id=" in lst else "0" * 16
w = socket.socket(socket.AF_UNIX); w.connect(os.path.join(run, "ctl.sock")); w.sendall(("watch session=%s\n" % sid).encode())
w.settimeout(3); seen = b""
try:
    while b"tick" not in seen.split(b"\n", 1)[-1]:
        b = w.recv(4096)
        if not b: break
        seen += b
except socket.timeout:
    pass
check("ctl-watch-sees-output", seen.startswith(b"ok session=") and b"tick" in seen, repr(seen[:200]))
endr = ctl("end session=%s" % sid)
check("ctl-end-ok", endr.startswith("ok"), endr)
out, err, last = s.finish()
check("ctl-end-ends-session", last == "end reason=ended-by-admin\n" and b"ended by an administrator" in err, repr((last, err)))
check("ctl-end-rec-end", wait_for(lambda: got("rec_end", session=sid, reason="ended-by-admin")), str(reqs[-2:]))
check("ctl-end-admin-audited", got("rec_admin", action="end", session=sid), str(reqs))
w.settimeout(3)
try:
    rest = w.recv(4096)
except socket.timeout:
    rest = b"timeout"
check("ctl-watch-closed-at-end", rest == b"" or not rest.startswith(b"timeout"), repr(rest))
tk = ctl("target_key target=t1")
check("ctl-target-key-line", tk.startswith("ok key=from=%2210.0.0.1%22%20ssh-ed25519%20AAAA") and "jumpbox-rec@t1" in tk, tk)
tp = ctl("target_pin target=t1")
check("ctl-target-pin-lines", "line text=host-key%20=%20SHA256:scanned" in tp and tp.endswith("ok\n"), tp)
bad = ctl("target_key target=../etc")
check("ctl-bad-target-refused", bad.startswith("error reason=want"), bad)

# 6. pty session: typed lines, input recorded, exit
s = Session(mode="shell", use_pty=True)
time.sleep(0.5)
os.write(s.master, b"echo typed-$((40+2))\r")
time.sleep(0.5)
os.write(s.master, b"exit 5\r")
out, err, last = s.finish()
check("pty-output", b"typed-42" in out, repr(out[-200:]))
check("pty-exit-status", last == "exit status=5\n", repr(last))
check("pty-typed-command", wait_for(lambda: got("command", kind="typed", line="echo typed-$((40+2))")),
      str([f for v, f in reqs if v == "command"]))

# 7. recorder killed mid-session: user's session ends; recovered at restart
s = Session(cmd="sleep 30")
time.sleep(0.5)
lst = ctl("list"); sid = lst.split("id=")[1].split(" ")[0] if "id=" in lst else "?"
jr.kill(); jr.wait()
t0 = time.time()
out, err, last = s.finish(secs=5)
check("killed-recorder-ends-user-session", last == "" and time.time() - t0 < 4, repr(last))
subprocess.run(["pkill", "-f", "fake-dropbearmulti dbclient"], check=False)
jr = start()
check("restart-recovers", wait_for(lambda: got("rec_end", session=sid, reason="recovered")), str(reqs[-3:]))
check("restart-live-cleared", wait_for(lambda: os.listdir(os.path.join(state, "live")) == []), "live left")
# stopped (SIGTERM): live sessions end as recorder-gone, audited, the stub told
s = Session(cmd="sleep 30")
time.sleep(0.5)
jr.terminate()
out, err, last = s.finish(secs=10)
jr.wait()
check("stopped-recorder-ends-sessions", last == "end reason=recorder-gone\n" and b"recorder stopped" in err, repr((last, err)))
check("stopped-recorder-rec-end", got("rec_end", reason="recorder-gone"), str(reqs[-2:]))

# 7b. a slow jumpd (its round's fdatasync, a busy disk) holds up no session's bytes: the marks and
# typed COMMANDs are asked by the audit worker, off the pump
def gaps(sess, secs=15):
    """the user's output with the longest pause between two reads"""
    fds = [sess.o_r, sess.s.fileno()]; out = b""; last = None; worst = 0.0; end = time.time() + secs
    while fds and time.time() < end:
        r, _, _ = select.select(fds, [], [], 0.2)
        for fd in r:
            b = os.read(fd, 65536)
            if not b:
                fds.remove(fd); continue
            if fd == sess.o_r:
                now = time.time()
                if last is not None:
                    worst = max(worst, now - last)
                last = now; out += b
    return out, worst
jr = start()
slow["rec_mark"] = 2.5
s = Session(cmd="for i in $(seq 1 30); do echo t$i; sleep 0.1; done")
out, worst = gaps(s)
sid_list = [f["session"] for v, f in reqs if v == "rec_start"]
sid = sid_list[-1] if sid_list else "?"
check("slow-jumpd-marks-hold-up-no-output", out.count(b"\n") == 30 and worst < 1.0,
      "%d lines, longest pause %.2f s (a mark answered after 2.5 s)" % (out.count(b"\n"), worst))
ends = wait_for(lambda: got("rec_end", session=sid), secs=10)
with reqs_lock:
    order = [v for v, f in reqs if f.get("session") == sid]
check("slow-jumpd-marks-asked-before-rec-end", "rec_mark" in order and ends and
      order.index("rec_end") > max(i for i, v in enumerate(order) if v == "rec_mark"), str(order))
slow["rec_mark"] = 0
slow["command"] = 2.5
s = Session(mode="shell", use_pty=True)
time.sleep(0.5)
os.write(s.master, b"echo first-$((1+1))\r")
time.sleep(0.1)
t0 = time.time()
os.write(s.master, b"echo second-$((2+2))\r")
seen = b""
while b"second-4" not in seen and time.time() - t0 < 5:
    r, _, _ = select.select([s.master], [], [], 0.2)
    if r:
        seen += os.read(s.master, 4096)
took = time.time() - t0
check("slow-jumpd-typed-command-holds-up-no-echo", b"second-4" in seen and took < 1.0,
      "second line's output after %.2f s (each COMMAND answered after 2.5 s)" % took)
os.write(s.master, b"exit 0\r")
out, err, last = s.finish(secs=15)
check("slow-jumpd-typed-commands-all-recorded", wait_for(lambda: got("command", kind="typed", line="echo second-$((2+2))"))
      and got("command", kind="typed", line="echo first-$((1+1))"), str([f for v, f in reqs if v == "command"][-3:]))
slow["command"] = 0
# fail closed through the worker: a refused mark ends the session (positive control: the sessions above)
deny_marks["v"] = True
s = Session(cmd="for i in $(seq 1 100); do echo d$i; sleep 0.1; done")
out, err, last = s.finish(secs=15)
deny_marks["v"] = False
check("refused-mark-ends-session", last == "end reason=audit-unavailable\n" and b"cannot be audited" in err,
      repr((last, err[-120:], out.count(b"\n"))))
# the worker gone: later marks are made inline, and say so
kids = subprocess.run(["pgrep", "-P", str(jr.pid)], capture_output=True, text=True).stdout.split()
workers = [k for k in kids if open("/proc/%s/cmdline" % k, "rb").read().split(b"\0")[0] == JUMPREC.encode()]
for k in workers:
    os.kill(int(k), signal.SIGKILL)
time.sleep(0.3)
s = Session(cmd="for i in $(seq 1 15); do echo w$i; sleep 0.1; done")
out, err, last = s.finish()
sid_list = [f["session"] for v, f in reqs if v == "rec_start"]
check("worker-gone-marks-inline", len(workers) == 1 and last == "exit status=0\n" and
      wait_for(lambda: got("rec_mark", session=sid_list[-1])), "workers %s, %r" % (workers, last))
check("worker-gone-said", "audit worker gone (it exited)" in open(os.path.join(tmp, "jumprec.log")).read(),
      "no line in jumprec's log")
jr.terminate(); jr.wait()

# 8. storage full: live session ended (-F 1), a new one refused; positive control first
jr = start(maxmb=1)
s = Session(cmd="head -c 3000000 /dev/zero | tr '\\0' x")
out, err, last = s.finish(secs=20)
check("storage-full-ends-live-session", last == "end reason=storage-full\n" and b"storage is full" in err, repr((last, err[-200:])))
s = Session(cmd="echo after")
out, err, last = s.finish()
check("storage-full-refuses-new", last == "end reason=storage-full\n", repr(last))
jr.terminate(); jr.wait()
os.unlink(os.path.join(state, "spool"))
# -F 0: the session goes on unrecorded
jr = start(maxmb=1, fail=0)
s = Session(cmd="head -c 3000000 /dev/zero | tr '\\0' x; echo done")
out, err, last = s.finish(secs=20)
check("storage-full-fail-open-keeps-session", last == "exit status=0\n" and out.endswith(b"done\n") and len(out) == 3000005,
      repr((last, len(out))))
jr.terminate(); jr.wait()
log = open(os.path.join(tmp, "jumprec.log")).read()
check("no-sanitizer-report", "AddressSanitizer" not in log and "runtime error" not in log,
      log[log.find("ERROR"):][:300] if "ERROR" in log else log[-300:])
print(log[-1500:] if failed else "", end="")
import shutil
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failed else 0)
