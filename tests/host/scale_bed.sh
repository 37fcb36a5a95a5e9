# tests/host/scale_bed.sh: what the scale suite (scale.sh) and the scale
# bench (bench_scale.sh) share, sourced after topology.sh: NSRC extra client
# addresses (10.89.1.10 on), an echo server on 10.89.2.9:7 in the target
# namespace (the channels' target), jumpd restarted with that target granted
# to gina and [ssh] channels-per-user = PER_USER, and helpers: LOAD (the
# asyncssh load generator, tests/host/sshload.py), wait_for, count,
# restart_dropbear.
LOAD="ip netns exec $C /usr/bin/python3 $TOP/tests/host/sshload.py --host $BASTION --key $T/id"
NSRC=${NSRC:-10}
SRCS=$(seq -s, -f '10.89.1.%g' 10 $((9 + NSRC)))
for i in $(seq 10 $((9 + NSRC))); do ip -n $C addr add 10.89.1.$i/24 dev jbm-cb 2>/dev/null; done
ip -n $TG addr add 10.89.2.9/24 dev jbm-tb 2>/dev/null
cat > "$T/echo.py" <<'EOF'
import asyncio, sys
async def echo(r, w):
    try:
        while (d := await r.read(65536)):
            w.write(d)
            await w.drain()
    except ConnectionError:
        pass
    w.close()
async def main():
    s = await asyncio.start_server(echo, sys.argv[1], int(sys.argv[2]), backlog=4096)
    await s.serve_forever()
asyncio.run(main())
EOF
ip netns exec $TG /usr/bin/python3 "$T/echo.py" 10.89.2.9 7 > "$T/echo.log" 2>&1 &
echo $! > "$T/echo.run"
# jumpd with the echo target granted to gina (mfa = off) and a site share per user
{ cat "$T/jumpbox.conf"; printf '[ssh]\nchannels-per-user = %s\n' "${PER_USER:-1000}"
  printf '[target sink]\naddress = 10.89.2.9\nport = 7\nsegment = lab\n[grant gina-sink]\nto = user:gina\ntarget = sink\n'; } > "$T/scale.conf"
chown $JUMPD_UID:$JUMPD_UID "$T/scale.conf"; chmod 600 "$T/scale.conf"
stop_jumpd
JCONF=$T/scale.conf start_jumpd || fail scale/jumpd-starts "$(tail -3 "$T/jumpd.log")"
SPOOL=$T/state/audit.spool
# wait_for SECONDS COMMAND...: polls until the shell condition holds
wait_for() { t=$1; shift; i=0; while [ $i -lt $((t * 10)) ]; do eval "$@" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
count() { grep -c "$1" "$SPOOL"; }
# restart_dropbear [OPTIONS]: the listener again, with extra options (sessions live on)
restart_dropbear() {
	kill "$(cat "$T/dropbear.run")" 2>/dev/null; wait "$(cat "$T/dropbear.run")" 2>/dev/null
	n0=$(grep -c "Pre-auth admission:" "$T/dropbear.log")
	nsenter -t "$(cat "$T/ns.pid")" -m -n -- setpriv --reuid $SSHD_UID --regid $SSHD_UID --init-groups --no-new-privs \
		--inh-caps $CAPS --ambient-caps $CAPS \
		"$BIN/dropbearmulti" dropbear -F -E -w -p $BASTION:22 -r "$T/hostkey" -P /run/sshd/dropbear.pid "$@" \
		2>> "$T/dropbear.log" &
	echo $! > "$T/dropbear.run"
	wait_for 10 '[ "$(grep -c "Pre-auth admission:" "$T/dropbear.log")" -gt "$n0" ]'
}

