#!/usr/bin/env python3
"""A user's own process asking jumpd for a channel (as `ssh -J`'s connection
process does), and meanwhile trying to reach the target itself: did a
connection get through before the answer, and is it still carried after?
Usage: af_client.py USER ADDR PORT HOLD_S [N [REQUEST]]   (prints sent, reply,
reply2..replyN, through, sport, alive). N: that many requests on as many
connections, all sent before any answer is read (with jumpd stopped, they
are served in one round); REQUEST: the line instead of a channel of USER's
(the recorder's rec_open)."""
import select, socket, sys, time

user, addr, port, hold = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
n = int(sys.argv[5]) if len(sys.argv) > 5 else 1
line = sys.argv[6] if len(sys.argv) > 6 else "channel user=%s host=t1 port=22 conn=1" % user
js = []
for _ in range(n):
    js.append(socket.socket(socket.AF_UNIX))
    js[-1].connect("/run/jumpd/auth.sock")
    js[-1].sendall((line + "\n").encode())
j = js[0]
print("sent", n)
sys.stdout.flush()
through, tries, reply = None, 0, b""
deadline = time.time() + 20
while time.time() < deadline:
    if select.select([j], [], [], 0.05)[0]:
        reply = j.recv(512)
        break
    if through is None:  # the window: is the target reachable before the answer?
        s = socket.socket()
        s.settimeout(0.3)
        try:
            s.connect((addr, port))
            through = s
        except OSError:
            s.close()
        tries += 1
print("reply", reply.decode().strip() or "none")
for i, o in enumerate(js[1:], 2):
    o.settimeout(max(0.1, deadline - time.time()))
    try:
        r = o.recv(512)
    except OSError:
        r = b""
    print("reply%d" % i, r.decode().strip() or "none")
print("through-before-reply", "yes" if through else "no", tries)
conn = through
if conn is None and reply.startswith(b"allow"):
    conn = socket.create_connection((addr, port), timeout=3)
print("sport", conn.getsockname()[1] if conn else "-")
sys.stdout.flush()
alive = "no"
if conn:  # still carried? the target's sshd answers a client banner at once
    time.sleep(0.2)
    conn.setblocking(False)
    try:  # what came before (sshd's own banner, sent on connect) does not count
        while conn.recv(4096):
            pass
    except OSError:
        pass
    conn.settimeout(3)
    try:
        conn.sendall(b"SSH-2.0-probe\r\n")
        alive = "yes" if conn.recv(64) else "no"
    except OSError:
        pass
print("alive", alive)
sys.stdout.flush()
time.sleep(hold)
