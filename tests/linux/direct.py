#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""direct.py QEMU DIR [--timeout S]

The Linux node test's kernel and initramfs without mkimg: boot DIR/Image
and DIR/initrd.cpio.gz (stage.sh) straight in QEMU (its own -kernel
loader: 2 cpus, 512 MiB at 0x40000000, no shared pool) and check that
init.sh reports just that:

  linux: init ok ... linux: started at EL2 ... linux: System RAM 40000000-5fffffff
  linux: cpus online 0-1 ... linux: no shared pool in the device tree ... linux: done

When e2e.linux fails and this passes, the fault is in the image mkimg made,
not in the kernel or the initramfs. Exit status 0 or 1; the console is printed.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402  tests/lib: the one reader of a booted image's output


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("qemu")
    ap.add_argument("dir")
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()
    cmd = [a.qemu, "-M", "virt,gic-version=2,virtualization=on", "-cpu", "cortex-a53", "-smp", "2", "-m", "512M",
           "-nographic", "-nic", "none", "-kernel", os.path.join(a.dir, "Image"),
           "-initrd", os.path.join(a.dir, "initrd.cpio.gz"),
           "-append", "console=ttyAMA0 printk.devkmsg=on printk.time=0 quiet kvm-arm.mode=none"]
    lines, took = console.run(cmd, a.timeout, lambda lines, _: "linux: done" in lines)
    print("\n".join(lines))
    want = [r"linux: init ok", r"linux: Linux version \S+ .*", r"linux: started at EL2",
            r"linux: MemTotal: \d+ kB", r"linux: System RAM 40000000-5fffffff", r"linux: cpus online 0-1",
            r"linux: no shared pool in the device tree", r"linux: done"]
    missing = [w for w in want if not any(re.fullmatch(w, l) for l in lines)]
    for w in missing:
        print("FAIL: no line matching '%s' within %d s" % (w, a.timeout))
    if not missing:
        print("ok: Linux booted to init and halted in %.1f s" % took)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
