#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# golden.sh MKIMG MANIFEST EXPECTED.json - the plan's JSON must equal the
# golden file byte for byte. With UPDATE_GOLDEN=1 it rewrites the golden file.
set -u
mkimg=$1 manifest=$2 golden=$3
tmp=$(mktemp) && trap 'rm -f "$tmp"' EXIT
"$mkimg" plan --format json "$manifest" >"$tmp" || { echo "FAIL: mkimg plan exited $?"; exit 1; }
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp" "$golden"; echo "updated $golden"; exit 0; fi
if ! diff -u "$golden" "$tmp"; then
	echo "FAIL: the plan of $manifest differs from $golden (UPDATE_GOLDEN=1 rewrites it after review)"
	exit 1
fi
