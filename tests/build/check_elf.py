#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_elf.py - check an ELF's program headers as `readelf -lW` shows them.

  check_elf.py kernel ELF PADDR [window|fixed]
      exactly one PT_LOAD, at physical PADDR, linked high: virtual
      0xffffff8000000000 + PADDR (window, seL4 <= 16.x) or 0xffffffffc0000000
      (fixed, seL4 master); entry at the segment's start; a zero tail (BSS)
  check_elf.py user ELF
      a static AArch64 executable, loaded from 0x400000, entry inside it
"""
import re
import subprocess
import sys

PPTR_BASE = 0xFFFFFF8000000000
FIXED = 0xFFFFFFFFC0000000


def readelf(path):
    out = subprocess.run(["readelf", "-hlW", path], capture_output=True, text=True, check=True).stdout
    entry = int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)", out).group(1), 16)
    machine = re.search(r"Machine:\s+(.*)", out).group(1).strip()
    kind = re.search(r"Type:\s+(\S+)", out).group(1)
    loads = [tuple(int(x, 16) for x in m.groups())
             for m in re.finditer(r"^\s+LOAD\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", out, re.M)]
    interp = "INTERP" in out or "DYNAMIC" in out
    return entry, machine, kind, loads, interp


def fail(msg):
    sys.exit(f"FAIL: {sys.argv[2]}: {msg}")


def main():
    what, path = sys.argv[1], sys.argv[2]
    entry, machine, kind, loads, interp = readelf(path)
    if machine != "AArch64" or kind != "EXEC" or interp:
        fail(f"not a static AArch64 executable ({machine}, {kind})")
    if what == "kernel":
        paddr = int(sys.argv[3], 0)
        layout = sys.argv[4] if len(sys.argv) > 4 else "window"
        if len(loads) != 1:
            fail(f"{len(loads)} loadable segments, want 1 (as seL4)")
        _, vaddr, p, filesz, memsz = loads[0]
        want_v = FIXED if layout == "fixed" else PPTR_BASE + paddr
        if p != paddr:
            fail(f"loaded at {p:#x}, want the node's RAM base {paddr:#x}")
        if vaddr != want_v:
            fail(f"linked at {vaddr:#x}, want {want_v:#x} ({layout})")
        if entry != vaddr:
            fail(f"entry {entry:#x}, want the segment start {vaddr:#x}")
        if memsz <= filesz:
            fail("no zero tail (BSS) for the loader to clear")
        print(f"{path}: paddr {p:#x} vaddr {vaddr:#x} entry {entry:#x}: ok")
    elif what == "user":
        lo = min(l[1] for l in loads)
        hi = max(l[1] + l[4] for l in loads)
        if lo != 0x400000 or not lo <= entry < hi:
            fail(f"spans [{lo:#x}, {hi:#x}) with entry {entry:#x}; want it from 0x400000, entry inside")
        print(f"{path}: [{lo:#x}, {hi:#x}) entry {entry:#x}: ok")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
