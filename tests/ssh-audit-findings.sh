#!/bin/sh
# Owns: reading ssh-audit's text report (ssh-audit -n HOST) as one finding per
# [fail]/[warn] note, "LEVEL TYPE ALGORITHM REASON", and naming the findings
# that tests/ssh-audit.allow does not list. Used by tests/host/kex.sh and
# tests/image.sh.
# Usage: ssh-audit-findings.sh REPORT   prints the findings not allowed (none:
#        nothing); exits 2 if the report names no algorithm at all
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPORT=$1
grep -q '^(kex) ' "$REPORT" || exit 2
awk '
FNR == NR { if ($0 !~ /^#/ && NF) allowed[$0] = 1; next }
/^\((kex|key|enc|mac)\) / { type = substr($1, 2, 3); alg = $2 }
/^$/ || /^# / { type = "" }
type != "" && /\[(fail|warn)\]/ {
	note = $0; sub(/^[^[]*\[/, "", note); level = substr(note, 1, 4); sub(/^(fail|warn)\] */, "", note)
	f = level " " type " " alg " " note
	if (!(f in allowed)) print f
}' "$HERE/ssh-audit.allow" "$REPORT"
