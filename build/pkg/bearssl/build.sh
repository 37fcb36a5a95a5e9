#!/bin/sh
# Owns: building BearSSL's static library against musl for jumpd (TLS, SHA-256).
# Usage: build.sh WORKDIR TOOLCHAINDIR DESTDIR   (DESTDIR gets lib/ and include/)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
WORK=$1 TC=$2 DEST=$3
"$TOP/build/prepare.sh" bearssl "$WORK"
cd "$WORK"
make -s -j"${JOBS:-$(nproc)}" CONF=Unix CC="$TC/jb-cc" CFLAGS="-W -Wall -O2 -fPIE" lib
mkdir -p "$DEST/lib" "$DEST/include"
cp build/libbearssl.a "$DEST/lib/"
cp inc/*.h "$DEST/include/"
