#!/bin/sh
# Owns: getting one component's upstream source into the cache, verified.
# Reads build/pkg/NAME/source (TYPE, PKG, VERSION, optional SUITE) and
# build/pkg/NAME/sha256, downloads from Debian's archive with the machine's own
# apt configuration (deb-src derived by apt-src-setup.sh; with SUITE, the same
# entries turned to that Debian suite, in an apt dir of their own), refuses any file whose sha256 differs
# from the pin, then unpacks it once with Debian's patch series applied.
# Prints the path of the unpacked, pristine tree.
# Usage: fetch.sh NAME
set -eu
NAME=$1
HERE=$(cd "$(dirname "$0")" && pwd)
RECIPE=$HERE/pkg/$NAME
CACHE=${JB_CACHE:-$HOME/.cache/jumpbox}
DL=$CACHE/dl
SUITE=
. "$RECIPE/source"
mkdir -p "$DL" "$CACHE/src"

verify() {
	(cd "$DL" && sha256sum --quiet --strict -c "$RECIPE/sha256") >&2
}

if ! verify 2>/dev/null; then
	tmp=$(mktemp -d "$DL/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	case $TYPE in
	dsc)
		APTDIR=$CACHE/apt${SUITE:+-$SUITE}
		if [ ! -f "$APTDIR/apt.conf" ] || [ -z "$(ls "$APTDIR/lists" 2>/dev/null | grep Sources)" ]; then
			"$HERE/apt-src-setup.sh" "$APTDIR" $SUITE
			APT_CONFIG=$APTDIR/apt.conf apt-get -q update >&2
		fi
		(cd "$tmp" && APT_CONFIG=$APTDIR/apt.conf apt-get -q source --download-only "$PKG=$VERSION" >&2) || {
			# the lists may be stale: refresh once and retry
			APT_CONFIG=$APTDIR/apt.conf apt-get -q update >&2
			(cd "$tmp" && APT_CONFIG=$APTDIR/apt.conf apt-get -q source --download-only "$PKG=$VERSION" >&2)
		}
		;;
	deb)
		(cd "$tmp" && apt-get -q download "$PKG=$VERSION" >&2) || {
			apt-get -q update >&2
			(cd "$tmp" && apt-get -q download "$PKG=$VERSION" >&2)
		}
		;;
	*) echo "fetch.sh: $RECIPE/source: unknown TYPE '$TYPE'" >&2; exit 1 ;;
	esac
	for f in $(awk '{print $2}' "$RECIPE/sha256"); do
		[ -f "$tmp/$f" ] || { echo "fetch.sh: $NAME: archive did not deliver $f (pinned in $RECIPE/sha256)" >&2; exit 1; }
		mv "$tmp/$f" "$DL/$f"
	done
	if ! verify; then
		echo "fetch.sh: $NAME: sha256 mismatch against $RECIPE/sha256 -- refusing to build" >&2
		exit 1
	fi
fi

TREE=$CACHE/src/$NAME-${VERSION#*:}
if [ ! -f "$TREE/.jumpbox-unpacked" ]; then
	rm -rf "$TREE" "$TREE.tmp"
	case $TYPE in
	dsc)
		dsc=$(awk '{print $2}' "$RECIPE/sha256" | grep '\.dsc$')
		# signatures are not checked here: every file is pinned by sha256 above
		# dpkg-source leaves copies of the tarballs beside the tree: unpack in a scratch dir
		scratch=$(mktemp -d "$CACHE/src/.x.XXXXXX")
		dpkg-source --no-check -x "$DL/$dsc" "$scratch/tree" >&2
		mv "$scratch/tree" "$TREE.tmp"
		rm -rf "$scratch"
		;;
	deb)
		deb=$(awk '{print $2}' "$RECIPE/sha256" | grep '\.deb$')
		mkdir -p "$TREE.tmp/deb"
		dpkg-deb -x "$DL/$deb" "$TREE.tmp/deb"
		tarball=$(find "$TREE.tmp/deb" -name "$TARBALL" | head -n1)
		[ -n "$tarball" ] || { echo "fetch.sh: $NAME: $TARBALL not in $deb" >&2; exit 1; }
		tar -xf "$tarball" -C "$TREE.tmp" --strip-components=1
		rm -rf "$TREE.tmp/deb"
		;;
	esac
	touch "$TREE.tmp/.jumpbox-unpacked"
	mv "$TREE.tmp" "$TREE"
fi
echo "$TREE"
