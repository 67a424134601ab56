#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make-dts.sh - regenerate the QEMU `virt` board trees shipped here.
#
# QEMU writes random /chosen/rng-seed and kaslr-seed values into every tree it
# dumps; they are stripped so the shipped DTS (and every plan made from it)
# is reproducible. Usage: ./make-dts.sh   (needs qemu-system-aarch64 and dtc)
set -eu
cd "$(dirname "$0")"
dump() { # name smp gic
	tmp=$(mktemp)
	qemu-system-aarch64 -machine "virt,virtualization=on,gic-version=$3,dumpdtb=$tmp" \
		-cpu cortex-a53 -smp "$2" -m 2G -nographic -nic none >/dev/null 2>&1
	{
		echo "// QEMU virt: $2 x Cortex-A53, 2 GiB, GICv$3, virtualization=on (PSCI over SMC)."
		echo "// Made by make-dts.sh from: qemu-system-aarch64 -machine virt,virtualization=on,gic-version=$3,dumpdtb=... -cpu cortex-a53 -smp $2 -m 2G"
		dtc -q -I dtb -O dts "$tmp" | grep -v -E '^[[:space:]]*(rng-seed|kaslr-seed) ='
	} >"$1.dts"
	rm -f "$tmp"
}
dump qemu-arm-virt-2cpu-2g 2 2
dump qemu-arm-virt-4cpu-2g 4 2
dump qemu-arm-virt-4cpu-2g-gicv3 4 3
dump qemu-arm-virt-8cpu-2g 8 2
