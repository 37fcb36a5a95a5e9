#!/bin/sh
# Owns: the generated tables of docs/architecture.md (tests/lint.sh checks
# that the document carries exactly this output):
#   arch-doc.sh verbs    who may ask jumpd what, from jumpd_verbs[] in jumpd/daemon/verbs.c
#   arch-doc.sh events   which module writes each audit record of docs/audit.md's catalogue
#   arch-doc.sh update   rewrites both tables in docs/architecture.md
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = update ]; then
	doc=$TOP/docs/architecture.md
	for t in verbs events; do
		"$0" $t > "$doc.table"
		awk -v t="$t" -v table="$doc.table" '
			$0 == "<!-- generated: build/arch-doc.sh " t " -->" { print; while ((getline l < table) > 0) print l; skip = 1; next }
			skip && $0 == "<!-- end generated -->" { skip = 0 }
			!skip' "$doc" > "$doc.new"
		mv "$doc.new" "$doc"
	done
	rm -f "$doc.table"
	exit 0
fi
if [ "${1:-}" = events ]; then
	echo "| record | written by |"
	echo "|---|---|"
	missing=""
	for id in $(sed -n 's/^| `\([A-Z_]*\)`\( \/ `\([A-Z_]*\)`\)\{0,1\} |.*/\1 \3/p' "$TOP/docs/audit.md"); do
		files=$(cd "$TOP" && grep -l "\"$id\"" jumpd/*/*.c | grep -v '_test\.c$\|_fuzz\.c$' | sed 's/.*/`&`/' | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
		[ -n "$files" ] || missing="$missing $id"
		echo "| \`$id\` | $files |"
	done
	[ -z "$missing" ] || { echo "arch-doc.sh: in docs/audit.md but written nowhere:$missing" >&2; exit 1; }
	exit 0
fi
[ "${1:-verbs}" = verbs ] || { echo "usage: arch-doc.sh verbs|events" >&2; exit 2; }
rows=$(sed -n '/^const struct verb_row jumpd_verbs\[\] = {/,/^};/p' "$TOP/jumpd/daemon/verbs.c" | grep -c '^	{ "')
parsed=0
echo "| verb | socket | who may send it | rate class | refused as | handler |"
echo "|---|---|---|---|---|---|"
sed -n '/^const struct verb_row jumpd_verbs\[\] = {/,/^};/p' "$TOP/jumpd/daemon/verbs.c" |
	sed -n 's/^\t{ "\([a-z_]*\)", *\(SOCK_[A-Z]*\), *\([A-Z_ |]*[A-Z]\), *\(RATE_[A-Z]*\), *"\([a-z]*\)", *\([a-z_]*\) },$/\1;\2;\3;\4;\5;\6/p' |
	while IFS=';' read -r verb sock peers rate refused handler; do
		case $sock in SOCK_AUTH) sock=auth.sock ;; SOCK_CTL) sock=ctl.sock ;; esac
		who=$(echo "$peers" | sed 's/PEER_SSHD/SSH server/; s/PEER_USER/the user'"'"'s own processes/; s/PEER_FW/firewall helper/;
			s/PEER_SHIP/shipper/; s/PEER_ADMIN/admin users/; s/PEER_ROOT/root (init, jumpctl)/; s/PEER_REC/recorder/; s/ | /, /g')
		rate=$(echo "$rate" | sed 's/RATE_NONE/none/; s/RATE_USER/per-uid bucket (grows with live sessions)/; s/RATE_OPEN/bounded by what is open/; s/RATE_SERVICE/per-uid service bucket/')
		echo "| \`$verb\` | $sock | $who | $rate | \`$refused\` | \`$handler\` |"
	done > "${TMPDIR:-/tmp}/verbs-doc.$$"
parsed=$(grep -c . "${TMPDIR:-/tmp}/verbs-doc.$$" || true)
cat "${TMPDIR:-/tmp}/verbs-doc.$$"; rm -f "${TMPDIR:-/tmp}/verbs-doc.$$"
[ "$parsed" = "$rows" ] || { echo "verbs-doc.sh: $rows rows in jumpd_verbs[], $parsed understood: keep one row per line in its shape" >&2; exit 1; }
