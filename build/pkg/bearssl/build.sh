#!/bin/sh
# Owns: building BearSSL's static library against musl for jumpd (TLS, SHA-256).
# Usage: build.sh WORKDIR TOOLCHAINDIR DESTDIR   (DESTDIR gets lib/ and include/)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
WORK=$1 TC=$2 DEST=$3
SRC=$("$TOP/build/fetch.sh" bearssl)
rm -rf "$WORK"; mkdir -p "$WORK"
cp -a "$SRC/." "$WORK/"
for p in "$HERE"/patches/*.patch; do
	[ -f "$p" ] || continue
	patch -d "$WORK" -p1 -s --no-backup-if-mismatch < "$p" || { echo "bearssl: $p does not apply" >&2; exit 1; }
done
cd "$WORK"
make -s -j"${JOBS:-$(nproc)}" CONF=Unix CC="$TC/jb-cc" CFLAGS="-W -Wall -O2 -fPIE" lib
mkdir -p "$DEST/lib" "$DEST/include"
cp build/libbearssl.a "$DEST/lib/"
cp inc/*.h "$DEST/include/"
