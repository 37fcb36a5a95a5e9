#!/bin/sh
# Owns: assembling the read-only root file system and the initramfs.
# Lays out the staging tree from rootfs/ and the built binaries, makes the
# squashfs (fixed times, root-owned, sorted: reproducible), then the cpio
# that the kernel embeds: /init, /dev/console and /rootfs.squashfs.
# Usage: mkrootfs.sh OUTDIR BINDIR VERSION [BAKED_CONFIG]
#   BINDIR holds busybox, dropbearmulti, jumpinit, jumpd, jumpctl, jumpfw, jumpmenu, jumpship, jumprec, gen_init_cpio.
set -eu
OUT=$1 BIN=$2 VERSION=$3 BAKED=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
: "${SOURCE_DATE_EPOCH:?}"
ST=$OUT/staging
rm -rf "$ST"; mkdir -p "$ST"
umask 022
for d in bin sbin etc dev proc sys run tmp state config newroot; do mkdir -p "$ST/$d"; done
cp -a "$TOP/rootfs/." "$ST/"
install -m 0755 "$BIN/busybox" "$ST/bin/busybox"
install -m 0755 "$BIN/dropbearmulti" "$ST/sbin/dropbearmulti"
# the recorder's relay client (Dropbear patch 0016): dropbearmulti called as dbclient
ln -s dropbearmulti "$ST/sbin/dbclient"
install -m 0755 "$BIN/jumpinit" "$ST/sbin/init"
install -m 0755 "$BIN/jumpd" "$ST/sbin/jumpd"
install -m 0755 "$BIN/jumpship" "$ST/sbin/jumpship"
install -m 0755 "$BIN/jumprec" "$ST/sbin/jumprec"
install -m 0755 "$BIN/jumpctl" "$ST/bin/jumpctl"
install -m 0755 "$BIN/jumpfw" "$ST/sbin/jumpfw"
install -m 0755 "$BIN/jumpmenu" "$ST/bin/jumpmenu"
# the firewall helper alone is dynamic (glibc + Debian's libnftnl/libmnl, see
# docs/firewall.md): exactly its libraries, in its own run path, and glibc's loader
mkdir -p "$ST/usr/lib/jumpfw" "$ST/lib64"
interp=$(readelf -l "$BIN/jumpfw" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ "$interp" = /lib64/ld-linux-x86-64.so.2 ] || { echo "mkrootfs: jumpfw: unexpected interpreter '$interp'" >&2; exit 1; }
install -m 0755 "$(readlink -f "$interp")" "$ST$interp"
for lib in $(readelf -d "$BIN/jumpfw" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
	[ -n "$path" ] || { echo "mkrootfs: jumpfw needs $lib, not found on the build machine" >&2; exit 1; }
	install -m 0644 "$(readlink -f "$path")" "$ST/usr/lib/jumpfw/$lib"
done
# init's other programs: one multi-call binary, chosen by name (jumpd/init/multicall.c)
for p in jb-supervise jb-setup jb-hostkeys jb-net jb-dhcp-hook; do
	ln -s init "$ST/sbin/$p"
done
# only the reviewed applets get a name (build/pkg/busybox/applets.config)
for a in $("$BIN/busybox" --list 2>/dev/null || true); do
	[ "$a" = busybox ] || ln -s busybox "$ST/bin/$a"
done
[ -e "$ST/bin/sh" ] || { echo "mkrootfs: busybox has no sh applet (or cannot run here)" >&2; exit 1; }
ln -s /run/etc/passwd "$ST/etc/passwd"
ln -s /run/etc/group "$ST/etc/group"
ln -s /run/net/resolv.conf "$ST/etc/resolv.conf"
echo "$VERSION" > "$ST/etc/jumpbox-version"
cat > "$ST/etc/os-release" <<OS
NAME=jumpbox
ID=jumpbox
VERSION_ID=$VERSION
PRETTY_NAME="jumpbox $VERSION"
OS
if [ -n "$BAKED" ]; then
	install -m 0600 "$BAKED" "$ST/etc/jumpbox/jumpbox.conf"
fi
find "$ST" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$OUT/rootfs.squashfs"
# uncompressed: the squashfs rides in the initramfs, inside the kernel image, which is
# compressed as a whole; an xz squashfs was unpacked again at every first exec of a
# program (libc, dropbearmulti, busybox...), slow under software emulation
mksquashfs "$ST" "$OUT/rootfs.squashfs" -noappend -all-root -noI -noD -noF -noX -no-xattrs \
	-processors 1 -quiet >/dev/null   # times come from SOURCE_DATE_EPOCH

cat > "$OUT/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /newroot 0755 0 0
file /init $BIN/jumpinit 0755 0 0
file /rootfs.squashfs $OUT/rootfs.squashfs 0444 0 0
LIST
"$BIN/gen_init_cpio" -t "$SOURCE_DATE_EPOCH" "$OUT/initramfs.list" > "$OUT/initramfs.cpio"
