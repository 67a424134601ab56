#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# examples.sh MKIMG ROOT OUT - every example (ROOT/examples/**/partition.yaml),
# built and packed by mkimg's main job into OUT/NAME: the fixture of the
# isolation and loader-refusal tests. Each build's log is OUT/NAME.log.
# An example on real seL4 (source ${SEL4_SOURCE}) is only checked and split
# when SEL4_SOURCE is not set, one with Linux (${MKIMG_LINUX_DIR}) when
# MKIMG_LINUX_DIR is not.
set -eu
mkimg=$1 root=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
n=0
for m in "$root"/examples/*/partition.yaml "$root"/examples/*/*/partition.yaml; do
	[ -f "$m" ] || continue
	name=$(basename "$(dirname "$m")")
	# A real-seL4 example needs a seL4 checkout (tests/sel4 builds it when
	# there is one): without it, it must still check and split.
	if grep -q '[$]{SEL4_SOURCE}' "$m" && [ -z "${SEL4_SOURCE:-}" ]; then
		"$mkimg" check "$m" >"$out/$name.log" 2>&1 && "$mkimg" split "$m" -o "$out/$name.split" >>"$out/$name.log" 2>&1 ||
			{ echo "FAIL: $m does not check and split (log: $out/$name.log):"; tail -20 "$out/$name.log"; exit 1; }
		echo "$name: checked and split only (no SEL4_SOURCE)"
		continue
	fi
	# A Linux example needs a kernel and an initramfs from Debian's archive
	# (tests/linux fetches them): without MKIMG_LINUX_DIR, check and split.
	if grep -q '[$]{MKIMG_LINUX_DIR}' "$m" && [ -z "${MKIMG_LINUX_DIR:-}" ]; then
		"$mkimg" check "$m" >"$out/$name.log" 2>&1 && "$mkimg" split "$m" -o "$out/$name.split" >>"$out/$name.log" 2>&1 ||
			{ echo "FAIL: $m does not check and split (log: $out/$name.log):"; tail -20 "$out/$name.log"; exit 1; }
		echo "$name: checked and split only (no MKIMG_LINUX_DIR)"
		continue
	fi
	if ! "$mkimg" "$m" -o "$out/$name" >"$out/$name.log" 2>&1; then
		echo "FAIL: $m does not build (log: $out/$name.log):"
		tail -20 "$out/$name.log"
		exit 1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no example under $root/examples"; exit 1; }
echo "$n examples built into $out"
