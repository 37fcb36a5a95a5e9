#!/bin/sh
# Owns: the GPT disk image. One EFI system partition holding the kernel
# (with its embedded initramfs and command line) as the removable-media boot
# path \EFI\BOOT\BOOTX64.EFI. Fixed GUIDs, volume id and times: reproducible.
# Usage: mkimage.sh EFI IMG
set -eu
EFI=$1 IMG=$2
: "${SOURCE_DATE_EPOCH:?}"
export SOURCE_DATE_EPOCH
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
efi_kib=$(( ($(stat -c %s "$EFI") + 1023) / 1024 ))
esp_mib=$(( (efi_kib + 4096) / 1024 + 1 ))
[ $esp_mib -ge 33 ] || esp_mib=33   # FAT32 wants at least 65525 clusters of 512 bytes
esp=$tmp/esp.img
mkfs.vfat -C --invariant -F 32 -S 512 -s 1 -i 4A554D50 -n JUMPBOX-ESP "$esp" $((esp_mib * 1024)) >/dev/null
cp "$EFI" "$tmp/BOOTX64.EFI"
touch -d "@$SOURCE_DATE_EPOCH" "$tmp/BOOTX64.EFI"
MTOOLS_SKIP_CHECK=1 mmd -i "$esp" ::/EFI ::/EFI/BOOT
MTOOLS_SKIP_CHECK=1 mcopy -m -i "$esp" "$tmp/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
total_mib=$((esp_mib + 2))
rm -f "$IMG"
truncate -s ${total_mib}M "$IMG"
sfdisk --quiet --no-reread --no-tell-kernel "$IMG" <<GPT
label: gpt
label-id: 6A756D70-626F-7800-0000-000000000001
first-lba: 2048
start=2048, size=$((esp_mib * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=6A756D70-626F-7800-0000-0000000000E5, name="jumpbox-esp"
GPT
dd if="$esp" of="$IMG" bs=1M seek=1 conv=notrunc status=none
