#!/bin/sh
# bad.sh MKIMG DIR - every DIR/*.yaml is a manifest with one fault and
# DIR/*.err the exact message mkimg must print. For each: exit status 1, that
# message on stderr, nothing on stdout, and no output folder or file created.
set -u
mkimg=$1 dir=$2
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cd "$dir" || exit 1
n=0 fail=0
for m in *.yaml; do
	n=$((n + 1))
	exp=${m%.yaml}.err
	for cmd in main check plan; do
		case $cmd in
		main) "$mkimg" "$m" -o "$work/out" >"$work/stdout" 2>"$work/stderr" ;;
		plan) "$mkimg" plan "$m" -o "$work/out" >"$work/stdout" 2>"$work/stderr" ;;
		check) "$mkimg" check "$m" >"$work/stdout" 2>"$work/stderr" ;;
		esac
		st=$?
		why=
		[ $st -eq 1 ] || why="exit status $st, expected 1"
		[ -e "$work/out" ] && why="$why; output written to $work/out" && rm -rf "$work/out"
		[ -s "$work/stdout" ] && why="$why; printed on stdout"
		if [ ! -f "$exp" ]; then
			why="$why; no $exp"
		elif ! cmp -s "$exp" "$work/stderr"; then
			why="$why; message differs:
$(diff "$exp" "$work/stderr")"
		fi
		if [ -n "$why" ]; then
			echo "FAIL: $m ($cmd): $why"
			fail=$((fail + 1))
		fi
	done
done
echo "$n bad manifests, $fail failures"
[ "$n" -ge 25 ] || { echo "FAIL: the corpus needs at least 25 cases"; exit 1; }
[ $fail -eq 0 ]
