#!/bin/sh
# Owns: configuring and building the kernel from Debian's linux-source-6.12.
# The tree is configured as tinyconfig + kernel-config/jumpbox.config + the
# command line in kernel-config/cmdline; every fragment line must survive
# Kconfig or the build stops. Objects live in the cache (keyed by the inputs),
# so a fresh clone relinks instead of recompiling.
# Usage: build.sh headers DESTDIR     install UAPI headers (for musl userland)
#        build.sh image CPIO DEST     build bzImage (an EFI PE) embedding CPIO
set -eu
# variables given to the top-level make (O=, IMAGES=) must not leak into upstream makefiles
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
CACHE=${JB_CACHE:-$HOME/.cache/jumpbox}
SRC=$("$TOP/build/fetch.sh" linux)
. "$HERE/source"
# one object tree per kernel version: Kbuild rebuilds only what a config change touches
OUT=$CACHE/build/linux-$VERSION
# the object tree is shared by every clone using this cache: one build at a time
mkdir -p "$CACHE/build"
# headers already installed for this version: a copy, without waiting for a kernel build's lock
if [ "${1:-}" = headers ] && [ -f "$OUT/hdr/.done" ]; then
	mkdir -p "$2"
	cp -a "$OUT/hdr/include/." "$2/"
	exit 0
fi
exec 9> "$OUT.lock"
flock 9
JOBS=${JOBS:-$(nproc)}
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH must be set}"
export KBUILD_BUILD_TIMESTAMP="$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S UTC')"
export KBUILD_BUILD_USER=jumpbox KBUILD_BUILD_HOST=jumpbox KBUILD_BUILD_VERSION=1
KMAKE="make -s -C $SRC O=$OUT ARCH=x86_64"
if command -v ccache >/dev/null 2>&1; then
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	KMAKE="$KMAKE CC=ccache\ gcc"
fi

configure() {
	mkdir -p "$OUT"
	frag=$OUT/fragment.config
	{
		cat "$TOP/kernel-config/jumpbox.config"
		printf 'CONFIG_CMDLINE="%s"\n' "$(cat "$TOP/kernel-config/cmdline")"
		printf 'CONFIG_INITRAMFS_SOURCE="%s"\n' "$OUT/initramfs.cpio"
	} > "$frag.new"
	if [ -f "$OUT/.jumpbox-configured" ] && cmp -s "$frag.new" "$frag"; then
		rm -f "$frag.new"
		return 0
	fi
	rm -f "$OUT/.jumpbox-configured"
	mv "$frag.new" "$frag"
	# Kconfig wants the INITRAMFS_SOURCE file to exist; `image` puts the real one there
	[ -f "$OUT/initramfs.cpio" ] || : > "$OUT/initramfs.cpio"
	eval "$KMAKE tinyconfig" >/dev/null
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$frag" >/dev/null
	eval "$KMAKE olddefconfig"
	# every fragment line must be in the result, or Kconfig dropped it
	bad=0
	while IFS= read -r line; do
		case $line in ''|'#'*) continue ;; esac
		opt=${line%%=*}; val=${line#*=}
		if [ "$val" = n ]; then
			if grep -q "^$opt=" "$OUT/.config"; then
				echo "kernel-config: $opt is '$(grep "^$opt=" "$OUT/.config")', fragment wants it off" >&2; bad=1
			fi
		elif ! grep -qxF "$line" "$OUT/.config"; then
			echo "kernel-config: '$line' did not survive Kconfig (got: $(grep "^$opt=" "$OUT/.config" || echo unset))" >&2; bad=1
		fi
	done < "$frag"
	[ $bad = 0 ] || { echo "kernel-config: fix kernel-config/jumpbox.config (missing dependency?)" >&2; exit 1; }
	touch "$OUT/.jumpbox-configured"
}

case ${1:-} in
headers)
	dest=$2
	# installed once per kernel version; configuring again here would put this
	# checkout's config into the shared object tree under another's build
	if [ ! -f "$OUT/hdr/.done" ]; then
		configure
		eval "$KMAKE headers_install INSTALL_HDR_PATH=$OUT/hdr"
		touch "$OUT/hdr/.done"
	fi
	mkdir -p "$dest"
	cp -a "$OUT/hdr/include/." "$dest/"
	;;
image)
	configure
	cpio=$2 dest=$3
	cmp -s "$cpio" "$OUT/initramfs.cpio" || cp "$cpio" "$OUT/initramfs.cpio"
	eval "$KMAKE -j$JOBS bzImage"
	cp "$OUT/arch/x86/boot/bzImage" "$dest"
	cp "$OUT/.config" "$dest.config"
	;;
*) echo "usage: $0 headers DIR | image CPIO DEST" >&2; exit 2 ;;
esac
