#!/bin/sh
# Owns: making the volumes a jumpbox boots with: a config volume (FAT,
# label JBCONFIG, holding jumpbox.conf) and an empty state volume (ext4,
# label JBSTATE). No root needed (mtools, mkfs.ext4 on a file).
# Usage: volumes.sh config CONF_FILE IMG [FILE...]   (FILEs beside it: certificates)
#        volumes.sh state IMG [SIZE_MIB]
set -eu
case $1 in
config)
	rm -f "$3"
	mkfs.vfat -C -n JBCONFIG "$3" 4096 >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -i "$3" "$2" ::/jumpbox.conf
	img=$3; shift 3
	for f in "$@"; do MTOOLS_SKIP_CHECK=1 mcopy -i "$img" "$f" "::/$(basename "$f")"; done
	;;
state)
	rm -f "$2"
	truncate -s "${3:-64}M" "$2"
	mkfs.ext4 -q -L JBSTATE -E root_owner=0:0 "$2"
	;;
*) echo "usage: volumes.sh config CONF IMG | state IMG [MIB]" >&2; exit 2 ;;
esac
