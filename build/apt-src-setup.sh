#!/bin/sh
# Owns: a private apt configuration with deb-src entries derived from the
# build machine's own apt sources, so `apt-get source` works without touching
# the system's configuration and without a mirror name in the repository.
# Usage: apt-src-setup.sh APTDIR   (prints nothing; writes APTDIR/apt.conf)
set -eu
APTDIR=$1
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/sources.list.d"
out="$APTDIR/sources.list.d/jumpbox-src.sources"
: > "$out.tmp"

# deb822 files: copy each stanza whose Types has "deb", as "Types: deb-src".
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk '
	function flush() { if (isdeb && !disabled) { printf "%s", buf; print "" } buf=""; isdeb=0; disabled=0 }
	/^[ \t]*$/ { flush(); next }
	/^#/ { next }
	/^Types:/ { if ($0 ~ /[ \t]deb([ \t]|$)/) isdeb=1; buf = buf "Types: deb-src\n"; next }
	/^Enabled:[ \t]*no/ { disabled=1 }
	{ buf = buf $0 "\n" }
	END { flush() }' "$f" >> "$out.tmp"
done

# one-line format: "deb [opts] URI suite comps" -> "deb-src ...".
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -n 's/^[ \t]*deb[ \t]\+/deb-src /p' "$f" >> "$APTDIR/sources.list.d/jumpbox-src.list.tmp"
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
