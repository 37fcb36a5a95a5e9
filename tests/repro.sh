#!/bin/sh
# Owns: proving that builds are reproducible.
#  quick (part of make test): rebuilds every userland component from scratch
#    (no component cache), the root file system, the initramfs, the kernel
#    link and the disk image in a second output tree, and compares bytes.
#  full (make repro): two complete builds in two empty caches, the kernel
#    compiled from scratch each time (about 20 minutes on 2 cores).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
MODE=${1:-quick}
STANDALONE_RESULTS=$TOP/out/repro-results
. tests/lib.sh
R=$TOP/out/repro
rm -rf "$R"; mkdir -p "$R"

compare() { # NAME A B
	if [ -f "$2" ] && [ -f "$3" ] && cmp -s "$2" "$3"; then pass "repro/$1 identical"
	else fail "repro/$1 identical" "$(sha256sum "$2" "$3" 2>&1 | tr '\n' ' ')"; fi
}

case $MODE in
quick)
	[ -f images/jumpbox.efi ] || { fail repro/reference-build "no images/ to compare with"; exit 0; }
	# a different wall-clock time, on purpose
	sleep 1
	if JB_NOCACHE=1 make -s O="$R/out" IMAGES="$R/images" image > "$R/build.log" 2>&1; then
		compare rootfs.squashfs out/rootfs.squashfs "$R/out/rootfs.squashfs"
		compare initramfs.cpio out/initramfs.cpio "$R/out/initramfs.cpio"
		compare jumpbox.efi images/jumpbox.efi "$R/images/jumpbox.efi"
		compare jumpbox.img images/jumpbox.img "$R/images/jumpbox.img"
		compare SHA256SUMS images/SHA256SUMS "$R/images/SHA256SUMS"
	else
		fail repro/second-build "$(tail -5 "$R/build.log" | tr '\n' ' ')"
	fi
	;;
full)
	for i in 1 2; do
		mkdir -p "$R/cache$i"
		ln -s "${JB_CACHE:-$HOME/.cache/jumpbox}/dl" "$R/cache$i/dl"
		echo "  full build $i (empty cache, kernel from scratch)"
		if ! JB_CACHE="$R/cache$i" CCACHE_DISABLE=1 make -s O="$R/out$i" IMAGES="$R/images$i" image > "$R/build$i.log" 2>&1; then
			fail "repro/full-build-$i" "see $R/build$i.log"; exit 0
		fi
	done
	for f in jumpbox.efi jumpbox.img manifest.json SHA256SUMS; do
		compare "full/$f" "$R/images1/$f" "$R/images2/$f"
	done
	;;
esac
results_summary
