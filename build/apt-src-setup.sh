#!/bin/sh
# Owns: a private apt configuration with deb-src entries derived from the
# build machine's own apt sources, so `apt-get source` works without touching
# the system's configuration and without a mirror name in the repository.
# With SUITE (a component's build/pkg/NAME/source says SUITE=...), the entries
# are those of the machine's own release turned to SUITE: its codename (from
# /etc/os-release) becomes SUITE in every suite name (bookworm -> trixie,
# bookworm-security -> trixie-security, ...); entries of other suites are left out.
# Usage: apt-src-setup.sh APTDIR [SUITE]   (prints nothing; writes APTDIR/apt.conf)
set -eu
APTDIR=$1 SUITE=${2:-}
CODENAME=
if [ -n "$SUITE" ]; then
	CODENAME=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$CODENAME" ] || { echo "apt-src-setup: no VERSION_CODENAME in /etc/os-release to turn into $SUITE" >&2; exit 1; }
fi
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/sources.list.d"
out="$APTDIR/sources.list.d/jumpbox-src.sources"
: > "$out.tmp"

# a suite name turned to SUITE: the codename, or codename-SOMETHING; "" if it
# is not the machine's release (left out). Without SUITE, unchanged.
SUITEFN='function turn(s) { if (suite == "") return s; if (s == cn) return suite
	if (index(s, cn "-") == 1) return suite substr(s, length(cn) + 1); return "" }'

# deb822 files: copy each stanza whose Types has "deb", as "Types: deb-src".
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk -v suite="$SUITE" -v cn="$CODENAME" "$SUITEFN"'
	function flush() { if (isdeb && !disabled && nsuites) { printf "%s", buf; print "" } buf=""; isdeb=0; disabled=0; nsuites=0 }
	/^[ \t]*$/ { flush(); next }
	/^#/ { next }
	/^Types:/ { if ($0 ~ /[ \t]deb([ \t]|$)/) isdeb=1; buf = buf "Types: deb-src\n"; next }
	/^Enabled:[ \t]*no/ { disabled=1 }
	/^Suites:/ { line = "Suites:"; for (i = 2; i <= NF; i++) { t = turn($i); if (t != "") { line = line " " t; nsuites++ } }
		buf = buf line "\n"; next }
	{ buf = buf $0 "\n" }
	END { flush() }' "$f" >> "$out.tmp"
done

# one-line format: "deb [opts] URI suite comps" -> "deb-src ...".
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	awk -v suite="$SUITE" -v cn="$CODENAME" "$SUITEFN"'
	$1 != "deb" { next }
	{ i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/ && i < NF) i++; if ($i ~ /^\[/ || $i ~ /\]$/) i++
	  t = turn($(i + 1)); if (t == "") next; $(i + 1) = t; $1 = "deb-src"; print }' "$f" \
		>> "$APTDIR/sources.list.d/jumpbox-src.list.tmp"
done
[ -f "$APTDIR/sources.list.d/jumpbox-src.list.tmp" ] &&
	mv "$APTDIR/sources.list.d/jumpbox-src.list.tmp" "$APTDIR/sources.list.d/jumpbox-src.list"
mv "$out.tmp" "$out"

if ! grep -qs . "$out" "$APTDIR/sources.list.d/jumpbox-src.list"; then
	echo "apt-src-setup: no 'deb' entry found in /etc/apt to derive deb-src from" >&2
	exit 1
fi

cat > "$APTDIR/apt.conf" <<CONF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$APTDIR/sources.list.d";
Dir::State::Lists "$APTDIR/lists";
Dir::Cache::Archives "$APTDIR/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Get::Only-Source "true";
CONF
