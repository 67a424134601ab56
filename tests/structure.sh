#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# structure.sh ROOT - the stages read the plan and nothing behind it: no
# file of report, dts-split, build, pack or image includes the manifest's or
# the board reader's header (or the cpp path to one); only the readers, the
# planner (plan.c) and the two command lines (main.c) do.
set -u
root=$1
fail=0
for f in "$root"/imgtool/*.c "$root"/imgtool/*.h "$root"/dts-split/*.c "$root"/dts-split/*.h; do
	case ${f#"$root"/} in
	imgtool/manifest.[ch] | imgtool/platform.[ch] | imgtool/plan.c | imgtool/main.c | dts-split/main.c) continue ;;
	esac
	if grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](.*/)?(manifest|platform)\.h[>"]' "$f"; then
		echo "FAIL: ${f#"$root"/} includes the manifest's or the platform's header: read plan.h instead"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "structure: every stage depends on plan.h only"
exit $fail
