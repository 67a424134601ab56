#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""psci_trap.py QEMU IMAGE - a PSCI conduit no one answers is one clear line.

IMAGE is the hello example (its board's PSCI: smc). Booted at EL1 on QEMU's
virt without virtualization=on there is no EL3 or EL2 to answer an smc: the
loader must stop with one LDR|ERROR line naming the conduit, the exception
level and what to change, not a bare exception dump.
"""
import subprocess
import sys
import time

WANT = ("LDR|ERROR: PSCI by smc trapped at EL1: nothing above EL1 answers smc here (no EL3 firmware); "
        "give the board's tree or the manifest ('platform: psci: hvc') the conduit its firmware answers, "
        "or enter the loader at EL2 (QEMU virt: virtualization=on)")


def main():
    qemu, image = sys.argv[1], sys.argv[2]
    p = subprocess.Popen([qemu, "-machine", "virt,virtualization=off,gic-version=2", "-cpu", "cortex-a53",
                          "-smp", "2", "-m", "2048M", "-nographic", "-nic", "none", "-kernel", image],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    seen, deadline, errors = False, time.time() + 30, []
    try:
        for line in p.stdout:
            line = line.rstrip("\r\n")
            if line.startswith("LDR|ERROR"):
                errors.append(line)
                seen = line == WANT
                break
            if time.time() > deadline:
                break
    finally:
        p.kill()
        p.wait()
    if not seen:
        print("FAIL: expected\n  %s\ngot\n  %s" % (WANT, "\n  ".join(errors) or "(no LDR|ERROR line)"))
        return 1
    print("ok: " + WANT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
