#!/usr/bin/python3
# tests/host/sshload.py: the load generator of the scale suite and bench
# (tests/host/scale.sh, tests/host/bench_scale.sh), on Debian's asyncssh: many
# real SSH clients from one process, spread over source addresses.
#   hold      N sessions, each with one direct-tcpip channel (`ssh -J`'s) to an
#             echo target carrying some bytes; held until the trigger file
#             appears, then all closed in the same instant
#   chanburst M sessions first, then one channel on each at the same moment:
#             the latency of each channel open (request to first echoed byte)
#   burst     N logins at the same moment (from one address: an office's NAT)
#   flood     N TCP connections that never speak SSH, held open: how many the
#             server turned away, and with what line
# Prints one JSON object on stdout: counts, errors by kind, latencies (ms).
import argparse, asyncio, json, os, socket, sys, time, warnings

warnings.filterwarnings("ignore")
import asyncssh  # noqa: E402


def pct(v, p):
    v = sorted(v)
    return round(v[min(len(v) - 1, int(len(v) * p))], 2) if v else None


def lat(v):
    return {"n": len(v), "p50": pct(v, 0.5), "p90": pct(v, 0.9), "p99": pct(v, 0.99),
            "max": round(max(v), 2) if v else None}


def kind(e):
    s = str(e) or type(e).__name__
    return s[:80]


class Load:
    def __init__(self, a):
        self.a = a
        self.srcs = a.srcs.split(",")
        self.errors = {}

    def err(self, where, e):
        k = where + ": " + kind(e)
        self.errors[k] = self.errors.get(k, 0) + 1

    async def connect(self, i):
        return await asyncssh.connect(
            self.a.host, self.a.port, username=self.a.user, client_keys=[self.a.key],
            known_hosts=None, local_addr=(self.srcs[i % len(self.srcs)], 0),
            login_timeout=self.a.timeout, keepalive_interval=0)

    async def channel(self, conn):
        th, tp = self.a.target.rsplit(":", 1)
        reader, writer = await conn.open_connection(th, int(tp))
        writer.write(b"x" * self.a.bytes)
        await reader.readexactly(self.a.bytes)
        return reader, writer

    async def sessions(self, n, with_channel):
        sem = asyncio.Semaphore(self.a.concurrency)
        held = [None] * n

        async def one(i):
            async with sem:
                try:
                    conn = await self.connect(i)
                except Exception as e:  # noqa: BLE001 (every failure is counted by kind)
                    self.err("login", e)
                    return
                try:
                    if with_channel:
                        await asyncio.wait_for(self.channel(conn), self.a.timeout)
                    held[i] = conn
                except Exception as e:  # noqa: BLE001
                    self.err("channel", e)
                    conn.close()
        await asyncio.gather(*(one(i) for i in range(n)))
        return [c for c in held if c]

    async def wait_trigger(self):
        while self.a.trigger and not os.path.exists(self.a.trigger):
            await asyncio.sleep(0.05)

    async def close_all(self, conns):
        t0 = time.monotonic()
        for c in conns:
            c.close()
        await asyncio.gather(*(c.wait_closed() for c in conns), return_exceptions=True)
        return (time.monotonic() - t0) * 1000

    async def hold(self):
        t0 = time.monotonic()
        conns = await self.sessions(self.a.n, True)
        opened_s = time.monotonic() - t0
        print("HELD %d" % len(conns), file=sys.stderr, flush=True)
        if self.a.ready:
            with open(self.a.ready, "w") as f:
                f.write("%d\n" % len(conns))
        await self.wait_trigger()
        close_ms = await self.close_all(conns)
        return {"mode": "hold", "asked": self.a.n, "held": len(conns), "open_s": round(opened_s, 2),
                "close_ms": round(close_ms, 1)}

    async def chanburst(self):
        conns = await self.sessions(self.a.n, False)
        times, chans = [], []
        await self.wait_trigger()

        async def one(c):
            t = time.monotonic()
            try:
                chans.append(await asyncio.wait_for(self.channel(c), self.a.timeout))
                times.append((time.monotonic() - t) * 1000)
            except Exception as e:  # noqa: BLE001
                self.err("channel", e)
        t0 = time.monotonic()
        await asyncio.gather(*(one(c) for c in conns))
        wall = (time.monotonic() - t0) * 1000
        await self.close_all(conns)
        return {"mode": "chanburst", "sessions": len(conns), "opened": len(times), "wall_ms": round(wall, 1),
                "latency_ms": lat(times)}

    async def burst(self):
        times = []

        async def one(i):
            t = time.monotonic()
            try:
                c = await self.connect(i)
                times.append((time.monotonic() - t) * 1000)
                c.close()
                await c.wait_closed()
            except Exception as e:  # noqa: BLE001
                self.err("login", e)
        t0 = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(self.a.n)))
        return {"mode": "burst", "asked": self.a.n, "in": len(times), "refused": self.a.n - len(times),
                "wall_ms": round((time.monotonic() - t0) * 1000, 1), "latency_ms": lat(times)}

    async def flood(self):
        loop = asyncio.get_running_loop()
        socks, said = [], {}
        for i in range(self.a.n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.bind((self.srcs[i % len(self.srcs)], 0))
            try:
                await asyncio.wait_for(loop.sock_connect(s, (self.a.host, self.a.port)), 5)
                socks.append(s)
            except Exception as e:  # noqa: BLE001
                self.err("connect", e)
                s.close()
        if self.a.ready:
            with open(self.a.ready, "w") as f:
                f.write("%d\n" % len(socks))
        await asyncio.sleep(self.a.hold_s)
        turned_away = 0
        for s in socks:  # closed by the server, and what it said first
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            line = data.split(b"\n")[0].strip().decode("ascii", "replace")[:100]
            if not line.startswith("SSH-"):
                turned_away += 1
                said[line or "(closed)"] = said.get(line or "(closed)", 0) + 1
        await self.wait_trigger()
        for s in socks:
            s.close()
        return {"mode": "flood", "asked": self.a.n, "connected": len(socks), "turned_away": turned_away,
                "said": said}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["hold", "chanburst", "burst", "flood"])
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=22)
    p.add_argument("--user", default="gina")
    p.add_argument("--key")
    p.add_argument("--srcs", required=True, help="source addresses, comma-separated (round robin)")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--target", default="10.89.2.9:7", help="the channel's host:port (an echo server)")
    p.add_argument("--bytes", type=int, default=100)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--trigger", help="hold until this file exists")
    p.add_argument("--ready", help="write the number held to this file once all are up")
    p.add_argument("--hold-s", type=float, default=1.0, dest="hold_s")
    a = p.parse_args()
    if a.key:
        a.key = asyncssh.read_private_key(a.key)
    load = Load(a)
    out = asyncio.run(getattr(load, a.mode)())
    out["errors"] = load.errors
    print(json.dumps(out))


if __name__ == "__main__":
    main()
