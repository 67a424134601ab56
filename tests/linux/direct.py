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
import select
import signal
import subprocess
import sys
import time


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
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines, buf, start = [], b"", time.monotonic()
    try:
        while time.monotonic() < start + a.timeout and "linux: done" not in lines:
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                lines.append(raw.decode("utf-8", "replace").rstrip("\r"))
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    took = time.monotonic() - start
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
