#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""boot.py CLI IMAGE LAYOUT_JSON [--refuse] [--timeout S]

Boot IMAGE in QEMU through `CLI run --timeout S IMAGE` and read the serial
console until every node has spoken (or, with --refuse, until the loader
refused), then stop QEMU. Checks:

  boot:    for every node of the plan, one loader line
             LDR|INFO: node N kernel [BASE, ...) ... cpu C via ...
           with BASE its first RAM region's base, and one kernel line
             node N: ok ... ram [B, E) ...
           naming every RAM region of that node; no FAIL, no LDR|ERROR.
  refuse:  one LDR|ERROR line, then (after a grace period) no node line.

Exit 0 when the checks pass; the console is printed on failure.

The demo kernels share one UART under a lock (kernel/README.md, "One
console, many kernels"), so two lines mixed are a failure too, not a boot
to try again.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("image")
    ap.add_argument("layout")
    ap.add_argument("--refuse", action="store_true")
    ap.add_argument("--timeout", type=int, default=60)
    a = ap.parse_args()
    plan = json.load(open(a.layout))
    nodes = {n["id"]: n for n in plan["nodes"]}
    lines, elapsed, loader_done = boot(a.cli, a.image, nodes, a.refuse, a.timeout)
    errors = check_refuse(lines) if a.refuse else check_boot(lines, nodes)
    if errors:
        for e in errors:
            print("FAIL:", e)
        print("--- console ---")
        print("\n".join(lines))
        return 1
    print("\n".join(lines))
    if a.refuse:
        print("ok: refused in %.2f s" % elapsed)
    else:
        print("ok: %d node%s booted in %.2f s (the loader was done after %.2f s)" % (
            len(nodes), "" if len(nodes) == 1 else "s", elapsed, loader_done or 0))
    return 0


def boot(cli, image, nodes, refuse, timeout):
    """Run the image until every node spoke, the loader refused (plus a
    grace period), QEMU ended or the time ran out."""
    seen = {"loader_done": None, "refused_at": None}

    def stop(lines, t):
        if lines:
            l = lines[-1]
            if l.startswith("LDR|INFO: entering the kernels") and seen["loader_done"] is None:
                seen["loader_done"] = t
            if l.startswith("LDR|ERROR") and seen["refused_at"] is None:
                seen["refused_at"] = t
        if seen["refused_at"] is not None:
            return t > seen["refused_at"] + 2
        spoken = {int(i) for l in lines for i in re.findall(r"node (\d+): ", l)}
        return not refuse and spoken >= set(nodes)

    lines, elapsed = console.run([cli, "run", "--timeout", str(timeout), image], timeout, stop)
    return lines, elapsed, seen["loader_done"]


def check_refuse(lines):
    errors = []
    if not any(l.startswith("LDR|ERROR: ") for l in lines):
        errors.append("the loader did not refuse (no LDR|ERROR line)")
    for l in lines:
        if re.match(r"node \d+: ", l):
            errors.append("a kernel ran: " + l)
    return errors


def check_boot(lines, nodes):
    errors = console.mixed_lines(lines)
    for l in lines:
        if l.startswith("LDR|ERROR") or re.match(r"node \d+: FAIL", l):
            errors.append(l)
    for nid, n in sorted(nodes.items()):
        mem = [(int(r["base"], 16), int(r["base"], 16) + int(r["size"], 16)) for r in n["memory"]]
        cpu = n["cpus"][0]["index"]
        pat = r"LDR\|INFO: node %d kernel \[0x%x, 0x[0-9a-f]+\) dtb 0x[0-9a-f]+ user \[0x[0-9a-f]+, 0x[0-9a-f]+\) cpu %d via " % (
            nid, mem[0][0], cpu)
        if not any(re.match(pat, l) for l in lines):
            errors.append("no loader line for node %d (kernel at 0x%x, cpu %d)" % (nid, mem[0][0], cpu))
        mine = [l for l in lines if l.startswith("node %d: " % nid)]
        if len(mine) != 1:
            errors.append("node %d printed %d lines, not one" % (nid, len(mine)))
            continue
        line = mine[0]
        if not line.startswith("node %d: ok" % nid):
            errors.append("node %d did not pass its checks: %s" % (nid, line))
        ram = re.search(r" ram((?: \[0x[0-9a-f]+, 0x[0-9a-f]+\))+)", line)
        got = [(int(a, 16), int(b, 16)) for a, b in re.findall(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", ram.group(1))] if ram else []
        if got != mem:
            errors.append("node %d reports RAM %s, its plan says %s" % (
                nid, [(hex(a), hex(b)) for a, b in got], [(hex(a), hex(b)) for a, b in mem]))
    return errors


if __name__ == "__main__":
    sys.exit(main())
