#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""console_lock.py MKIMG IMAGE_DIR [--timeout S] [--lines N] [--text-len L] [--multi-thread]

Boot IMAGE_DIR/elfloader.elf (every node's root task is tests/e2e/chatter,
which prints N long lines at once with every other node) with `MKIMG run`
and check that the console lock (include/mkimg_sync.h, taken by each demo
kernel for its root task) kept every line whole: each node's ok line
intact, then exactly `chatter: node I line K TEXT` for K = 0..N-1 in
order and `chatter: node I done`, TEXT as the root task computes it, and
no other line after the loader's but these. No retries: under the lock a
stalled vCPU only makes the others wait, so one mixed line is a failure.

--multi-thread: QEMU with a host thread per vCPU even where `mkimg run`
would pick one thread for all (more vCPUs than host cpus): one thread only
switches vCPUs at a `yield`, a wait or a timer kick, so without the lock
lines would rarely mix there, while threads run at once and mix them at
every chance (with the lock broken, 8 nodes on 2 host cpus mixed lines in
every boot tried; one thread for all, in 1 of 5).

Exit 0 when every node's lines came whole; 1 otherwise, saying what.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402

CHATTER = re.compile(r"chatter: node (\d+) (?:line (\d+) ([a-z]*)|done)")


def text(n, i, length):
    return "".join(chr(ord("a") + (7 * n + 3 * i + k) % 26) for k in range(length))


def check(lines, nodes, count, length):
    """What is wrong with the console, as a list of complaints."""
    errors, seen, done, ok = [], {n: 0 for n in nodes}, set(), set()
    for l in lines:
        if l.startswith("LDR|INFO: ") or l.startswith("qemu-system-"):
            continue
        if console.KERNEL_LINE.fullmatch(l) and l.startswith("node ") and ": ok " in l:
            ok.add(int(l.split()[1].rstrip(":")))
            continue
        m = CHATTER.fullmatch(l)
        if not m or int(m.group(1)) not in seen:
            errors.append("not a whole line: %r" % l)
            continue
        n = int(m.group(1))
        if m.group(2) is None:
            if seen[n] != count:
                errors.append("node %d done after %d of %d lines" % (n, seen[n], count))
            done.add(n)
        elif int(m.group(2)) != seen[n] or m.group(3) != text(n, seen[n], length):
            errors.append("node %d's line %d is not whole or out of order: %r" % (n, seen[n], l))
        else:
            seen[n] += 1
    errors += ["node %d printed no intact ok line" % n for n in nodes if n not in ok]
    errors += ["node %d printed no done line" % n for n in nodes if n not in done]
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mkimg")
    ap.add_argument("image_dir")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--lines", type=int, default=100)
    ap.add_argument("--text-len", type=int, default=120)
    ap.add_argument("--multi-thread", action="store_true")
    a = ap.parse_args()
    nodes = [n["id"] for n in json.load(open(os.path.join(a.image_dir, "layout.json")))["nodes"]]
    want = {"chatter: node %d done" % n for n in nodes}
    cmd = [a.mkimg, "run", "--timeout", str(a.timeout), os.path.join(a.image_dir, "elfloader.elf")]
    if a.multi_thread:
        cmd = subprocess.run(cmd[:2] + ["--dry-run"] + cmd[4:], stdout=subprocess.PIPE, check=True,
                             universal_newlines=True).stdout.split()
        if "-accel" in cmd:
            del cmd[cmd.index("-accel"):cmd.index("-accel") + 2]
        cmd += ["-accel", "tcg,thread=multi"]
    lines, took = console.run(cmd, a.timeout, lambda lines, t: want <= set(lines))
    errors = check(lines, nodes, a.lines, a.text_len)
    if errors:
        print("\n".join(lines))
        for e in errors:
            print("FAIL:", e)
        return 1
    print("ok: %d nodes, %d whole lines each, in %.2f s" % (len(nodes), a.lines + 2, took))
    return 0


if __name__ == "__main__":
    sys.exit(main())
