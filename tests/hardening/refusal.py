#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""refusal.py MKIMG IMAGE [--jobs N] [--timeout S] - the loader never enters
a kernel from a damaged image.

From IMAGE (an elfloader.elf), make copies with one byte flipped at offsets
chosen deterministically across the boot plan's CPIO header, every field
group of the plan, and the first, a middle and the last byte of every
payload member; boot each in QEMU (N at a time, each under a timeout) and
read the console:

  - no copy may print a kernel's `node N:` line;
  - each must print the loader's one `LDR|ERROR:` line, naming what it
    found: the member whose SHA-256 differs, the plan's hash, magic,
    version or size, or the missing plan;
  - except where the flip hits the plan's console address or its
    complement (bytes 16 to 31 of the plan): they no longer agree, so the
    loader has no console to speak on and halts in silence. For those the
    check is that no loader or kernel line appears before the timeout.

The undamaged image is booted first, as a control: every node must speak,
or the test could not tell a refusal from a boot that shows nothing.
QEMU runs with the flags `mkimg run --dry-run` derives from the undamaged
image, so a flipped byte in the plan's board facts cannot change them.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402  (tests/lib: the QEMU tests' console reader)

# A kernel's line; anywhere in a line, as the kernels' lines can mix.
NODE_LINE = re.compile(r"node (\d+): ")
# The plan's header (loader/bootplan.h): field groups, as (offset, what).
PLAN_FIELDS = [(0, "magic"), (8, "version"), (12, "size"), (16, "console"), (24, "console_check"),
               (32, "sha256"), (63, "sha256"), (64, "image_base"), (96, "copy_tables"), (152, "psci"),
               (160, "members_off"), (168, "nodes_off"), (232, "name")]
SILENT = {"console", "console_check"}


def qemu_argv(mkimg, image):
    r = subprocess.run([mkimg, "run", "--dry-run", image], capture_output=True, text=True, check=True)
    return shlex.split(r.stdout.strip().splitlines()[-1])


def boot(argv, timeout, decide):
    """QEMU's console lines until half a second after `decide(lines)` first
    holds (so that anything the decision missed, a kernel that started
    anyway, still shows), QEMU ends or the time runs out; a last line
    without its newline counts too."""
    decided = []

    def stop(lines, seconds):
        if not decided and decide(lines):
            decided.append(seconds)
        return bool(decided) and seconds >= decided[0] + 0.5

    return console.run(argv, timeout, stop, partial=True)[0]


def cases(info, seg):
    """(file offset, what was hit, the error it must cause) of every flip."""
    plan = seg + info["plan"]["offset"]
    payload = seg + info["loader_size"]
    out = [(payload, "the plan's CPIO header", "no boot plan"),
           (payload + 110, "the plan's CPIO name", "no boot plan")]
    for off, what in PLAN_FIELDS:
        expect = {"magic": "boot plan: bad magic", "version": "boot plan: version",
                  "size": "boot plan: "}.get(what, "boot plan: SHA-256 mismatch")
        out.append((plan + off, "plan " + what, None if what in SILENT else expect))
    size = info["plan"]["size"]
    for frac in (1, 2, 3):
        out.append((plan + 304 + (size - 304) * frac // 4, "plan arrays", "boot plan: SHA-256 mismatch"))
    out.append((plan + size - 1, "plan's last byte", "boot plan: SHA-256 mismatch"))
    for m in info["members"]:
        at, n = seg + int(m["offset"], 16), m["size"]
        for off in (0, n // 2, n - 1):
            out.append((at + off, m["name"], m["name"] + ": SHA-256 mismatch"))
    return out


def refused(lines):
    return any(l.startswith("LDR|ERROR: ") for l in lines) or any(NODE_LINE.search(l) for l in lines)


def run_case(argv, image, work, case, timeout):
    at, what, expect = case
    data = bytearray(open(image, "rb").read())
    data[at] ^= 0x10
    path = os.path.join(work, "flip-%x.elf" % at)
    open(path, "wb").write(data)
    lines = boot([path if a == image else a for a in argv], timeout, refused)
    os.remove(path)
    kernels = [l for l in lines if NODE_LINE.search(l)]
    errs = [l for l in lines if l.startswith("LDR|ERROR: ")]
    why = []
    if kernels:
        why.append("a kernel ran: " + kernels[0])
    loader = [l for l in lines if l.startswith("LDR|")]
    if expect is None and loader:
        why.append("expected the loader's silence, the console says: " + loader[0])
    if expect is not None and not any(expect in l for l in errs):
        why.append("no 'LDR|ERROR: ...%s...' line; the console says: %s" % (expect, lines[-3:]))
    said = errs[0] if errs else "(silence)"
    return at, what, why, said


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mkimg")
    ap.add_argument("image")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=15)
    a = ap.parse_args()
    image = os.path.abspath(a.image)
    info = json.loads(subprocess.run([a.mkimg, "inspect", "--format", "json", image], capture_output=True,
                                     text=True, check=True).stdout)
    raw = open(image, "rb").read()
    phoff = int.from_bytes(raw[32:40], "little")
    seg = int.from_bytes(raw[phoff + 8:phoff + 16], "little")  # the one PT_LOAD's file offset
    argv = qemu_argv(a.mkimg, image)
    nodes = {n["id"] for n in info["nodes"]}

    t0 = time.monotonic()
    spoken = lambda ls: {int(i) for l in ls for i in NODE_LINE.findall(l)}
    control = boot(argv, 60, lambda ls: spoken(ls) >= nodes)
    spoke = spoken(control)
    if spoke != nodes:
        print("FAIL: the undamaged image did not boot every node (%s of %s):\n%s" % (sorted(spoke), sorted(nodes),
                                                                                    "\n".join(control)))
        return 1
    print("ok: the undamaged image boots: nodes %s spoke in %.1f s" % (sorted(spoke), time.monotonic() - t0))

    todo = cases(info, seg)
    fails = 0
    with tempfile.TemporaryDirectory(prefix="mkimg-refusal-") as work, \
            concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for at, what, why, said in pool.map(lambda c: run_case(argv, image, work, c, a.timeout), todo):
            if why:
                fails += 1
                print("FAIL: byte 0x%x (%s): %s" % (at, what, "; ".join(why)))
            else:
                print("ok: byte 0x%x (%s): %s" % (at, what, said))
    print("%d flipped bytes, %d failed, %.1f s" % (len(todo), fails, time.monotonic() - t0))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
