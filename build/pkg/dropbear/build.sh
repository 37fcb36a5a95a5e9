#!/bin/sh
# Owns: building Dropbear (server, dropbearkey and the relay client dbclient,
# multi-call) static-PIE
# against musl: Debian's patch series (applied by fetch.sh), then ours from
# patches/ in order, then localoptions.h; linked with the pinned BearSSL
# component (deps: its packet ciphers, patch 0009).
# Usage: build.sh WORKDIR TOOLCHAINDIR DESTDIR   (writes DESTDIR/dropbearmulti)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
WORK=$1 TC=$2 DEST=$3
"$TOP/build/prepare.sh" dropbear "$WORK"
cp "$HERE/localoptions.h" "$WORK/localoptions.h"
# our code that the patches call (build/pkg/dropbear/ours), beside upstream's in src/
for f in $(cat "$HERE/ours"); do cp "$TOP/$f" "$WORK/src/"; done
# BearSSL, built once per its own key by the same cache (build/pkg/bearssl)
"$TOP/build/component.sh" bearssl "$TC" "$WORK/bearssl"
cd "$WORK"
CC="$TC/jb-cc" CFLAGS="-O2" CPPFLAGS="-I$WORK/bearssl/include" LIBS="$WORK/bearssl/lib/libbearssl.a" ./configure --host=x86_64-linux-musl \
	--disable-zlib --disable-lastlog --disable-utmp --disable-utmpx \
	--disable-wtmp --disable-wtmpx --disable-pututline --disable-pututxline \
	--disable-pam --enable-bundled-libtom >/dev/null
make -s -j"${JOBS:-$(nproc)}" PROGRAMS="dropbear dropbearkey dbclient" MULTI=1 SCPPROGRESS=0
mkdir -p "$DEST"
strip --strip-all -o "$DEST/dropbearmulti" dropbearmulti
