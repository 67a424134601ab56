#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel_link.sh - the demo kernel built on its own (as in kernel/README.md)
# for node 0 and node 1 of the hello example: `readelf -l` shows each
# loaded at its node's RAM base and linked high, as seL4 links its kernel;
# the fixed layout of seL4 master; a tree for the wrong node is refused.
# usage: kernel_link.sh MKIMG DTS_SPLIT REPO WORK
MKIMG=$1 DTS_SPLIT=$2 REPO=$3 WORK=$4
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
split "$REPO/examples/qemu-arm-virt/hello/partition.yaml" out

kernel() { # kernel DIR ID [CMAKE ARGS...]: configure and build, all output to DIR.log
	dir=$1 id=$2
	shift 2
	{ cmake -S "$REPO/kernel" -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
		-DMKIMG_NODE_DTB="$WORK/out/node$id/kernel.dtb" -DMKIMG_NODE_ID="$id" "$@" &&
		cmake --build "$dir"; } >"$dir.log" 2>&1
}

for id in 0 1; do
	kernel k$id $id || { cat k$id.log; fail "node $id: the demo kernel did not build"; }
	python3 "$HERE/check_elf.py" kernel k$id/kernel.elf "$(ram_base out/plan.json $id)" window
done
kernel f1 1 -DMKIMG_KERNEL_LAYOUT=fixed || { cat f1.log; fail "the fixed layout did not build"; }
python3 "$HERE/check_elf.py" kernel f1/kernel.elf "$(ram_base out/plan.json 1)" fixed

# Node 0's tree with node 1's base: refused at build time.
if kernel wrong 0 -DMKIMG_RAM_BASE="$(ram_base out/plan.json 1)"; then fail "built with another node's tree"; fi
expect_line wrong.log "the kernel's physical base is 0x48200000 but the plan expects 0x58200000"
echo "kernel-link: pass"
