#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""big_user.py CLI OUT BOARD - a large root task boots.

OUT is the staged hello output (two nodes). Each node gets a 32 MiB root
task (a minimal AArch64 ELF: one segment of random bytes that starts with
`b .`), linked at 0x400000: the loader places it right after the kernel
and its tree, so its physical and virtual addresses differ modulo 2 MiB
and the kernel must map it with 4 KiB pages (the demo kernel once ran out
of page tables above ~26 MiB and printed `FAIL user-map`). The image is
packed from OUT's kernels and trees and booted with boot.py, which wants
`node N: ok` with the plan's RAM from both nodes.
"""
import os
import random
import shutil
import struct
import subprocess
import sys

SIZE = 32 << 20
BASE = 0x400000


def root_task(path):
    body = bytearray(random.Random(1).randbytes(SIZE))
    body[0:4] = struct.pack("<I", 0x14000000)  # b .
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, BASE, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, BASE, BASE, SIZE, SIZE, 0x1000)
    with open(path, "wb") as f:
        f.write(hdr + ph + bytes(0x1000 - len(hdr) - len(ph)) + body)


def main():
    cli, out, board = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    work = os.path.join(os.path.dirname(out), "big-user")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for n in (0, 1):
        shutil.copytree(os.path.join(out, "node%d" % n), os.path.join(work, "node%d" % n))
    root_task(os.path.join(work, "big.img"))
    nodes = "".join("  - {id: %d, cpus: [%d], memory: 256M, kernel: %s/node%d/Kernel.%d.elf, rootserver: %s/big.img}\n"
                    % (i, i, out, i, i, work) for i in (0, 1))
    manifest = os.path.join(work, "partition.yaml")
    open(manifest, "w").write(
        "name: big-user\nplatform:\n  dts: %s\nconsole: /pl011@9000000\nloader: {size: 128M}\n"
        "shared_pools:\n  - {name: buf, size: 2M, nodes: [0, 1]}\nnodes:\n%s"
        "channels:\n  - {from: 0, to: 1}\n  - {from: 1, to: 0}\n" % (board, nodes))
    for cmd in ([cli, "plan", manifest, "-o", work], [cli, "pack", manifest, "-o", work]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print("FAIL: %s: exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))
            return 1
    boot = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boot.py")
    return subprocess.run([sys.executable, boot, cli, os.path.join(work, "elfloader.elf"),
                           os.path.join(work, "layout.json")]).returncode


if __name__ == "__main__":
    sys.exit(main())
