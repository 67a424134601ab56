#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/linux/stage.sh - the Linux node test's fixture: the folder that
# examples/qemu-arm-virt/linux/partition.yaml reads as $MKIMG_LINUX_DIR.
#
# Usage: tests/linux/stage.sh DEFAULT_CACHE DIR
#
# Fetches Debian's arm64 kernel and busybox-static (fetch.sh) into
# $MKIMG_LINUX_CACHE, else DEFAULT_CACHE, then makes DIR with
#   DIR/Image            a link to the cache's Image
#   DIR/initrd.cpio.gz   the test's initramfs (mkinitramfs.py, init.sh)
#   DIR/VERSION          a copy of the cache's: what was fetched
# A failed fetch fails the fixture, and with it the test: nothing is skipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || {
	echo "usage: $0 DEFAULT_CACHE DIR" >&2
	exit 2
}
cache=${MKIMG_LINUX_CACHE:-$1}
dir=$2
sh "$here/fetch.sh" "$cache"
cache=$(cd "$cache" && pwd)
mkdir -p "$dir"
ln -sf "$cache/Image" "$dir/Image"
cp "$cache/VERSION" "$dir/VERSION"
"${PYTHON:-python3}" "$here/mkinitramfs.py" "$cache/busybox" "$here/init.sh" "$dir/initrd.cpio.gz"
echo "linux: $(cat "$dir/VERSION"); initramfs $(wc -c <"$dir/initrd.cpio.gz") bytes in $dir"
