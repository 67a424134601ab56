#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# qemu_smoke.sh - the demo kernel booted in QEMU, alone: both nodes of
# manifests/smoke.yaml built through build_nodes(), entered by the test shim
# (tests/build/shim, not the real loader) exactly as seL4 is entered. Each
# node prints its intact `node N: ok` line; each broken part of the entry
# contract gives `node 0: FAIL` naming it.
# usage: qemu_smoke.sh DRIVER MKIMG DTS_SPLIT REPO WORK QEMU
DRIVER=$1 MKIMG=$2 DTS_SPLIT=$3 REPO=$4 WORK=$5 QEMU=$6
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
M=$HERE/manifests/smoke.yaml
split "$M" out
"$DRIVER" "$M" out >arts 2>err || { cat err; fail "building the smoke nodes failed"; }
{ cmake -S "$HERE/shim" -B shim -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" && cmake --build shim; } >shim.log 2>&1 ||
	{ cat shim.log; fail "the test shim did not build"; }
nodes="out/node0/Kernel.0.elf:out/node0/kernel.dtb:0x8000000 out/node1/Kernel.1.elf:out/node1/kernel.dtb:0x10000000"
for case in ok tpidr dtb-size bss mair user-range entry dtb-memory; do
	# shellcheck disable=SC2086
	python3 "$HERE/qemu_smoke.py" "$QEMU" shim/shim.elf out/node0/capdl.0.img $case $nodes ||
		fail "case $case"
done
echo "qemu-smoke: pass"
