#!/bin/sh
# Owns: checks on the built artefacts without booting: every executable in
# the root file system is static-PIE with full RELRO and stack protector
# traces, nothing is setuid/setgid, only reviewed busybox applets exist, the
# kernel has no module support, the command line is embedded, SHA256SUMS
# verifies and the manifest names every component. The one exception to
# static-PIE, the firewall helper (glibc + libnftnl, docs/firewall.md), is checked
# on its own: PIE, full RELRO, exactly its three libraries in its run path.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/static-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/static
rm -rf "$T"; mkdir -p "$T"
SQ=$TOP/out/rootfs.squashfs
[ -f "$SQ" ] || { fail static/rootfs-present; exit 0; }
unsquashfs -q -n -d "$T/root" "$SQ" >/dev/null 2>&1 || { fail static/unsquashfs; exit 0; }

n=0 bad=""
for f in $(find "$T/root" -type f); do
	head -c 4 "$f" | grep -q 'ELF' || continue
	n=$((n + 1))
	rel=${f#$T/root}
	case $rel in /sbin/jumpfw|/usr/lib/jumpfw/*|/lib64/ld-linux-x86-64.so.2) continue ;; esac
	hdr=$(readelf -hldW "$f" 2>/dev/null)
	echo "$hdr" | grep -q 'Type:.*DYN' || { bad="$bad $rel(not-PIE)"; continue; }
	echo "$hdr" | grep -q 'INTERP' && { bad="$bad $rel(dynamic)"; continue; }
	echo "$hdr" | grep -q 'GNU_RELRO' || bad="$bad $rel(no-RELRO)"
	echo "$hdr" | grep -q 'FLAGS.*NOW\|BIND_NOW' || bad="$bad $rel(no-BIND_NOW)"
	echo "$hdr" | grep -q 'GNU_STACK.*RWE' && bad="$bad $rel(exec-stack)"
	file "$f" | grep -q 'static-pie linked' || bad="$bad $rel(file:not-static-pie)"
done
if [ $n -ge 3 ] && [ -z "$bad" ]; then pass "static/executables-static-pie-relro ($n checked)"
else fail static/executables-static-pie-relro "checked $n:$bad"; fi

# the firewall helper: dynamic against exactly glibc, libnftnl and libmnl, from its own run path
fw=$T/root/sbin/jumpfw
hdr=$(readelf -hldW "$fw" 2>/dev/null)
needed=$(echo "$hdr" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
libs=$(cd "$T/root" && find usr/lib/jumpfw lib64 -type f 2>/dev/null | sort | tr '\n' ' ')
if echo "$hdr" | grep -q 'Type:.*DYN' && echo "$hdr" | grep -q 'interpreter: /lib64/ld-linux-x86-64.so.2' \
	&& echo "$hdr" | grep -q GNU_RELRO && echo "$hdr" | grep -q 'FLAGS.*NOW' && ! echo "$hdr" | grep -q 'GNU_STACK.*RWE' \
	&& echo "$hdr" | grep -q 'RUNPATH.*\[/usr/lib/jumpfw\]' && [ "$needed" = "libc.so.6 libmnl.so.0 libnftnl.so.11 " ] \
	&& [ "$libs" = "lib64/ld-linux-x86-64.so.2 usr/lib/jumpfw/libc.so.6 usr/lib/jumpfw/libmnl.so.0 usr/lib/jumpfw/libnftnl.so.11 " ] \
	&& readelf -sW --dyn-syms "$fw" | grep -q __stack_chk_fail; then
	pass static/firewall-helper-only-dynamic-binary-pie-relro-ssp
else
	fail static/firewall-helper-only-dynamic-binary-pie-relro-ssp "needed [$needed] libs [$libs]"
fi

# stack protector, per function in our binaries (their unstripped .full copies):
# each function listed must load the canary (%fs:0x28) itself; the control, a
# function without arrays, must not (-fstack-protector-strong instruments only
# what needs it), so the check tells one from the other
# (A|B: the code is in one of them, wherever the compiler inlined a static
# helper: jumpd's dispatcher is serve_one, called once from verbs_serve_table)
canary_refs() {
	n=0
	for fn in $(echo "$2" | tr '|' ' '); do
		k=$(objdump -d --no-show-raw-insn "$1" | awk -v f="<$fn>:" '$2 == f { on = 1; next } on && /^$/ { exit } on' | grep -c '%fs:0x28')
		n=$((n + k))
	done
	echo $n
}
for spec in "jumpd conn_reply verbs_serve_table|serve_one verb_channel" "jumpinit sysctl_apply" "jumpship main" \
	"jumpctl main" "jumpmenu main" "jumpfw read_nflog main"; do
	set -- $spec; b=$1; shift; f=$TOP/out/bin/$b.full
	missing=""
	for fn in "$@"; do [ "$(canary_refs "$f" "$fn")" -ge 1 ] || missing="$missing $fn"; done
	if [ -z "$missing" ]; then pass "static/stack-protector-per-function $b ($*)"
	else fail "static/stack-protector-per-function $b" "no canary in:$missing"; fi
done
if [ "$(canary_refs "$TOP/out/bin/jumpd.full" jumpd_is_user)" = 0 ]; then pass static/stack-protector-check-discriminates
else fail static/stack-protector-check-discriminates "jumpd_is_user (no arrays) carries a canary: the check cannot tell"; fi
# Dropbear and busybox are stripped in the image: the canary routine is linked in
for b in sbin/dropbearmulti bin/busybox; do
	f=$T/root/$b
	# stripped binaries keep no symbol names: look for the libc routine's message instead
	if grep -q -a 'stack smashing\|__stack_chk_fail' "$f" || strings -a "$f" | grep -q '__stack_chk'; then :; else
		# musl's __stack_chk_fail crashes without a message; look for the canary load from %fs:0x28
		objdump -d "$f" 2>/dev/null | grep -q '%fs:0x28' || { fail "static/stack-protector $b"; continue; }
	fi
	pass "static/stack-protector $b"
done

s=$(find "$T/root" -perm /6000 -type f | sed "s|$T/root||")
[ -z "$s" ] && pass static/no-setuid-setgid || fail static/no-setuid-setgid "$s"

want=$(grep '^CONFIG_[A-Z0-9_]*=y' "$TOP/build/pkg/busybox/applets.config" | sed 's/CONFIG_\(.*\)=y/\1/' | tr 'A-Z' 'a-z')
extra=""
for l in $(find "$T/root/bin" -type l); do
	a=$(basename "$l")
	[ "$(readlink "$l")" = busybox ] || continue
	echo "$want" | grep -qx "$a" || [ "$a" = sh ] || extra="$extra $a"
done
for toy in telnet wget nc httpd ftpd tftp telnetd; do [ -e "$T/root/bin/$toy" ] && extra="$extra $toy"; done
[ -z "$extra" ] && pass static/busybox-reviewed-applets-only || fail static/busybox-reviewed-applets-only "$extra"

KC=$TOP/images/jumpbox.efi.config
if [ -f "$KC" ]; then
	grep -q '^# CONFIG_MODULES is not set' "$KC" && pass static/kernel-no-modules || fail static/kernel-no-modules
	grep -q '^CONFIG_CMDLINE_OVERRIDE=y' "$KC" && grep -q '^CONFIG_EFI_STUB=y' "$KC" \
		&& pass static/kernel-efi-fixed-cmdline || fail static/kernel-efi-fixed-cmdline
else
	fail static/kernel-config-present
fi
# kernel hardening: the built .config and the embedded command line against the list and its waivers
if [ -f "$KC" ]; then
	cmdline=$(sed -n 's/^CONFIG_CMDLINE="\(.*\)"$/\1/p' "$KC")
	if python3 "$TOP/tests/kconfig_check.py" "$KC" "$cmdline" "$TOP/kernel-config/hardening.list" \
		"$TOP/kernel-config/waivers" > "$T/kconfig-check.out"; then
		pass "static/kernel-hardening ($(tail -1 "$T/kconfig-check.out" | sed 's/kernel hardening: //'))"
	else
		fail static/kernel-hardening "$(grep -v '^kernel hardening' "$T/kconfig-check.out" | head -5 | tr '\n' ';')"
	fi
	# the check must catch a reverted setting: weaken a copy of the config and the command line
	sed -e 's/^CONFIG_INIT_ON_FREE_DEFAULT_ON=y/# CONFIG_INIT_ON_FREE_DEFAULT_ON is not set/' \
	    -e 's/^# CONFIG_MODULES is not set/CONFIG_MODULES=y/' \
	    -e 's/^CONFIG_PROC_MEM_NO_FORCE=y/# CONFIG_PROC_MEM_NO_FORCE is not set/' "$KC" > "$T/weak.config"
	weak=$(python3 "$TOP/tests/kconfig_check.py" "$T/weak.config" \
		"$(echo "$cmdline" | sed -e 's/ slab_nomerge//' -e 's/ mitigations=auto,nosmt//' -e 's/ mds=full,nosmt/ mds=off/')" \
		"$TOP/kernel-config/hardening.list" "$TOP/kernel-config/waivers")
	if echo "$weak" | grep -q 'DEVIATION CONFIG_INIT_ON_FREE_DEFAULT_ON' && echo "$weak" | grep -q 'DEVIATION CONFIG_MODULES' \
		&& echo "$weak" | grep -q 'DEVIATION CONFIG_PROC_MEM_NO_FORCE' \
		&& echo "$weak" | grep -q 'DEVIATION cmdline:slab_nomerge' \
		&& echo "$weak" | grep -q 'DEVIATION cmdline:mitigations=auto,nosmt' \
		&& echo "$weak" | grep -q 'DEVIATION cmdline:mds=full,nosmt'; then
		pass static/kernel-hardening-catches-reverts
	else
		fail static/kernel-hardening-catches-reverts "$weak"
	fi
	# every parameter of the embedded command line is one the pinned kernel parses (a misspelt
	# or too-new one does nothing); the same run gets one it does not know, which must be named
	if ksrc=$("$TOP/build/fetch.sh" linux 2>/dev/null) && [ -d "$ksrc" ]; then
		kp=$(python3 "$TOP/tests/kconfig_check.py" --params "$ksrc" "$cmdline hash_pointers=always")
		if echo "$kp" | grep -q '^UNKNOWN PARAMETER hash_pointers=always:' \
			&& [ "$(echo "$kp" | grep -c '^UNKNOWN PARAMETER')" = 1 ]; then
			pass "static/kernel-cmdline-params-known ($(echo "$kp" | tail -1 | sed 's/kernel parameters: //'), with hash_pointers=always added as the unknown control)"
		else
			fail static/kernel-cmdline-params-known "$(echo "$kp" | grep -v 'hash_pointers=always' | head -5 | tr '\n' ';')"
		fi
	else
		fail static/kernel-cmdline-params-known "no kernel source (build/fetch.sh linux)"
	fi
fi
# an EFI executable: "MZ" DOS stub whose e_lfanew points at a PE header for x86-64 (machine 0x8664)
if python3 - "$TOP/images/jumpbox.efi" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read(4096)
off = struct.unpack_from('<I', d, 0x3c)[0]
assert d[:2] == b'MZ' and d[off:off+4] == b'PE\0\0' and struct.unpack_from('<H', d, off+4)[0] == 0x8664
PY
then pass static/efi-is-pe-x86-64; else fail static/efi-is-pe-x86-64; fi
(cd "$TOP/images" && sha256sum --quiet -c SHA256SUMS) >/dev/null 2>&1 && pass static/sha256sums-verify || fail static/sha256sums-verify
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); names={c["name"] for c in d["components"]}; \
	assert {"linux","busybox","dropbear","bearssl","musl"} <= names; \
	assert all(c["license"] and c["version"] for c in d["components"])' "$TOP/images/manifest.json" 2>/dev/null; then
	pass static/manifest-complete
else
	fail static/manifest-complete
fi
sfdisk -d "$TOP/images/jumpbox.img" 2>/dev/null | grep -q 'type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B' \
	&& MTOOLS_SKIP_CHECK=1 mdir -i "$TOP/images/jumpbox.img@@1M" ::/EFI/BOOT/BOOTX64.EFI >/dev/null 2>&1 \
	&& pass static/gpt-esp-bootx64 || fail static/gpt-esp-bootx64
results_summary
