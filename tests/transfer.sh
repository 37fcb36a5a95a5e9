#!/bin/sh
# Owns: the transfer parsers (jumpd/common/sftpparse.c, scpparse.c) against
# real peers. transfer_tap (jumpd/common/transfer_tap.c) sits between
# Debian's OpenSSH clients and servers as the recorder would, feeds both
# directions to the parser and writes its FILE events; each event's path,
# size and SHA-256 must be what sha256sum says of the file, and the copies
# must be byte for byte. sftp: `sftp -D TAP` to /usr/lib/openssh/sftp-server;
# legacy scp: `scp -O -S TAP`, the tap running `scp -t|-f` locally.
# rsync: `rsync -e 'TAP rsync EVENTS'`, the tap running `rsync --server`
# locally: the command's direction, path and what a stream parser could
# not follow (rsyncparse_command), the bytes each way, and rsyncstream's
# event per file, checked against sha256sum like sftp's and scp's.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/transfer-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/transfer
TAP=$TOP/out/test/transfer_tap
SERVER=/usr/lib/openssh/sftp-server
make -s -C "$TOP" out/test/transfer_tap > "$TOP/out/test/transfer-build.log" 2>&1 ||
	{ fail transfer/build "$(tail -3 "$TOP/out/test/transfer-build.log" | tr '\n' ' ')"; results_summary; exit 0; }
for tool in sftp scp "$SERVER"; do
	command -v "$tool" > /dev/null || { fail transfer/tools "$tool missing (build/deps.sh test: openssh-client, openssh-server)"; results_summary; exit 0; }
done
rm -rf "$T"; mkdir -p "$T/src/tree/sub/deeper" "$T/dst" "$T/got"
# random contents: empty, one byte, one sftp block exactly, odd sizes, over 1 MiB
for size in 0 1 32768 100001 1572865; do
	head -c $size /dev/urandom > "$T/src/f$size"
done
head -c 70000 /dev/urandom > "$T/src/tree/a"; : > "$T/src/tree/sub/empty"; head -c 5 /dev/urandom > "$T/src/tree/sub/deeper/b"

# expected event lines: DIR PATH-PREFIX/NAME SIZE SHA256 -   for each file under DIR
expect() { # DIRECTION LOCAL-DIR PATH-PREFIX FILES...
	d=$1 base=$2 prefix=$3; shift 3
	for f in "$@"; do
		echo "$d $prefix/$f $(stat -c %s "$base/$f") $(sha256sum < "$base/$f" | cut -d' ' -f1) -"
	done
}
compare() { # CHECK-NAME EVENTS-FILE EXPECTED-FILE
	if [ -s "$3" ] && sort "$2" | cmp -s - "$3"; then
		pass "$1 ($(wc -l < "$3") files)"
	else
		fail "$1" "events differ: $(sort "$2" | diff - "$3" | head -4 | tr '\n' ' ')"
	fi
}
same_bytes() { # CHECK-NAME DIR-A DIR-B
	if diff -r "$2" "$3" > "$T/diff.out" 2>&1; then pass "$1"; else fail "$1" "$(head -2 "$T/diff.out" | tr '\n' ' ')"; fi
}
SIZES="f0 f1 f32768 f100001 f1572865"
mkdir -p "$T/cmp-src"; for f in $SIZES; do cp "$T/src/$f" "$T/cmp-src/"; done

# ---- sftp: put and get, plus listings and stat that must report nothing
: > "$T/sftp-put.ev"
{ for f in $SIZES; do echo "put $T/src/$f $T/dst/$f"; done; echo "ls -l $T/dst"; echo "df"; } > "$T/put.batch"
if timeout 120 sftp -q -b "$T/put.batch" -D "$TAP sftp $T/sftp-put.ev $SERVER" > "$T/sftp-put.out" 2>&1; then
	expect upload "$T/src" "$T/dst" $SIZES | sort > "$T/sftp-put.want"
	compare transfer/sftp-put-sha256 "$T/sftp-put.ev" "$T/sftp-put.want"
	mkdir -p "$T/cmp-put"; for f in $SIZES; do cp "$T/dst/$f" "$T/cmp-put/"; done
	same_bytes transfer/sftp-put-byte-for-byte "$T/cmp-src" "$T/cmp-put"
else
	fail transfer/sftp-put-sha256 "sftp failed or timed out (120 s): $(tail -2 "$T/sftp-put.out" | tr '\n' ' ')"
fi
: > "$T/sftp-get.ev"
{ for f in $SIZES; do echo "get $T/src/$f $T/got/$f"; done; echo "ls -l $T/src/f1"; } > "$T/get.batch"
if timeout 120 sftp -q -b "$T/get.batch" -D "$TAP sftp $T/sftp-get.ev $SERVER" > "$T/sftp-get.out" 2>&1; then
	expect download "$T/src" "$T/src" $SIZES | sort > "$T/sftp-get.want"
	compare transfer/sftp-get-sha256 "$T/sftp-get.ev" "$T/sftp-get.want"
	same_bytes transfer/sftp-get-byte-for-byte "$T/cmp-src" "$T/got"
else
	fail transfer/sftp-get-sha256 "sftp failed or timed out (120 s): $(tail -2 "$T/sftp-get.out" | tr '\n' ' ')"
fi

# sftp's cp (OpenSSH's copy-data: the server copies, no bytes pass): the
# copy's event must not claim a SHA-256; the put before it (the control) does
: > "$T/sftp-cp.ev"
printf 'put %s %s\ncp %s %s\n' "$T/src/f1" "$T/dst/cp-src" "$T/dst/cp-src" "$T/dst/cp-dst" > "$T/cp.batch"
timeout 60 sftp -q -b "$T/cp.batch" -D "$TAP sftp $T/sftp-cp.ev $SERVER" > "$T/sftp-cp.out" 2>&1
{ expect upload "$T/src" "$T/dst" f1 | sed 's|/f1 |/cp-src |'; echo "upload $T/dst/cp-dst 0 - -"; } > "$T/sftp-cp.want"
if cmp -s "$T/sftp-cp.ev" "$T/sftp-cp.want" && cmp -s "$T/src/f1" "$T/dst/cp-dst"; then
	pass transfer/sftp-server-side-copy-sha256-unknown
else
	fail transfer/sftp-server-side-copy-sha256-unknown "events: $(tr '\n' ' ' < "$T/sftp-cp.ev") sftp: $(tail -1 "$T/sftp-cp.out")"
fi

# ---- legacy scp (-O): files both ways, -r of a tree both ways
scp_tap() { # EVENTS-FILE SCP-ARGS...
	ev=$1; shift
	: > "$ev"
	TAP_EVENTS=$ev timeout 120 scp -O -q -S "$TAP" "$@" > "$ev.out" 2>&1
}
rm -rf "$T/dst" "$T/got"; mkdir -p "$T/dst" "$T/got"
if scp_tap "$T/scp-up.ev" $(for f in $SIZES; do echo "$T/src/$f"; done) "localhost:$T/dst/"; then
	expect upload "$T/src" "$T/dst" $SIZES | sort > "$T/scp-up.want"
	compare transfer/scp-upload-sha256 "$T/scp-up.ev" "$T/scp-up.want"
	same_bytes transfer/scp-upload-byte-for-byte "$T/cmp-src" "$T/dst"
else
	fail transfer/scp-upload-sha256 "scp failed or timed out (120 s): $(tail -2 "$T/scp-up.ev.out" | tr '\n' ' ')"
fi
: > "$T/scp-down.all"; ok=1
for f in $SIZES; do
	scp_tap "$T/scp-down.ev" "localhost:$T/src/$f" "$T/got/$f" || ok=0
	cat "$T/scp-down.ev" >> "$T/scp-down.all"
done
if [ $ok = 1 ]; then
	expect download "$T/src" "$T/src" $SIZES | sort > "$T/scp-down.want"
	compare transfer/scp-download-sha256 "$T/scp-down.all" "$T/scp-down.want"
	same_bytes transfer/scp-download-byte-for-byte "$T/cmp-src" "$T/got"
else
	fail transfer/scp-download-sha256 "scp failed or timed out (120 s): $(tail -2 "$T/scp-down.ev.out" | tr '\n' ' ')"
fi
TREE="a sub/empty sub/deeper/b"
if scp_tap "$T/scp-rup.ev" -r "$T/src/tree" "localhost:$T/dst/"; then
	expect upload "$T/src/tree" "$T/dst/tree" $TREE | sort > "$T/scp-rup.want"
	compare transfer/scp-recursive-upload-sha256 "$T/scp-rup.ev" "$T/scp-rup.want"
	same_bytes transfer/scp-recursive-upload-byte-for-byte "$T/src/tree" "$T/dst/tree"
else
	fail transfer/scp-recursive-upload-sha256 "scp -r failed: $(tail -2 "$T/scp-rup.ev.out" | tr '\n' ' ')"
fi
if scp_tap "$T/scp-rdown.ev" -r -p "localhost:$T/src/tree" "$T/got/"; then
	expect download "$T/src/tree" "$T/src/tree" $TREE | sort > "$T/scp-rdown.want"
	compare transfer/scp-recursive-download-sha256 "$T/scp-rdown.ev" "$T/scp-rdown.want"
	same_bytes transfer/scp-recursive-download-byte-for-byte "$T/src/tree" "$T/got/tree"
else
	fail transfer/scp-recursive-download-sha256 "scp -r failed: $(tail -2 "$T/scp-rdown.ev.out" | tr '\n' ' ')"
fi
# a file the sink refuses (a directory stands where it would go: EISDIR) has
# no event; the next file of the same run (the positive control) has one
rm -rf "$T/dst"; mkdir -p "$T/dst/f1"
scp_tap "$T/scp-refused.ev" "$T/src/f1" "$T/src/f100001" "localhost:$T/dst/"
expect upload "$T/src" "$T/dst" f100001 > "$T/scp-refused.want"
if grep -q 'Is a directory' "$T/scp-refused.ev.out" && cmp -s "$T/scp-refused.ev" "$T/scp-refused.want"; then
	pass transfer/scp-refused-file-has-no-event
else
	fail transfer/scp-refused-file-has-no-event "scp said: $(head -c 200 "$T/scp-refused.ev.out" | tr '\n' ' '); events: $(tr '\n' ' ' < "$T/scp-refused.ev")"
fi
# a target whose shell prints a line before scp starts: the client gives up,
# and the parser says "unparsed" rather than guess (the control: the same
# download without the noise, above, has its file)
: > "$T/scp-noise.ev"
TAP_NOISE="Welcome to db1
" TAP_EVENTS=$T/scp-noise.ev timeout 60 scp -O -q -S "$TAP" "localhost:$T/src/f1" "$T/got/noise" > "$T/scp-noise.out" 2>&1
if [ "$(wc -l < "$T/scp-noise.ev")" = 1 ] && grep -q '^download - -1 - unparsed:' "$T/scp-noise.ev" && [ ! -e "$T/got/noise" ]; then
	pass transfer/scp-noisy-target-unparsed
else
	fail transfer/scp-noisy-target-unparsed "events: $(tr '\n' ' ' < "$T/scp-noise.ev") scp: $(head -c 200 "$T/scp-noise.out")"
fi

# ---- rsync: the server command real rsync builds, read by rsyncparse;
# the transfer relayed byte for byte; rsyncstream's event per file
if command -v rsync > /dev/null; then
	rsync_tap() { # EVENTS-FILE RSYNC-ARGS...
		ev=$1; shift
		: > "$ev"
		timeout 120 rsync -e "$TAP rsync $ev" "$@" > "$ev.out" 2>&1
	}
	total=0; for f in $SIZES; do total=$((total + $(stat -c %s "$T/src/$f"))); done
	bytes_at_least() { # EVENTS-FILE FIELD(2 up, 3 down) MIN
		b=$(sed -n "s/^bytes \([0-9]*\) \([0-9]*\)$/\\$2/p" "$1"); [ "${b:-0}" -ge "$3" ]
	}
	rm -rf "$T/r dst" "$T/rgot"; mkdir -p "$T/r dst" "$T/rgot"
	if rsync_tap "$T/rsync-up.ev" $(for f in $SIZES; do echo "$T/src/$f"; done) "localhost:$T/r dst/"; then
		if grep -qx "command upload $T/r dst/ -" "$T/rsync-up.ev" && bytes_at_least "$T/rsync-up.ev" 1 $total; then
			pass transfer/rsync-upload-command-and-bytes
		else
			fail transfer/rsync-upload-command-and-bytes "events: $(tr '\n' ' ' < "$T/rsync-up.ev") (want >= $total up)"
		fi
		same_bytes transfer/rsync-upload-byte-for-byte "$T/cmp-src" "$T/r dst"
		grep -v '^command \|^bytes ' "$T/rsync-up.ev" > "$T/rsync-up.files"
		expect upload "$T/src" "$T/r dst" $SIZES | sort > "$T/rsync-up.want"
		compare transfer/rsync-upload-sha256 "$T/rsync-up.files" "$T/rsync-up.want"
	else
		fail transfer/rsync-upload-command-and-bytes "rsync failed: $(tail -2 "$T/rsync-up.ev.out" | tr '\n' ' ')"
	fi
	# -a: recursion with incremental file lists, a download (--sender)
	if rsync_tap "$T/rsync-down.ev" -a "localhost:$T/src/tree" "$T/rgot/"; then
		if grep -qx "command download $T/src/tree -" "$T/rsync-down.ev" && bytes_at_least "$T/rsync-down.ev" 2 70005; then
			pass transfer/rsync-recursive-download-command-and-bytes
		else
			fail transfer/rsync-recursive-download-command-and-bytes "events: $(tr '\n' ' ' < "$T/rsync-down.ev")"
		fi
		same_bytes transfer/rsync-recursive-download-byte-for-byte "$T/src/tree" "$T/rgot/tree"
		grep -v '^command \|^bytes ' "$T/rsync-down.ev" > "$T/rsync-down.files"
		expect download "$T/src" "$T/src" tree/a tree/sub/empty tree/sub/deeper/b | sort > "$T/rsync-down.want"
		compare transfer/rsync-recursive-download-sha256 "$T/rsync-down.files" "$T/rsync-down.want"
	else
		fail transfer/rsync-recursive-download-command-and-bytes "rsync -a failed: $(tail -2 "$T/rsync-down.ev.out" | tr '\n' ' ')"
	fi
	# -z: named as what a stream parser cannot follow, the bytes still relayed
	rm -rf "$T/rgot"; mkdir -p "$T/rgot"
	if rsync_tap "$T/rsync-z.ev" -az "localhost:$T/src/tree" "$T/rgot/"; then
		if grep -qx "command download $T/src/tree compression" "$T/rsync-z.ev" && grep -q '^bytes ' "$T/rsync-z.ev"; then
			pass transfer/rsync-compressed-named-unsupported
		else
			fail transfer/rsync-compressed-named-unsupported "events: $(tr '\n' ' ' < "$T/rsync-z.ev")"
		fi
		same_bytes transfer/rsync-compressed-byte-for-byte "$T/src/tree" "$T/rgot/tree"
	else
		fail transfer/rsync-compressed-named-unsupported "rsync -az failed: $(tail -2 "$T/rsync-z.ev.out" | tr '\n' ' ')"
	fi
	# -s: the paths travel in the stream, so the command names none
	if rsync_tap "$T/rsync-s.ev" -s "$T/src/f1" "localhost:$T/r dst/s1" && grep -qx "command upload - protected args" "$T/rsync-s.ev" &&
		cmp -s "$T/src/f1" "$T/r dst/s1"; then
		pass transfer/rsync-protected-args-no-path
	else
		fail transfer/rsync-protected-args-no-path "events: $(tr '\n' ' ' < "$T/rsync-s.ev") rsync: $(tail -1 "$T/rsync-s.ev.out")"
	fi
else
	skip transfer/rsync "rsync not installed (build/deps.sh test)"
fi
results_summary
