#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""pool_zero.py MKIMG IMAGE_DIR [--unzeroed] [--timeout S]

No data crosses partitions through a pool's old contents. Boots
IMAGE_DIR/elfloader.elf in QEMU with every shared pool of
IMAGE_DIR/layout.json filled with a pattern before the boot (QEMU's generic
loader, added to the command `MKIMG run --dry-run` prints), and reads the
lines of the `pools` root task (examples/qemu-arm-virt/apps/pools), one per
pool and member node:
    pools: node N 'NAME' [0xBASE, 0xEND) zero
    pools: node N 'NAME' [0xBASE, 0xEND) 0xWORD at +0xOFFSET

Passes when every member of a pool without "keep" reads zero (but
mkimg-sync, which the kernels' console lock uses by then) and the loader
said it zeroed that pool, while every member of a pool with
"keep": true reads the pattern at +0x0 and the loader did not touch it:
the kept pool shows that the pattern really was in RAM, so a loader that
stopped zeroing would fail here. Every node must print its ok line; no
FAIL, no LDR|ERROR, no two lines mixed.

--unzeroed: the proof that this test can fail. A copy of the image whose
boot plan lists no pool to zero (pools_count 0, hash made right, so the
loader accepts it) must fail exactly so: every member of every pool reads
the pattern, and the loader zeroes nothing.
"""
import argparse
import hashlib
import json
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402

PATTERN = 0xA5
WORD = "0x" + "%02x" % PATTERN * 8


# mkimg's own pool: the kernels' console lock (include/mkimg_sync.h) writes
# it from their first line on, before any root task reads it, so only the
# loader's word that it zeroed it is checked.
SYNC_POOL = "mkimg-sync"


def expected(pools):
    """{(node, name): the text after the range} for every member of every
    pool but the sync pool."""
    want = {}
    for p in pools:
        if p["name"] == SYNC_POOL:
            continue
        for n in p["nodes"]:
            want[(n, p["name"])] = WORD + " at +0x0" if p["keep"] else "zero"
    return want


# loader/bootplan.h: the plan's place and fields
LDR_SIZE, PLAN_OFFSET, H_SIZE, H_SHA, H_POOLS_COUNT = 40, 120, 12, 32, 196


def unzeroed(image, folder):
    """A copy of elfloader.elf whose plan lists no pool to zero."""
    d = bytearray(open(image, "rb").read())
    seg = struct.unpack_from("<Q", d, struct.unpack_from("<Q", d, 32)[0] + 8)[0]
    plan = seg + struct.unpack_from("<Q", d, seg + LDR_SIZE)[0] + PLAN_OFFSET
    struct.pack_into("<I", d, plan + H_POOLS_COUNT, 0)
    p = d[plan:plan + struct.unpack_from("<I", d, plan + H_SIZE)[0]]
    d[plan + H_SHA:plan + H_SHA + 32] = hashlib.sha256(bytes(p[:32] + p[64:])).digest()
    path = os.path.join(folder, "unzeroed.elf")
    open(path, "wb").write(bytes(d))
    return path


def command(mkimg, image, pools, folder):
    """`MKIMG run --dry-run`'s QEMU command, plus one generic loader per
    pool that fills it with the pattern at reset."""
    r = subprocess.run([mkimg, "run", "--dry-run", image], capture_output=True, text=True, check=True)
    cmd = shlex.split(r.stdout.splitlines()[0])
    for p in pools:
        path = os.path.join(folder, p["name"] + ".pattern")
        with open(path, "wb") as f:
            f.write(bytes([PATTERN]) * int(p["size"], 16))
        cmd += ["-device", "loader,file=%s,addr=%s,force-raw=on" % (path, p["base"])]
    return cmd


LINE = re.compile(r"pools: node (\d+) '([^']*)' \[(0x[0-9a-f]+), (0x[0-9a-f]+)\) (.*)$")


def pool_texts(lines):
    """{(node, name): the text after the range} of the pools lines."""
    return {(int(m.group(1)), m.group(2)): m.group(5) for m in map(LINE.match, lines) if m}


def check(lines, pools, nodes, want):
    errors, got = console.mixed_lines(lines), pool_texts(lines)
    for l in lines:
        if l.startswith("LDR|ERROR") or re.match(r"node \d+: FAIL", l):
            errors.append("failure: " + l)
    for n in nodes:
        if not any(l.startswith("node %d: ok " % n) for l in lines):
            errors.append("node %d printed no ok line" % n)
    for key, text in sorted(want.items()):
        if key not in got:
            errors.append("node %d said nothing of pool '%s'" % key)
        elif got[key] != text:
            errors.append("node %d reads pool '%s' as '%s', expected '%s'" % (key + (got[key], text)))
    for p in pools:
        end = "0x%x" % (int(p["base"], 16) + int(p["size"], 16))
        said = "LDR|INFO: pool '%s' [%s, %s) zeroed" % (p["name"], p["base"], end) in lines
        if said == p["keep"]:
            errors.append("the loader %s pool '%s', which the plan %s" % (
                "zeroed" if said else "did not say it zeroed", p["name"], "keeps" if p["keep"] else "does not keep"))
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mkimg")
    ap.add_argument("image_dir")
    ap.add_argument("--unzeroed", action="store_true")
    ap.add_argument("--timeout", type=int, default=30)
    a = ap.parse_args()
    plan = json.load(open(os.path.join(a.image_dir, "layout.json")))
    pools, nodes = plan["shared_pools"], [n["id"] for n in plan["nodes"]]
    want = expected(pools)
    if not any(p["keep"] for p in pools) or all(p["keep"] for p in pools):
        print("FAIL: the plan needs a kept pool and one that is not")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        image = os.path.join(a.image_dir, "elfloader.elf")
        if a.unzeroed:
            image = unzeroed(image, folder)
            pools = [dict(p, keep=True) for p in pools]  # what the image now does
            want = expected(pools)
        cmd = command(a.mkimg, image, pools, folder)
        print(" ".join(shlex.quote(c) for c in cmd))
        lines, took = console.run(cmd, a.timeout, lambda lines, t: set(want) <= set(pool_texts(lines)))
        errors = check(lines, pools, nodes, want)
    print("\n".join(lines))
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("ok: %d pool line%s as expected after %.2f s%s" % (
            len(want), "" if len(want) == 1 else "s", took,
            ": without the loader's zeroing every node reads the old contents" if a.unzeroed else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
