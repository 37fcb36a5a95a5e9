#!/usr/bin/env python3
# tests/host/echo_latency.py: keystroke echo latency through an SSH session
# on a pty (for tests/host/bench_recording.sh). Runs the client, waits for
# the remote `cat` (a marker typed until it comes back), then sends N single
# keys, one at a time, each timed until its echo is read; prints
# "p50 US p99 US max US n N". A key whose echo does not come within 2 s
# fails the run with the reason.
# Usage: echo_latency.py N -- ARGV...
import os, pty, select, sys, time

n = int(sys.argv[1])
argv = sys.argv[sys.argv.index("--") + 1:]
pid, master = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

def read_until(token, limit):
    buf = b""
    end = time.time() + limit
    while token not in buf:
        left = end - time.time()
        if left <= 0 or not select.select([master], [], [], left)[0]:
            return None
        try:
            data = os.read(master, 65536)
        except OSError:
            return None
        if not data:
            return None
        buf += data
    return buf

# the session is up once a typed line comes back from the remote cat
deadline = time.time() + 30
while True:
    os.write(master, b"ready\r")
    if read_until(b"ready", 2) is not None:
        break
    if time.time() > deadline:
        sys.exit("echo_latency: the session did not echo within 30 s")
time.sleep(0.5)
select.select([master], [], [], 0.2) and os.read(master, 65536)
samples = []
for i in range(n):
    key = b"abcdefghijklmnopqrstuvwxyz"[i % 26:i % 26 + 1]
    t0 = time.perf_counter_ns()
    os.write(master, key)
    if read_until(key, 2) is None:
        sys.exit("echo_latency: key %d had no echo within 2 s" % i)
    samples.append((time.perf_counter_ns() - t0) // 1000)
    time.sleep(0.005)
os.write(master, b"\r\x04")
samples.sort()
q = lambda p: samples[min(len(samples) - 1, int(len(samples) * p))]
print("p50 %d p99 %d max %d n %d" % (q(0.50), q(0.99), samples[-1], len(samples)))
try:
    os.kill(pid, 15)
except OSError:
    pass
