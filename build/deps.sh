#!/bin/sh
# Owns: installing the Debian packages the build and the tests need, so that
# `make` and `make test` work on a fresh Debian 12 machine. Installs only
# what is missing; runs apt-get update once if an install is needed.
# Usage: deps.sh build|test
set -eu
BUILD="build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils dpkg-dev
 musl-tools ccache squashfs-tools mtools dosfstools fdisk e2fsprogs rsync file patch libnftnl-dev libmnl-dev"
RUN="qemu-system-x86 ovmf openssh-client"
TEST="$RUN binutils iproute2 procps util-linux clang libclang-rt-14-dev python3 cppcheck clang-tidy
 libbearssl-dev oathtool openssh-server rsyslog rsyslog-gnutls openssl nftables ssh-audit
 python3-paramiko putty-tools qemu-user python3-asyncssh asciinema"
case ${1:-build} in
build) want=$BUILD ;;
run) want="$BUILD $RUN" ;;
test) want="$BUILD $TEST" ;;
*) echo "usage: deps.sh build|run|test" >&2; exit 2 ;;
esac
missing=
for p in $want; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "  APT     installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >/dev/null
apt-get -q install -y --no-install-recommends $missing >/dev/null
