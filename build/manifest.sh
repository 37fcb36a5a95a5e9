#!/bin/sh
# Owns: the image manifest (SBOM): every component in the image with its
# version, the sha256 of the source it was built from, and its license.
# Usage: manifest.sh VERSION > images/manifest.json
set -eu
VERSION=$1
HERE=$(cd "$(dirname "$0")" && pwd)
echo '{'
echo "  \"image\": \"jumpbox\","
echo "  \"version\": \"$VERSION\","
echo "  \"source_date_epoch\": $SOURCE_DATE_EPOCH,"
echo '  "components": ['
first=1
for name in linux busybox dropbear bearssl; do
	( . "$HERE/pkg/$name/source"
	  [ $first = 1 ] || echo ','
	  printf '    {"name": "%s", "debian_package": "%s", "version": "%s", "license": "%s", "origin": "Debian source archive", "sources": [' \
		"$name" "$PKG" "$VERSION" "$LICENSE"
	  sep=''
	  while read -r sum file; do
		printf '%s{"file": "%s", "sha256": "%s"}' "$sep" "$file" "$sum"; sep=', '
	  done < "$HERE/pkg/$name/sha256"
	  printf '], "patches": ['
	  sep=''
	  for p in "$HERE/pkg/$name"/patches/*.patch; do
		[ -f "$p" ] || continue
		printf '%s{"file": "%s", "sha256": "%s"}' "$sep" "$(basename "$p")" "$(sha256sum < "$p" | cut -d' ' -f1)"; sep=', '
	  done
	  printf ']}' )
	first=0
done
musl=$(dpkg-query -W -f '${Version}' musl-dev)
libc=$(sha256sum /usr/lib/x86_64-linux-musl/libc.a | cut -d' ' -f1)
printf ',\n    {"name": "musl", "debian_package": "musl-dev", "version": "%s", "license": "MIT", "origin": "Debian binary package (static libc.a linked into every userland binary)", "sources": [{"file": "libc.a", "sha256": "%s"}], "patches": []}' "$musl" "$libc"
gccv=$(dpkg-query -W -f '${Version}' gcc-12 2>/dev/null || echo unknown)
printf ',\n    {"name": "libgcc", "debian_package": "gcc-12", "version": "%s", "license": "GPL-3.0-with-GCC-exception", "origin": "Debian binary package (libgcc.a, static)", "sources": [], "patches": []}' "$gccv"
printf ',\n    {"name": "jumpbox", "version": "%s", "license": "proprietary", "origin": "this repository (jumpd/, rootfs/)", "sources": [], "patches": []}\n' "$VERSION"
echo '  ]'
echo '}'
