#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# stage.sh MKIMG DTS_SPLIT CLI MANIFEST OUT [KERNEL_SRC] [APP_SRC]
#
# Everything before the boot: plan, per-node trees, per-node demo kernels
# and root tasks, and the image, in OUT. When MKIMG's main job can do it
# all (mkimg has `run`, and the manifest names its kernels), that is used;
# otherwise the stages run one by one here, through dts-split and CLI's `pack MANIFEST -o OUT`
# (mkimg-image, the library's pack over a small driver, until mkimg has it). Kernels come from KERNEL_SRC (default: the
# repository's kernel/), root tasks from APP_SRC (default: the examples'
# hello app). Build logs go to OUT/stage.log.
set -eu
mkimg=$1 split=$2 cli=$3 manifest=$4 out=$5
root=$(cd "$(dirname "$0")/../.." && pwd)
ksrc=${6:-$root/kernel}
asrc=${7:-$root/examples/qemu-arm-virt/apps/hello}
tc=$root/cmake/aarch64-toolchain.cmake
mkdir -p "$out"
log=$out/stage.log
: >"$log"

if "$mkimg" --help 2>/dev/null | grep -q '^  run ' && grep -q '^ .*kernel:' "$manifest"; then
	"$mkimg" "$manifest" -o "$out" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
	exit 0
fi

"$mkimg" plan --format json "$manifest" >"$out/layout.json"
board=$(python3 -c 'import json,sys,os; p=json.load(open(sys.argv[1])); b=p["platform"].get("dts") or p["platform"]["dtb"]; print(os.path.join(os.path.dirname(os.path.abspath(sys.argv[2])), b))' "$out/layout.json" "$manifest")
"$split" --plan "$out/layout.json" "$board" -o "$out" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
ids=$(python3 -c 'import json,sys; print(" ".join(str(n["id"]) for n in json.load(open(sys.argv[1]))["nodes"]))' "$out/layout.json")
for n in $ids; do
	b=$out/build/node$n
	mkdir -p "$b"
	ram=$(python3 -c 'import json,sys; n=[x for x in json.load(open(sys.argv[1]))["nodes"] if x["id"]==int(sys.argv[2])][0]; print(n["memory"][0]["base"])' "$out/layout.json" "$n")
	{
		cmake -S "$ksrc" -B "$b/kernel" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$tc" \
			-DMKIMG_NODE_DTB="$(cd "$out" && pwd)/node$n/kernel.dtb" -DMKIMG_NODE_ID="$n" \
			-DMKIMG_RAM_BASE="$ram" &&
		ninja -C "$b/kernel" &&
		cmake -S "$asrc" -B "$b/app" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$tc" -DMKIMG_NODE_ID="$n" \
			-DMKIMG_DATA_DIR="$root" &&
		ninja -C "$b/app"
	} >>"$log" 2>&1 || { echo "stage.sh: node $n: build failed (log: $log)" >&2; tail -20 "$log" >&2; exit 1; }
	cp "$b/kernel/kernel.elf" "$out/node$n/Kernel.$n.elf"
	cp "$b/app/rootserver.elf" "$out/node$n/capdl.$n.img"
done
"$cli" pack "$manifest" -o "$out" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
