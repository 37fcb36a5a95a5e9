#!/bin/sh
# Owns: the boot-to-banner benchmark (`make bench`; not a timed test). Boots
# the image under QEMU, software emulation (TCG) unless JB_ACCEL says
# otherwise, the way tests/vm.sh does (q35, 512 MiB, 2 CPUs, virtio disk, net
# and rng, a config and a state volume), two ways:
#   kernel  direct kernel boot: -kernel images/jumpbox.efi (QEMU's default
#           firmware loads the bzImage; no disk boot, no EFI)
#   ovmf    the disk image images/jumpbox.img through OVMF (UEFI)
# each as a first boot (empty state volume: host keys generated) and a second
# boot (same volume, after a clean power-off), BENCH_BOOT_RUNS times (5).
# Per boot it measures, from the moment QEMU is started: the first console
# byte, init's first line (with the kernel's own uptime at that moment, which
# init prints), Dropbear's first line, the address configured (DHCP lease),
# "boot complete", and the first SSH-2.0 banner bytes on the forwarded port. Prints min / median / max of each.
# Usage: bench_boot.sh [kernel|ovmf ...]    (default: both)
# Env:   BENCH_BOOT_RUNS=N, BENCH_BOOT_LOG=DIR (consoles kept there),
#        BENCH_BOOT_EFI / BENCH_BOOT_IMG (other images), JB_ACCEL
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_BOOT_RUNS:-5}
EFI=${BENCH_BOOT_EFI:-$TOP/images/jumpbox.efi}
IMG=${BENCH_BOOT_IMG:-$TOP/images/jumpbox.img}
W=${BENCH_BOOT_LOG:-$TOP/out/bench/boot}
MODES=${*:-kernel ovmf}
[ -f "$EFI" ] && [ -f "$IMG" ] || { echo "bench_boot: build the image first (make)" >&2; exit 1; }
rm -rf "$W"; mkdir -p "$W"
ACCEL=$("$TOP/tests/accel.sh" 2> "$W/accel.log") || { cat "$W/accel.log" >&2; exit 1; }
echo "boot-to-banner: $(cat "$W/accel.log"), $RUNS runs per case, $(nproc) host CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

ssh-keygen -q -t ed25519 -N '' -C bench@jumpbox -f "$W/id_ed25519"
cat > "$W/jumpbox.conf" <<CONF
[system]
hostname = jumpbox-bench
[network]
interface = eth0
address = dhcp
[user bench]
key = $(cat "$W/id_ed25519.pub")
mfa = off
CONF
"$TOP/tests/volumes.sh" config "$W/jumpbox.conf" "$W/config.img"

python3 - "$ACCEL" "$RUNS" "$EFI" "$IMG" "$W" "$TOP/tests/volumes.sh" $MODES <<'PY'
import os, re, select, socket, statistics, subprocess, sys, threading, time

accel, runs, efi, img, work, volumes = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
modes = sys.argv[7:]
code, vars_ = "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def qemu_args(mode, port, state, tag):
    a = ["qemu-system-x86_64", "-machine", "q35,accel=" + accel, "-m", "512", "-smp", "2",
         "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
         "-monitor", "unix:%s/%s.mon,server,nowait" % (work, tag)]
    if mode == "ovmf":
        vf = "%s/%s.vars.fd" % (work, tag)
        subprocess.run(["cp", vars_, vf], check=True)
        a += ["-drive", "if=pflash,format=raw,readonly=on,file=" + code,
              "-drive", "if=pflash,format=raw,file=" + vf,
              "-drive", "if=none,id=boot,format=raw,readonly=on,file=" + img,
              "-device", "virtio-blk-pci,drive=boot,bootindex=0"]
    else:
        a += ["-kernel", efi]
    a += ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:22" % port,
          "-device", "virtio-net-pci,netdev=n0,romfile=", "-device", "virtio-rng-pci",
          "-drive", "if=none,id=cfg,format=raw,readonly=on,file=%s/config.img" % work,
          "-device", "virtio-blk-pci,drive=cfg",
          "-drive", "if=none,id=state,format=raw,file=" + state, "-device", "virtio-blk-pci,drive=state",
          "-no-reboot"]
    return a

MARKS = [("kernel", re.compile(rb"Linux version")),
         ("init", re.compile(rb"jumpinit: jumpbox starting")),
         ("sshd", re.compile(rb"Not backgrounding")),
         ("address", re.compile(rb"jumpinit: (dhcp: bound|net: .* static)")),
         ("complete", re.compile(rb"jumpinit: boot complete"))]
UPTIME = re.compile(rb"jumpinit: jumpbox starting.*kernel up ([0-9.]+) s")

def banner_probe(port, t0, deadline):
    """A new connection every 200 ms, each given 1.2 s to show bytes: before
    the guest listens (or has its address), QEMU's slirp accepts and then
    closes or stalls (its SYN to the guest retried seconds later), so an old
    connection is no evidence; once Dropbear listens, its child for a new
    connection sends the banner within a few hundred ms."""
    conns = []
    nxt = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= nxt:
            s = socket.socket(); s.setblocking(False)
            try: s.connect_ex(("127.0.0.1", port))
            except OSError: pass
            conns.append((s, now)); nxt = now + 0.2
        r = select.select([c for c, _ in conns], [], [], 0.02)[0]
        for c in r:
            try: d = c.recv(64)
            except OSError: d = b""
            if d.startswith(b"SSH-2.0"):
                t = time.monotonic() - t0
                for x, _ in conns: x.close()
                return t
            conns = [(x, ts) for x, ts in conns if x is not c]; c.close()
        keep = []
        for c, ts in conns:
            if now - ts > 1.2: c.close()
            else: keep.append((c, ts))
        conns = keep
    for c, _ in conns: c.close()
    return None

def one_boot(mode, kind, run, state):
    tag = "%s-%s-%d" % (mode, kind, run)
    port = free_port()
    log = open("%s/%s.console" % (work, tag), "wb")
    t0 = time.monotonic()
    p = subprocess.Popen(qemu_args(mode, port, state, tag), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=open("%s/%s.err" % (work, tag), "wb"))
    res = {}
    def reader():
        first = True
        buf = b""
        for line in iter(p.stdout.readline, b""):
            t = time.monotonic() - t0
            if first: res["console"] = t; first = False
            log.write(b"[%8.3f] " % t + line); log.flush()
            for name, rx in MARKS:
                if name not in res and rx.search(line): res[name] = t
            m = UPTIME.search(line)
            if m: res["init_uptime"] = float(m.group(1))
    th = threading.Thread(target=reader, daemon=True); th.start()
    res["banner"] = banner_probe(port, t0, t0 + 180)
    # wait for "boot complete", then a clean power-off (the second boot finds a clean volume)
    end = time.monotonic() + 60
    while "complete" not in res and time.monotonic() < end and p.poll() is None: time.sleep(0.1)
    try:
        m = socket.socket(socket.AF_UNIX); m.connect("%s/%s.mon" % (work, tag))
        m.sendall(b"system_powerdown\n"); m.close()
        p.wait(timeout=30)
    except Exception:
        p.kill(); p.wait()
    th.join(timeout=5); log.close()
    return res

rows = {}
for mode in modes:
    for run in range(runs):
        state = "%s/state-%s-%d.img" % (work, mode, run)
        subprocess.run([volumes, "state", state], check=True)
        for kind in ("first", "second"):
            r = one_boot(mode, kind, run, state)
            rows.setdefault((mode, kind), []).append(r)
            fmt = lambda k: ("%6.2f" % r[k]) if r.get(k) is not None else "     -"
            print("  %-6s %-6s run %d: console %s  init %s (kernel up %s)  sshd %s  address %s  banner %s  complete %s" %
                  (mode, kind, run + 1, fmt("console"), fmt("init"), fmt("init_uptime"), fmt("sshd"), fmt("address"),
                   fmt("banner"), fmt("complete")),
                  flush=True)
        os.unlink(state)

print()
print("seconds from QEMU start       min  median     max   (n)")
for (mode, kind), rs in rows.items():
    for key, label in (("console", "first console byte"), ("init", "init's first line"),
                       ("init_uptime", "  kernel's uptime then"), ("sshd", "Dropbear started"),
                       ("address", "address configured"), ("banner", "SSH-2.0 banner"),
                       ("complete", "boot complete")):
        v = [r[key] for r in rs if r.get(key) is not None]
        if not v: continue
        print("%-6s %-6s %-22s %6.2f %7.2f %7.2f   (%d)" % (mode, kind, label, min(v), statistics.median(v), max(v), len(v)))
PY
