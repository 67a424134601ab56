#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""pack_checks.py CLI OUT BOARD - packing refuses what cannot boot, and repeats itself.

OUT is a staged two-node output folder (hello: node 0 and node 1, 256 MiB
each, first fit from the board's RAM) made from BOARD. Manifests that name
OUT's built files directly (`kernel: FILE`) are written into fresh folders,
each with copies of OUT's node trees:
  - node 1 given node 0's kernel: `CLI pack` exits 1, writes nothing, and
    says the kernel is node 0's RAM, not node 1's, and to rebuild it;
  - the right files, packed twice with SOURCE_DATE_EPOCH: the same bytes.
"""
import filecmp
import os
import shutil
import subprocess
import sys


def manifest(path, board, out, kernels):
    nodes = ""
    for i, k in enumerate(kernels):
        nodes += "  - {id: %d, cpus: [%d], memory: 256M, kernel: %s, rootserver: %s}\n" % (
            i, i, k, "%s/node%d/capdl.%d.img" % (out, i, i))
    open(path, "w").write("name: packcheck\nplatform:\n  dts: %s\nconsole: /pl011@9000000\n"
                          "shared_pools:\n  - {name: buf, size: 2M, nodes: [0, 1]}\nnodes:\n%s" % (board, nodes))


def fresh(out, name):
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    for n in (0, 1):
        shutil.copytree(os.path.join(out, "node%d" % n), os.path.join(d, "node%d" % n))
    return d


def main():
    cli, out, board = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    fails = 0
    k = ["%s/node%d/Kernel.%d.elf" % (out, i, i) for i in (0, 1)]

    d = fresh(out, "wrong-node")
    manifest(d + "/partition.yaml", board, out, [k[0], k[0]])
    r = subprocess.run([cli, "pack", d + "/partition.yaml", "-o", d], capture_output=True, text=True)
    want = "Kernel.1.elf: physical range [0x48200000, "
    if r.returncode != 1 or want not in r.stderr or "is node 0's RAM, not node 1's [0x58200000, 0x68200000): rebuild it against" not in r.stderr:
        print("FAIL: node 1 with node 0's kernel: exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        fails += 1
    elif any(os.path.exists(os.path.join(d, f)) for f in ("elfloader.elf", "elfloader.bin", "payload.cpio")):
        print("FAIL: a refused pack left output files in " + d)
        fails += 1
    else:
        print("ok: refused: " + r.stderr.strip())

    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    dirs = []
    for name in ("same-a", "same-b"):
        d = fresh(out, name)
        manifest(d + "/partition.yaml", board, out, k)
        r = subprocess.run([cli, "pack", d + "/partition.yaml", "-o", d], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            print("FAIL: pack %s: exit %d\n%s" % (name, r.returncode, r.stderr))
            return 1
        dirs.append(d)
    for f in ("elfloader.elf", "elfloader.bin", "payload.cpio"):
        if not filecmp.cmp(os.path.join(dirs[0], f), os.path.join(dirs[1], f), shallow=False):
            print("FAIL: two packs of the same inputs differ in " + f)
            fails += 1
    if not fails:
        print("ok: two packs of the same inputs are byte for byte the same")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
