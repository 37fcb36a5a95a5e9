#!/bin/sh
# Remakes this folder's seeds (the fuzz harness's, jumpd/common/rsyncstream_fuzz.c,
# and the unit test's, rsyncstream_test.c): real rsync sessions through
# transfer_tap (TAP_DUMP: a byte 0 upload / 2 download, the server command, a
# NUL, then chunks `length << 1 | 1 for the server's`). The files' contents are
# fixed so the unit test knows each one's SHA-256:
#   a = "alpha\n", e = empty, sub/b = 5000 bytes "0123456789" repeated.
# Usage: capture.sh   (from anywhere; needs rsync and `make out/test/transfer_tap`)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
TAP=$TOP/out/test/transfer_tap
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/src/sub"
printf 'alpha\n' > "$W/src/a"
: > "$W/src/e"
i=0; while [ $i -lt 500 ]; do printf 0123456789; i=$((i + 1)); done > "$W/src/sub/b"
touch -d 2020-01-02 "$W/src/a" "$W/src/e" "$W/src/sub/b"
cap() { # NAME RSYNC-ARGS...
	name=$1; shift
	TAP_DUMP=$HERE/$name rsync -e "$TAP rsync $W/ev" "$@" > /dev/null
}
mkdir "$W/d1" "$W/d2" "$W/d3" "$W/d4" "$W/d5" "$W/d6"
cap up-inc -a "$W/src/" "localhost:$W/d1/"
cap down-inc -a "localhost:$W/src" "$W/d2/"
cap up-noinc -a --no-inc-recursive "$W/src/" "localhost:$W/d3/"
cap up-proto30 -a --protocol=30 "$W/src/" "localhost:$W/d4/"
cap down-proto31 -rc --protocol=31 "localhost:$W/src/" "$W/d5/"
cap up-single "$W/src/a" "localhost:$W/d6/one"
printf 'alpha and more\n' > "$W/src/a"
i=0; while [ $i -lt 300 ]; do printf 0123456789; i=$((i + 1)); done >> "$W/src/sub/b"
cap up-delta -a --no-W "$W/src/" "localhost:$W/d1/"
cap up-compress -az "$W/src/" "localhost:$W/d3/"
