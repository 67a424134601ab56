#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""fit.py CLI OUT BOARD - elfloader.itb, U-Boot's FIT of the loader.

OUT is the staged hello example; BOARD its board's DTS.
  - `CLI inspect` reads it (format fit) and verifies the image inside;
  - Debian's mkimage -l (u-boot-tools) lists it: the loader image with
    elfloader.bin's SHA-256, loaded and entered at the plan's base, and the
    board's tree (dtc's blob of BOARD) with its SHA-256, in configuration
    `conf`;
  - a flipped byte in the loader's data or the tree's, or in the FIT's own
    header: inspect exits 1 naming what failed; plain `run` refuses a FIT
    (it is for bootm: --u-boot).
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uimage import inspect_refuses, report, run_refuses  # noqa: E402


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, **kw)


def main():
    cli, out, board = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    itb = os.path.join(out, "elfloader.itb")
    fails = []
    r = run([cli, "inspect", "--format", "json", itb])
    base = None
    if r.returncode != 0:
        fails.append("inspect refused elfloader.itb: " + r.stderr)
    else:
        j = json.loads(r.stdout)
        base = j["plan"]["image_base"]
        if j.get("format") != "fit" or not j.get("verified"):
            fails.append("inspect: format %s, verified %s" % (j.get("format"), j.get("verified")))
    binsum = hashlib.sha256(open(os.path.join(out, "elfloader.bin"), "rb").read()).hexdigest()
    dtb = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-q", board], stdout=subprocess.PIPE).stdout
    mkimage = shutil.which("mkimage")
    if not mkimage:
        fails.append("no mkimage (u-boot-tools): ci/setup installs it")
    else:
        m = run([mkimage, "-l", itb])
        want = ["Image 0 (loader)", "Type:         Kernel Image", "Architecture: AArch64",
                "Load Address: %s" % base, "Entry Point:  %s" % base, "Hash value:   " + binsum,
                "Image 1 (fdt)", "Type:         Flat Device Tree", "Default Configuration: 'conf'"]
        missing = [w for w in want if w not in m.stdout]
        if m.returncode != 0 or missing:
            fails.append("mkimage -l: exit %d, lacks %s:\n%s" % (m.returncode, missing, m.stdout))
        elif ("Hash value:   " + hashlib.sha256(dtb).hexdigest()) not in m.stdout:
            fails.append("the FIT's tree is not the board's (dtc's blob of %s):\n%s" % (board, m.stdout))
    data = open(itb, "rb").read()
    at_bin = data.find(open(os.path.join(out, "elfloader.bin"), "rb").read()[:4096])
    at_dtb = data.find(dtb[:256]) if dtb else -1
    for at, why in ((at_bin + 5000, "'loader' does not match its SHA-256"), (at_dtb + 100, "'fdt' does not match its SHA-256"),
                    (5, "device tree header")):
        if at < 0:
            fails.append("no place to damage for %s" % why)
            continue
        fails += filter(None, [inspect_refuses(cli, data, at, why, os.path.join(out, "damaged.itb"))])
    fails += filter(None, [run_refuses(cli, itb, "FIT")])
    return report(fails, "elfloader.itb verifies, mkimage -l reads its hashes, and damage is named")


if __name__ == "__main__":
    sys.exit(main())
