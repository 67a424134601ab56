#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# fail.sh - a node that does not build stops the image, and the error names
# the node, its log and the manifest line of its build section; inputs that
# cannot work are refused before anything is built.
# usage: fail.sh DRIVER MKIMG DTS_SPLIT REPO WORK
DRIVER=$1 MKIMG=$2 DTS_SPLIT=$3 REPO=$4 WORK=$5
. "$REPO/tests/build/lib.sh"
fresh_work
cd "$WORK"
cp -r "$REPO/examples/qemu-arm-virt/apps/hello" good
cp -r "$REPO/examples/qemu-arm-virt/apps/hello" broken
echo 'this is not C;' >>broken/main.c
manifest() { # manifest NAME ROOTSERVER1
	cat >"$1.yaml" <<YAML
name: $1
platform:
  dts: $BOARD
nodes:
  - id: 0
    cpus: [0]
    memory: 256M
    rootserver: {build: cmake, source: good}
  - id: 1
    cpus: [1]
    memory: 256M
    rootserver: $2
YAML
}

# 1. A broken source.
manifest broken '{build: cmake, source: broken}'
split broken.yaml out
if "$DRIVER" broken.yaml out >arts 2>err; then fail "a broken node built"; fi
cat err
expect_line err "broken.yaml:12:17: error: node 1: the root task build failed; its log is 'out/build/node1/rootserver.log'"
expect_line err "out/build/node1/rootserver.log: note: $WORK/broken/main.c:"
grep -q "this is not C" out/build/node1/rootserver.log || fail "the log does not hold the compiler's error"
[ ! -e out/node1/capdl.1.img ] || fail "a failed build left capdl.1.img"

# 2. A source folder that does not exist: refused at its line, nothing built.
manifest missing '{build: cmake, source: nowhere}'
split missing.yaml out2
if "$DRIVER" missing.yaml out2 >arts 2>err; then fail "a missing source built"; fi
expect_line err "missing.yaml:12:40: error: node 1: root task source 'nowhere' is not a folder"
[ ! -e out2/build/build.ninja ] || fail "something was built anyway"

# 3. No node trees (dts-split did not run): refused.
manifest notree '{build: cmake, source: good}'
if "$DRIVER" notree.yaml out3 >arts 2>err; then fail "built without the node trees"; fi
expect_line err "notree.yaml:8:17: error: node 0: '$WORK/out3/node0/kernel.dtb' is missing: dts-split writes the node's tree first"

# 4. A kernel file that does not exist.
manifest nofile "$WORK/none.elf"
split nofile.yaml out4
if "$DRIVER" nofile.yaml out4 >arts 2>err; then fail "a missing file passed"; fi
expect_line err "nofile.yaml:12:17: error: node 1: root task '$WORK/none.elf': No such file or directory"
# 5. seL4's build makes kernels only.
manifest sel4root "{build: sel4, source: good}"
split sel4root.yaml out5
if "$DRIVER" sel4root.yaml out5 >arts 2>err; then fail "a rootserver built with build: sel4"; fi
expect_line err "sel4root.yaml:12:25: error: node 1: 'build: sel4' builds a kernel, not a root task; use 'build: cmake'"
echo "fail: pass"
