#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# gzip.sh MKIMG ROOT LINUX_DIR OUT - a gzip-compressed Image (what some
# distributions ship as vmlinuz) is unpacked by pack: the linux example is
# packed again, from a copy of e2e.stage.linux's output folder, with its
# Image gzipped, and the payload's Image.1 must be the uncompressed Image
# byte for byte (its SHA-256 in inspect's listing).
set -eu
mkimg=$1 root=$2 linux_dir=$3 out=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/linux"
gzip -9 -n -c "$linux_dir/Image" >"$work/linux/Image"
cp "$linux_dir/initrd.cpio.gz" "$work/linux/"
cp -R "$out" "$work/out"
MKIMG_LINUX_DIR=$work/linux "$mkimg" pack "$root/examples/qemu-arm-virt/linux/partition.yaml" -o "$work/out" >/dev/null
want=$(sha256sum "$linux_dir/Image" | cut -d' ' -f1)
got=$("$mkimg" inspect "$work/out/elfloader.elf" | awk '$1 == "Image.1" { print $NF }')
packed=$(wc -c <"$work/linux/Image")
[ "$got" = "$want" ] || { echo "FAIL: Image.1 has sha256 '$got', the uncompressed Image $want"; exit 1; }
echo "gzip: a $packed-byte Image.gz packed as the $(wc -c <"$linux_dir/Image")-byte Image"
