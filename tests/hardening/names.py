#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""names.py MKIMG IMAGE.bin - an image someone else made names its plan and
its pools as it likes (its hashes made right again): `mkimg inspect` and
the loader print those names escaped. No escape sequence, bell or other
control byte from the image reaches the terminal; each shows as \\xNN.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bad"))
import gen  # noqa: E402  (tests/bad: an image's plan, edited with its hash kept valid)

MKIMG, IMAGE = sys.argv[1:3]
PLAN_NAME, POOL_NAME = b"x\x1b[31mz\x07", b"b\x1bq"
failures = []

img = gen.Image(open(IMAGE, "rb").read(), False)
size = img.u32(gen.H_SIZE)
plan = img.b[img.plan:img.plan + size]
at_name, at_pool = plan.find(b"hello\0"), plan.find(b"buf\0")
if at_name < 0 or at_pool < 0:
    sys.exit("FAIL: the plan of %s names no plan 'hello' and no pool 'buf'" % IMAGE)
for at, new, old in ((at_name, PLAN_NAME, b"hello"), (at_pool, POOL_NAME, b"buf")):
    img.b[img.plan + at:img.plan + at + len(old)] = b"\0" * len(old)
    img.b[img.plan + at:img.plan + at + len(new)] = new
data = img.rehash()

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "renamed.bin")
    open(path, "wb").write(data)
    r = subprocess.run([MKIMG, "inspect", path], capture_output=True)
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0:
        failures.append("inspect refused the renamed image: %s" % r.stderr.decode())
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", r.stdout + r.stderr):
        failures.append("inspect printed a control byte: %r" % (r.stdout + r.stderr))
    for want in ("plan 'x\\x1b[31mz\\x07'", "pool 'b\\x1bq'"):
        if want not in out:
            failures.append("inspect does not show %s: %s" % (want, out))
    r = subprocess.run([MKIMG, "run", path, "--timeout", "30", "--expect", "^node 0: ok", "--expect", "^node 1: ok"],
                       capture_output=True)
    if r.returncode != 0:
        failures.append("the renamed image did not boot: %s" % r.stderr.decode())
    if re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", r.stdout):
        failures.append("the loader printed a control byte: %r" % r.stdout[:2000])
    for want in (b"boot plan 'x\\x1b[31mz\\x07'", b"pool 'b\\x1bq'"):
        if want not in r.stdout:
            failures.append("the loader does not say %s: %r" % (want, r.stdout[:2000]))
for f in failures:
    print("FAIL: " + f)
print("names: %s" % ("pass" if not failures else "%d failed" % len(failures)))
sys.exit(1 if failures else 0)
