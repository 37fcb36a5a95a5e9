#!/bin/sh
# Owns: building busybox static-PIE against musl with the reviewed applet list.
# Usage: build.sh WORKDIR TOOLCHAINDIR DESTDIR   (writes DESTDIR/busybox)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
WORK=$1 TC=$2 DEST=$3
"$TOP/build/prepare.sh" busybox "$WORK"
cd "$WORK"
export KCONFIG_NOTIMESTAMP=1
make -s allnoconfig >/dev/null
# busybox's kconfig ignores KCONFIG_ALLCONFIG: overlay the list, then settle
grep -v '^#' "$HERE/applets.config" | grep . | sed 's/=.*//' > .jb-opts
grep -v -w -F -f .jb-opts .config > .config.new || true
grep -v '^#' "$HERE/applets.config" | grep . | sed 's/^\(CONFIG_[A-Z0-9_]*\)=n$/# \1 is not set/' >> .config.new
mv .config.new .config
yes '' | make -s oldconfig >/dev/null
# every applets.config line must be in the result
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	opt=${line%%=*}; val=${line#*=}
	if [ "$val" = n ]; then
		! grep -q "^$opt=y" .config || { echo "busybox: $opt should be off" >&2; exit 1; }
	else
		grep -qxF "$line" .config || { echo "busybox: '$line' not accepted by Kconfig" >&2; exit 1; }
	fi
done < "$HERE/applets.config"
make -s -j"${JOBS:-$(nproc)}" CC="$TC/jb-cc" HOSTCC=gcc STRIP=strip \
	CONFIG_EXTRA_CFLAGS="-O2" SKIP_STRIP=n busybox
mkdir -p "$DEST"
cp busybox "$DEST/busybox"
