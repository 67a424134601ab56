#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""sweep.py - plan and split every board tree in a folder, and count.

For each DTB (or DTS) under FOLDER, a manifest is generated: two nodes of
one cpu each (one node on a one-cpu board), 64 MiB each, a 2 MiB shared
pool and a channel each way. Where the tree states no RAM (distribution
DTBs leave /memory to the boot loader), the manifest declares it under
`platform: memory:`, at the first of a few usual DRAM bases that no device
of the board sits in. Then `mkimg check`, and for every board that plans,
tests/dts-split/check_split.py on its node trees (memory, reserved memory,
cpus, disabled devices, /chosen, and no dtc warning the board does not
have).

Where the tree has no usable /psci (firmware adds it at boot), the
manifest says `psci: smc`.

Prints a line per class and the counts:
  planned      the manifest planned; `split ok` when its trees passed too
  refused      by the first error's check name (`[dtb-gic]`, ...)
  crashed      mkimg or dts-split ended by a signal or an exit status
               other than 0 and 1: never acceptable
Exit 1 when anything crashed or --min-planned is not met.

--min-planned is the share that must plan and split with clean trees.

usage: sweep.py FOLDER [--mkimg M] [--dts-split D] [--min-planned PERCENT] [--jobs N] [--list]
"""
import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHECK_SPLIT = os.path.join(ROOT, "tests", "dts-split", "check_split.py")
# Where boards usually have their DRAM, in the order tried.
RAM_BASES = [0x40000000, 0x80000000, 0x0, 0x100000000, 0x200000000, 0x800000000, 0x1000000000, 0x2000000000]
RAM_SIZE = 1 << 30


def manifest(board, cpus, ram_base, psci=None):
    two = cpus >= 2
    text = ["name: sweep", "platform:", "  %s: %s" % ("dtb" if board.endswith(".dtb") else "dts", board)]
    if psci:
        text.append("  psci: %s" % psci)
    if ram_base is not None:
        text.append("  memory: [{base: 0x%x, size: 0x%x}]" % (ram_base, RAM_SIZE))
    text.append("shared_pools:")
    text.append("  - {name: buf, size: 2M, nodes: [0%s]}" % (", 1" if two else ""))
    text.append("nodes:")
    text.append("  - {id: 0, cpus: [0], memory: 64M}")
    if two:
        text.append("  - {id: 1, cpus: [1], memory: 64M}")
        text.append("channels:\n  - {from: 0, to: 1}\n  - {from: 1, to: 0}")
    return "\n".join(text) + "\n"


def run(argv, cwd):
    r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300)
    return r.returncode, r.stdout, r.stderr


def first_error(stderr):
    for line in stderr.splitlines():
        if ": error: " in line:
            m = re.search(r"\[([a-z0-9-]+)\]$", line)
            return m.group(1) if m else "(no check name)", line
    return "(no error line)", stderr.strip().splitlines()[-1] if stderr.strip() else ""


def cpu_count(mkimg, board, work):
    """The board's cpus, from a one-node plan (0 if it cannot say)."""
    y = os.path.join(work, "probe.yaml")
    for base in [None] + RAM_BASES:
        open(y, "w").write(manifest(board, 1, base).replace("  - {id: 1", "#"))
        st, out, err = run([mkimg, "plan", "probe.yaml"], work)
        m = re.search(r"^  (\d+) cpus,", out, re.M)
        if m:
            return int(m.group(1)), base
        if "[board-memory]" not in err:
            return 0, base
    return 0, None


def sweep_one(a, board):
    with tempfile.TemporaryDirectory(prefix="sweep-") as work:
        cpus, base = cpu_count(a.mkimg, board, work)
        y = os.path.join(work, "m.yaml")
        open(y, "w").write(manifest(board, cpus, base))
        st, out, err = run([a.mkimg, "check", "m.yaml"], work)
        psci = None
        if st == 1 and "has no usable /psci node" in err:
            # the firmware adds /psci at boot (and says "smc" on these boards)
            psci = "smc"
            open(y, "w").write(manifest(board, cpus, base, psci))
            st, out, err = run([a.mkimg, "check", "m.yaml"], work)
        if st not in (0, 1):
            return board, "crashed", "mkimg check: status %d: %s" % (st, err.strip()[-300:])
        if st == 1:
            check, line = first_error(err)
            return board, "refused [%s]" % check, line
        st, out, err = run([sys.executable, CHECK_SPLIT, "--dts-split", a.dts_split, "--mkimg", a.mkimg,
                            "--manifest", y, "--check", "tree"], work)
        if st not in (0, 1):
            return board, "crashed", "check_split: status %d: %s" % (st, err.strip()[-300:])
        if st == 1:
            return board, "planned, split FAILED", (out + err).strip().splitlines()[0]
        st, out, err = run([sys.executable, CHECK_SPLIT, "--dts-split", a.dts_split, "--mkimg", a.mkimg,
                            "--manifest", y, "--check", "warnings"], work)
        if st == 1:
            return board, "planned, split ok, new dtc warnings", (out + err).strip().splitlines()[0]
        given = [w for w, v in (("RAM", base is not None), ("PSCI", psci)) if v]
        return board, "planned, split ok" + (" (%s from the manifest)" % " and ".join(given) if given else ""), ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--mkimg", default=os.path.join(ROOT, "build", "bin", "mkimg"))
    ap.add_argument("--dts-split", default=os.path.join(ROOT, "build", "bin", "dts-split"))
    ap.add_argument("--min-planned", type=float, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true", help="print every board's class and first message")
    a = ap.parse_args()
    a.mkimg, a.dts_split = os.path.abspath(a.mkimg), os.path.abspath(a.dts_split)
    boards = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.abspath(a.folder)) for f in fs
                    if f.endswith(".dtb") or f.endswith(".dts"))
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda b: sweep_one(a, b), boards))
    counts = collections.Counter(r[1] for r in results)
    if a.list:
        for board, cls, msg in results:
            print("%s: %s%s" % (os.path.relpath(board, a.folder), cls, (": " + msg) if msg else ""))
    planned = sum(n for c, n in counts.items() if c.startswith("planned"))
    clean = sum(n for c, n in counts.items() if c.startswith("planned, split ok") and "warnings" not in c)
    for cls, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        print("%5d  %s" % (n, cls))
    pct = 100.0 * clean / len(boards) if boards else 0
    print("%d boards: %d planned, %d planned and split with clean trees (%.1f %%), %d crashed"
          % (len(boards), planned, clean, pct, counts["crashed"]))
    return 1 if counts["crashed"] or pct < a.min_planned else 0


if __name__ == "__main__":
    sys.exit(main())
