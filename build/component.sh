#!/bin/sh
# Owns: building one userland component once per set of inputs. The output
# is kept in the cache under a key made of everything that can change it
# (recipe folder, toolchain files, pinned source, compiler and musl versions),
# so a fresh clone with the same inputs reuses it instead of recompiling.
# Usage: component.sh NAME TOOLCHAINDIR DESTDIR
#   JB_NOCACHE=1 builds from scratch in a private dir (reproducibility check).
set -eu
# variables given to the top-level make (O=, IMAGES=) must not leak into upstream makefiles
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
NAME=$1 TC=$2 DEST=$3
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${JB_CACHE:-$HOME/.cache/jumpbox}
TOP=$(cd "$HERE/.." && pwd)
# build/pkg/NAME/ours: files of this repository compiled into the component
OURS=$( [ -f "$HERE/pkg/$NAME/ours" ] && sed "s|^|$TOP/|" "$HERE/pkg/$NAME/ours" || true)
# build/pkg/NAME/deps: other components its build.sh builds in (their recipes join the key)
DEPS=$( [ -f "$HERE/pkg/$NAME/deps" ] && sed "s|^|$HERE/pkg/|" "$HERE/pkg/$NAME/deps" || true)
KEY=$( { find "$HERE/pkg/$NAME" $DEPS "$HERE/toolchain" "$HERE/component.sh" "$HERE/prepare.sh" -type f | LC_ALL=C sort | xargs cat;
	[ -z "$OURS" ] || cat $OURS;
	cat "$TC/musl-static-pie.specs"; gcc --version; dpkg-query -W musl-dev musl-tools 2>/dev/null; } |
	sha256sum | cut -c1-16)
# the cache is shared by every clone on this machine: one build of a component at a time
mkdir -p "$CACHE"
exec 9> "$CACHE/.component-$NAME.lock"
flock 9
if [ "${JB_NOCACHE:-0}" = 1 ]; then
	OUT=$(mktemp -d /tmp/jb-nocache-$NAME.XXXXXX)
	WORK=$OUT/work
else
	OUT=$CACHE/out/$NAME-$KEY
	WORK=$CACHE/work/$NAME
fi
if [ ! -f "$OUT/.done" ]; then
	LOG=$OUT.log
	mkdir -p "$OUT"
	echo "  BUILD   $NAME (log: $LOG)" >&2
	if ! "$HERE/pkg/$NAME/build.sh" "$WORK" "$TC" "$OUT/dest" > "$LOG" 2>&1; then
		tail -n 40 "$LOG" >&2
		echo "component.sh: $NAME failed; full log in $LOG" >&2
		exit 1
	fi
	rm -rf "$WORK"
	touch "$OUT/.done"
fi
rm -rf "$DEST"
mkdir -p "$DEST"
cp -a "$OUT/dest/." "$DEST/"
[ "${JB_NOCACHE:-0}" = 1 ] && rm -rf "$OUT" "$OUT.log"
exit 0
