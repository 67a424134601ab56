#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# reproducible.sh MKIMG ROOT WORK - the same example built twice gives the
# same bytes, however far apart the two builds are.
#
# The repository's sources (the hello example, its board, the demo kernel
# and the root task among them) are copied to two source folders of different names and depths, and built by
# mkimg's main job from each, into output folders of different names, a
# second apart, with the same SOURCE_DATE_EPOCH. Then:
#   - the images (elfloader.elf, .bin, payload.cpio), every node's kernel,
#     root task and trees, and the layout are byte for byte the same;
#   - no path of either build shows in any of them;
#   - SOURCE_DATE_EPOCH is the payload's CPIO mtimes, and a third build
#     with another one differs from the first only in those mtimes.
set -u
mkimg=$1 root=$2 work=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# The repository's sources, without its build and output folders.
copy_sources() {
	mkdir -p "$1"
	for e in "$root"/*; do
		case $(basename "$e") in build* | out) continue ;; esac
		cp -R "$e" "$1/"
	done
}
build() { # build SRC OUT EPOCH
	mkdir -p "$(dirname "$2")"
	SOURCE_DATE_EPOCH=$3 "$mkimg" "$1/examples/qemu-arm-virt/hello/partition.yaml" -o "$2" >"$2.log" 2>&1 ||
		{ echo "FAIL: the build from $1 failed:"; tail -20 "$2.log"; exit 1; }
}
a=$work/a/src b=$work/second-copy/of/the/sources
copy_sources "$a"
copy_sources "$b"
build "$a" "$work/out-a" 1700000000
sleep 1
build "$b" "$work/b/elsewhere/out" 1700000000
build "$a" "$work/out-c" 1

files=$(cd "$work/out-a" && ls elfloader.elf elfloader.bin payload.cpio layout.txt layout.json layout.svg \
	node*/Kernel.*.elf node*/capdl.*.img node*/kernel.dtb node*/kernel.dts node*/kernel-overlay.dts)
count=0
for f in $files; do
	count=$((count + 1))
	cmp -s "$work/out-a/$f" "$work/b/elsewhere/out/$f" || fail "$f differs between the two builds"
	for p in "$work" "$root"; do
		grep -qF "$p" "$work/out-a/$f" && fail "$f holds the path '$p'"
	done
done
[ "$count" -ge 13 ] || fail "only $count files to compare"

# The CPIO mtime field (the sixth of the newc header) of the first member.
mtime() { dd if="$1" bs=1 skip=46 count=8 2>/dev/null; }
[ "$(mtime "$work/out-a/payload.cpio")" = "6553F100" ] || fail "payload mtime is $(mtime "$work/out-a/payload.cpio"), not SOURCE_DATE_EPOCH 1700000000"
[ "$(mtime "$work/out-c/payload.cpio")" = "00000001" ] || fail "payload mtime is $(mtime "$work/out-c/payload.cpio"), not SOURCE_DATE_EPOCH 1"
# Apart from the mtimes (8 hex digits per member), the third payload is the first.
diffs=$(cmp -l "$work/out-a/payload.cpio" "$work/out-c/payload.cpio" | wc -l)
members=$(cpio -t --quiet <"$work/out-a/payload.cpio" | wc -l)
[ "$diffs" -gt 0 ] && [ "$diffs" -le $((8 * members)) ] ||
	fail "another SOURCE_DATE_EPOCH changed $diffs bytes of the payload, expected its $members mtimes only"
[ $fails -eq 0 ] && echo "ok: $count files byte for byte the same across two source folders, output folders and times"
[ $fails -eq 0 ]
