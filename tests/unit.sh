#!/bin/sh
# Owns: building and running the unit tests, once plain and once under
# AddressSanitizer + UndefinedBehaviorSanitizer (host gcc), and reporting each
# test case to $RESULTS (or printing a summary when run alone).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/out/unit
mkdir -p "$OUT"
STANDALONE_RESULTS=$OUT/results
. "$TOP/tests/lib.sh"
CF="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g"
J=$TOP/jumpd
LIBS=-lbearssl # after the sources: TOTP's HMAC (harmless for the rest)
build_and_run() { # NAME MODE SOURCES...
	name=$1 mode=$2; shift 2
	case $mode in
	plain) flags="-O2" ;;
	asan) flags="-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" ;;
	esac
	bin=$OUT/$name-$mode
	if ! gcc $CF $flags -o "$bin" "$@" $LIBS 2> "$bin.log"; then
		fail "unit/$name[$mode]/build" "$(head -5 "$bin.log" | tr '\n' ' ')"
		return
	fi
	rc=0
	"$bin" > "$bin.out" 2>&1 || rc=$?
	grep -q '^PASS\|^FAIL' "$bin.out" || { fail "unit/$name[$mode]" "no test ran: $(tail -3 "$bin.out" | tr '\n' ' ')"; return; }
	# a binary that dies mid-run (or fails without saying so) loses the cases after it
	if [ $rc != 0 ] && ! grep -q '^FAIL' "$bin.out"; then
		fail "unit/$name[$mode]/exit" "exit status $rc after $(grep -c '^PASS' "$bin.out") passing cases: $(tail -2 "$bin.out" | tr '\n' ' ')"
	fi
	if grep -q 'ERROR: AddressSanitizer\|runtime error' "$bin.out"; then
		fail "unit/$name[$mode]/sanitizer" "$(grep -m1 'ERROR\|runtime error' "$bin.out")"
	fi
	grep '^PASS\|^FAIL' "$bin.out" | sed "s|^\(PASS\|FAIL\) \([^:]*\)\(.*\)|\1 unit/$name[$mode]/\2\3|" >> "$RESULTS"
	grep '^FAIL' "$bin.out" | sed 's/^/  /' || true
	grep -c '^PASS' "$bin.out" | sed "s|^|  unit/$name[$mode]: |; s|$| passed|"
}
# The programs' source lists come from the Makefile, so a test links what the
# binary links. srcs VAR [FILE...]: VAR's files with absolute paths, FILEs left out.
srcs() {
	var=$1; shift
	list=$(make -s --no-print-directory -C "$TOP" "print-$var") || { echo "unit.sh: no $var in the Makefile" >&2; exit 1; }
	[ -n "$list" ] || { echo "unit.sh: $var is empty in the Makefile" >&2; exit 1; }
	for f in $list; do
		skip_it=
		for x in "$@"; do [ "$f" = "$x" ] && skip_it=1; done
		[ -n "$skip_it" ] || printf '%s ' "$TOP/$f"
	done
}
# jumpd without its main: the verb table test drives the real handlers
DAEMON=$(srcs JUMPD_SRCS jumpd/daemon/jumpd.c)
SC=$(srcs SITECONF_SRCS)
# the recorder without its main; REC_LEAF without the modules that need recstate.h's jr
REC=$(srcs JUMPREC_SRCS jumpd/rec/jumprec.c)
REC_LEAF=$(srcs JUMPREC_SRCS jumpd/rec/jumprec.c jumpd/rec/recsess.c jumpd/rec/recpump.c jumpd/rec/recctl.c)
for mode in plain asan; do
	build_and_run verbs $mode "$J/daemon/verbs_test.c" $DAEMON
	build_and_run addr $mode "$J/common/addr_test.c" "$J/common/addr.c"
	build_and_run hex $mode "$J/common/hex_test.c"
	build_and_run utf8 $mode "$J/common/utf8_test.c"
	build_and_run monotime $mode "$J/common/monotime_test.c"
	build_and_run unixsock $mode "$J/common/unixsock_test.c" "$J/common/unixsock.c"
	build_and_run consrate $mode "$J/common/consrate_test.c" "$J/common/consrate.c"
	build_and_run durable $mode "$J/common/durable_test.c" "$J/common/durable.c"
	build_and_run readfile $mode "$J/common/readfile_test.c" "$J/common/readfile.c"
	build_and_run authkey $mode "$J/common/authkey_test.c" "$J/common/authkey.c"
	build_and_run siteconf $mode "$J/common/siteconf_test.c" $SC "$J/init/users.c" "$J/init/log.c" \
		"$J/init/fsutil.c" "$J/common/durable.c"
	# init: one test per program of the multi-call binary (jumpd/init/multicall.c)
	FILES="$J/init/fsutil.c $J/common/durable.c"
	build_and_run init $mode "$J/init/init_test.c" "$J/init/volumes.c" "$J/init/powerbutton.c" \
		"$J/init/entropy.c" "$J/init/log.c" "$J/common/readfile.c" $FILES
	build_and_run supervisor $mode "$J/init/supervisor_test.c" "$J/init/services.c" "$J/init/fwargs.c" \
		"$J/init/supervise.c" "$J/init/caps.c" "$J/init/log.c" $FILES $SC
	build_and_run setup $mode "$J/init/setup_test.c" "$J/init/setup.c" "$J/init/users.c" \
		"$J/init/log.c" $FILES $SC
	build_and_run hostkeys $mode "$J/init/hostkeys_test.c" "$J/init/hostkeys.c" "$J/init/run.c" \
		"$J/init/caps.c" "$J/init/log.c" $FILES $SC
	build_and_run netup $mode "$J/init/netup_test.c" "$J/init/netup.c" "$J/init/netcfg.c" "$J/init/log.c" $FILES $SC
	build_and_run dhcp_hook $mode "$J/init/dhcp_hook_test.c" "$J/init/dhcp_hook.c" "$J/init/netcfg.c" \
		"$J/init/log.c" $FILES $SC
	build_and_run policy $mode "$J/daemon/policy_test.c" "$J/daemon/policy.c" $SC
	build_and_run auditrec $mode "$J/common/auditrec_test.c" "$J/common/auditrec.c"
	build_and_run spool $mode "$J/daemon/spool_test.c" "$J/daemon/spool.c" "$J/common/spoolhead.c" "$J/common/auditrec.c" "$J/ctl/auditverify.c" \
		"$J/common/auditsign.c" "$J/common/durable.c" "$J/common/readfile.c"
	build_and_run auditverify $mode "$J/ctl/auditverify_test.c" "$J/ctl/auditverify.c" "$J/common/auditrec.c" \
		"$J/common/auditsign.c" "$J/common/durable.c" "$J/common/readfile.c"
	build_and_run privdrop $mode "$J/dropbear/jb-privdrop_test.c" "$J/dropbear/jb-privdrop.c"
	build_and_run totp $mode "$J/mfa/totp_test.c" "$J/mfa/totp.c" "$J/mfa/base32.c"
	build_and_run hookproto $mode "$J/common/hookproto_test.c" "$J/common/hookproto.c"
	build_and_run kbdint $mode "$J/dropbear/jb-kbdint_test.c" "$J/dropbear/jb-kbdint.c"
	build_and_run fastcrypto $mode "$J/dropbear/jb-fastcrypto_test.c" "$J/dropbear/jb-fastcrypto.c" \
		"$J/dropbear/jb-chacha20-avx2.c"
	build_and_run admit $mode "$J/dropbear/jb-admit_test.c" "$J/dropbear/jb-admit.c"
	build_and_run selector $mode "$J/dropbear/jb-selector_test.c" "$J/dropbear/jb-selector.c"
	build_and_run hostpin $mode "$J/dropbear/jb-hostpin_test.c" "$J/dropbear/jb-hostpin.c"
	build_and_run fdpass $mode "$J/common/fdpass_test.c" "$J/common/fdpass.c"
	build_and_run relay $mode "$J/menu/relay_test.c" "$J/menu/relay.c" "$J/common/fdpass.c" "$J/common/hookproto.c" \
		"$J/dropbear/jb-selector.c"
	build_and_run channels $mode "$J/daemon/channels_test.c" "$J/daemon/channels.c"
	build_and_run sessions $mode "$J/daemon/sessions_test.c" "$J/daemon/sessions.c"
	build_and_run recsessions $mode "$J/daemon/recsessions_test.c" "$J/daemon/recsessions.c"
	build_and_run revokes $mode "$J/daemon/revokes_test.c" "$J/daemon/revokes.c"
	build_and_run budget $mode "$J/daemon/budget_test.c" "$J/daemon/budget.c"
	build_and_run fw $mode "$J/fw/fw_test.c" "$J/fw/fw_ruleset.c" "$J/fw/fw_pinhole.c" "$J/fw/fw_nflog.c" "$J/fw/fw_ctflush.c" \
		"$J/common/addr.c" -lnftnl -lmnl
	build_and_run mfa $mode "$J/daemon/mfa_test.c" "$J/daemon/mfa.c" "$J/daemon/guard.c" \
		"$J/daemon/replay.c" "$J/common/durable.c" "$J/mfa/totp.c" $SC
	build_and_run guard $mode "$J/daemon/guard_test.c" "$J/daemon/guard.c"
	build_and_run replay $mode "$J/daemon/replay_test.c" "$J/daemon/replay.c" "$J/daemon/mfa.c" "$J/daemon/guard.c" \
		"$J/common/durable.c" "$J/mfa/totp.c" $SC
	build_and_run brake $mode "$J/daemon/brake_test.c" "$J/daemon/brake.c" "$J/daemon/event.c" "$J/daemon/spool.c" "$J/common/spoolhead.c" \
		"$J/common/auditrec.c" "$J/common/auditsign.c" "$J/common/durable.c" "$J/common/readfile.c"
	build_and_run reclaim $mode "$J/daemon/reclaim_test.c" "$J/daemon/reclaim.c" "$J/daemon/event.c" "$J/daemon/spool.c" \
		"$J/common/spoolhead.c" "$J/ship/spoolread.c" "$J/ship/cursor.c" "$J/ctl/auditverify.c" "$J/common/auditrec.c" \
		"$J/common/auditsign.c" "$J/common/durable.c" "$J/common/readfile.c"
	build_and_run event $mode "$J/daemon/event_test.c" "$J/daemon/event.c" "$J/daemon/spool.c" "$J/common/spoolhead.c" "$J/common/auditrec.c" \
		"$J/common/auditsign.c" "$J/common/durable.c" "$J/common/readfile.c"
	build_and_run recchain $mode "$J/rec/recchain_test.c" "$J/rec/recchain.c" "$J/common/auditrec.c"
	build_and_run recspool $mode "$J/rec/recspool_test.c" "$J/rec/recspool.c" "$J/rec/recchain.c" \
		"$J/daemon/spool.c" "$J/common/spoolhead.c" "$J/common/auditrec.c" "$J/common/readfile.c"
	build_and_run recexport $mode "$J/ctl/recexport_test.c" "$J/ctl/recexport.c" "$J/ctl/auditverify.c" \
		"$J/rec/recspool.c" "$J/rec/recchain.c" "$J/daemon/spool.c" "$J/common/spoolhead.c" "$J/common/auditrec.c" \
		"$J/common/auditsign.c" "$J/common/readfile.c" "$J/common/durable.c"
	build_and_run sha256x $mode "$J/common/sha256x_test.c"
	build_and_run ratecap $mode "$J/ship/ratecap_test.c" "$J/ship/ratecap.c"
	build_and_run framing $mode "$J/ship/framing_test.c" "$J/ship/framing.c"
	build_and_run cast $mode "$J/rec/cast_test.c" "$J/rec/cast.c"
	build_and_run typed $mode "$J/rec/typed_test.c" "$J/rec/typed.c"
	# the recorder (jumpd/rec: jumprec's modules; the whole process: tests/rec/jumprec_process.py below)
	for m in recopen recrecord recstart recaudit reckeys recspawn recxfer; do
		build_and_run $m $mode "$J/rec/${m}_test.c" $REC_LEAF
	done
	build_and_run recasync $mode "$J/rec/recasync_test.c" $REC_LEAF
	build_and_run recsess $mode "$J/rec/recsess_test.c" $REC
	build_and_run recctl $mode "$J/rec/recctl_test.c" $REC
	build_and_run scpparse $mode "$J/common/scpparse_test.c" "$J/common/scpparse.c"
	build_and_run rsyncparse $mode "$J/common/rsyncparse_test.c" "$J/common/rsyncparse.c"
	build_and_run rsyncstream $mode "$J/common/rsyncstream_test.c" "$J/common/rsyncstream.c" "$J/common/rsyncdata.c" "$J/common/rsyncflist.c" "$J/common/rsyncparse.c"
	build_and_run sftpparse $mode "$J/common/sftpparse_test.c" "$J/common/sftpparse.c"
	build_and_run sandbox $mode "$J/common/sandbox_test.c" "$J/common/sandbox.c" "$J/daemon/sandbox_jumpd.c" \
		"$J/fw/sandbox_fw.c" "$J/ship/sandbox_ship.c" "$J/rec/sandbox_rec.c"
	build_and_run jb-sandbox $mode "$J/dropbear/jb-sandbox_test.c" "$J/dropbear/jb-sandbox.c" "$J/common/sandbox.c"
	build_and_run delivery $mode "$J/ship/delivery_test.c" "$J/ship/delivery.c" "$J/ship/cursor.c" \
		"$J/common/durable.c" "$J/common/readfile.c"
done
# jumprec as a whole process (ASan/UBSan build): a fake jumpd and dbclient, python as stub and user;
# without its seccomp filter (JB_SANDBOX_OFF): ASan's runtime and the python dbclient need calls
# its list rightly lacks (the filter with the real dbclient: tests/host/sandbox.sh, recording.sh)
if gcc $CF -DJB_SANDBOX_OFF -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -o "$OUT/jumprec-asan" "$J/rec/jumprec.c" $REC $LIBS \
		2> "$OUT/jumprec-asan.log"; then
	timeout 300 python3 "$TOP/tests/rec/jumprec_process.py" "$OUT/jumprec-asan" > "$OUT/jumprec-process.out" 2>&1 || true
	grep '^PASS\|^FAIL' "$OUT/jumprec-process.out" | sed "s|^\(PASS\|FAIL\) \([^:]*\)\(.*\)|\1 unit/jumprec-process/\2\3|" >> "$RESULTS"
	grep -q '^PASS' "$OUT/jumprec-process.out" || fail "unit/jumprec-process" "no check ran: $(tail -3 "$OUT/jumprec-process.out" | tr '\n' ' ')"
	grep -c '^PASS' "$OUT/jumprec-process.out" | sed "s|^|  unit/jumprec-process: |; s|$| passed|"
else
	fail "unit/jumprec-process/build" "$(head -5 "$OUT/jumprec-asan.log" | tr '\n' ' ')"
fi
# the packet ciphers on a CPU without AES-NI, PCLMUL and AVX2 (QEMU's default
# qemu64, as the image tests' TCG guest has): the CPU checks pick the portable
# AES and GHASH and BearSSL's SSE2 ChaCha20 by themselves, and every case passes
if command -v qemu-x86_64 > /dev/null && [ -x "$OUT/fastcrypto-plain" ]; then
	qemu-x86_64 -cpu qemu64 "$OUT/fastcrypto-plain" > "$OUT/fastcrypto-qemu64.out" 2>&1 || true
	if grep -q "(this CPU: chacha20=sse2 aes=ct64 ghash=ctmul64 poly1305=radix64)" "$OUT/fastcrypto-qemu64.out" &&
		! grep -q '^FAIL' "$OUT/fastcrypto-qemu64.out" && [ "$(grep -c '^PASS' "$OUT/fastcrypto-qemu64.out")" -ge 10 ]; then
		pass "unit/fastcrypto[qemu64]/portable-paths-picked-and-pass"
	else
		fail "unit/fastcrypto[qemu64]/portable-paths-picked-and-pass" "$(grep 'this CPU\|^FAIL' "$OUT/fastcrypto-qemu64.out" | head -3 | tr '\n' ' ')"
	fi
else
	skip "unit/fastcrypto[qemu64]/portable-paths-picked-and-pass" "qemu-user not installed (build/deps.sh test)"
fi
# the hash chains' SHA-256 on a CPU without SHA-NI (qemu64): BearSSL's
# portable code is picked and gives the same digests
if command -v qemu-x86_64 > /dev/null && [ -x "$OUT/sha256x-plain" ]; then
	qemu-x86_64 -cpu qemu64 "$OUT/sha256x-plain" > "$OUT/sha256x-qemu64.out" 2>&1 || true
	if grep -q "(sha256x on this CPU: BearSSL portable)" "$OUT/sha256x-qemu64.out" &&
		! grep -q '^FAIL' "$OUT/sha256x-qemu64.out" && [ "$(grep -c '^PASS' "$OUT/sha256x-qemu64.out")" = 2 ]; then
		pass "unit/sha256x[qemu64]/portable-path-picked-and-pass"
	else
		fail "unit/sha256x[qemu64]/portable-path-picked-and-pass" "$(grep 'this CPU\|^FAIL' "$OUT/sha256x-qemu64.out" | head -3 | tr '\n' ' ')"
	fi
else
	skip "unit/sha256x[qemu64]/portable-path-picked-and-pass" "qemu-user not installed (build/deps.sh test)"
fi
results_summary
