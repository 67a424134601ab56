#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""damage.py CLI OUT - damaged images are refused, by the loader and by inspect.

From the staged OUT/elfloader.elf, make copies with one byte flipped:
  - in a payload member (the last node's kernel, its middle byte): the
    loader must print its LDR|ERROR line naming the member, and no kernel
    may run; `CLI inspect` must exit 1 and name the member;
  - in the boot plan itself: likewise, the plan's own hash.
The boots go through boot.py --refuse.
"""
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def segment_offset(elf):
    phoff = struct.unpack_from("<Q", elf, 32)[0]
    return struct.unpack_from("<Q", elf, phoff + 8)[0]


def main():
    cli, out = sys.argv[1:3]
    elf = open(out + "/elfloader.elf", "rb").read()
    listing = subprocess.run([cli, "inspect", out + "/elfloader.elf"], capture_output=True, text=True).stdout
    members = re.findall(r"^  (\S+)\s+(\d+)  at 0x([0-9a-f]+)", listing, re.M)
    kernels = [m for m in members if m[0].startswith("Kernel.")]
    plan = [m for m in members if m[0] == "bootplan"]
    if not kernels or not plan:
        print("FAIL: inspect lists no kernel or no boot plan:\n" + listing)
        return 1
    seg = segment_offset(elf)
    cases = [
        (kernels[-1][0], seg + int(kernels[-1][2], 16) + int(kernels[-1][1]) // 2),
        ("boot plan", seg + int(plan[0][2], 16) + 200),  # inside the first node record
    ]
    fails = 0
    for name, at in cases:
        bad = bytearray(elf)
        bad[at] ^= 0x10
        path = os.path.join(out, "damaged-%s.elf" % name.replace(" ", "-"))
        open(path, "wb").write(bad)
        boot = subprocess.run([sys.executable, HERE + "/boot.py", cli, path, out + "/layout.json", "--refuse"],
                              capture_output=True, text=True)
        err = re.search(r"^LDR\|ERROR: (.*)$", boot.stdout, re.M)
        if boot.returncode != 0 or not err or name not in err.group(1):
            print("FAIL: %s damaged: the loader did not refuse it by name\n%s" % (name, boot.stdout))
            fails += 1
        else:
            print("ok: %s damaged at byte 0x%x: %s" % (name, at, err.group(0)))
        ins = subprocess.run([cli, "inspect", path], capture_output=True, text=True)
        if ins.returncode != 1 or name not in ins.stderr or "SHA-256 mismatch" not in ins.stderr:
            print("FAIL: %s damaged: inspect exit %d: %s" % (name, ins.returncode, ins.stderr))
            fails += 1
        else:
            print("ok: inspect: " + ins.stderr.strip().splitlines()[0])
        os.remove(path)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
