#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# launcher.sh - a compiler launcher (ccache, distcc, icecc) reaches every
# node's build from CMake's own variable CMAKE_C_COMPILER_LAUNCHER: the
# main job of the hello example with a launcher that logs each compiler it
# runs compiles every node's kernel and root task through it; with the
# variable unset again the nodes configure anew and compile without it.
# usage: launcher.sh MKIMG DTS_SPLIT REPO WORK
MKIMG=$1 DTS_SPLIT=$2 REPO=$3 WORK=$4
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
cat >launch <<'SH'
#!/bin/sh
echo "$PWD $*" >>"$LAUNCH_LOG"
exec "$@"
SH
chmod +x launch
LAUNCH_LOG=$WORK/launch.log
export LAUNCH_LOG
CMAKE_C_COMPILER_LAUNCHER=$WORK/launch "$MKIMG" "$REPO/examples/qemu-arm-virt/hello/partition.yaml" -o out \
	--progress never >with.log 2>&1 || { cat with.log; fail "the main job with a launcher failed"; }
for n in 0 1; do
	for what in kernel rootserver; do
		grep -q "^$WORK/out/build/node$n/$what .*aarch64-linux-gnu-gcc .* -c " launch.log ||
			{ cat launch.log; fail "node $n's $what was not compiled through the launcher"; }
	done
done
grep -q "CMAKE_C_COMPILER_LAUNCHER=$WORK/launch" out/build/node0/kernel.sh ||
	fail "the launcher is not part of node 0's configuration"
: >launch.log
"$MKIMG" "$REPO/examples/qemu-arm-virt/hello/partition.yaml" -o out --progress never >without.log 2>&1 ||
	{ cat without.log; fail "the main job without the launcher failed"; }
grep -q "CMAKE_C_COMPILER_LAUNCHER" out/build/node0/kernel.sh && fail "the launcher stayed in node 0's configuration"
[ ! -s launch.log ] || { cat launch.log; fail "compiled through the launcher after it was unset"; }
echo "ok: every node compiled through CMAKE_C_COMPILER_LAUNCHER, and not once it was unset"
