#!/bin/sh
# Owns: the audit shipping tests with a real collector. Debian's rsyslog
# (imtcp, gtls driver, TLS only, client certificates required) runs in a
# collector network namespace with its own config and work dir, and stores
# each message verbatim (%rawmsg%: the hash chain can be verified on it) and
# parsed (pmrfc5424: MSGID, structured data). The static jumpship the image
# ships runs in a bastion namespace as its own uid, reading the spool through
# jumpd's group; spoolgen writes the spool as jumpd does (same format, group
# commit). Certificates, the good ones and the bad, are made here by openssl.
# Usage: ship.sh          the tests
#        ship.sh bench    events/s and p99 latency event->collector at 20,000/s
#                         and as fast as possible, against rsyslog as the shipper
#                         (imfile + omfwd/gtls); shipper memory with a 500k backlog
#                         (BENCH_SHIP=PATH: bench another jumpship build, e.g. one from
#                         before a change, against the same rsyslog)
set -u
MODE=${1:-test}
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/ship-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/ship
BIN=$TOP/out/bin
NS=${JB_NS:-jbm}; B=$NS-sb C=$NS-sc  # JB_NS: as in tests/host/topology.sh
BASTION=10.89.5.1 COLLECTOR=10.89.5.2
JUMPD_UID=103 SHIP_UID=105
NAME=collector.test

make -s -C "$TOP" out/bin/jumpship out/host/jumpctl out/test/spoolgen out/test/recgen > "$TOP/out/test/ship-build.log" 2>&1 ||
	{ fail ship/build "$(tail -3 "$TOP/out/test/ship-build.log" | tr '\n' ' ')"; results_summary; exit 0; }
SHIP=${BENCH_SHIP:-$BIN/jumpship} GEN=$TOP/out/test/spoolgen VERIFY=$TOP/out/host/jumpctl RECGEN=$TOP/out/test/recgen

cleanup() {
	for p in "$T"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	for n in $B $C; do ip netns del $n 2>/dev/null; done
	return 0
}
cleanup
rm -rf "$T"; mkdir -p "$T/pki"
trap cleanup EXIT

# ---- topology: bastion -- collector
for n in $B $C; do ip netns add $n; ip -n $n link set lo up; done
ip link add jbs-bc netns $B type veth peer name jbs-cb netns $C
ip -n $B addr add $BASTION/24 dev jbs-bc; ip -n $C addr add $COLLECTOR/24 dev jbs-cb
ip -n $B link set jbs-bc up; ip -n $C link set jbs-cb up

# ---- certificates: CA, a second unrelated CA, server (good, wrong name,
# expired, from the other CA, RSA), clients (EC and RSA)
P=$T/pki
cat > "$P/ca.cnf" <<EOF
[ca]
default_ca = local
[local]
dir = $P
database = $P/index.txt
unique_subject = no
new_certs_dir = $P
serial = $P/serial
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
EOF
: > "$P/index.txt"; echo 1000 > "$P/serial"
mkca() { # NAME CN
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$P/$1.key" \
		-out "$P/$1.pem" -days 30 -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
mkcert() { # NAME CA DNSNAME KEYSPEC [STARTDATE ENDDATE]
	openssl req -new -newkey $4 -nodes -keyout "$P/$1.key" -out "$P/$1.csr" -subj "/CN=$3" \
		-addext "subjectAltName=DNS:$3" 2>/dev/null
	if [ $# -ge 6 ]; then dates="-startdate $5 -enddate $6"; else dates="-days 30"; fi
	openssl ca -batch -config "$P/ca.cnf" -cert "$P/$2.pem" -keyfile "$P/$2.key" $dates \
		-in "$P/$1.csr" -out "$P/$1.pem" -notext > "$P/$1.log" 2>&1
}
EC="ec -pkeyopt ec_paramgen_curve:P-256"
mkca ca "jumpbox test CA"
mkca otherca "some other CA"
mkcert server ca $NAME "$EC"
mkcert wrongname ca other.test "$EC"
mkcert expired ca $NAME "$EC" 20200101000000Z 20210101000000Z
mkcert foreign otherca $NAME "$EC"
mkcert serverrsa ca $NAME rsa:2048
mkcert client ca bastion-test "$EC"
mkcert clientrsa ca bastion-test rsa:2048
for f in server wrongname expired foreign serverrsa client clientrsa; do
	[ -s "$P/$f.pem" ] || { fail ship/certificates "$f: $(tail -2 "$P/$f.log")"; results_summary; exit 0; }
done
chmod 644 "$P"/*.key # the test's throwaway keys: readable by the shipper's uid

# ---- the collector: rsyslog, one instance per NAME (own config, work dir, port)
QUEUE=Direct
# start_collector NAME PORT CERT [plain | GNUTLS-PRIORITY (the suites it accepts)]
start_collector() {
	name=$1 port=$2 cert=$3 W=$T/col-$1
	mkdir -p "$W"
	if [ "${4:-}" = plain ]; then
		net='module(load="imtcp")
input(type="imtcp" port="'$port'" address="'$COLLECTOR'")'
	else
		prio=${4:+gnutlsPriorityString=\"$4\"}
		net='global(DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="'$P/ca.pem'"
       DefaultNetstreamDriverCertFile="'$P/$cert.pem'" DefaultNetstreamDriverKeyFile="'$P/$cert.key'")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid" '$prio')
input(type="imtcp" port="'$port'" address="'$COLLECTOR'")'
	fi
	cat > "$W/rsyslog.conf" <<EOF
global(workDirectory="$W" maxMessageSize="64k")
# what was read is written before more is read: a restart loses only what
# sits in the socket buffer, which the shipper's resend margin covers
main_queue(queue.type="$QUEUE")
$net
template(name="raw" type="string" string="%rawmsg%\n")
template(name="parsed" type="string" string="%timegenerated:::date-rfc3339% %timereported:::date-rfc3339% %msgid% %structured-data%\n")
action(type="omfile" file="$W/raw.log" template="raw")
action(type="omfile" file="$W/parsed.log" template="parsed")
EOF
	ip netns exec $C rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslogd.pid" >> "$W/rsyslogd.log" 2>&1 &
	echo $! > "$T/col-$name.pid"
	for _ in $(seq 50); do
		ip netns exec $C ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN && return 0
		sleep 0.1
	done
	return 1
}
stop_collector() { # NAME
	[ -f "$T/col-$1.pid" ] || return 0
	pid=$(cat "$T/col-$1.pid"); kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$T/col-$1.pid"
}
stored() { n=$(grep -c 'sequenceId' "$T/col-$1/raw.log" 2>/dev/null); echo "${n:-0}"; }
seqs() { sed -n 's/.*\[meta sequenceId="\([0-9]*\)"\].*/\1/p' "$T/col-$1/raw.log" 2>/dev/null; }
distinct() { seqs "$1" | sort -un | wc -l; }

# ---- the bastion side: spool owned by jumpd (0640), shipper as its own uid in jumpd's group
# site_config FILE PORT SERVERNAME CLIENT
site_config() {
	{
		echo "[system]"; echo "hostname = bastion-test"
		echo "[syslog]"; echo "collector = $COLLECTOR"; echo "port = $2"; echo "server-name = $3"
		echo "ca = $P/ca.pem"
		[ -n "$4" ] && { echo "client-cert = $P/$4.pem"; echo "client-key = $P/$4.key"; }
	} > "$1"
}
gen() { # SPOOL ARGS...: spoolgen as jumpd's uid
	spool=$1; shift
	mkdir -p "$(dirname "$spool")"; chown $JUMPD_UID:$JUMPD_UID "$(dirname "$spool")"
	setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --clear-groups "$GEN" -f "$spool" "$@"
}
gen_bg() { # NAME SPOOL ARGS...: in the background, $T/NAME.pid is spoolgen itself (setpriv execs it)
	name=$1 spool=$2; shift 2
	mkdir -p "$(dirname "$spool")"; chown $JUMPD_UID:$JUMPD_UID "$(dirname "$spool")"
	setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --clear-groups "$GEN" -f "$spool" "$@" > "$T/$name.out" 2>&1 &
	echo $! > "$T/$name.pid"
}
# start_ship NAME CONFIG SPOOL [OPTIONS...]: state in $T/ship-NAME/{state,run}
start_ship() {
	name=$1 conf=$2 spool=$3; shift 3
	S=$T/ship-$name
	mkdir -p "$S/state" "$S/run"; chown -R $SHIP_UID:$SHIP_UID "$S"
	ip netns exec $B setpriv --reuid $SHIP_UID --regid $SHIP_UID --groups $JUMPD_UID --no-new-privs \
		"$SHIP" -c "$conf" -f "$spool" -s "$S/state" -r "$S/run" "$@" >> "$S/stderr" 2>&1 &
	echo $! > "$T/ship-$name.pid"
}
kill_ship() { # NAME [SIGNAL]
	[ -f "$T/ship-$1.pid" ] || return 0
	pid=$(cat "$T/ship-$1.pid"); kill -"${2:-TERM}" "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	rm -f "$T/ship-$1.pid"
}
status_of() { sed -n "s/^$2: //p" "$T/ship-$1/run/status" 2>/dev/null; }
wait_for() { # SECONDS CONDITION...: polls the condition every 0.2 s
	n=$(( $1 * 5 )); shift
	for _ in $(seq $n); do eval "$@" && return 0; sleep 0.2; done
	return 1
}
check() { # NAME CONDITION [DETAIL-COMMAND]
	if eval "$2"; then pass "ship/$1"; else fail "ship/$1" "$(eval "${3:-true}" 2>&1 | tr '\n' ' ' | cut -c1-300)"; fi
}

if [ "$MODE" = bench ]; then
	# latency and rate from a collector's parsed view: receive time minus
	# the record's own time stamp (written by spoolgen as it appends)
	cat > "$T/lat.py" <<'PY'
import sys, datetime
def t(s): return datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
lat, first, last, n = [], None, None, 0
start = float(sys.argv[2]) if len(sys.argv) > 2 else None
for line in open(sys.argv[1]):
    f = line.split(' ', 3)
    # sequenceId 1 was written before the run began: not part of it
    if len(f) < 4 or f[2] != 'BENCH' or '[meta sequenceId="1"]' in f[3]: continue
    g, r = t(f[0]), t(f[1])
    lat.append(g - r); n += 1
    first = r if first is None or r < first else first
    last = g if last is None or g > last else last
lat.sort()
if start is not None: first = start
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float('nan')
rate = n / (last - first) if n and last > first else 0
print("%d %.0f %.1f %.1f %.1f" % (n, rate, q(0.5), q(0.99), q(1.0) if lat else 0))
PY
	site_config "$T/bench.conf" 6520 $NAME client
	# rsyslog's default in-memory queue: the collector batches its writes, so
	# it is the shippers that are measured (no restarts here)
	QUEUE=LinkedList
	start_collector bench 6520 server; start_collector peer 6521 server
	report() { # LABEL COLLECTOR [START]
		set -- "$1" $(python3 "$T/lat.py" "$T/col-$2/parsed.log" ${3:-})
		printf '  %-34s %7d events  %6d events/s  latency p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n' "$@"
		echo "$3 $5" >> "$T/bench"   # events/s, p99
	}
	# the collector stores each record as the spool holds it: all there when
	# its file is as long as the spool (a size, not a grep: the poll must
	# not take the CPU the shippers are measured on)
	caught_up() { [ "$(stat -c %s "$T/col-$1/raw.log" 2>/dev/null || echo 0)" -ge "$(stat -c %s "$2")" ]; }
	cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
	hwm() { sed -n 's/^VmHWM:[ \t]*//p' "/proc/$1/status"; }
	: > "$T/bench"
	N=${BENCH_EVENTS:-200000} RATE=${BENCH_RATE:-20000} BACKLOG=${BENCH_BACKLOG:-500000}
	echo "Audit shipping: $N events at $RATE/s, then a $BACKLOG-record backlog as fast as possible"
	echo "(spoolgen writes the spool with group commit; collector: rsyslog imtcp/gtls in its own namespace)"

	# jumpship, steady stream
	gen "$T/b1/audit.spool" -n 1 > /dev/null  # the spool exists before the shipper starts
	start_ship b1 "$T/bench.conf" "$T/b1/audit.spool"
	wait_for 20 '[ "$(status_of b1 state)" = connected ]'
	gen "$T/b1/audit.spool" -n "$N" -r "$RATE" > "$T/gen-b1.out"
	wait_for 120 'caught_up bench "$T/b1/audit.spool"'
	sleep 1
	cpu=$(cpu_ms "$(cat "$T/ship-b1.pid")")
	report "jumpship  @${RATE}/s" bench
	echo "    (jumpship CPU ${cpu} ms for $N events: $((cpu * 1000 / N)) us/event; spoolgen: $(cat "$T/gen-b1.out" | sed 's/spoolgen: //'))"
	kill_ship b1

	# rsyslog as the shipper: imfile follows the spool, omfwd sends it over gtls
	peer_ship() { # NAME SPOOL
		W=$T/peer-$1; mkdir -p "$W"
		cat > "$W/rsyslog.conf" <<CONF
global(workDirectory="$W" maxMessageSize="64k" DefaultNetstreamDriver="gtls"
       DefaultNetstreamDriverCAFile="$P/ca.pem" DefaultNetstreamDriverCertFile="$P/client.pem"
       DefaultNetstreamDriverKeyFile="$P/client.key")
module(load="imfile")
template(name="line" type="string" string="%msg%")
ruleset(name="fwd") {
  action(type="omfwd" target="$COLLECTOR" port="6521" protocol="tcp" StreamDriver="gtls" StreamDriverMode="1"
         StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="$NAME" TCP_Framing="octet-counted" template="line")
}
input(type="imfile" File="$2" Tag="jumpd" ruleset="fwd")
CONF
		ip netns exec $B rsyslogd -n -f "$W/rsyslog.conf" -i "$W/pid" >> "$W/log" 2>&1 &
		echo $! > "$T/peer-$1.pid"
		sleep 1
	}
	gen "$T/p1/audit.spool" -n 1 > /dev/null
	rm -f "$T/col-peer/parsed.log" "$T/col-peer/raw.log"
	stop_collector peer; start_collector peer 6521 server
	peer_ship p1 "$T/p1/audit.spool"
	gen "$T/p1/audit.spool" -n "$N" -r "$RATE" > "$T/gen-p1.out"
	wait_for 120 'caught_up peer "$T/p1/audit.spool"'
	sleep 1
	cpu=$(cpu_ms "$(cat "$T/peer-p1.pid")")
	report "rsyslog (imfile+omfwd) @${RATE}/s" peer
	echo "    (rsyslog CPU ${cpu} ms for $N events: $((cpu * 1000 / N)) us/event)"
	kill "$(cat "$T/peer-p1.pid")"; rm -f "$T/peer-p1.pid"

	# a backlog, as fast as possible; memory must stay bounded
	gen "$T/b2/audit.spool" -n "$BACKLOG" > /dev/null
	cp "$T/b2/audit.spool" "$T/p2.spool"
	stop_collector bench; rm -rf "$T/col-bench"; start_collector bench 6520 server
	t_start=$(date +%s.%N)
	start_ship b2 "$T/bench.conf" "$T/b2/audit.spool"
	wait_for 300 'caught_up bench "$T/b2/audit.spool"'
	sleep 1
	pid=$(cat "$T/ship-b2.pid"); ship_hwm=$(hwm "$pid"); cpu=$(cpu_ms "$pid")
	report "jumpship  backlog" bench "$t_start"
	echo "    (jumpship CPU ${cpu} ms: $((cpu * 1000 / BACKLOG)) us/event; VmHWM with a $BACKLOG-record backlog ($(( $(stat -c %s "$T/b2/audit.spool") >> 20 )) MiB): $ship_hwm)"
	kill_ship b2
	stop_collector peer; rm -rf "$T/col-peer"; start_collector peer 6521 server
	t_start=$(date +%s.%N)
	peer_ship p2 "$T/p2.spool"
	wait_for 300 'caught_up peer "$T/p2.spool"'
	sleep 1
	pid=$(cat "$T/peer-p2.pid"); peer_hwm=$(hwm "$pid"); cpu=$(cpu_ms "$pid")
	report "rsyslog (imfile+omfwd) backlog" peer "$t_start"
	echo "    (rsyslog CPU ${cpu} ms: $((cpu * 1000 / BACKLOG)) us/event; VmHWM: $peer_hwm)"
	kill "$(cat "$T/peer-p2.pid")"; rm -f "$T/peer-p2.pid"
	# lines: jumpship steady, rsyslog steady, jumpship backlog, rsyslog backlog
	awk '{ rate[NR] = $1; p99[NR] = $2 } END {
		if (p99[2] > 0 && rate[4] > 0)
			printf "  ratio jumpship / rsyslog: steady p99 latency %.2f (lower is better), backlog events/s %.2f (higher is better)\n",
				p99[1] / p99[2], rate[3] / rate[4] }' "$T/bench"
	"$VERIFY" audit-verify "$T/col-bench/raw.log" | sed 's/^/  collector trail: /'
	exit 0
fi

# ---- config: [syslog] refused when wrong, with file:line
printf '[syslog]\ncollector = collector.example\n' > "$T/bad.conf"
"$SHIP" -c "$T/bad.conf" -f /nonexistent -s "$T" -r "$T" > "$T/bad.out" 2>&1; rc=$?
check bad-config-refused '[ $rc != 0 ] && grep -q "bad.conf:2: bad collector" "$T/bad.out"' 'cat "$T/bad.out"'

# ---- events arrive, parse as RFC 5424, the host verifier accepts the stored file
start_collector main 6514 server || fail ship/collector-starts "$(tail -3 "$T/col-main/rsyslogd.log")"
site_config "$T/ec.conf" 6514 $NAME client
SP1=$T/spool1/audit.spool
gen "$SP1" -n 1000 > "$T/gen1.out"
# a small resend margin, so that this short run moves the cursor
start_ship basic "$T/ec.conf" "$SP1" -j "$T/no-jumpd.sock" -m 100000
wait_for 20 '[ "$(stored main)" -ge 1000 ]'
check spool-mode-0640-shipper-reads-as-own-uid '[ "$(stat -c %a "$SP1")" = 640 ] && [ "$(stored main)" -ge 1000 ]' \
	'stat -c %a "$SP1"; tail -3 "$T/ship-basic/stderr"'
check events-arrive-all-1000 '[ "$(distinct main)" = 1000 ]' 'echo "distinct $(distinct main)"; tail -3 "$T/ship-basic/stderr"'
n_parsed=$(awk '$3 == "BENCH" && $4 ~ /^\[origin/ && $0 ~ /\[meta sequenceId="[0-9]+"\]\[jumpbox@32473 prev="[0-9a-f]+" user="/' "$T/col-main/parsed.log" | wc -l)
check collector-parses-rfc5424-msgid-and-structured-data '[ "$n_parsed" -ge 1000 ]' 'echo "parsed $n_parsed"; head -2 "$T/col-main/parsed.log"'
"$VERIFY" audit-verify "$T/col-main/raw.log" > "$T/verify1.out" 2>&1; rc=$?
check host-verifier-accepts-stored-trail '[ $rc = 0 ] && grep -q "sequenceId 1..1000, .*: intact" "$T/verify1.out"' 'cat "$T/verify1.out"'
check host-verifier-is-a-glibc-build 'file "$VERIFY" | grep -q "interpreter /lib64/ld-linux-x86-64.so.2"'
wait_for 5 '[ "$(status_of basic acked_seq)" = 1000 ]'
check status-file-connected-and-acked '[ "$(status_of basic state)" = connected ] && [ "$(status_of basic acked_seq)" = 1000 ] && [ "$(status_of basic backlog_records)" = 0 ]' \
	'cat "$T/ship-basic/run/status"'
check jumpd-absent-shipping-goes-on 'grep -q "could not tell jumpd" "$T/ship-basic/stderr"' 'cat "$T/ship-basic/stderr"'
kill_ship basic
cseq=$(sed -n 's/^jumpship-cursor 1 seq=\([0-9]*\) offset=[0-9]* hash=[0-9a-f]\{64\}$/\1/p' "$T/ship-basic/state/cursor" 2>/dev/null)
# delivered = acknowledged by the collector's TCP, and 100000 bytes more after it
check cursor-stored-on-stop-minus-margin '[ "${cseq:-0}" -ge 500 ] && [ "$cseq" -le 700 ]' \
	'cat "$T/ship-basic/state/cursor"'

# ---- a stopped shipper first sends what the spool got last: at a shutdown jumpd
# writes its last records (JUMPD_STOP) as jumpship is told to stop too
# (the 5,000 records land in one append, as a burst would, just before the stop)
SPD=$T/spool-drain/audit.spool
gen "$T/spool-drain-all/audit.spool" -n 5001 -H drainhost > /dev/null
mkdir -p "$T/spool-drain"; chown $JUMPD_UID:$JUMPD_UID "$T/spool-drain"
head -1 "$T/spool-drain-all/audit.spool" > "$SPD"; chown $JUMPD_UID:$JUMPD_UID "$SPD"; chmod 640 "$SPD"
tail -n +2 "$T/spool-drain-all/audit.spool" > "$T/drain.burst"
start_ship drain "$T/ec.conf" "$SPD" -j "$T/no-jumpd.sock"
wait_for 20 '[ "$(status_of drain acked_seq)" = 1 ]'
drained() { grep -c " drainhost " "$T/col-main/raw.log"; }
cat "$T/drain.burst" >> "$SPD"
t0=$(date +%s%N); kill_ship drain; t1=$(date +%s%N)
wait_for 10 '[ "$(drained)" -ge 5001 ]'
check stopped-shipper-sends-the-last-records-first '[ "$(drained)" -ge 5001 ] && grep -q "stopped; delivered" "$T/ship-drain/stderr"' \
	'echo "collector has $(drained) of 5001; stop took $(( (t1 - t0) / 1000000 )) ms"; tail -2 "$T/ship-drain/stderr"'
echo "  (5,000 records appended just before the stop: $(drained) of 5,001 at the collector; the stop took $(( (t1 - t0) / 1000000 )) ms)"

# ---- the verifier finds a record altered, removed, reordered in the stored file
head -1000 "$T/col-main/raw.log" > "$T/trail"
sed '10s/user="user9"/user="user0"/' "$T/trail" > "$T/trail.altered"
sed '20d' "$T/trail" > "$T/trail.removed"
awk 'NR == 30 { held = $0; next } { print } NR == 31 { print held }' "$T/trail" > "$T/trail.reordered"
for v in altered:"break: sequenceId 11 does not chain to 10" removed:"gap: sequenceId 20..20 missing" \
	reordered:"sequenceId 30 arrives after 31 (reordered)"; do
	k=${v%%:*} want=${v#*:}
	"$VERIFY" audit-verify "$T/trail.$k" > "$T/verify-$k.out" 2>&1; rc=$?
	check "verifier-finds-record-$k" '[ $rc = 1 ] && grep -qF "$want" "$T/verify-$k.out" && ! cmp -s "$T/trail" "$T/trail.$k"' 'cat "$T/verify-$k.out"'
done

# ---- collectors that must not be trusted: no connection, records stay spooled, alarm
start_collector foreign 6601 foreign; start_collector wrongname 6602 wrongname
start_collector expired 6603 expired; start_collector plain 6604 - plain
sum0=$(sha256sum < "$SP1")
for b in foreign:6601 wrongname:6602 expired:6603 plain:6604; do
	site_config "$T/${b%:*}.conf" "${b#*:}" $NAME client
	start_ship "${b%:*}" "$T/${b%:*}.conf" "$SP1"
done
for b in "foreign:unknown CA" "wrongname:name mismatch" "expired:expired" "plain:no TLS answer"; do
	k=${b%%:*} why=${b#*:}
	wait_for 25 'status_of $k last_error | grep -qF "$why"'
	check "refuses-$k-collector" '[ "$(status_of $k state)" = refused ] && status_of $k last_error | grep -qF "$why" &&
		grep -q "ALARM collector .*refused: .*$why" "$T/ship-$k/stderr" && [ "$(status_of $k acked_seq)" = 0 ] &&
		[ "$(status_of $k backlog_records)" = 1000 ] && [ "$(stored $k)" = 0 ]' \
		'cat "$T/ship-$k/run/status"; tail -2 "$T/ship-$k/stderr"'
	kill_ship $k; stop_collector $k
done
check refused-collectors-leave-spool-untouched '[ "$(sha256sum < "$SP1")" = "$sum0" ]'

# ---- cipher suites (security finding 4): the box offers only ECDHE (forward
# secret) with AES-GCM or ChaCha20-Poly1305. A collector that accepts only RSA key
# exchange, or only CBC, is refused: nothing sent, the alarm, and a clear reason
# for jumpd's COLLECTOR_DOWN record (a stand-in for jumpd's socket keeps the
# shipper's `collector` lines). The same rsyslog with its default suites and an
# RSA certificate (ECDHE_RSA) takes the records: the positive control.
fake_jumpd() { # NAME: answers `ok` on $T/jumpd-NAME.sock, keeps the lines (decoded) in $T/jumpd-NAME.log
	python3 -c '
import os, socket, sys, urllib.parse
path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX); s.bind(path); os.chmod(path, 0o666); s.listen(8)
while True:
    c, _ = s.accept(); line = b""
    while not line.endswith(b"\n"):
        d = c.recv(1024)
        if not d: break
        line += d
    with open(log, "a") as f: f.write(urllib.parse.unquote(line.decode()))
    c.sendall(b"ok\n"); c.close()' "$T/jumpd-$1.sock" "$T/jumpd-$1.log" &
	echo $! > "$T/jumpd-$1.pid"
	for _ in $(seq 50); do [ -S "$T/jumpd-$1.sock" ] && return 0; sleep 0.1; done
	return 1
}
OFFERED="the box offers only ECDHE with AES-GCM or ChaCha20-Poly1305"
start_collector rsakx 6605 serverrsa "NORMAL:-KX-ALL:+RSA"
start_collector cbc 6606 server "NORMAL:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:-MAC-ALL:+SHA1:+SHA256"
start_collector ecdhersa 6607 serverrsa
for b in rsakx:6605 cbc:6606 ecdhersa:6607; do
	k=${b%:*}
	fake_jumpd $k
	site_config "$T/$k.conf" "${b#*:}" $NAME client
	start_ship $k "$T/$k.conf" "$SP1" -j "$T/jumpd-$k.sock"
done
for k in rsakx cbc; do
	wait_for 25 'grep -q "^collector state=down" "$T/jumpd-$k.log" 2>/dev/null'
	check "refuses-$k-only-collector-with-clear-reason" '[ "$(status_of $k state)" = refused ] &&
		status_of $k last_error | grep -qF "no cipher suite in common? $OFFERED" &&
		grep -q "ALARM collector .*refused: .*no cipher suite in common" "$T/ship-$k/stderr" &&
		grep -q "^collector state=down reason=the collector .* (no cipher suite in common? $OFFERED[;)].* backlog=[0-9]* seq=0" "$T/jumpd-$k.log" &&
		[ "$(status_of $k acked_seq)" = 0 ] && [ "$(stored $k)" = 0 ]' \
		'cat "$T/ship-$k/run/status" "$T/jumpd-$k.log"; tail -2 "$T/ship-$k/stderr"'
done
wait_for 20 '[ "$(stored ecdhersa)" -ge 1000 ]'
check ecdhe-rsa-collector-takes-the-records '[ "$(distinct ecdhersa)" = 1000 ] && [ "$(status_of ecdhersa state)" = connected ] &&
	grep -q "^collector state=up reason=connected" "$T/jumpd-ecdhersa.log"' \
	'cat "$T/ship-ecdhersa/run/status"; tail -2 "$T/ship-ecdhersa/stderr"'
for k in rsakx cbc ecdhersa; do kill_ship $k; stop_collector $k; done
# what the box offers, exactly: a TLS server that accepts every suite it knows
# lists the ones the shipper's ClientHello shared with it
ip netns exec $C python3 -c '
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ctx.set_ciphers("ALL:@SECLEVEL=0")
s = socket.create_server((sys.argv[3], 6608)); c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
print(" ".join(sorted(n for n, _, _ in t.shared_ciphers()))); sys.stdout.flush()' \
	"$P/server.pem" "$P/server.key" $COLLECTOR > "$T/offered.out" 2>&1 &
echo $! > "$T/offered.pid"
sleep 0.5
site_config "$T/offered.conf" 6608 $NAME client
start_ship offered "$T/offered.conf" "$SP1"
wait_for 20 '[ -s "$T/offered.out" ]'
kill_ship offered
want="ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305"
check offers-only-ecdhe-aead-suites '[ "$(head -1 "$T/offered.out")" = "$want" ]' 'cat "$T/offered.out"'

# ---- a backlog keeps the link busy: a collector that does not read for 1 s
# (the socket fills), then reads all it gets; the longest gap between two
# reads that brought data, until the whole backlog is in, stays far below the
# shipper's 1 s idle poll (before the fix it slept that second on each refill
# of a full socket, the backlog waiting: seen as a gap of ~1000 ms here)
SPB=$T/spool-busy/audit.spool
gen "$SPB" -n 60000 -H busyhost > /dev/null
ip netns exec $C python3 -c '
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.create_server((sys.argv[3], 6609)); c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
time.sleep(1.0)
want, got, gap, last = int(sys.argv[4]), 0, 0.0, time.monotonic()
deadline = last + 60
while got < want and time.monotonic() < deadline:
    d = t.recv(65536)
    if not d: break
    now = time.monotonic(); gap = max(gap, now - last); last = now; got += len(d)
print(got, int(gap * 1000)); sys.stdout.flush()' \
	"$P/server.pem" "$P/server.key" $COLLECTOR "$(stat -c %s "$SPB")" > "$T/busy.out" 2>&1 &
echo $! > "$T/busy.pid"
sleep 0.5
site_config "$T/busy.conf" 6609 $NAME client
start_ship busy "$T/busy.conf" "$SPB"
wait_for 90 '[ -s "$T/busy.out" ]'
kill_ship busy
read -r busy_got busy_gap < "$T/busy.out" 2>/dev/null
echo "  (60,000-record backlog to a collector that starts reading after 1 s: $busy_got bytes in, longest gap between reads ${busy_gap:-?} ms)"
check backlog-keeps-the-link-busy '[ "${busy_got:-0}" -ge "$(stat -c %s "$SPB")" ] && [ "${busy_gap:-9999}" -lt 500 ]' \
	'echo "got ${busy_got:-?} of $(stat -c %s "$SPB") bytes, longest gap ${busy_gap:-?} ms (500 allowed)"; cat "$T/busy.out"; tail -2 "$T/ship-busy/stderr"'

# ---- 100,000 events; the collector absent for the first minute, then
# restarted 10 times, and the link cut for 6 s while records flow: at the
# end every sequenceId is there (duplicates allowed, counted), the chain verifies.
# (-B 8: backoff capped at 8 s instead of 60, so the test does not wait a
# minute for the retry after the collector appears)
SP2=$T/spool2/audit.spool
site_config "$T/rsa.conf" 6514 $NAME clientrsa
stop_collector main; rm -rf "$T/col-main"
t0=$(date +%s)
gen_bg gen2 "$SP2" -n 100000 -r 850
start_ship long "$T/rsa.conf" "$SP2" -B 8
at() { while [ $(( $(date +%s) - t0 )) -lt "$1" ]; do sleep 0.2; done; }
at 60
absent_state=$(status_of long state) absent_backlog=$(status_of long backlog_records)
start_collector main 6514 server
restarts=0
for i in $(seq 10); do
	at $((60 + 4 * i))
	stop_collector main; sleep 0.3; start_collector main 6514 server && restarts=$((restarts + 1))
done
at 106
ip -n $C link set jbs-cb down; sleep 6; ip -n $C link set jbs-cb up
wait "$(cat "$T/gen2.pid")"; rm -f "$T/gen2.pid"
wait_for 60 '[ "$(distinct main)" -ge 100000 ]'
kill_ship long
all=$(stored main) uniq=$(distinct main) first=$(seqs main | sort -n | head -1) last=$(seqs main | sort -n | tail -1)
"$VERIFY" audit-verify "$T/col-main/raw.log" > "$T/verify2.out" 2>&1; rc=$?
echo "  (100k run: $all stored, $uniq distinct, $((all - uniq)) duplicates, $restarts collector restarts, $(status_of long connects) connects; $(tail -1 "$T/verify2.out" | sed 's/.*: \([0-9]* records\)/\1/'))"
check collector-absent-first-minute-records-stay-spooled '[ "$absent_state" = disconnected ] && [ "${absent_backlog:-0}" -ge 40000 ]' \
	'echo "state $absent_state backlog $absent_backlog"'
check 100k-events-10-restarts-link-cut-every-sequenceId-present '[ "$restarts" = 10 ] && [ "$uniq" = 100000 ] && [ "$first" = 1 ] && [ "$last" = 100000 ]' \
	'echo "restarts $restarts distinct $uniq first $first last $last"; tail -3 "$T/ship-long/stderr"'
check 100k-events-chain-verifies-duplicates-counted '[ $rc = 0 ] && grep -q "sequenceId 1..100000, $((all - uniq)) duplicates; 0 missing, 0 chain breaks, 0 reordered, 0 malformed: intact" "$T/verify2.out"' \
	'tail -3 "$T/verify2.out"'

# ---- SIGKILL of the shipper mid-stream, and of the generator mid-write with a
# torn record left behind (as by a power cut): after restarts nothing is lost,
# the spool recovers, the chain goes on
SP3=$T/spool3/audit.spool
site_config "$T/ec.conf" 6514 $NAME client
stop_collector main; rm -rf "$T/col-main"; start_collector main 6514 server
gen_bg gen3 "$SP3" -n 100000 -r 2000
start_ship kill "$T/ec.conf" "$SP3"
sleep 3
kill_ship kill KILL
sleep 1
start_ship kill "$T/ec.conf" "$SP3"
sleep 2
kill -9 "$(cat "$T/gen3.pid")"; wait "$(cat "$T/gen3.pid")" 2>/dev/null; rm -f "$T/gen3.pid"
torn='<85>1 2026-11-24T10:00:00.000Z bastion-bench jumpd 1 BENCH [origin software="jumpb'
printf %s "$torn" >> "$SP3"
sleep 1
gen "$SP3" -n 3000 -r 3000 > "$T/gen3b.out" 2>&1
n3=$(sed -n 's/.*last sequenceId \([0-9]*\)/\1/p' "$T/gen3b.out")
wait_for 30 '[ "$(distinct main)" -ge "${n3:-1}" ]'
kill_ship kill
"$VERIFY" audit-verify "$T/col-main/raw.log" > "$T/verify3.out" 2>&1; rc=$?
"$VERIFY" audit-verify "$SP3" > "$T/verify3s.out" 2>&1; rcs=$?
check spool-recovers-after-generator-sigkill-and-torn-write '[ $rcs = 0 ] && grep -q "recovered: ${#torn} torn bytes cut" "$T/gen3b.out" &&
	[ "${n3:-0}" -gt 6000 ] && [ "$n3" -lt 30000 ] && grep -q "sequenceId 1..$n3, " "$T/verify3s.out"' 'cat "$T/gen3.out" "$T/gen3b.out" "$T/verify3s.out"'
check nothing-lost-after-shipper-sigkill '[ $rc = 0 ] && [ "$(distinct main)" = "$n3" ] && grep -q "sequenceId 1..$n3, " "$T/verify3.out"' \
	'echo "want $n3 distinct $(distinct main)"; tail -2 "$T/verify3.out"'

# ---- the collector config docs/audit.md documents (security finding 5), run
# as written there: each box is admitted only on its own input, by the name in
# its certificate (x509/name + PermittedPeer), and the file it writes is named
# by the collector's config, never from the message. Positive control: the
# right box's trail lands in its file and verifies; negative: another box's
# certificate on that input is refused with rsyslog's reason, and a record
# whose host name climbs out of the log directory creates nothing else.
mkcert dmz1 ca bastion-dmz1 "$EC"; mkcert dmz2 ca bastion-dmz2 "$EC"; chmod 644 "$P"/dmz*.key
W=$T/col-doc; mkdir -p "$W/log"
{
	echo "global(workDirectory=\"$W\" maxMessageSize=\"64k\")"
	awk '/^    # \/etc\/rsyslog.d\/jumpbox.conf$/ { on = 1; next } on && !/^    / { exit } on { print substr($0, 5) }' "$TOP/docs/audit.md" |
		sed -e "s|/etc/rsyslog.d/jumpbox-ca.pem|$P/ca.pem|; s|/etc/rsyslog.d/collector.pem|$P/server.pem|" \
			-e "s|/etc/rsyslog.d/collector.key|$P/server.key|; s|/var/log/jumpbox/|$W/log/|" \
			-e 's|port="6514"|port="6540"|; s|port="6515"|port="6541"|'
} > "$W/rsyslog.conf"
doc_lines=$(grep -c . "$W/rsyslog.conf")
ip netns exec $C rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslogd.pid" >> "$W/rsyslogd.log" 2>&1 &
echo $! > "$T/col-doc.pid"
wait_for 10 'ip netns exec $C ss -ltn "sport = :6541" | grep -q LISTEN'
doc_stored() { grep -c 'sequenceId' "$W/log/bastion-dmz1.log" 2>/dev/null || echo 0; }
site_config "$T/dmz1.conf" 6540 $NAME dmz1
site_config "$T/dmz2.conf" 6540 $NAME dmz2
SPD=$T/spool-doc/audit.spool
gen "$SPD" -n 200 > "$T/gen-doc.out"
start_ship dmz1 "$T/dmz1.conf" "$SPD" -j "$T/no-jumpd.sock"
wait_for 20 '[ "$(doc_stored)" -ge 200 ]'
kill_ship dmz1
"$VERIFY" audit-verify "$W/log/bastion-dmz1.log" > "$T/verify-doc.out" 2>&1; rc=$?
check documented-collector-stores-each-box-in-its-own-file '[ "$doc_lines" -ge 10 ] && [ $rc = 0 ] &&
	grep -q "sequenceId 1..200, .*: intact" "$T/verify-doc.out"' 'echo "config lines $doc_lines"; cat "$T/verify-doc.out"; tail -3 "$W/rsyslogd.log"'
before=$(doc_stored)
SPD2=$T/spool-doc2/audit.spool
gen "$SPD2" -n 50 > /dev/null
start_ship dmz2 "$T/dmz2.conf" "$SPD2" -j "$T/no-jumpd.sock" -B 2
wait_for 20 'grep -q "peer name not authorized.*DNSname: bastion-dmz2" "$W/rsyslogd.log"'
sleep 1; kill_ship dmz2
check documented-collector-refuses-another-box-certificate 'grep -q "peer name not authorized.*DNSname: bastion-dmz2" "$W/rsyslogd.log" &&
	[ "$(doc_stored)" = "$before" ] && [ "$(status_of dmz2 state)" != connected ]' \
	'echo "stored $before -> $(doc_stored), state $(status_of dmz2 state)"; tail -3 "$W/rsyslogd.log"'
# a holder of bastion-dmz1's key writes whatever it likes in the message:
# a host name that climbs out of the log directory
forged='<13>1 2026-12-01T00:00:00Z ../../escaped jumpd - FORGED - climbs out'
printf '%s %s' ${#forged} "$forged" | ip netns exec $B timeout 5 openssl s_client -quiet -connect $COLLECTOR:6540 \
	-cert "$P/dmz1.pem" -key "$P/dmz1.key" -CAfile "$P/ca.pem" > "$T/forged.out" 2>&1
wait_for 10 'grep -q FORGED "$W/log/bastion-dmz1.log"'
check documented-collector-file-names-not-from-the-message 'grep -q "escaped jumpd - FORGED" "$W/log/bastion-dmz1.log" &&
	[ -z "$(find "$T" -name "escaped*")" ] && [ "$(ls "$W/log")" = bastion-dmz1.log ]' \
	'ls "$W/log"; find "$T" -name "escaped*"; cat "$T/forged.out"'
kill "$(cat "$T/col-doc.pid")" 2>/dev/null; rm -f "$T/col-doc.pid"

# ---- the recording trail: a second jumpship instance (own state and run
# dirs) ships /state/rec/spool's REC_DATA lines (APP-NAME jumprec) with a
# rate cap (-R), beside the audit trail's uncapped one, to the same
# collector file. The audit records (REC_START/REC_CHECKPOINT/REC_END, by
# jumpd's event module) are all there while the recording still trickles
# in at the cap; at the end every chunk is there, line for line as spooled,
# and rec-export on rsyslog's file rebuilds the .cast byte for byte.
RT=$T/rectrail; mkdir -p "$RT/audit" "$RT/rec"; chown $JUMPD_UID:$JUMPD_UID "$RT/audit" "$RT/rec"
python3 -c '
import json, sys
out = [json.dumps({"version": 2, "width": 80, "height": 24, "timestamp": 1764640000})]
for i in range(6000):
    out.append(json.dumps([i / 100, "o", "%06d %s\r\n" % (i, "0123456789abcdef" * 5)]))
open(sys.argv[1], "w").write("\n".join(out) + "\n")' "$RT/in.cast"
RS=0123456789abcdef
setpriv --reuid $JUMPD_UID --regid $JUMPD_UID --clear-groups "$RECGEN" -c "$RT/in.cast" -R "$RT/rec/spool" \
	-A "$RT/audit/audit.spool" -S $RS -k 64 -p 4096 > "$RT/gen.out" 2> /dev/null
rchunks=$(sed -n 's/^recgen: \([0-9]*\) chunks.*/\1/p' "$RT/gen.out")
rbytes=$(stat -c %s "$RT/rec/spool")
start_collector rec 6609 server
site_config "$T/rec.conf" 6609 $NAME client
RATE_KIB=128
t0=$(date +%s%N)
start_ship recaudit "$T/rec.conf" "$RT/audit/audit.spool"
start_ship rectrail "$T/rec.conf" "$RT/rec/spool" -R $RATE_KIB
rec_stored() { n=$(grep -c " jumprec [0-9]* REC_DATA " "$T/col-rec/raw.log" 2>/dev/null); echo "${n:-0}"; }
wait_for 20 'grep -q " REC_END " "$T/col-rec/raw.log" 2>/dev/null'
audit_done=$(( ($(date +%s%N) - t0) / 1000000 )) rec_then=$(rec_stored)
# the cap: the spool's bytes at RATE_KIB KiB/s take at least this long (less the first burst)
min_ms=$(( rbytes * 1000 / (RATE_KIB * 1024) - 125 ))
wait_for $(( min_ms / 1000 * 3 + 30 )) '[ "$(grep " jumprec " "$T/col-rec/raw.log" | sort -u | wc -l)" -ge "${rchunks:-1}" ]'
rec_done=$(( ($(date +%s%N) - t0) / 1000000 ))
kill_ship rectrail; kill_ship recaudit
echo "  (recording trail: $rchunks chunks, $rbytes bytes at -R $RATE_KIB: shipped in $rec_done ms, at least $min_ms at the cap; the audit trail's REC_END there after $audit_done ms, with $rec_then chunks)"
check rec-trail-shipped-rate-capped-audit-trail-not-held-back '[ "${rchunks:-0}" -gt 100 ] && [ "$rec_done" -ge "$min_ms" ] &&
	[ "$rec_done" -le $(( min_ms * 2 + 10000 )) ] && [ "$audit_done" -lt $(( min_ms / 2 )) ] && [ "$rec_then" -lt "$rchunks" ] &&
	grep -q "rate cap: $RATE_KIB KiB/s" "$T/ship-rectrail/stderr"' 'tail -3 "$T/ship-rectrail/stderr"'
grep " jumprec " "$T/col-rec/raw.log" | sort -u > "$RT/arrived"; sort -u "$RT/rec/spool" > "$RT/spooled"
check rec-trail-lines-arrive-unchanged 'cmp -s "$RT/arrived" "$RT/spooled" && [ "$(wc -l < "$RT/spooled")" = "$rchunks" ]' \
	'echo "$(wc -l < "$RT/arrived") arrived, $(wc -l < "$RT/spooled") spooled"'
rm -f "$RT/out.cast"
"$VERIFY" rec-export $RS "$RT/out.cast" --collector "$T/col-rec/raw.log" > "$RT/export.out" 2>&1; rc=$?
"$VERIFY" audit-verify "$T/col-rec/raw.log" > "$RT/verify.out" 2>&1; rcv=$?
check rec-export-verifies-the-collector-file '[ $rc = 0 ] && cmp -s "$RT/in.cast" "$RT/out.cast" &&
	grep -q ": $rchunks chunks, $(stat -c %s "$RT/in.cast") bytes, .* verified through REC_END" "$RT/export.out" &&
	[ $rcv = 0 ] && grep -q "recording-trail lines (jumprec: rec-export checks them): intact" "$RT/verify.out"' \
	'cat "$RT/export.out" "$RT/verify.out"'
stop_collector rec

results_summary
