#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - build mkimg's libFuzzer harnesses (a clang sub-build of
# tests/fuzz) and run each for SECONDS, from seeds made of the examples, the
# test inputs and tests/fuzz/regressions/HARNESS/ (every crasher found so far,
# each run once first).
#
# Usage: tests/fuzz/run.sh [-b BUILD] [-m MKIMG] SECONDS [HARNESS...]
#   BUILD    the sub-build, its corpora and findings (default: build-fuzz);
#            BUILD/corpus/HARNESS grows from run to run
#   MKIMG    a built mkimg (default: build/bin/mkimg), to make plans and an
#            image for the seeds
#   HARNESS  manifest platform elf inspect bootplan plan_json (default: all)
# Prints one line per harness: executions, seconds, corpus size, findings.
# Exit status: 0 nothing found; 1 a harness crashed, its input is in
# BUILD/crashes/HARNESS/ (run BUILD/fuzz_HARNESS FILE to see it again); 77
# (SKIP) clang or its libFuzzer runtime is missing (Debian: clang, lld,
# libclang-rt-14-dev).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
mkimg=$root/build/bin/mkimg
while getopts b:m: o; do
	case $o in
	b) build=$OPTARG ;;
	m) mkimg=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: run.sh [-b BUILD] [-m MKIMG] SECONDS [HARNESS...]" >&2; exit 2; }
seconds=$1
shift
harnesses=${*:-manifest platform elf inspect bootplan plan_json escape}
mkdir -p "$build"
build=$(cd "$build" && pwd)
# Absolute: the seeds below are made from other folders.
case $mkimg in /*) ;; *) mkimg=$(pwd)/$mkimg ;; esac

# clang and its libFuzzer runtime, or skip.
if ! command -v clang >/dev/null 2>&1; then
	echo "SKIP: no clang (install clang, lld and libclang-rt-14-dev to fuzz)"
	exit 77
fi
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d && n == 1 && *d == 7; }' \
	>"$build/probe.c"
if ! clang -fsanitize=fuzzer,address,undefined "$build/probe.c" -o "$build/probe" >"$build/probe.log" 2>&1; then
	echo "SKIP: clang cannot link libFuzzer (install libclang-rt-14-dev): $(head -1 "$build/probe.log")"
	exit 77
fi

gen=Ninja
command -v ninja >/dev/null 2>&1 || gen="Unix Makefiles"
cmake -S "$root/tests/fuzz" -B "$build" -G "$gen" -DCMAKE_C_COMPILER=clang >"$build/configure.log" 2>&1 ||
	{ cat "$build/configure.log"; exit 1; }
cmake --build "$build" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

# Seeds, made anew each run: what the repository has of each input.
seeds=$build/seeds
rm -rf "$seeds"
for h in manifest platform elf inspect bootplan plan_json escape; do mkdir -p "$seeds/$h"; done
# escape: names and paths, printable and hostile (ESC, C1 CSI, a bidi override, bad UTF-8)
printf 'node 0: /pl011@9000000 caf\303\251' >"$seeds/escape/1"
printf 'x\033[31mred\007\r\n' >"$seeds/escape/2"
printf 'c1 \302\233 bidi \342\200\256 bad \300\257 \355\240\200 \364\220\200\200' >"$seeds/escape/3"
n=0
for f in "$root"/examples/*/*/partition.yaml "$root"/tests/image/manifests/*.yaml \
	"$root"/tests/dts-split/manifests/*.yaml "$root"/tests/bad/manifest/*.yaml; do
	[ -f "$f" ] && n=$((n + 1)) && cp "$f" "$seeds/manifest/$n.yaml"
done
for f in "$root"/examples/*/platforms/*.dts "$root"/tests/boards/*.dts "$root"/tests/boards/split/*.dts \
	"$root"/tests/build/dts/*.dts "$root"/tests/bad/board.dts "$root"/tests/bad/dts/*.dts "$root"/tests/bad/manifest/*.dts; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	(cd "$(dirname "$f")" && dtc -q -I dts -O dtb -o "$seeds/platform/$n.dtb" "$f") 2>/dev/null || true
done
cp "$root"/tests/boards/split/*.plan.json "$root"/tests/bad/plan-json/*.json "$seeds/plan_json/" 2>/dev/null || true
for f in "$root"/examples/*/*/partition.yaml; do
	n=$((n + 1))
	"$mkimg" plan --format json "$f" >"$seeds/plan_json/$n.json" 2>/dev/null || rm -f "$seeds/plan_json/$n.json"
done
# Kernels, root tasks and an image, without a cross compiler: the bad
# corpus's good inputs, packed by mkimg (elf seeds: a first byte selecting
# kernel or root task and node, then the file; see fuzz_elf.c).
good=$build/good
rm -rf "$good"
python3 "$root/tests/bad/gen.py" seeds "$good"
if (cd "$good" && "$mkimg" good.yaml -o out >/dev/null 2>&1); then
	cp "$good/out/elfloader.elf" "$seeds/inspect/good.elf"
	cp "$good/out/elfloader.bin" "$seeds/inspect/good.bin"
	cp "$good/out/elfloader.bin" "$seeds/bootplan/good.bin"
fi
# Real kernels, root tasks and images, where the main build staged them.
# Not the 64 MiB image of the big root task test: libFuzzer mutates inputs
# up to the largest seed's size, and would copy 64 MiB for every run.
for d in "$(dirname "$mkimg")"/../tests/image/out/*/; do
	[ -f "$d/elfloader.bin" ] || continue
	[ "$(wc -c <"$d/elfloader.bin")" -le 4194304 ] || continue
	x=$(basename "$d")
	cp "$d/elfloader.elf" "$seeds/inspect/$x.elf"
	cp "$d/elfloader.bin" "$seeds/bootplan/$x.bin"
	[ -f "$d/node0/Kernel.0.elf" ] && printf '\000' | cat - "$d/node0/Kernel.0.elf" >"$seeds/elf/$x-k0"
	[ -f "$d/node0/capdl.0.img" ] && printf '\001' | cat - "$d/node0/capdl.0.img" >"$seeds/elf/$x-u0"
done
printf '\000' | cat - "$good/k0.elf" >"$seeds/elf/k0"
printf '\002' | cat - "$good/k1.elf" >"$seeds/elf/k1"
printf '\001' | cat - "$good/user.elf" >"$seeds/elf/user"

status=0
for h in $harnesses; do
	fuzzer=$build/fuzz_$h
	corpus=$build/corpus/$h
	crashes=$build/crashes/$h
	mkdir -p "$corpus" "$crashes"
	# Every crasher found so far must stay fixed.
	for r in "$root/tests/fuzz/regressions/$h"/*; do
		[ -f "$r" ] || continue
		if ! "$fuzzer" -runs=1 "$r" >"$build/$h.regression.log" 2>&1; then
			echo "fuzz_$h: FAIL: regression $(basename "$r") crashes again:"
			grep -E 'ERROR|SUMMARY|runtime error' "$build/$h.regression.log" | head -5
			status=1
		fi
	done
	log=$build/$h.log
	# A fixed seed (FUZZ_SEED) makes a short run in CI repeatable.
	if "$fuzzer" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" "$seeds/$h" >"$log" 2>&1; then
		found="nothing found"
	else
		found="FOUND: $(grep -E 'SUMMARY|ERROR: libFuzzer' "$log" | head -1); input: $(ls -t "$crashes" | head -1)"
		status=1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	echo "fuzz_$h: ${runs:-?} runs in ${time:-?} s, corpus $(ls "$corpus" | wc -l) inputs, $found"
done
exit $status
