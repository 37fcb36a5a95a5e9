#!/bin/sh
# Owns: booting the image under QEMU (UEFI via OVMF, software emulation when
# KVM is absent or fails its probe: tests/accel.sh). Used by `make run` and by the image tests.
# Usage: vm.sh DIR IMG SSHPORT [CONFIG_IMG] [STATE_IMG]
#   Foreground with the serial console on stdio if VM_FOREGROUND=1; otherwise
#   in the background, console in DIR/console.log, pid in DIR/qemu.pid,
#   monitor socket DIR/monitor.sock.
set -eu
DIR=$1 IMG=$2 PORT=$3 CFG=${4:-} STATE=${5:-}
mkdir -p "$DIR"
code=/usr/share/OVMF/OVMF_CODE_4M.fd
vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[ -f "$code" ] || { echo "vm.sh: $code missing (package ovmf)" >&2; exit 1; }
[ -f "$DIR/ovmf_vars.fd" ] || cp "$vars" "$DIR/ovmf_vars.fd"
accel=$("$(dirname "$0")/accel.sh") || exit 1
set -- qemu-system-x86_64 -machine q35,accel=$accel -m 512 -smp 2 -nodefaults -no-user-config \
	-drive if=pflash,format=raw,readonly=on,file="$code" \
	-drive if=pflash,format=raw,file="$DIR/ovmf_vars.fd" \
	-drive if=none,id=boot,format=raw,readonly=on,file="$IMG" \
	-device virtio-blk-pci,drive=boot,bootindex=0 \
	-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$PORT-:22 \
	-device virtio-net-pci,netdev=n0,romfile= \
	-device virtio-rng-pci \
	-no-reboot
[ -n "$CFG" ] && set -- "$@" -drive if=none,id=cfg,format=raw,readonly=on,file="$CFG" -device virtio-blk-pci,drive=cfg
[ -n "$STATE" ] && set -- "$@" -drive if=none,id=state,format=raw,file="$STATE" -device virtio-blk-pci,drive=state
if [ "${VM_FOREGROUND:-0}" = 1 ]; then
	exec "$@" -nographic -serial mon:stdio
fi
rm -f "$DIR/console.log" "$DIR/monitor.sock"
"$@" -display none -serial file:"$DIR/console.log" \
	-monitor unix:"$DIR/monitor.sock",server,nowait \
	-daemonize -pidfile "$DIR/qemu.pid"
