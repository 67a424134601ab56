#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# sel4_standin.sh - the `build: sel4` path, exercised with a stand-in for
# seL4's build (tests/build/sel4-standin: it is not seL4) that records the
# options it was given.
# usage: sel4_standin.sh DRIVER MKIMG DTS_SPLIT REPO WORK
DRIVER=$1 MKIMG=$2 DTS_SPLIT=$3 REPO=$4 WORK=$5
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
SEL4=$REPO/tests/build/sel4-standin
cat >sel4.yaml <<YAML
name: sel4
platform:
  dts: $BOARD
nodes:
  - id: 0
    cpus: [0]
    memory: 256M
    kernel:
      build: sel4
      source: $SEL4
      options: {KernelDebugBuild: ON, KernelPrinting: ON}
  - id: 1
    cpus: [1]
    memory: 256M
    kernel:
      build: sel4
      source: $SEL4
      options: {KernelCustomDTS: $WORK/out/node1/kernel.dts, CROSS_COMPILER_PREFIX: aarch64-linux-gnu-}
YAML
split sel4.yaml out
"$DRIVER" sel4.yaml out >arts 2>err || { cat err out/build/node*/kernel.log >&2; fail "the seL4 path failed"; }
O=$WORK/out
expect_line arts "node 0 kernel $O/node0/Kernel.0.elf"
expect_line arts "node 1 kernel $O/node1/Kernel.1.elf"
opts0=$O/build/node0/kernel/options.txt
opts1=$O/build/node1/kernel/options.txt
for line in CROSS_COMPILER_PREFIX=aarch64-linux-gnu- KernelPlatform=qemu-arm-virt KernelSel4Arch=aarch64 \
	"KernelCustomDTSOverlay=$O/build/node0/kernel-tree/kernel-overlay.dts" "QEMU_DTB=$O/build/board.dtb" QEMU_GIC_VERSION=2 \
	KernelDebugBuild=ON KernelPrinting=ON; do
	grep -qxF "$line" "$opts0" || { cat "$opts0" >&2; fail "node 0: seL4 was not given $line"; }
done
# seL4's debug build keeps __FILE__: the folders are mapped away.
for f in CMAKE_C_FLAGS CMAKE_ASM_FLAGS; do
	grep -q "^$f=.*-ffile-prefix-map=$O=/out" "$opts0" || { cat "$opts0" >&2; fail "node 0: no prefix maps in $f"; }
done
# An option replaces mkimg's own: a whole tree instead of the overlay.
grep -qxF "KernelCustomDTS=$O/node1/kernel.dts" "$opts1" || fail "node 1: no KernelCustomDTS"
grep -q '^KernelCustomDTSOverlay=' "$opts1" && fail "node 1: an overlay beside KernelCustomDTS"
[ "$(grep -c '^CROSS_COMPILER_PREFIX=' "$opts1")" = 1 ] || fail "node 1: CROSS_COMPILER_PREFIX twice"
dtc -I dtb -O dts "$O/build/board.dtb" 2>/dev/null | grep -q 'compatible = "linux,dummy-virt"' ||
	fail "board.dtb is not the board's tree"
grep -q 'a stand-in for seL4' "$O/build/node0/kernel.log" || fail "the log does not say it is a stand-in"
cmp -s "$O/node0/kernel-overlay.dts" "$O/build/node0/kernel-tree/kernel-overlay.dts" ||
	fail "seL4 was given another overlay than node 0's"
echo "sel4-standin: pass"
