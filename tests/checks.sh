#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# checks.sh ROOT MKIMG - `mkimg check --list` names every check: each check
# name the sources report with (diag_error/diag_warn/err/warn/jerr's check
# argument) and each [check] the bad corpus expects.
set -u
root=$1 mkimg=$2
listed=$("$mkimg" check --list | awk '{print $1}' | sort -u)
used=$( {
	grep -ohE '(diag_error|diag_warn|diag_add|err|warn|jerr|report)\([^"]*"[a-z][a-z0-9]*(-[a-z0-9]+)*"' \
		"$root"/imgtool/*.c "$root"/dts-split/*.c | grep -oE '"[a-z][a-z0-9-]*"$' | tr -d '"'
	cat "$root"/tests/bad/*/*.err | grep -oE '\[[a-z0-9-]+\]$' | tr -d '[]'
} | sort -u)
missing=$(echo "$used" | while read -r c; do echo "$listed" | grep -qx -- "$c" || echo "$c"; done)
[ -z "$missing" ] || { echo "FAIL: used but not in 'mkimg check --list':"; echo "$missing"; exit 1; }
# every warning has a check name: no diag_warn(..., NULL, ...)
if grep -nE 'diag_warn\([^,]*,[^,]*, *NULL' "$root"/imgtool/*.c "$root"/dts-split/*.c; then
	echo "FAIL: a warning without a check name"
	exit 1
fi
echo "checks: $(echo "$used" | wc -l) used, all listed"
