#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/proof/run.sh - prove one of the loader's C files with Frama-C WP:
#   bootplan   loader/bootplan_check.c: its contracts (loader/bootplan_check.h:
#              what an accepted plan guarantees)
#   place      loader/place.c: the copy, zero and page-table loops write only
#              inside the ranges such a plan gives (loader/place.h)
#   attr       bootplan again; its mutant drops the check of a map's
#              attributes (mutant-attr.patch)
#   desc       place again; its mutant sets an address bit in a block
#              descriptor (mutant-desc.patch)
# place's two assumed facts, the axioms about a descriptor's bits, are
# proven first, over 64-bit bit-vectors (desc.mlw).
# and the absence of run-time errors, unsigned wrap-around included. Fails
# on any goal not proven, and when the tools are missing (ci/setup installs
# them).
# Usage: tests/proof/run.sh SRCDIR [UNIT]            prove SRCDIR's UNIT
#                                                    (default: bootplan)
#        tests/proof/run.sh --mutant SRCDIR [UNIT]   prove a copy of it with
#                                                    one check removed or one
#                                                    line broken: must FAIL
set -eu
mutant=
if [ "${1:-}" = --mutant ]; then
	mutant=1
	shift
fi
src=${1:?usage: run.sh [--mutant] SRCDIR [bootplan|place|attr|desc]}
unit=${2:-bootplan}
case $unit in
bootplan)
	files="bootplan.h bootplan_check.h bootplan_check.c sha256.h"
	main=loader/bootplan_check.c
	patch=mutant.patch
	fct=check_ram # the function the patch changes: its contract no longer holds
	;;
attr)
	# the mutant only: bootplan with the check of a map's attributes removed
	files="bootplan.h bootplan_check.h bootplan_check.c sha256.h"
	main=loader/bootplan_check.c
	patch=mutant-attr.patch
	fct=check_maps
	;;
place)
	files="bootplan.h bootplan_check.h sha256.h place.h place.c"
	main=loader/place.c
	patch=mutant-place.patch
	fct=new_table
	;;
desc)
	# the mutant only: place with a block descriptor that sets an address bit
	files="bootplan.h bootplan_check.h sha256.h place.h place.c"
	main=loader/place.c
	patch=mutant-desc.patch
	fct=map
	;;
*)
	echo "usage: run.sh [--mutant] SRCDIR [bootplan|place|attr|desc]" >&2
	exit 2
	;;
esac
here=$(cd "$(dirname "$0")" && pwd)
for tool in frama-c why3 cvc4; do
	command -v "$tool" >/dev/null || { echo "proof: '$tool' is missing; run ci/setup" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/loader"
for f in $files; do
	cp "$src/loader/$f" "$tmp/loader/"
done
only=
if [ -n "$mutant" ]; then
	patch -s -d "$tmp" -p1 <"$here/$patch"
	only="-wp-fct $fct"
fi
# A why3 configuration of its own: the provers this machine has.
WHY3CONFIG=$tmp/why3.conf
export WHY3CONFIG
why3 config detect >/dev/null 2>&1
# place.c's axioms attr_bits and desc_bits, proven over bit-vectors with the constants
# the loader is built with (fails if the constants or the statement are
# wrong, e.g. a mask with an address bit).
if [ "$unit" = place ] && [ -z "$mutant" ]; then
	value() { # the literal a "#define NAME VALUE" line of FILE gives
		v=$(awk -v n="$1" '$1 == "#define" && $2 == n { print $3; exit }' "$tmp/loader/$2" | sed 's/[uU]*[lL]*$//')
		case $v in
		0x[0-9a-fA-F]* | [0-9]*) echo "$v" ;;
		*) echo "proof: no literal #define $1 in loader/$2" >&2; exit 1 ;;
		esac
	}
	sed -e "s/@BP_MAP_ATTR_MASK@/$(value BP_MAP_ATTR_MASK bootplan.h)/" \
		-e "s/@DESC_ADDR@/$(value DESC_ADDR place.c)/" "$here/desc.mlw" >"$tmp/desc.mlw"
	for prover in z3 cvc4; do
		if ! why3 prove -P "$prover" -t 20 "$tmp/desc.mlw" >"$tmp/desc.log" 2>&1 ||
			[ "$(grep -c 'Valid' "$tmp/desc.log")" -ne 2 ]; then
			cat "$tmp/desc.log" >&2
			echo "proof: desc.mlw (place.c's axioms) not proven by $prover" >&2
			exit 1
		fi
	done
	echo "proof: desc.mlw: place.c's axioms attr_bits and desc_bits proven over 64-bit bit-vectors (z3, cvc4)"
fi
# WP's Typed memory model, the plan's byte arrays read through casts
# (+cast, see loader/README.md). CVC4 1.8 proves nearly every goal, Z3
# 4.8.12 the few left (alone it gives up on the casts' goals); why3 1.5
# does not know cvc5.
(cd "$tmp" && nice frama-c -c11 -machdep gcc_x86_64 -cpp-extra-args="-I$tmp/loader" \
	-warn-unsigned-overflow -warn-unsigned-downcast -warn-special-float none \
	"$main" -wp -wp-rte -wp-model Typed+cast -wp-prover cvc4,z3 -wp-par 2 \
	-wp-timeout 20 -wp-steps 0 -wp-no-warn-memory-model $only) >"$tmp/log" 2>&1 || true
summary=$(grep -A0 'Proved goals:' "$tmp/log" || true)
proved=$(echo "$summary" | sed -n 's/.*Proved goals: *\([0-9]*\) *\/ *\([0-9]*\).*/\1/p')
total=$(echo "$summary" | sed -n 's/.*Proved goals: *\([0-9]*\) *\/ *\([0-9]*\).*/\2/p')
if [ -z "$proved" ] || [ -z "$total" ] || [ "$total" -eq 0 ]; then
	cat "$tmp/log" >&2
	echo "proof: frama-c ran no proof" >&2
	exit 1
fi
unproven=$(grep -E '^\[wp\] \[[^]]*\] Goal .*: (Unknown|Timeout|Failed|Stepout)|^\[wp\] \[Failed\] Goal' "$tmp/log" || true)
if [ -n "$mutant" ]; then
	if [ "$proved" -lt "$total" ]; then
		echo "proof: the mutant ($patch) leaves goals unproven, as it must:"
		echo "$unproven" | head -5
		exit 0
	fi
	echo "proof: the mutant ($patch) proved $proved / $total: the proof does not notice" >&2
	exit 1
fi
if [ "$proved" -ne "$total" ]; then
	echo "$unproven" >&2
	echo "proof: $proved / $total goals proven" >&2
	exit 1
fi
echo "proof: $unit: $proved / $total goals proven"
