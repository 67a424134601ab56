#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_linux.py MKIMG OUT [--timeout S] [--retries N] [--log FILE] [--console FILE]

Boot OUT/elfloader.elf, an image with Linux nodes beside demo-kernel nodes
(examples/qemu-arm-virt/linux), with `MKIMG run --timeout S --expect ...`
until every demo node printed `node N: ok` and Linux's init (init.sh)
printed `linux: done`; then check the console against OUT/layout.json.

A Linux node is a node of layout.json with a "linux" key (else: one
without a "kernel"); there must be exactly one. Its init's lines must say

  linux: init ok, and `linux: Linux version ...`
  linux: started at EL2     when the board's PSCI conduit is smc, which is
                            when `mkimg run` starts QEMU's cpus at EL2 (at
                            EL1 when it is hvc: no EL2)
  linux: MemTotal: N kB     N KiB no more than the node's RAM, and no more
                            than 64 MiB less (the kernel's own image and
                            page structures)
  linux: System RAM A-B     these ranges together exactly the node's RAM:
                            no byte of another node's, none missing
  linux: cpus online L      exactly the node's cpu count: "0" or "0-(n-1)"
  linux: pool P at 0xA size 0xS reads 0xV
                            for each of the node's pools but mkimg's own:
                            A and S the plan's; where a demo node's stamp
                            root task said `stamp: node M wrote 0xV into
                            'P' at 0xA`, the same V (non-zero, so written
                            after the loader zeroed the pool) and A; at
                            least one pool is checked so
and no demo node FAIL line, no LDR|ERROR line, no kernel panic or oops.

The console is printed, and written to --log (default OUT/linux-console.log).
With --console FILE nothing is booted: FILE's lines are checked (for
trying the checks on a saved console).
Exit status: 0 all checks pass; 1 a check failed (each says why); 2 usage.
A boot where a line that was looked for came out mixed with another's
(the demo kernel and Linux share one UART) is tried again (--retries,
default 1) and says so.
"""
import argparse
import json
import os
import re
import subprocess
import sys

LINE_START = re.compile(r"(node \d+|linux|stamp): ")


def hexint(s):
    return int(s, 16) if isinstance(s, str) else int(s)


def merged(ranges):
    """[start, end) ranges, sorted, with touching or overlapping ones joined."""
    out = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [tuple(r) for r in out]


def fmt(ranges):
    return ", ".join("[%#x, %#x)" % r for r in ranges) or "none"


def boot(mkimg, image, demo_nodes, timeout):
    expects = ["^linux: done$"] + ["^node %d: (ok|FAIL)" % n for n in demo_nodes]
    cmd = [mkimg, "run", "--timeout", str(timeout)]
    for e in expects:
        cmd += ["--expect", e]
    cmd.append(image)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout + 60)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = e.stdout or b"", "killed after %d s" % (timeout + 60)
    lines = [l.rstrip("\r") for l in out.decode("utf-8", "replace").split("\n")]
    return lines, rc


def check(lines, layout):
    errors = []
    nodes = layout["nodes"]
    linux = [n for n in nodes if "linux" in n] or [n for n in nodes if "kernel" not in n]
    if len(linux) != 1:
        return ["layout.json: %d Linux nodes (a \"linux\" key, or no \"kernel\"), want 1" % len(linux)]
    lx = linux[0]
    demo = [n["id"] for n in nodes if n is not lx]

    def find(regex):
        r = re.compile(regex)
        return [m for m in (r.fullmatch(l) for l in lines) if m]

    for l in lines:
        if l.startswith("LDR|ERROR") or re.match(r"node \d+: FAIL", l):
            errors.append("failure line: " + l)
        if re.search(r"Kernel panic|Internal error: Oops|Unable to handle kernel|BUG: ", l):
            errors.append("Linux failed: " + l)
    for n in demo:
        if not find(r"node %d: ok .*" % n):
            errors.append("demo node %d printed no 'node %d: ok' line" % (n, n))
    for want in ("linux: init ok", r"linux: Linux version \S+ .*", "linux: done"):
        if not find(want):
            errors.append("no line '%s'" % want.replace("\\S+ .*", "..."))

    psci = layout.get("platform", {}).get("psci")
    el = find(r"linux: started at (.*)")
    # mkimg run: QEMU's cpus start at EL2 where PSCI is smc, at EL1 (no EL2) where it is hvc
    want_el = {"smc": "EL2", "hvc": "EL1"}.get(psci)
    if want_el and (not el or el[0].group(1) != want_el):
        errors.append("Linux was not entered at %s (PSCI over %s): %s" %
                      (want_el, psci, el[0].group(0) if el else "no 'linux: started at' line"))

    ram = merged((hexint(m["base"]), hexint(m["base"]) + hexint(m["size"])) for m in lx["memory"])
    ram_size = sum(b - a for a, b in ram)
    mem = find(r"linux: MemTotal: (\d+) kB")
    if not mem:
        errors.append("no line 'linux: MemTotal: N kB'")
    else:
        kb = int(mem[0].group(1))
        if not ram_size - 64 * 2**20 <= kb * 1024 <= ram_size:
            errors.append("Linux's MemTotal %d kB (%#x) is not within 64 MiB below its node's RAM, %#x bytes %s"
                          % (kb, kb * 1024, ram_size, fmt(ram)))
    seen = merged((int(m.group(1), 16), int(m.group(2), 16) + 1)
                  for m in find(r"linux: System RAM ([0-9a-f]+)-([0-9a-f]+)"))
    if seen != ram:
        errors.append("Linux's System RAM is %s, its node's RAM is %s" % (fmt(seen), fmt(ram)))

    ncpu = len(lx["cpus"])
    want = "0" if ncpu == 1 else "0-%d" % (ncpu - 1)
    online = find(r"linux: cpus online (.*)")
    if not online or online[0].group(1) != want:
        errors.append("Linux's cpus online: %s, want '%s' (node %d has %d cpus)" % (
            online[0].group(1) if online else "no line", want, lx["id"], ncpu))

    pools = {p["name"]: p for p in layout.get("shared_pools", [])}
    names = [p for p in lx.get("shared_pools", []) if not p.startswith("mkimg-")]
    if not names:
        errors.append("node %d is a member of no shared pool: nothing to read" % lx["id"])
    stamped = 0
    for name in names:
        base, size = hexint(pools[name]["base"]), hexint(pools[name]["size"])
        st = find(r"stamp: node (\d+) wrote 0x([0-9a-f]+) into '%s' at 0x([0-9a-f]+)" % re.escape(name))
        stamped += bool(st)
        got = find(r"linux: pool %s at 0x([0-9a-f]+) size 0x([0-9a-f]+) reads 0x([0-9a-f]+)" % re.escape(name))
        if not got:
            other = find(r"linux: (pool %s .*|no shared pool.*)" % re.escape(name))
            errors.append("Linux read no word of pool '%s': %s" % (name, other[0].group(0) if other else "no line"))
            continue
        a, s, v = (int(x, 16) for x in got[0].groups())
        if (a, s) != (base, size):
            errors.append("Linux's device tree has pool '%s' at %#x size %#x, the plan at %#x size %#x"
                          % (name, a, s, base, size))
        if st:
            sv, sa = int(st[0].group(2), 16), int(st[0].group(3), 16)
            if sa != base:
                errors.append("node %s stamped pool '%s' at %#x, the plan has it at %#x"
                              % (st[0].group(1), name, sa, base))
            if v != sv or v == 0:
                errors.append("Linux read %#x from pool '%s', node %s wrote %#x there"
                              % (v, name, st[0].group(1), sv))
    if names and not stamped:
        errors.append("no demo node said it stamped one of Linux's pools (%s): no 'stamp: ...' line"
                      % ", ".join(names))
    return errors


def mixed(lines):
    """Lines that hold a second line's start: two writers on one UART."""
    return [l for l in lines if LINE_START.search(l, 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mkimg")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--retries", type=int, default=1)
    ap.add_argument("--log")
    ap.add_argument("--console")
    a = ap.parse_args()
    with open(os.path.join(a.out, "layout.json")) as f:
        layout = json.load(f)
    log = a.log or os.path.join(a.out, "linux-console.log")
    demo = [n["id"] for n in layout["nodes"] if "linux" not in n and "kernel" in n]
    if a.console:
        with open(a.console) as f:
            lines = f.read().splitlines()
        errors = check(lines, layout)
        for e in errors:
            print("FAIL:", e)
        return 1 if errors else 0
    for attempt in range(a.retries + 1):
        lines, rc = boot(a.mkimg, os.path.join(a.out, "elfloader.elf"), demo, a.timeout)
        errors = check(lines, layout)
        if rc != 0:
            errors.insert(0, "mkimg run did not see every line it expected (status %s)" % rc)
        if not errors or not mixed(lines) or attempt == a.retries:
            break
        print("note: lines of two writers mixed on the console (%s); booting again" % mixed(lines)[0])
    with open(log, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("ok: Linux on node %s saw exactly its RAM and cpus and read its pools (console: %s)"
              % (", ".join(str(n["id"]) for n in layout["nodes"] if n["id"] not in demo), log))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
