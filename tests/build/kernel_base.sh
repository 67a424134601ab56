#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel_base.sh - the demo kernel's build-time reader of the node's tree:
# each tests/build/dts/*.dts says what it expects in `// expect:` (a line
# of the generated header), `// expect-error:` (the message) and
# `// args:` (extra arguments) comments.
# usage: kernel_base.sh KERNEL_BASE DTS_DIR WORK
set -eu
tool=$1 dir=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
failed=0
for dts in "$dir"/*.dts; do
	name=$(basename "$dts" .dts)
	dtc -q -I dts -O dtb -o "$work/$name.dtb" "$dts"
	args=$(sed -n 's|^// args: ||p' "$dts")
	# shellcheck disable=SC2086
	if "$tool" $args "$work/$name.dtb" "$work/$name.h" "$work/$name.ld" 2>"$work/$name.err"; then
		status=0
	else
		status=$?
	fi
	ok=1
	if grep -q '^// expect-error: ' "$dts"; then
		want=$(sed -n 's|^// expect-error: ||p' "$dts")
		[ "$status" = 1 ] && grep -qF -- "$want" "$work/$name.err" || ok=0
		[ ! -e "$work/$name.h" ] || ok=0
	else
		[ "$status" = 0 ] || ok=0
		sed -n 's|^// expect: ||p' "$dts" >"$work/$name.want"
		while IFS= read -r line; do
			grep -qxF -- "$line" "$work/$name.h" || ok=0
		done <"$work/$name.want"
		grep -q '^KERNEL_PADDR = 0x' "$work/$name.ld" || ok=0
	fi
	if [ "$ok" = 1 ]; then
		echo "ok   $name"
	else
		echo "FAIL $name (exit $status)"
		cat "$work/$name.err" "$work/$name.h" 2>/dev/null || true
		failed=1
	fi
done
exit $failed
