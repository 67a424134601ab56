#!/bin/busybox sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/linux/init.sh - /init of the Linux node test's initramfs
# (mkinitramfs.py): reports what this Linux sees and halts its cpus.
#
# Every line goes through /dev/kmsg at KERN_CRIT, so the kernel's own
# console write puts it out whole (with bootargs `printk.devkmsg=on
# printk.time=0 quiet` it is a bare `linux: ...` line and the kernel's
# chatter stays off the console). check_linux.py reads:
#   linux: init ok
#   linux: Linux version ...                  (/proc/version)
#   linux: started at EL2                     (or EL1: from the kernel's log)
#   linux: MemTotal: N kB
#   linux: System RAM START-END               (each such line of /proc/iomem, hex, END inclusive)
#   linux: cpus online LIST                   (/sys/devices/system/cpu/online, e.g. 0-1)
#   linux: pool NAME at 0xADDR size 0xSIZE reads 0xVALUE
#                                             (each /reserved-memory/pool@* node: the
#                                             32-bit word at its start, through /dev/mem)
#   linux: no shared pool in the device tree  (when there is none)
#   linux: done
# then `halt -f`: never poweroff or reboot, which reset the whole machine
# through PSCI, the other nodes with it.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

say() {
	echo "<2>linux: $*" >/dev/kmsg
}

# The hex digits of a device tree property, without spaces or newlines.
hex() {
	od -An -v -tx1 "$1" | tr -d ' \n'
}

say "init ok"
say "$(cat /proc/version)"
el=$(dmesg | sed -n 's/.*CPU: All CPU(s) started at \(EL[0-9]\).*/\1/p' | head -n1)
say "started at ${el:-an unknown EL}"
say "$(grep '^MemTotal:' /proc/meminfo | tr -s ' ')"
grep ' : System RAM$' /proc/iomem | while read -r range rest; do
	say "System RAM $range"
done
say "cpus online $(cat /sys/devices/system/cpu/online)"

pools=0
for node in /proc/device-tree/reserved-memory/pool@*; do
	[ -e "$node/reg" ] || continue
	pools=$((pools + 1))
	name=$(tr -d '\000' <"$node/label" 2>/dev/null)
	reg=$(hex "$node/reg")
	# reg is one address and one size, of the same number of cells.
	half=$((${#reg} / 2))
	addr=$(echo "$reg" | cut -c1-$half | sed 's/^0*//')
	size=$(echo "$reg" | cut -c$((half + 1))- | sed 's/^0*//')
	addr=0x${addr:-0}
	size=0x${size:-0}
	if value=$(devmem "$addr" 32 2>/dev/null) && [ -n "$value" ]; then
		say "pool ${name:-(no label)} at $addr size $size reads $(echo "$value" | tr 'A-FX' 'a-fx')"
	else
		say "pool ${name:-(no label)} at $addr size $size cannot be read through /dev/mem"
	fi
done
[ $pools -gt 0 ] || say "no shared pool in the device tree"

say "done"
halt -f
