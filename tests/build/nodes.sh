#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# nodes.sh - build_nodes() on two nodes: the demo kernel and a root task
# each, through the generic CMake path, in parallel; then incrementally.
# usage: nodes.sh DRIVER MKIMG DTS_SPLIT REPO WORK
DRIVER=$1 MKIMG=$2 DTS_SPLIT=$3 REPO=$4 WORK=$5
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
# Two copies of the example root task: each node has its own source.
cp -r "$REPO/examples/qemu-arm-virt/apps/hello" app0
cp -r "$REPO/examples/qemu-arm-virt/apps/hello" app1
cat >two.yaml <<YAML
name: two
platform:
  dts: $BOARD
console: /pl011@9000000
nodes:
  - id: 0
    cpus: [0]
    memory: 256M
    kernel: {build: cmake, source: $REPO/kernel}
    rootserver: {build: cmake, source: app0}
  - id: 1
    cpus: [1]
    memory: 256M
    kernel: {build: cmake, source: $REPO/kernel}
    rootserver: {build: cmake, source: app1}
YAML
split two.yaml out
O=$WORK/out

run() { # run NAME: build, keep the artifact list and the progress lines
	"$DRIVER" --progress -j 2 two.yaml out >"$1.arts" 2>"$1.progress" || { cat "$1.progress" >&2; fail "$1: build failed"; }
}

# 1. From clean, both nodes at once.
run first
for id in 0 1; do
	expect_line first.arts "node $id kernel $O/node$id/Kernel.$id.elf"
	expect_line first.arts "node $id rootserver $O/node$id/capdl.$id.img"
	python3 "$HERE/check_elf.py" kernel "$O/node$id/Kernel.$id.elf" "$(ram_base out/plan.json $id)"
	python3 "$HERE/check_elf.py" user "$O/node$id/capdl.$id.img"
	grep -q "hello from node $id" "$O/node$id/capdl.$id.img" || fail "capdl.$id.img is not node $id's"
	for what in kernel rootserver; do
		shown=$what; [ "$what" = rootserver ] && shown="root task" # the progress lines' name
		expect_line first.progress "build: node $id $shown: started"
		expect_line first.progress "build: node $id $shown: built"
		[ -s "$O/build/node$id/$what.log" ] || fail "no log for node $id $what"
	done
done
# In parallel: a second build started before the first one finished.
awk '/: started$/ { s++ } / built / { if (s < 2) bad = 1; exit } END { exit bad }' first.progress ||
	fail "the builds ran one after the other (see first.progress)"
[ -f "$O/build/build.ninja" ] || fail "no build.ninja"

# 2. Nothing changed: nothing is rebuilt.
for f in "$O"/node*/Kernel.*.elf "$O"/node*/capdl.*.img; do mtime "$f"; done >before
run second
for id in 0 1; do
	for what in kernel "root task"; do
		expect_line second.progress "build: node $id $what: up to date"
	done
done
for f in "$O"/node*/Kernel.*.elf "$O"/node*/capdl.*.img; do mtime "$f"; done >after
cmp -s before after || fail "an up-to-date build changed its outputs"

# Another -j is not another configuration: still nothing to do.
"$DRIVER" --progress -j 1 two.yaml out >jobs.arts 2>jobs.progress || fail "-j 1 failed"
[ "$(grep -c ': up to date$' jobs.progress)" = 4 ] || { cat jobs.progress; fail "-j 1 rebuilt something"; }

# 3. The trees written anew, unchanged (as mkimg's main job does on every
# run): nothing is configured or built again.
sleep 1
touch "$O"/node*/kernel.dtb "$O"/node*/kernel.dts "$O"/node*/kernel-overlay.dts
run rewritten
[ "$(grep -c ': up to date$' rewritten.progress)" = 4 ] || { cat rewritten.progress; fail "an unchanged tree rebuilt"; }
grep -q 'Configuring' "$O/build/node1/kernel.log" && fail "an unchanged tree configured again"

# 4. Node 1's tree changes: node 1 is configured and its kernel reads its
# tree again; node 0 does nothing.
fdtput -t s "$O/node1/kernel.dtb" /chosen mkimg-test changed
run third
expect_line third.progress "build: node 1 kernel: built"
expect_line third.progress "build: node 0 kernel: up to date"
expect_line third.progress "build: node 0 root task: up to date"
grep -q '^ninja: no work to do' "$O/build/node0/kernel.log" || fail "node 0's kernel log shows work"
grep -q 'Reading the node' "$O/build/node1/kernel.log" || fail "node 1's kernel did not read its tree again"

# 5. Node 1's root task source changes: only capdl.1.img changes.
mtime "$O/node0/capdl.0.img" >before0
mtime "$O/node1/capdl.1.img" >before1
echo 'const char changed[] = "changed";' >>app1/main.c
run fourth
expect_line fourth.progress "build: node 1 root task: built"
expect_line fourth.progress "build: node 0 root task: up to date"
expect_line fourth.progress "build: node 0 kernel: up to date"
expect_line fourth.progress "build: node 1 kernel: up to date"
mtime "$O/node0/capdl.0.img" | cmp -s before0 - || fail "capdl.0.img changed"
mtime "$O/node1/capdl.1.img" | cmp -s before1 - && fail "capdl.1.img did not change"
echo "nodes: pass"
