#!/bin/sh
# Owns: the libFuzzer harnesses (clang, ASan + UBSan). Each harness starts
# from its committed seed corpus in tests/corpus/NAME and runs SECONDS.
# In make test it runs briefly and reports each harness as a test.
# Usage: fuzz.sh SECONDS
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-60}
OUT=$TOP/out/fuzz
mkdir -p "$OUT"
STANDALONE_RESULTS=$OUT/results
. "$TOP/tests/lib.sh"
# harness name : sources
SC=jumpd/common/siteconf.c,jumpd/common/siteconf_names.c,jumpd/common/siteconf_policy.c,jumpd/common/siteconf_rec.c,jumpd/common/addr.c,jumpd/common/authkey.c,jumpd/common/readfile.c,jumpd/mfa/base32.c
# jumpd without its main, as the Makefile links it (comma-separated)
DAEMON=$(make -s --no-print-directory -C "$TOP" print-JUMPD_SRCS | tr ' ' '\n' | grep -v '^jumpd/daemon/jumpd.c$' | paste -sd, -)
[ -n "$DAEMON" ] || { echo "fuzz.sh: no JUMPD_SRCS in the Makefile" >&2; exit 1; }
HARNESSES="siteconf:jumpd/common/siteconf_fuzz.c,$SC
 dhcp_hook:jumpd/init/dhcp_hook_fuzz.c,jumpd/init/dhcp_hook.c,jumpd/init/netcfg.c,jumpd/init/log.c,jumpd/common/addr.c,jumpd/common/durable.c
 totp:jumpd/mfa/totp_fuzz.c,jumpd/mfa/totp.c,jumpd/mfa/base32.c
 hookproto:jumpd/common/hookproto_fuzz.c,jumpd/common/hookproto.c
 kbdint:jumpd/dropbear/jb-kbdint_fuzz.c,jumpd/dropbear/jb-kbdint.c
 selector:jumpd/dropbear/jb-selector_fuzz.c,jumpd/dropbear/jb-selector.c
 replay:jumpd/daemon/replay_fuzz.c,jumpd/daemon/replay.c,jumpd/common/durable.c,jumpd/daemon/mfa.c,jumpd/daemon/guard.c,jumpd/mfa/totp.c,$SC
 auditrec:jumpd/common/auditrec_fuzz.c,jumpd/common/auditrec.c
 auditverify:jumpd/ctl/auditverify_fuzz.c,jumpd/ctl/auditverify.c,jumpd/common/auditrec.c,jumpd/common/auditsign.c,jumpd/common/durable.c,jumpd/common/readfile.c
 recchain:jumpd/rec/recchain_fuzz.c,jumpd/rec/recchain.c,jumpd/common/auditrec.c
 recexport:jumpd/ctl/recexport_fuzz.c,jumpd/ctl/recexport.c,jumpd/ctl/auditverify.c,jumpd/rec/recchain.c,jumpd/common/auditrec.c,jumpd/common/auditsign.c,jumpd/common/durable.c,jumpd/common/readfile.c
 spool:jumpd/daemon/spool_fuzz.c,jumpd/daemon/spool.c,jumpd/common/spoolhead.c,jumpd/common/auditrec.c
 nflog:jumpd/fw/fw_nflog_fuzz.c,jumpd/fw/fw_nflog.c,jumpd/common/addr.c
 framing:jumpd/ship/framing_fuzz.c,jumpd/ship/framing.c
 cursor:jumpd/ship/cursor_fuzz.c,jumpd/ship/cursor.c,jumpd/common/durable.c,jumpd/common/readfile.c
 delivery:jumpd/ship/delivery_fuzz.c,jumpd/ship/delivery.c
 spoolread:jumpd/ship/spoolread_fuzz.c,jumpd/ship/spoolread.c,jumpd/ship/cursor.c,jumpd/common/auditrec.c,jumpd/common/durable.c,jumpd/common/readfile.c
 syslog_tls:jumpd/ship/syslog_tls_fuzz.c,jumpd/ship/syslog_tls.c,jumpd/common/readfile.c,jumpd/common/addr.c
 cast:jumpd/rec/cast_fuzz.c,jumpd/rec/cast.c
 typed:jumpd/rec/typed_fuzz.c,jumpd/rec/typed.c
 scpparse:jumpd/common/scpparse_fuzz.c,jumpd/common/scpparse.c
 rsyncparse:jumpd/common/rsyncparse_fuzz.c,jumpd/common/rsyncparse.c
 sftpparse:jumpd/common/sftpparse_fuzz.c,jumpd/common/sftpparse.c
 rsyncstream:jumpd/common/rsyncstream_fuzz.c,jumpd/common/rsyncstream.c,jumpd/common/rsyncdata.c,jumpd/common/rsyncflist.c,jumpd/common/rsyncparse.c
 recopen:jumpd/rec/recopen_fuzz.c,jumpd/rec/recopen.c,jumpd/common/hookproto.c
 verbs:jumpd/daemon/verbs_fuzz.c,$DAEMON"
for h in $HARNESSES; do
	name=${h%%:*}
	srcs=$(echo "${h#*:}" | tr ',' ' ')
	bin=$OUT/$name-fuzz
	if ! (cd "$TOP" && clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o "$bin" $srcs -lbearssl) > "$bin.log" 2>&1; then
		fail "fuzz/$name/build" "$(head -3 "$bin.log" | tr '\n' ' ')"; continue
	fi
	work=$OUT/$name-corpus
	mkdir -p "$work"
	if "$bin" -artifact_prefix="$OUT/$name-" -max_total_time="$SECS" -max_len=8192 -timeout=5 -print_final_stats=1 \
		"$work" "$TOP/tests/corpus/$name" > "$bin.out" 2>&1; then
		execs=$(grep -m1 'stat::number_of_executed_units' "$bin.out" | awk '{print $2}')
		pass "fuzz/$name (${SECS}s, ${execs:-?} executions)"
	else
		fail "fuzz/$name" "crash: $(grep -m1 'ERROR\|runtime error' "$bin.out"); see $bin.out"
	fi
done
results_summary
