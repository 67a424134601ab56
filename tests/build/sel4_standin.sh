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
      options: {KernelDebugBuild: ON, KernelPrinting: ON, StandinUnused: ON}
    rootserver: {build: cmake, source: $SEL4/roottask}
  - id: 1
    cpus: [1]
    memory: 256M
    kernel:
      build: sel4
      source: $SEL4
      options: {KernelCustomDTS: ./out/node1/kernel.dts, CROSS_COMPILER_PREFIX: aarch64-linux-gnu-,
                KernelVerificationBuild: OFF, KernelPrinting: ON}
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
grep -q '^KernelCustomDTSOverlay=' "$opts1" && fail "node 1: an overlay beside KernelCustomDTS"
[ "$(grep -c '^CROSS_COMPILER_PREFIX=' "$opts1")" = 1 ] || fail "node 1: CROSS_COMPILER_PREFIX twice"
dtc -I dtb -O dts "$O/build/board.dtb" 2>/dev/null | grep -q 'compatible = "linux,dummy-virt"' ||
	fail "board.dtb is not the board's tree"
grep -q 'a stand-in for seL4' "$O/build/node0/kernel.log" || fail "the log does not say it is a stand-in"
cmp -s "$O/node0/kernel-overlay.dts" "$O/build/node0/kernel-tree/kernel-overlay.dts" ||
	fail "seL4 was given another overlay than node 0's"

# What seL4 did not take is a warning at the option's line, with the reason
# read from seL4's own declaration; node 1 asked for nothing seL4 refused.
expect_line err "sel4.yaml:11:39: warning: node 0: seL4 option KernelPrinting: asked ON, seL4 set OFF: its condition 'NOT KernelVerificationBuild' is false (KernelVerificationBuild is ON) [sel4-option]"
expect_line err "sel4.yaml:11:17: warning: node 0: seL4 did not take option 'KernelDebugBuild' (asked ON): no CMake file of seL4 names it; check its spelling [sel4-option]"
expect_line err "sel4.yaml:11:59: warning: node 0: seL4 did not take option 'StandinUnused' (asked ON): seL4 declares it in config.cmake, which this configuration (platform, architecture, other options) does not use [sel4-option]"
grep -q "node 1" err && { cat err >&2; fail "a warning about node 1, which asked for what seL4 takes"; }

# The root task gets its node's libsel4: one configuration (the kernel's),
# built before it; the package names the node's seL4 and its config header.
expect_line arts "node 0 rootserver $O/node0/capdl.0.img"
grep -qxF "MKIMG_SEL4_SOURCE=$SEL4" "$O/build/node0/rootserver/found.txt" || fail "the root task did not find seL4's package"
# one configuration: the root task sees the kernel's, KernelPrinting forced off
grep -qxF "#define STANDIN_PRINTING 0" "$O/build/node0/rootserver/found.txt" ||
	{ cat "$O/build/node0/rootserver/found.txt" >&2; fail "the root task does not see its kernel's configuration"; }
grep -qF "$O/build/node0/kernel/libsel4/libsel4.a" "$O/build/node0/kernel/mkimg-sel4/mkimg-sel4-config.cmake" ||
	fail "the package does not name node 0's own libsel4"
grep -qxF "build ../node0/capdl.0.img: node node0/rootserver.sh | always ../node0/Kernel.0.elf" "$O/build/build.ninja" ||
	fail "the root task is not built after its kernel"
grep -qF "'-DMKIMG_SEL4_DIR=$O/build/node0/kernel/mkimg-sel4'" "$O/build/node0/rootserver.sh" ||
	fail "the root task's build is not told where its libsel4 is"
# a path option written ./X is the manifest's, as 'source' is
grep -qxF "KernelCustomDTS=$WORK/./out/node1/kernel.dts" "$opts1" || { cat "$opts1" >&2; fail "./ not relative to the manifest"; }

# A folder that is not seL4: refused at 'source:', nothing built.
sed "s|source: $SEL4\$|source: $REPO/kernel|" sel4.yaml >notsel4.yaml
split notsel4.yaml out2
if "$DRIVER" notsel4.yaml out2 >arts 2>err; then fail "a kernel built from a folder that is not seL4"; fi
expect_line err "notsel4.yaml:10:15: error: node 0: kernel source '$REPO/kernel' is not a seL4 checkout: it has no 'configs/seL4Config.cmake'; give 'source:' a clone of https://github.com/seL4/seL4 [sel4-source]"
[ ! -e out2/build/build.ninja ] || fail "something was built anyway"

# seL4 that does not configure, in the same folder: its first error, with
# CMake's message, and no warning left from the configuration before.
sed 's|options: {KernelDebugBuild: ON, KernelPrinting: ON, StandinUnused: ON}|options: {STANDIN_FAIL: ON, KernelPrinting: ON}|' sel4.yaml >cfgfail.yaml
split cfgfail.yaml out
if "$DRIVER" cfgfail.yaml out >arts 2>err; then fail "a seL4 that cannot configure built"; fi
expect_line err "cfgfail.yaml:9:7: error: node 0: the kernel build failed; its log is 'out/build/node0/kernel.log'"
expect_line err "out/build/node0/kernel.log: note: CMake Error at $SEL4/CMakeLists.txt:"
grep -q "sel4-option" err && { cat err >&2; fail "a warning of the configuration before the failed one"; }
expect_line err "(message): sel4-standin: asked to fail (as seL4 fails when it cannot configure)"
echo "sel4-standin: pass"
