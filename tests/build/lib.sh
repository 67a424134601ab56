# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - shared by the build tests; sourced after setting:
#   MKIMG DTS_SPLIT REPO WORK (and DRIVER where used)
set -eu
BOARD=$REPO/examples/qemu-arm-virt/platforms/qemu-arm-virt-2cpu-2g.dts
TOOLCHAIN=$REPO/cmake/aarch64-toolchain.cmake
HERE=$REPO/tests/build

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# fresh_work: an empty work folder for this test.
fresh_work() {
	rm -rf "$WORK"
	mkdir -p "$WORK"
}

# split MANIFEST OUT: the plan and the node trees, as mkimg's main job
# writes them before it builds.
split() {
	mkdir -p "$2"
	"$MKIMG" plan --format json "$1" >"$2/plan.json"
	"$DTS_SPLIT" --plan "$2/plan.json" "$BOARD" -o "$2"
}

# ram_base PLAN_JSON ID: the node's first RAM base, from the plan.
ram_base() {
	python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
print([n for n in p["nodes"] if n["id"] == int(sys.argv[2])][0]["memory"][0]["base"])' "$1" "$2"
}

# mtime FILE
mtime() {
	stat -c %Y.%y "$1"
}

# expect_line FILE TEXT: FILE has a line containing TEXT.
expect_line() {
	grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "no line with '$2' in $1"; }
}
