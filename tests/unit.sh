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
	"$bin" > "$bin.out" 2>&1 || true
	grep -q '^PASS\|^FAIL' "$bin.out" || { fail "unit/$name[$mode]" "no test ran: $(tail -3 "$bin.out" | tr '\n' ' ')"; return; }
	if grep -q 'ERROR: AddressSanitizer\|runtime error' "$bin.out"; then
		fail "unit/$name[$mode]/sanitizer" "$(grep -m1 'ERROR\|runtime error' "$bin.out")"
	fi
	grep '^PASS\|^FAIL' "$bin.out" | sed "s|^\(PASS\|FAIL\) \([^:]*\)\(.*\)|\1 unit/$name[$mode]/\2\3|" >> "$RESULTS"
	grep '^FAIL' "$bin.out" | sed 's/^/  /' || true
	grep -c '^PASS' "$bin.out" | sed "s|^|  unit/$name[$mode]: |; s|$| passed|"
}
for mode in plain asan; do
	build_and_run siteconf $mode "$J/common/siteconf_test.c" "$J/common/siteconf.c" "$J/common/siteconf_policy.c" "$J/mfa/base32.c"
	# init: one test per program of the multi-call binary (jumpd/init/multicall.c)
	SITECONF="$J/common/siteconf.c $J/common/siteconf_policy.c $J/mfa/base32.c"
	build_and_run init $mode "$J/init/init_test.c" "$J/init/volumes.c" "$J/init/powerbutton.c" \
		"$J/init/entropy.c"
	build_and_run supervisor $mode "$J/init/supervisor_test.c" "$J/init/services.c" "$J/init/fwargs.c" \
		"$J/init/supervise.c" "$J/init/caps.c" "$J/init/fsutil.c" "$J/init/log.c" $SITECONF
	build_and_run setup $mode "$J/init/setup_test.c" "$J/init/setup.c" "$J/init/users.c" \
		"$J/init/fsutil.c" "$J/init/log.c" $SITECONF
	build_and_run hostkeys $mode "$J/init/hostkeys_test.c" "$J/init/hostkeys.c" "$J/init/run.c" \
		"$J/init/caps.c" "$J/init/fsutil.c" "$J/init/log.c"
	build_and_run netup $mode "$J/init/netup_test.c" "$J/init/netup.c" "$J/init/netcfg.c" "$J/init/log.c" $SITECONF
	build_and_run dhcp_hook $mode "$J/init/dhcp_hook_test.c" "$J/init/dhcp_hook.c" "$J/init/netcfg.c" \
		"$J/init/log.c" $SITECONF
	build_and_run policy $mode "$J/daemon/policy_test.c" "$J/daemon/policy.c" "$J/common/siteconf.c" \
		"$J/common/siteconf_policy.c" "$J/mfa/base32.c"
	build_and_run spool $mode "$J/daemon/spool_test.c" "$J/daemon/spool.c" "$J/common/auditrec.c" "$J/ctl/auditverify.c"
	build_and_run privdrop $mode "$J/dropbear/jb-privdrop_test.c" "$J/dropbear/jb-privdrop.c"
	build_and_run totp $mode "$J/mfa/totp_test.c" "$J/mfa/totp.c" "$J/mfa/base32.c"
	build_and_run hookproto $mode "$J/common/hookproto_test.c" "$J/common/hookproto.c"
	build_and_run kbdint $mode "$J/dropbear/jb-kbdint_test.c" "$J/dropbear/jb-kbdint.c"
	build_and_run channels $mode "$J/daemon/channels_test.c" "$J/daemon/channels.c"
	build_and_run fw $mode "$J/fw/fw_test.c" "$J/fw/fw_ruleset.c" "$J/fw/fw_pinhole.c" "$J/fw/fw_nflog.c" -lnftnl -lmnl
	build_and_run mfa $mode "$J/daemon/mfa_test.c" "$J/daemon/mfa.c" "$J/daemon/guard.c" \
		"$J/daemon/replay.c" "$J/common/durable.c" "$J/mfa/totp.c" "$J/mfa/base32.c" "$J/common/siteconf.c" "$J/common/siteconf_policy.c"
	build_and_run event $mode "$J/daemon/event_test.c" "$J/daemon/event.c" "$J/daemon/spool.c" "$J/common/auditrec.c"
	build_and_run framing $mode "$J/ship/framing_test.c" "$J/ship/framing.c"
	build_and_run delivery $mode "$J/ship/delivery_test.c" "$J/ship/delivery.c" "$J/ship/cursor.c" "$J/common/durable.c"
done
results_summary
