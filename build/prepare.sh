#!/bin/sh
# Owns: the common first step of every userland recipe: a fresh work tree
# from the verified, Debian-patched source (fetch.sh), with the recipe's own
# numbered patches applied in order (a patch that does not apply stops the build).
# Usage: prepare.sh NAME WORKDIR
set -eu
NAME=$1 WORK=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$("$HERE/fetch.sh" "$NAME")
rm -rf "$WORK"; mkdir -p "$WORK"
cp -a "$SRC/." "$WORK/"
for p in "$HERE/pkg/$NAME"/patches/*.patch; do
	[ -f "$p" ] || continue
	patch -d "$WORK" -p1 -s --no-backup-if-mismatch < "$p" || { echo "$NAME: $p does not apply" >&2; exit 1; }
done
