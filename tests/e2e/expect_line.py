#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""expect_line.py MKIMG IMAGE_DIR LINE [--timeout S]

Boot IMAGE_DIR/elfloader.elf with `MKIMG run --timeout S` and read the
console until LINE appears as a whole line, then stop QEMU at once.

Exit status:
  0  LINE appeared, after every node of IMAGE_DIR/layout.json printed its
     `node N: ok` line, with no FAIL and no LDR|ERROR line.
  1  every node printed its ok line, nothing failed, but LINE did not
     appear within S seconds: "timeout: ..." says so. (This is what a root
     task waiting for a signal that never comes looks like.)
  2  anything else: a node's kernel did not pass its checks or did not
     speak, the loader refused, QEMU ended, a line of other text came
     before its node's ok line, two nodes' lines mixed (the kernels print
     under a lock: kernel/README.md, "One console, many kernels").
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402

OK = re.compile(r"node (\d+): ok ")


def boot(mkimg, image, want, timeout):
    """(lines, seconds, found): the console up to LINE or the timeout."""
    lines, elapsed = console.run([mkimg, "run", "--timeout", str(timeout), image], timeout,
                                 lambda lines, t: want in lines)
    return lines, elapsed, want in lines


def problems(lines, nodes, want):
    """What is wrong besides a missing LINE."""
    errors, ok_at = console.mixed_lines(lines), {}
    for i, l in enumerate(lines):
        if l.startswith("LDR|ERROR") or re.match(r"node \d+: FAIL", l):
            errors.append("failure: " + l)
        m = OK.match(l)
        if m:
            ok_at.setdefault(int(m.group(1)), i)
    for n in nodes:
        if n not in ok_at:
            errors.append("node %d printed no 'node %d: ok' line" % (n, n))
    if want in lines and ok_at and lines.index(want) < max(ok_at.values()):
        errors.append("'%s' came before every kernel had printed its ok line" % want)
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mkimg")
    ap.add_argument("image_dir")
    ap.add_argument("line")
    ap.add_argument("--timeout", type=int, default=30)
    a = ap.parse_args()
    nodes = [n["id"] for n in json.load(open(os.path.join(a.image_dir, "layout.json")))["nodes"]]
    image = os.path.join(a.image_dir, "elfloader.elf")
    lines, took, found = boot(a.mkimg, image, a.line, a.timeout)
    errors = problems(lines, nodes, a.line)
    print("\n".join(lines))
    if found and not errors:
        print("ok: '%s' after %.2f s" % (a.line, took))
        return 0
    if errors:
        for e in errors:
            print("FAIL:", e)
        return 2
    print("timeout: no line '%s' within %d s, although every kernel (%s) printed its ok line" % (
        a.line, a.timeout, ", ".join("node %d" % n for n in nodes)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
