#!/bin/sh
# Owns: the end-to-end checks of `jumpctl rec-export` (the host build an
# auditor runs) on a synthetic recorded session. recgen (jumpd/rec/recgen.c)
# records a hand-written asciicast v2 file as the box does: the recording
# trail through recspool, jumpd's REC_START/REC_CHECKPOINT/REC_END through
# jumpd's own event module, with signed AUDIT_CHECKPOINTs. The two spools
# are interleaved into a collector file with resent (duplicated) lines, as
# two shippers deliver them at least once. Then: the export is byte for byte
# the input and Debian's asciinema plays it; damage is refused with the
# chunk named and no OUTFILE left; each refusal next to its intact control.
# No namespace, no root needed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
STANDALONE_RESULTS=$TOP/out/test/recexport-results
. "$TOP/tests/lib.sh"
T=$TOP/out/test/recexport
rm -rf "$T"; mkdir -p "$T"
make -s -C "$TOP" out/host/jumpctl out/test/recgen > "$T/build.log" 2>&1 ||
	{ fail recexport/build "$(tail -3 "$T/build.log" | tr '\n' ' ')"; results_summary; exit 0; }
CTL=$TOP/out/host/jumpctl GEN=$TOP/out/test/recgen
S=0123456789abcdef
check() { # NAME CONDITION [DETAIL-COMMAND]
	if eval "$2"; then pass "recexport/$1"; else fail "recexport/$1" "$(eval "${3:-true}" 2>&1 | tr '\n' ' ' | cut -c1-300)"; fi
}

# ---- the session: a small asciicast v2 file, written by hand (header,
# output with escapes and UTF-8, a resize, a marker), repeated to ~30 KB
{
	printf '{"version": 2, "width": 80, "height": 24, "timestamp": 1764640000, "env": {"TERM": "xterm-256color", "SHELL": "/bin/bash"}}\n'
	printf '[0.010000, "m", "start"]\n'
	i=0
	while [ $i -lt 200 ]; do
		printf '[%d.%03d, "o", "deploy@db1:~$ ls -l /srv/app%d\\r\\n\\u001b[1;34mtotal %d\\u001b[0m caf\\u00e9 \\u4e2d\\r\\n"]\n' \
			$((i / 10)) $((i % 10 * 100)) $i $i
		[ $i = 100 ] && printf '[10.050000, "r", "120x40"]\n'
		i=$((i + 1))
	done
	printf '[20.500000, "o", "deploy@db1:~$ exit\\r\\n"]\n[20.600000, "m", "exit 0"]\n'
} > "$T/in.cast"
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/in.cast" ||
	fail recexport/input-cast-is-json

# record: chunks from puts of 1500 bytes, a checkpoint every 4 chunks
"$GEN" -c "$T/in.cast" -R "$T/rec.spool" -A "$T/audit.spool" -S $S -K "$T/sign.key" -k 4 -p 1500 \
	> "$T/gen.out" 2> "$T/gen.err"
KEY=$(sed -n 's/^key //p' "$T/gen.out")
chunks=$(sed -n 's/^recgen: \([0-9]*\) chunks.*/\1/p' "$T/gen.out")
check recorded-as-the-box-does '[ "${chunks:-0}" -ge 12 ] && [ "$(grep -c " jumprec [0-9]* REC_DATA " "$T/rec.spool")" = "$chunks" ] &&
	grep -q " jumpd [0-9]* REC_END " "$T/audit.spool"' 'cat "$T/gen.out" "$T/gen.err"'

# the collector file: the two trails interleaved (three recording lines,
# then one audit line), every 5th recording line sent twice
collector() { # REC AUDIT > FILE
	awk 'NR == FNR { a[++n] = $0; next }
		{ print; if (FNR % 5 == 0) print }
		FNR % 3 == 0 && k < n { print a[++k] }
		END { while (k < n) print a[++k] }' "$2" "$1"
}
collector "$T/rec.spool" "$T/audit.spool" > "$T/col.log"
export_() { # NAME LOG [OPTIONS...]: rec-export into $T/NAME.cast; status in $rc, messages in $T/NAME.out
	n=$1 log=$2; shift 2
	rm -f "$T/$n.cast"
	"$CTL" rec-export $S "$T/$n.cast" --collector "$log" "$@" > "$T/$n.out" 2>&1; rc=$?
}
refused() { # NAME WANT: refused with WANT, no OUTFILE, nothing left beside it
	[ $rc = 1 ] && grep -qF "$2" "$T/$1.out" && [ ! -e "$T/$1.cast" ] && [ -z "$(ls "$T" | grep "^$1.cast.tmp")" ]
}

# ---- intact, with duplicates: exported, byte for byte, and it plays
export_ ok "$T/col.log" --key "$KEY"
dups=$(( chunks / 5 ))
check export-intact-with-resent-lines '[ $rc = 0 ] && cmp -s "$T/in.cast" "$T/ok.cast" &&
	grep -q "^$S: .*: $chunks chunks, $(stat -c %s "$T/in.cast") bytes, 4.321 s, $dups duplicate lines; verified through REC_END (sequenceId [0-9]*, reason exit, [0-9]* checkpoints); signed through sequenceId [0-9]*$" "$T/ok.out"' \
	'cat "$T/ok.out"'
# what the terminal shows: the "o" events' text, in order
python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])][1:]
sys.stdout.write("".join(e[2] for e in ev if e[1] == "o"))' "$T/in.cast" | tr -d '\r' > "$T/want.screen"
timeout 30 asciinema play -s 1000 "$T/ok.cast" < /dev/null 2> "$T/play.err" | tr -d '\r' > "$T/play.screen"
check asciinema-play-reproduces-the-output '[ -s "$T/want.screen" ] && cmp -s "$T/want.screen" "$T/play.screen"' \
	'cat "$T/play.err"; cmp "$T/want.screen" "$T/play.screen"'
# asciinema cat reads /dev/tty: give it a pty
timeout 30 script -qec "asciinema cat '$T/ok.cast'" /dev/null < /dev/null 2>&1 | tr -d '\r' > "$T/cat.screen"
check asciinema-cat-reproduces-the-output 'cmp -s "$T/want.screen" "$T/cat.screen"' 'head -c 300 "$T/cat.screen"'

# ---- audit-verify on the same file: the audit chain intact, the recording lines counted apart
"$CTL" audit-verify --key "$KEY" "$T/col.log" > "$T/av.out" 2>&1; rc=$?
check audit-verify-passes-over-recording-lines '[ $rc = 0 ] && grep -q "; $((chunks + dups)) recording-trail lines (jumprec: rec-export checks them): intact$" "$T/av.out"' \
	'cat "$T/av.out"'

# ---- damage. rec_line N: the line of chunk N in the collector file
rec_line() { grep -n " chunk=\"$1\" " "$T/col.log" | head -1 | cut -d: -f1; }
# one byte altered (a base64 letter of chunk 7's data)
l=$(rec_line 7)
awk -v l="$l" 'NR == l { i = index($0, "data=\"") + 20; c = substr($0, i, 1); $0 = substr($0, 1, i - 1) (c == "A" ? "B" : "A") substr($0, i + 1) } { print }' \
	"$T/col.log" > "$T/altered.log"
export_ altered "$T/altered.log"
check altered-byte-refused-naming-the-chunk 'refused altered "chunk 7 does not chain (altered, swapped or forged)" && ! cmp -s "$T/col.log" "$T/altered.log"' \
	'cat "$T/altered.out"'
# one chunk line removed, and its resend (chunk 9 is the 10th line: sent twice)
grep -v " chunk=\"9\" " "$T/col.log" > "$T/removed.log"
export_ removed "$T/removed.log"
check removed-chunk-line-refused-as-missing 'refused removed "chunk 9 missing"' 'cat "$T/removed.out"'
# two chunk lines' data exchanged (chunks 3 and 11, each sent once)
python3 - "$T/col.log" "$T/swapped.log" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
ix = [next(i for i, l in enumerate(lines) if ' chunk="%d" ' % c in l) for c in (3, 11)]
d = [re.search(r'data="[^"]*"', lines[i]).group(0) for i in ix]
lines[ix[0]] = lines[ix[0]].replace(d[0], d[1]); lines[ix[1]] = lines[ix[1]].replace(d[1], d[0])
open(sys.argv[2], "w").write("\n".join(lines))
PY
export_ swapped "$T/swapped.log"
check swapped-chunk-data-refused 'refused swapped "chunk 3 does not chain (altered, swapped or forged)"' 'cat "$T/swapped.out"'
# the REC_END record removed from the collector file: the audit chain has a gap there
grep -v " REC_END " "$T/col.log" > "$T/noend.log"
export_ noend "$T/noend.log"
check rec-end-removed-refused 'refused noend "the audit trail does not verify: gap: sequenceId"' 'cat "$T/noend.out"'
# a recording without REC_END (still open, or the box cut off): the audit trail is whole, the anchor missing
"$GEN" -c "$T/in.cast" -R "$T/open.rec" -A "$T/open.audit" -S $S -k 4 -p 1500 -E > /dev/null 2>&1
collector "$T/open.rec" "$T/open.audit" > "$T/open.log"
export_ open "$T/open.log"
check recording-without-rec-end-refused 'refused open "no REC_END: recording open or cut"' 'cat "$T/open.out"'
# a duplicate line, and the rest intact: still exported (the control in this run)
{ cat "$T/col.log"; grep -m1 " chunk=\"8\" " "$T/col.log"; } > "$T/dup2.log"
export_ dup "$T/dup2.log"
check duplicate-line-still-exports '[ $rc = 0 ] && cmp -s "$T/in.cast" "$T/dup.cast" && grep -q "$((dups + 1)) duplicate lines" "$T/dup.out"' \
	'cat "$T/dup.out"'
# the same file with CRLF line ends (a collector on another platform, a copy through a mail client)
sed 's/$/\r/' "$T/col.log" > "$T/crlf.log"
export_ crlf "$T/crlf.log" --key "$KEY"
check crlf-line-ends-export '[ $rc = 0 ] && cmp -s "$T/in.cast" "$T/crlf.cast"' 'cat "$T/crlf.out"'
# another key than the box's: the checkpoints are forged to it
other=$("$GEN" -c "$T/in.cast" -R "$T/x.rec" -A "$T/x.audit" -S fedcba9876543210 -K "$T/other.key" 2>/dev/null | sed -n 's/^key //p')
export_ otherkey "$T/col.log" --key "$other"
check other-key-refused 'refused otherkey "forged: checkpoint sequenceId"' 'cat "$T/otherkey.out"'

# ---- from the box's own copy: the recording spool, the audit spool as anchors
rm -f "$T/local.cast"
"$CTL" rec-export $S "$T/local.cast" --local "$T/rec.spool" --audit "$T/audit.spool" --key "$KEY" > "$T/local.out" 2>&1; rc=$?
check local-spools-export '[ $rc = 0 ] && cmp -s "$T/in.cast" "$T/local.cast"' 'cat "$T/local.out"'
rm -f "$T/local2.cast"
"$CTL" rec-export $S "$T/local2.cast" --local "$T/rec.spool" > "$T/local2.out" 2>&1; rc=$?
check local-without-anchors-refused '[ $rc = 1 ] && grep -q "no REC_END: recording open or cut (with --local, give the box.s audit spool with --audit)" "$T/local2.out" &&
	[ ! -e "$T/local2.cast" ]' 'cat "$T/local2.out"'
results_summary
