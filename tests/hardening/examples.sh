#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# examples.sh MKIMG ROOT OUT - every example (ROOT/examples/**/partition.yaml),
# built and packed by mkimg's main job into OUT/NAME: the fixture of the
# isolation and loader-refusal tests. Each build's log is OUT/NAME.log.
set -eu
mkimg=$1 root=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
n=0
for m in "$root"/examples/*/partition.yaml "$root"/examples/*/*/partition.yaml; do
	[ -f "$m" ] || continue
	name=$(basename "$(dirname "$m")")
	if ! "$mkimg" "$m" -o "$out/$name" >"$out/$name.log" 2>&1; then
		echo "FAIL: $m does not build (log: $out/$name.log):"
		tail -20 "$out/$name.log"
		exit 1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no example under $root/examples"; exit 1; }
echo "$n examples built into $out"
