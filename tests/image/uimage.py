#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""uimage.py CLI OUT - elfloader.uimg, U-Boot's legacy image of the loader.

OUT is the staged hello example (packed without SOURCE_DATE_EPOCH: time 0).
  - `CLI inspect` reads it (format uimage) and verifies the image inside;
  - Debian's mkimage (u-boot-tools), given elfloader.bin, the loader base
    and the plan's name, with SOURCE_DATE_EPOCH=0, makes the same bytes;
  - a flipped byte in the header or in the data: inspect exits 1 naming the
    CRC that failed; `run` refuses a uImage (it is for bootm).
"""
import json
import os
import shutil
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, **kw)


def inspect_refuses(cli, data, at, why, path):
    """A copy of `data` with byte `at` flipped, at `path`: `cli inspect`
    must exit 1 naming `why`. Returns what went wrong, or None."""
    b = bytearray(data)
    b[at] ^= 0x40
    open(path, "wb").write(bytes(b))
    r = run([cli, "inspect", path])
    os.unlink(path)
    if r.returncode != 1 or why not in r.stderr:
        return "byte %d flipped: inspect exited %d: %s" % (at, r.returncode, r.stderr.strip())
    return None


def run_refuses(cli, path, what):
    """Plain `cli run` of a bootm image exits 1 and points to bootm."""
    r = run([cli, "run", "--dry-run", path])
    if r.returncode != 1 or "bootm" not in r.stderr:
        return "run of a %s: exit %d: %s" % (what, r.returncode, r.stderr.strip())
    return None


def report(fails, ok):
    for f in fails:
        print("FAIL: " + f)
    if not fails:
        print("ok: " + ok)
    return 1 if fails else 0


def main():
    cli, out = sys.argv[1], os.path.abspath(sys.argv[2])
    uimg = os.path.join(out, "elfloader.uimg")
    fails = []
    r = run([cli, "inspect", "--format", "json", uimg])
    if r.returncode != 0:
        fails.append("inspect refused elfloader.uimg: " + r.stderr)
    else:
        j = json.loads(r.stdout)
        if j.get("format") != "uimage" or not j.get("verified"):
            fails.append("inspect: format %s, verified %s" % (j.get("format"), j.get("verified")))
        base, name = j["plan"]["image_base"], j["plan"]["name"]
        mkimage = shutil.which("mkimage")
        if not mkimage:
            fails.append("no mkimage (u-boot-tools): ci/setup installs it")
        else:
            ref = os.path.join(out, "mkimage.uimg")
            env = dict(os.environ, SOURCE_DATE_EPOCH="0")
            m = run([mkimage, "-A", "arm64", "-O", "linux", "-T", "kernel", "-C", "none", "-a", base, "-e", base,
                     "-n", name, "-d", os.path.join(out, "elfloader.bin"), ref], env=env)
            if m.returncode != 0:
                fails.append("mkimage failed: " + m.stderr)
            elif open(ref, "rb").read() != open(uimg, "rb").read():
                fails.append("elfloader.uimg differs from mkimage's")
    data = open(uimg, "rb").read()
    for at, why in ((40, "header's CRC"), (64 + 100, "data's CRC")):
        fails += filter(None, [inspect_refuses(cli, data, at, why, os.path.join(out, "damaged.uimg"))])
    fails += filter(None, [run_refuses(cli, uimg, "uImage")])
    return report(fails, "elfloader.uimg verifies, equals mkimage's, and damage is named")


if __name__ == "__main__":
    sys.exit(main())
