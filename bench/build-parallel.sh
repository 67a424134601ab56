#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# build-parallel.sh - how the per-node builds scale: times building 1, 2 and
# 4 nodes from clean (demo kernel + hello root task each, every node against
# its own device tree), best of RUNS, and prints the N-node / 1-node ratios
# with the CPU time each took (the work, against which the wall time of a
# parallel build is read).
# Goal: 2 nodes on 2 cores <= 1.3 x one node. Prints figures, gates nothing.
#
# usage: bench/build-parallel.sh [BUILD_DIR] [RUNS]     (defaults: build, 3)
# Needs the top-level build (mkimg, dts-split and tests/build's build_driver,
# which runs build_nodes() exactly as `mkimg MANIFEST` does).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
runs=${2:-3}
mkimg=$build/bin/mkimg
split=$build/bin/dts-split
driver=$build/tests/build/build_driver
for t in "$mkimg" "$split" "$driver"; do
	[ -x "$t" ] || { echo "build-parallel: '$t' is missing: build the tree first" >&2; exit 1; }
done
board=$repo/examples/qemu-arm-virt/platforms/qemu-arm-virt-4cpu-2g.dts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=$(nproc)

manifest() { # manifest N
	echo "name: bench$1"
	echo "platform: {dts: $board}"
	echo "console: /pl011@9000000"
	echo "nodes:"
	i=0
	while [ "$i" -lt "$1" ]; do
		echo "  - {id: $i, cpus: [$i], memory: 128M,"
		echo "     kernel: {build: cmake, source: $repo/kernel},"
		echo "     rootserver: {build: cmake, source: $repo/examples/qemu-arm-virt/apps/hello}}"
		i=$((i + 1))
	done
}

best() { # best N: "wall cpu" seconds of the fastest clean build of N nodes
	manifest "$1" >"$work/m$1.yaml"
	"$mkimg" plan --format json "$work/m$1.yaml" >"$work/p$1.json"
	b="1e9 0"
	r=0
	while [ "$r" -lt "$runs" ]; do
		rm -rf "$work/o$1"
		"$split" --plan "$work/p$1.json" "$board" -o "$work/o$1"
		# wall, and user + system of every process the build ran
		/usr/bin/time -f "%e %U %S" -o "$work/t" "$driver" -j "$jobs" "$work/m$1.yaml" "$work/o$1" >/dev/null
		b=$(awk -v b="$b" '{ split(b, o, " "); c = $2 + $3; if ($1 < o[1]) print $1, c; else print b }' "$work/t")
		r=$((r + 1))
	done
	echo "$b"
}

echo "per-node builds from clean, -j $jobs on $(nproc) cores, best of $runs (load now $(cut -d' ' -f1 /proc/loadavg))"
r1=$(best 1)
r2=$(best 2)
r4=$(best 4)
echo "$r1 $r2 $r4" | awk '{
	printf "  1 node:  %6.2f s wall  %6.2f s cpu\n", $1, $2
	printf "  2 nodes: %6.2f s wall  %6.2f s cpu   %.2f x one node (goal <= 1.3 on 2 cores)\n", $3, $4, $3 / $1
	printf "  4 nodes: %6.2f s wall  %6.2f s cpu   %.2f x one node\n", $5, $6, $5 / $1
	printf "  (one node alone already keeps %.1f cores busy: the floor for 2 nodes on %d cores is %.2f x)\n", \
		$2 / $1, '"$jobs"', ($4 / '"$jobs"' > $1 ? $4 / '"$jobs"' : $1) / $1
}'
