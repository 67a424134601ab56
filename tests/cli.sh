#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh MKIMG EXAMPLES PYTHON - the command-line contract: help, version,
# usage errors (exit 2), formats, and the main job's output files.
set -u
mkimg=$1 ex=$2 py=$3
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
fail=0
# expect STATUS PATTERN STREAM -- ARGS...: run mkimg ARGS, check the exit
# status and that PATTERN (grep -E) appears on STREAM (out or err).
expect() {
	st=$1 pat=$2 stream=$3
	shift 4
	"$mkimg" "$@" >"$work/out" 2>"$work/err"
	got=$?
	if [ $got -ne "$st" ] || { [ -n "$pat" ] && ! grep -q -E -e "$pat" "$work/$stream"; }; then
		echo "FAIL: mkimg $*: status $got (expected $st), $stream lacks /$pat/"
		sed 's/^/  | /' "$work/out" "$work/err" | head -20
		fail=$((fail + 1))
	fi
}
hello=$ex/hello/partition.yaml
expect 0 '^usage: mkimg' out -- --help
expect 0 '^  plan ' out -- --help
expect 0 '^  check ' out -- --help
expect 0 '--format FMT' out -- plan --help
expect 0 '--list' out -- check --help
expect 0 '^mkimg [0-9]+\.[0-9]+\.[0-9]+( \(g[0-9a-f]{7,}\))?$' out -- --version
expect 2 "^mkimg: 'version' is not a mkimg command or a file; did you mean 'mkimg --version'\\?$" err -- version
expect 2 "^mkimg: 'plna' is not a mkimg command or a file; did you mean 'mkimg plan'\\?$" err -- plna "$hello"
expect 2 "^mkimg: 'frobnicate' is not a mkimg command or a file$" err -- frobnicate
expect 2 'no manifest given' err --
expect 2 "unknown option '--bogus'" err -- plan --bogus "$hello"
expect 2 "unknown format 'xml'" err -- plan --format xml "$hello"
expect 2 "needs a value" err -- plan "$hello" --format
expect 2 "does not apply" err -- check --format json "$hello"
expect 2 "unexpected argument" err -- check "$hello" "$hello"
expect 2 "option '--output' needs a value, not an empty one" err -- plan "$hello" -o ""
expect 2 "option '--output' is given twice" err -- plan "$hello" -o a -o b
expect 0 '^usage: mkimg run .*--dry-run' out -- run --help
expect 2 "unknown option '--x\\\\x1b\\[31m'" err -- plan "$(printf -- '--x\033[31m')" "$hello"
expect 1 "cannot open 'nonexistent.yaml'" err -- check nonexistent.yaml
expect 0 'memory-overlap' out -- check --list
expect 0 '' out -- check "$hello"
[ -s "$work/out" ] && { echo "FAIL: check printed on stdout"; fail=$((fail + 1)); }
expect 0 '^node 1: cpu 1' out -- plan "$hello"
expect 0 'shared pool .buf. \(nodes 0, 1\)' out -- plan "$hello"
expect 0 '^<svg ' out -- plan --format svg "$hello"
"$py" -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.tag.endswith("svg") and len(r) > 5 else 1)' "$work/out" ||
	{ echo "FAIL: the SVG is not well-formed XML"; fail=$((fail + 1)); }

# A board's model that is not UTF-8 (any bytes, from someone else's tree)
# still gives valid JSON: the byte as \xNN text, a control byte escaped
# by JSON itself.
sed 's/model = "linux,dummy-virt";/model = "bad\\xff\\x01model";/' "$ex/platforms/qemu-arm-virt-2cpu-2g.dts" >"$work/weird.dts"
printf 'name: w\nplatform: {dts: weird.dts}\nnodes:\n  - {id: 0, memory: 64M}\n' >"$work/weird.yaml"
expect 0 '' out -- plan --format json "$work/weird.yaml"
"$py" -c 'import json, sys; m = json.load(open(sys.argv[1]))["platform"]["model"]; sys.exit(m != "bad\\xff\x01model")' \
	"$work/out" || { echo "FAIL: a non-UTF-8 model in the plan's JSON:"; cat "$work/out" | head -3; fail=$((fail + 1)); }

# run's U-Boot options: --dtb is U-Boot's tree, --el 1 or 2.
expect 2 "--dtb goes with --u-boot" err -- run --dtb x.dtb "$hello"
expect 2 "bad exception level '3'" err -- run --el 3 "$hello"

# The main job writes the layout in every format, and only that.
expect 0 '^written to .*layout' out -- "$hello" -o "$work/o"
for f in layout.txt layout.json layout.svg; do
	[ -s "$work/o/$f" ] || { echo "FAIL: main job did not write $f"; fail=$((fail + 1)); }
done
for f in node0/kernel.dtb node0/kernel.dts node0/kernel-overlay.dts node1/kernel.dtb node1/Kernel.1.elf \
	node1/capdl.1.img elfloader.elf elfloader.bin elfloader.itb elfloader.uimg; do
	[ -s "$work/o/$f" ] || { echo "FAIL: main job did not write $f"; fail=$((fail + 1)); }
done
[ "$(ls "$work/o" | tr '\n' ' ')" = "build elfloader.bin elfloader.elf elfloader.itb elfloader.uimg layout.json layout.svg layout.txt node0 node1 payload.cpio " ] ||
	{ echo "FAIL: stray files in the output: $(ls "$work/o")"; fail=$((fail + 1)); }
# Progress in a log (stderr is a file here): one line per node artifact as it
# finishes, none as it starts; --progress always adds them, never is silent.
[ "$(grep -c '^build: node [01] \(kernel\|root task\): \(built\|up to date\)' "$work/err")" = 4 ] &&
	! grep -q ': started$' "$work/err" || { echo "FAIL: progress in a log:"; cat "$work/err"; fail=$((fail + 1)); }
expect 0 '^build: node 1 root task: started$' err -- "$hello" -o "$work/o" --progress always
expect 0 '' err -- "$hello" -o "$work/o" --progress never
[ -s "$work/err" ] && { echo "FAIL: --progress never printed:"; cat "$work/err"; fail=$((fail + 1)); }
expect 2 "bad --progress 'sometimes'" err -- "$hello" --progress sometimes
# Outputs whose bytes did not change are not written again: their
# timestamps stay (for whoever builds on top); a changed one is replaced.
outs="layout.json layout.txt node0/kernel.dtb node1/kernel.dts elfloader.bin elfloader.itb payload.cpio node0/Kernel.0.elf"
before=$(cd "$work/o" && stat -c '%Y.%y %n' $outs)
sleep 1.1
expect 0 '' err -- "$hello" -o "$work/o" --progress never
[ "$(cd "$work/o" && stat -c '%Y.%y %n' $outs)" = "$before" ] ||
	{ echo "FAIL: unchanged outputs rewritten:"; (cd "$work/o" && stat -c '%y %n' $outs); fail=$((fail + 1)); }
echo stale >"$work/o/layout.txt"
expect 0 '' err -- "$hello" -o "$work/o" --progress never
grep -q '^plan ' "$work/o/layout.txt" || { echo "FAIL: a changed output was not replaced"; fail=$((fail + 1)); }
expect 0 'device trees written to' out -- split "$hello" -o "$work/s"
cmp -s "$work/s/node1/kernel.dtb" "$work/o/node1/kernel.dtb" ||
	{ echo "FAIL: 'mkimg split' and the main job wrote different trees"; fail=$((fail + 1)); }
expect 0 '^  split ' out -- --help
expect 0 '^  run ' out -- --help
expect 0 '^  inspect ' out -- --help
expect 0 '^  pack ' out -- --help
expect 2 "bad job count '0'" err -- "$hello" -j 0
"$mkimg" plan --format json "$hello" | cmp -s - "$work/o/layout.json" ||
	{ echo "FAIL: layout.json differs from 'mkimg plan --format json'"; fail=$((fail + 1)); }
# Same inputs, same bytes, from another working directory.
(cd "$work" && "$mkimg" plan --format json "$hello") | cmp -s - "$work/o/layout.json" ||
	{ echo "FAIL: the plan depends on the working directory"; fail=$((fail + 1)); }

echo "cli: $fail failures"
[ $fail -eq 0 ]
