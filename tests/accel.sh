#!/bin/sh
# Owns: choosing QEMU's accelerator for vm.sh. Prints "kvm" or "tcg" on stdout
# and one line saying why on stderr.
#
# A writable /dev/kvm is not proof that KVM works: some machines have a KVM
# (kvm-pvm, nested) that stops an OVMF guest at once with "KVM internal
# error", leaving the serial console empty, so every boot waits out its
# deadline. So KVM is used only after a probe: OVMF alone (no disk) under KVM
# must print its boot manager's first line on the serial console within
# PROBE_SECS. The verdict is cached per host boot (boot_id) and QEMU binary.
#
# JB_ACCEL=kvm|tcg forces a choice (kvm still needs a writable /dev/kvm).
set -eu
PROBE_SECS=${JB_KVM_PROBE_SECS:-15}
case ${JB_ACCEL:-} in
tcg) echo "accel: tcg (JB_ACCEL=tcg)" >&2; echo tcg; exit 0 ;;
kvm)
	[ -w /dev/kvm ] || { echo "accel: JB_ACCEL=kvm but /dev/kvm is not writable" >&2; exit 1; }
	echo "accel: kvm (JB_ACCEL=kvm, not probed)" >&2; echo kvm; exit 0 ;;
'') ;;
*) echo "accel: JB_ACCEL must be kvm or tcg, not '$JB_ACCEL'" >&2; exit 1 ;;
esac
if [ ! -w /dev/kvm ]; then
	echo "accel: tcg (no writable /dev/kvm)" >&2; echo tcg; exit 0
fi
cache_dir=${JB_CACHE:-$HOME/.cache/jumpbox}/accel
qemu=$(command -v qemu-system-x86_64)
key="$(cat /proc/sys/kernel/random/boot_id) $(stat -c %Y "$qemu")"
if [ -f "$cache_dir/verdict" ] && [ "$(sed -n 1p "$cache_dir/verdict")" = "$key" ]; then
	v=$(sed -n 2p "$cache_dir/verdict")
	echo "accel: $v (probed earlier this boot: $(sed -n 3p "$cache_dir/verdict"))" >&2
	echo "$v"; exit 0
fi
mkdir -p "$cache_dir"
d=$(mktemp -d "$cache_dir/probe.XXXXXX")
trap 'kill "$(cat "$d/pid" 2>/dev/null)" 2>/dev/null; rm -rf "$d"' EXIT
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$d/vars.fd"
qemu-system-x86_64 -machine q35,accel=kvm -m 128 -nodefaults -no-user-config -display none \
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,file="$d/vars.fd" \
	-serial file:"$d/console" > "$d/err" 2>&1 &
echo $! > "$d/pid"
t0=$(date +%s%N) verdict=tcg
why="KVM guest printed nothing within ${PROBE_SECS}s (a KVM that cannot run OVMF)"
while [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$PROBE_SECS" ]; do
	if grep -q "BdsDxe\|UEFI" "$d/console" 2>/dev/null; then
		verdict=kvm why="OVMF printed under KVM after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
		break
	fi
	# a KVM that cannot emulate what OVMF does says so at once (and pauses the guest)
	if grep -q "KVM internal error\|emulation failure" "$d/err" 2>/dev/null; then
		why="KVM failed the probe guest: $(grep -m1 "KVM internal error" "$d/err")$(dmesg 2>/dev/null | grep -o 'kvm[-a-z]*: INTERNAL_ERROR[^:]*' | tail -1 | sed 's/^/; host: /')"
		break
	fi
	kill -0 "$(cat "$d/pid")" 2>/dev/null || { why="qemu under KVM exited: $(head -c 200 "$d/err" | tr '\n' ' ')"; break; }
	sleep 0.1
done
printf '%s\n%s\n%s\n' "$key" "$verdict" "$why" > "$cache_dir/verdict"
echo "accel: $verdict ($why)" >&2
echo "$verdict"
