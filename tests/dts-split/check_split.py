#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_split.py - run dts-split on one plan and check every node's tree.

An independent reader: it parses the blobs itself (the FDT format, not
libfdt), derives what each tree must hold from the plan JSON and the
board's own blob, and compares. dtc serves as the oracle for the overlay
round trip, for kernel.dts and for warnings.

usage: check_split.py --dts-split BIN (--manifest YAML --mkimg BIN | --plan JSON --board DTS)
                      [--check all|tree|overlay|dts|warnings|determinism]
Exit 0 when every check passed, 1 with one line per failure.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

FDT_MAGIC = 0xD00DFEED
GIC_COMPATS = {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-v2",
               "arm,pl390", "arm,arm11mp-gic", "qcom,msm-qgic2", "arm,gic-v3"}
TIMER_COMPATS = {"arm,armv8-timer", "arm,armv7-timer"}
UART_COMPATS = {"arm,pl011", "ns16550a", "snps,dw-apb-uart"}
SKIP_TOP = {"cpus", "chosen", "aliases", "reserved-memory", "psci"}

failures = []


def fail(msg):
    failures.append(msg)


# ---------------------------------------------------------------- FDT reader

class Node:
    def __init__(self, name, parent):
        self.name, self.parent = name, parent
        self.props = {}
        self.children = []
        if parent is None:
            self.path = "/"
        elif parent.parent is None:
            self.path = "/" + name
        else:
            self.path = parent.path + "/" + name

    def child(self, name):
        for c in self.children:
            if c.name == name:
                return c
        return None

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def str(self, prop):
        v = self.props.get(prop)
        return None if v is None else v.rstrip(b"\0").decode("latin-1")

    def strs(self, prop):
        v = self.props.get(prop)
        return [] if not v else [s.decode("latin-1") for s in v.rstrip(b"\0").split(b"\0")]

    def cells(self, prop):
        v = self.props.get(prop)
        return None if v is None else list(struct.unpack(">%dI" % (len(v) // 4), v[: len(v) // 4 * 4]))


def parse_fdt(data, strict=False):
    """The tree, its memory reservations and boot cpu. With `strict`, the
    padding after names and values must be zero, as the DT spec says."""
    (magic, total, off_struct, off_strings, off_rsv, _version, _lcv, boot, size_strings,
     _size_struct) = struct.unpack_from(">10I", data, 0)
    if magic != FDT_MAGIC or total > len(data):
        raise ValueError("not a device tree blob")
    strings = data[off_strings: off_strings + size_strings]
    rsv, pos = [], off_rsv
    while True:
        base, size = struct.unpack_from(">QQ", data, pos)
        pos += 16
        if base == 0 and size == 0:
            break
        rsv.append((base, size))
    pos, root, cur = off_struct, None, None
    while True:
        (tag,) = struct.unpack_from(">I", data, pos)
        pos += 4
        if tag == 1:
            end = data.index(b"\0", pos)
            node = Node(data[pos:end].decode("latin-1"), cur)
            if cur is None:
                root = node
            else:
                cur.children.append(node)
            cur = node
            if strict and any(data[end + 1: (end + 1 + 3) & ~3]):
                raise ValueError("non-zero padding after node name %r" % node.path)
            pos = (end + 1 + 3) & ~3
        elif tag == 2:
            cur = cur.parent
        elif tag == 3:
            length, nameoff = struct.unpack_from(">II", data, pos)
            pos += 8
            name = strings[nameoff: strings.index(b"\0", nameoff)].decode("latin-1")
            cur.props[name] = bytes(data[pos: pos + length])
            if strict and any(data[pos + length: (pos + length + 3) & ~3]):
                raise ValueError("non-zero padding after %s:%s" % (cur.path, name))
            pos = (pos + length + 3) & ~3
        elif tag == 4:
            continue
        elif tag == 9:
            return root, rsv, boot
        else:
            raise ValueError("bad tag %d" % tag)


def index(root):
    return {n.path: n for n in root.walk()}


# ---------------------------------------------------------------- ranges

def normalize(ranges):
    out = []
    for b, s in sorted(r for r in ranges if r[1]):
        if out and b <= out[-1][0] + out[-1][1]:
            end = max(out[-1][0] + out[-1][1], b + s)
            out[-1] = (out[-1][0], end - out[-1][0])
        else:
            out.append((b, s))
    return out


def subtract(a, b):
    out = []
    for base, size in normalize(a):
        cur, end = base, base + size
        for bb, bs in normalize(b):
            if bb + bs <= cur or bb >= end:
                continue
            if bb > cur:
                out.append((cur, bb - cur))
            cur = max(cur, bb + bs)
        if cur < end:
            out.append((cur, end - cur))
    return out


def covered(outer, r):
    return not subtract([r], outer)


def overlap(a, b):
    return a[0] < b[0] + b[1] and b[0] < a[0] + a[1]


def decode_reg(node, ac, sc):
    c = node.cells("reg") or []
    step = ac + sc
    out = []
    for i in range(0, len(c) - step + 1, step):
        base = size = 0
        for x in c[i: i + ac]:
            base = base << 32 | x
        for x in c[i + ac: i + step]:
            size = size << 32 | x
        out.append((base, size))
    return out


def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def ranges_of(lst):
    return [(num(r["base"]), num(r["size"])) for r in lst]


# ---------------------------------------------------------------- the plan

def load_plan(plan, board):
    """Normalize a plan JSON: fill what a hand-written plan may leave out,
    the way plan_json.h documents it."""
    ram = normalize(x for m in board.walk() if m.parent is board and m.str("device_type") == "memory"
                    for x in decode_reg(m, root_cells(board)[0], root_cells(board)[1]))
    pools = plan.get("shared_pools") or []
    channels = plan.get("channels") or []
    for n in plan["nodes"]:
        n["cpus"] = [c["index"] if isinstance(c, dict) else c for c in n["cpus"]]
        n["memory_r"] = ranges_of(n["memory"])
        if "reserved" in n:
            n["reserved_r"] = ranges_of(n["reserved"])
        else:
            n["reserved_r"] = subtract(subtract(ram, n["memory_r"]), [(num(p["base"]), num(p["size"])) for p in pools])
        if "shared_pools" not in n:
            n["shared_pools"] = [p["name"] for p in pools if n["id"] in p["nodes"]]
        n.setdefault("devices", [])
        if "sgis" not in n:
            n["sgis"] = [c for c in channels if n["id"] in (c["from"], c["to"])]
    return plan


def root_cells(root):
    ac = root.cells("#address-cells")
    sc = root.cells("#size-cells")
    return (ac[0] if ac else 2, sc[0] if sc else 1)


# ---------------------------------------------------------------- expectations

def board_cpus(board):
    cpus = board.child("cpus")
    return [c for c in cpus.children if c.str("device_type") == "cpu"]


def gic_v3(board):
    """Whether the board's interrupt controller is a GICv3."""
    stack = [board]
    while stack:
        n = stack.pop()
        if "arm,gic-v3" in n.strs("compatible"):
            return True
        stack.extend(n.children)
    return False


def is_disabled(node):
    s = node.str("status")
    return s is not None and (s == "disabled" or s.startswith("fail"))


def devices(board):
    """Every node with reg or interrupts, outside /cpus, /chosen, ... (what
    platform.h's device list holds)."""
    out = []
    for top in board.children:
        base = top.name.split("@")[0]
        if base in SKIP_TOP or top.name.startswith("__") or top.str("device_type") == "memory":
            continue
        for n in top.walk():
            if is_device(n):
                out.append(n)
    return out


def root_of(node):
    while node.parent is not None:
        node = node.parent
    return node


_phandles = {}


def by_phandle(node, ph):
    root = root_of(node)
    if id(root) not in _phandles:
        _phandles[id(root)] = {(n.cells("phandle") or [None])[0]: n for n in root.walk() if n.cells("phandle")}
    return _phandles[id(root)].get(ph)


def is_gic(n):
    return n is not None and "interrupt-controller" in n.props and bool(set(n.strs("compatible")) & GIC_COMPATS)


def irq_parent(node):
    """The controller `interrupts` goes to: interrupt-parent here or above."""
    cur = node
    while cur is not None:
        ip = cur.cells("interrupt-parent")
        if ip:
            return by_phandle(node, ip[0])
        cur = cur.parent
    return None


def ncells(n, prop, dflt):
    v = n.cells(prop) if n is not None else None
    return v[0] if v else dflt


def has_spi(node):
    """Whether the node has a GIC SPI: through `interrupts` to the GIC,
    `interrupts-extended` or an `interrupt-map` (a PCIe bridge's INTx);
    an interrupt of another controller (a PMIC's, a GPIO's) is not one."""
    c = node.cells("interrupts")
    if c:
        ctrl = irq_parent(node)
        if is_gic(ctrl):
            k = ncells(ctrl, "#interrupt-cells", 3)
            if any(c[i] == 0 for i in range(0, len(c) - k + 1, k)):
                return True
    c, i = node.cells("interrupts-extended") or [], 0
    while i < len(c):
        ctrl = by_phandle(node, c[i])
        k = ncells(ctrl, "#interrupt-cells", 0)
        if ctrl is None or i + k >= len(c) + 1:
            break
        if is_gic(ctrl) and k and c[i + 1] == 0:
            return True
        i += 1 + k
    c, i = node.cells("interrupt-map") or [], 0
    step = ncells(node, "#address-cells", 2) + ncells(node, "#interrupt-cells", 0)
    while step and i + step < len(c):
        ctrl = by_phandle(node, c[i + step])
        if ctrl is None:
            break
        pa, k = ncells(ctrl, "#address-cells", 0), ncells(ctrl, "#interrupt-cells", 0)
        spec = i + step + 1 + pa
        if is_gic(ctrl) and k and spec < len(c) and c[spec] == 0:
            return True
        i = spec + k
    return False


def is_device(n):
    return any(p in n.props for p in ("reg", "interrupts", "interrupts-extended"))


def per_core(d):
    """A per-core device (the PMU): no reg and no SPI, and no device above
    it (below one, it belongs with that device)."""
    if "reg" in d.props or has_spi(d):
        return False
    p = d.parent
    while p is not None and p.parent is not None:
        if is_device(p):
            return False
        p = p.parent
    return True


def under(node, paths):
    while node is not None:
        if node.path in paths:
            return True
        node = node.parent
    return False


def expected_disabled(board, plan, pnode):
    """The devices the node's tree must disable, by the rule in dts_split.h:
    not owned (nor below an owned device), not the console, not essential
    (GIC subtree, timer), not per-core (no reg, no SPI, no device above
    it), not already
    disabled, and containing no device that stays enabled."""
    devs = devices(board)
    essential = set()
    for n in board.walk():
        comp = set(n.strs("compatible"))
        if ("interrupt-controller" in n.props and comp & GIC_COMPATS) or comp & TIMER_COMPATS:
            essential.add(n.path)
    owned = set(pnode["devices"])
    if plan.get("console"):
        owned.add(plan["console"])

    def stays(d):
        if is_disabled(d):
            return False
        return under(d, essential) or under(d, owned) or per_core(d)

    staying = [d for d in devs if stays(d)]
    out = set()
    for d in devs:
        if is_disabled(d) or stays(d):
            continue
        if any(s.path.startswith(d.path + "/") for s in staying):
            continue
        out.add(d.path)
    return out


def disabled_in(tree_idx, path):
    n = tree_idx.get(path)
    while n is not None:
        if is_disabled(n):
            return True
        n = n.parent
    return False


# ---------------------------------------------------------------- checks

def check_tree(plan, board, bidx, pnode, dtb):
    nid = pnode["id"]
    where = "node %d" % nid
    try:
        tree, _rsv, boot = parse_fdt(dtb, strict=True)
    except (ValueError, struct.error, IndexError) as e:
        fail("%s: kernel.dtb does not parse: %s" % (where, e))
        return
    tidx = index(tree)
    ac, sc = root_cells(board)
    cpus = board_cpus(board)

    # /memory: one node, exactly the node's RAM, named after its base
    mems = [c for c in tree.children if c.str("device_type") == "memory"]
    if len(mems) != 1:
        fail("%s: %d memory nodes, expected 1" % (where, len(mems)))
    else:
        m = mems[0]
        want = "memory@%x" % pnode["memory_r"][0][0]
        if m.name != want:
            fail("%s: memory node is %s, expected %s" % (where, m.name, want))
        if normalize(decode_reg(m, ac, sc)) != normalize(pnode["memory_r"]):
            fail("%s: memory reg %s, expected %s" % (where, decode_reg(m, ac, sc), pnode["memory_r"]))

    # /reserved-memory
    rm, brm = tree.child("reserved-memory"), board.child("reserved-memory")
    if rm is None:
        fail("%s: no /reserved-memory" % where)
        return
    rac, rsc = root_cells(rm) if brm is not None else (ac, sc)
    if brm is None:
        if rm.cells("#address-cells") != [ac] or rm.cells("#size-cells") != [sc] or rm.props.get("ranges") != b"":
            fail("%s: new /reserved-memory lacks the root's cells or an empty 'ranges'" % where)
    own = {c.name: c for c in (brm.children if brm is not None else [])}
    for name, c in own.items():
        k = rm.child(name)
        if k is None or k.props != c.props:
            fail("%s: the board's /reserved-memory/%s is not kept as it is" % (where, name))
    all_regs, added = [], []
    pools = plan.get("shared_pools") or []
    seen_pools = set()
    for c in rm.children:
        regs = decode_reg(c, rac, rsc)
        for r in regs:
            for (o, oname) in all_regs:
                # the board's own children may overlap each other (its defect,
                # kept as it is); what the split adds may overlap nothing
                if overlap(r, o) and (c.name not in own or oname not in own):
                    fail("%s: /reserved-memory/%s overlaps /reserved-memory/%s" % (where, c.name, oname))
            for m in pnode["memory_r"]:
                if overlap(r, m) and c.name not in own:
                    fail("%s: /reserved-memory/%s overlaps the node's memory" % (where, c.name))
            all_regs.append((r, c.name))
        if c.name in own:
            continue
        added += regs
        if "no-map" not in c.props:
            fail("%s: /reserved-memory/%s has no 'no-map'" % (where, c.name))
        if "mkimg,shared-pool" in c.strs("compatible"):
            pool = [p for p in pools if p["name"] == c.str("label")]
            if len(pool) != 1:
                fail("%s: pool %s has label %r, no such pool" % (where, c.name, c.str("label")))
                continue
            p = pool[0]
            seen_pools.add(p["name"])
            if regs != [(num(p["base"]), num(p["size"]))] or c.name != "pool@%x" % num(p["base"]):
                fail("%s: pool %s: reg %s, expected %s" % (where, c.name, regs, (p["base"], p["size"])))
            member = nid in p["nodes"]
            if ("mkimg,member" in c.props) != member:
                fail("%s: pool '%s': mkimg,member is %s, expected %s" % (where, p["name"], not member, member))
        elif not c.name.startswith("reserved@") or c.name != "reserved@%x" % regs[0][0]:
            fail("%s: unexpected /reserved-memory child %s" % (where, c.name))
    if seen_pools != {p["name"] for p in pools}:
        fail("%s: pools in /reserved-memory %s, expected %s" % (where, sorted(seen_pools), sorted(p["name"] for p in pools)))
    union = [r for r, _ in all_regs]
    pool_r = [(num(p["base"]), num(p["size"])) for p in pools]
    for r in pnode["reserved_r"] + pool_r:
        if not covered(union, r):
            fail("%s: reserved range [0x%x, +0x%x) is not covered by /reserved-memory" % (where, r[0], r[1]))
    own_r = [r for c in own.values() for r in decode_reg(c, rac, rsc)]
    if normalize(added) != normalize(subtract(pnode["reserved_r"], own_r) + pool_r):
        fail("%s: added reserved ranges %s, expected %s" % (where, normalize(added),
                                                              normalize(subtract(pnode["reserved_r"], own_r) + pool_r)))

    # /cpus: only the node's cpus, no cpu-map
    tc = tree.child("cpus")
    want_cpus = sorted(cpus[i].name for i in pnode["cpus"])
    got_cpus = sorted(c.name for c in tc.children if c.str("device_type") == "cpu")
    if got_cpus != want_cpus:
        fail("%s: cpus %s, expected %s" % (where, got_cpus, want_cpus))
    if tc.child("cpu-map") is not None:
        fail("%s: cpu-map is still there" % where)
    if boot != (cpus[pnode["cpus"][0]].cells("reg") or [0])[-1]:
        fail("%s: boot_cpuid_phys 0x%x is not the node's first cpu" % (where, boot))

    # every board node kept (but memory, other cpus, cpu-map, an old
    # /chosen/mkimg) with the same properties; status only as the rule says
    dropped = {c.path for c in board.children if c.str("device_type") == "memory"}
    dropped |= {c.path for c in cpus if c.path not in {cpus[i].path for i in pnode["cpus"]}}
    dropped |= {"/cpus/cpu-map", "/chosen/mkimg"}
    # a thermal map whose cooling-device list names a dropped cpu goes too
    by_ph = {(n.cells("phandle") or [None])[0]: n for n in board.walk() if n.cells("phandle")}
    for b in board.walk():
        v, k = b.cells("cooling-device") or [], 0
        while k < len(v) and v[k] in by_ph:
            t = by_ph[v[k]]
            if under(t, dropped):
                dropped.add(b.path)
                break
            k += 1 + (t.cells("#cooling-cells") or [2])[0]
    want_off = expected_disabled(board, plan, pnode)
    for b in board.walk():
        if under(b, dropped):
            # a new memory node or /chosen/mkimg may reuse the name
            if b.path in tidx and b.path.split("/")[1].split("@")[0] != "memory" and \
                    not b.path.startswith("/chosen/mkimg"):
                fail("%s: %s should be gone" % (where, b.path))
            continue
        t = tidx.get(b.path)
        if t is None:
            fail("%s: %s is missing" % (where, b.path))
            continue
        if b.path == "/chosen":
            continue
        bp, tp = dict(b.props), dict(t.props)
        if b.path in want_off:
            if t.str("status") != "disabled":
                fail("%s: %s should be disabled" % (where, b.path))
            bp.pop("status", None)
            tp.pop("status", None)
        for k in set(bp) | set(tp):
            if bp.get(k) != tp.get(k):
                fail("%s: %s: property '%s' changed" % (where, b.path, k))
    for t in tree.walk():
        if t.path in bidx or t.path.startswith("/chosen/mkimg") or t.path.startswith("/reserved-memory"):
            continue
        if t.parent is tree and t.name in ("reserved-memory", "chosen") or t.str("device_type") == "memory":
            continue
        fail("%s: %s is not in the board" % (where, t.path))

    check_chosen(plan, board, pnode, tree, tidx, where)


def check_chosen(plan, board, pnode, tree, tidx, where):
    ch, bch = tree.child("chosen"), board.child("chosen")
    if ch is None:
        fail("%s: no /chosen" % where)
        return
    if ch.cells("mkimg,node-id") != [pnode["id"]]:
        fail("%s: mkimg,node-id %s" % (where, ch.cells("mkimg,node-id")))
    bidx = index(board)
    stdout = plan.get("console")
    if not stdout:
        for p in sorted(pnode["devices"]):
            if set(bidx[p].strs("compatible")) & UART_COMPATS:
                stdout = p
                break
    if ch.str("stdout-path") != stdout:
        fail("%s: stdout-path %r, expected %r" % (where, ch.str("stdout-path"), stdout))
    if bch is not None and "linux,stdout-path" in bch.props and ch.str("linux,stdout-path") != stdout:
        fail("%s: linux,stdout-path %r, expected %r" % (where, ch.str("linux,stdout-path"), stdout))
    for seed in ("rng-seed", "kaslr-seed"):
        if seed in ch.props:
            fail("%s: /chosen/%s is still there" % (where, seed))
    aliases = board.child("aliases")
    for prop in ("seL4,kernel-devices", "seL4,elfloader-devices"):
        entries = bch.strs(prop) if bch is not None else []

        def resolve(e):
            return e if e.startswith("/") else (aliases.str(e) if aliases is not None else None)
        want = [e for e in entries if not (resolve(e) in tidx and disabled_in(tidx, resolve(e)))]
        got = ch.strs(prop)
        if got != want:
            fail("%s: %s = %s, expected %s" % (where, prop, got, want))
    if bch is not None:
        for k, v in bch.props.items():
            if k in ("stdout-path", "linux,stdout-path", "rng-seed", "kaslr-seed", "seL4,kernel-devices",
                     "seL4,elfloader-devices", "mkimg,node-id"):
                continue
            if ch.props.get(k) != v:
                fail("%s: /chosen/%s changed" % (where, k))

    # /chosen/mkimg: one channel-<k> per sgi of the node, one pool per member pool
    mk = ch.child("mkimg")
    if mk is None:
        fail("%s: no /chosen/mkimg" % where)
        return
    if set(mk.props) - {"#address-cells", "#size-cells", "node-index", "node-count"}:
        fail("%s: /chosen/mkimg has properties %s" % (where, sorted(mk.props)))
    nodes = {n["id"]: n for n in plan["nodes"]}
    # the node's place among the plan's nodes by id: its slot in mkimg-sync
    slot = {i: k for k, i in enumerate(sorted(nodes))}
    if mk.cells("node-index") != [slot[pnode["id"]]] or mk.cells("node-count") != [len(nodes)]:
        fail("%s: /chosen/mkimg node-index %s node-count %s, expected %d of %d" % (
            where, mk.cells("node-index"), mk.cells("node-count"), slot[pnode["id"]], len(nodes)))
    cpus = board_cpus(board)
    sgis = sorted(pnode["sgis"], key=lambda g: (g["sgi"], g["from"], g["to"]))
    want = {}
    for k, g in enumerate(sgis):
        send = g["from"] == pnode["id"]
        peer = nodes[g["to"] if send else g["from"]]
        cpu = peer["cpus"][0]
        reg = cpus[cpu].cells("reg")
        mpidr = reg[0] << 32 | reg[1] if len(reg) == 2 else reg[0]
        target = ((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff)) if gic_v3(board) else cpu
        want["channel-%d" % k] = {"sgi": [g["sgi"]], "direction": "send" if send else "receive",
                                  "peer": [peer["id"]], "peer-cpu": [cpu], "peer-mpidr": [mpidr >> 32, mpidr & 0xffffffff],
                                  "sgi-target": [target], "peer-index": [slot[peer["id"]]]}
    member = [p for p in plan.get("shared_pools") or [] if p["name"] in pnode["shared_pools"]]
    got_names = sorted(c.name for c in mk.children)
    want_names = sorted(list(want) + ["pool@%x" % num(p["base"]) for p in member])
    if got_names != want_names:
        fail("%s: /chosen/mkimg children %s, expected %s" % (where, got_names, want_names))
    for name, w in want.items():
        c = mk.child(name)
        if c is None:
            continue
        got = {"sgi": c.cells("sgi"), "direction": c.str("direction"), "peer": c.cells("peer"),
               "peer-cpu": c.cells("peer-cpu"), "peer-mpidr": c.cells("peer-mpidr"),
               "sgi-target": c.cells("sgi-target"), "peer-index": c.cells("peer-index")}
        if got != w:
            fail("%s: /chosen/mkimg/%s is %s, expected %s" % (where, name, got, w))
    ac, sc = root_cells(tree)
    for p in member:
        c = mk.child("pool@%x" % num(p["base"]))
        if c is None:
            continue
        if c.str("label") != p["name"] or decode_reg(c, *root_cells(mk)) != [(num(p["base"]), num(p["size"]))]:
            fail("%s: /chosen/mkimg/%s: label %r reg %s" % (where, c.name, c.str("label"), decode_reg(c, ac, sc)))
    if member and (mk.cells("#address-cells") != [ac] or mk.cells("#size-cells") != [sc]):
        fail("%s: /chosen/mkimg cells differ from the root's" % where)


# glibc fills fresh allocations with this byte: memory the blob writer
# forgot to clear shows up as non-zero padding instead of passing by luck.
ENV = dict(os.environ, MALLOC_PERTURB_="165")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=ENV, **kw)


def dtc_sorted(args, stdin=None):
    """A tree as sorted DTS text, through a blob so labels do not show."""
    with tempfile.NamedTemporaryFile(suffix=".dtb") as t:
        r = subprocess.run(["dtc", "-q", "-O", "dtb", "-o", t.name] + args, input=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode:
            return None, r.stderr.decode()
        r = run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-s", t.name])
        return r.stdout, r.stderr


# dtc 1.6.1's checks, the ones off by default included (`always_fail`, a
# check of dtc's own tests, left out): the trees are compared with every
# warning on. A check this dtc does not know is dropped (dtc_checks()).
DTC_CHECKS = """addr_size_cells address_cells_is_cell alias_paths avoid_default_addr_size
avoid_unnecessary_addr_size chosen_node_bootargs chosen_node_is_root chosen_node_stdout_path
clocks_is_cell clocks_property compatible_is_string_list cooling_device_is_cell
cooling_device_property deprecated_gpio_property device_type_is_string dma_ranges_format
dmas_is_cell dmas_property duplicate_label duplicate_node_names duplicate_property_names
explicit_phandles gpios_property graph_child_address graph_endpoint graph_nodes graph_port
hwlocks_is_cell hwlocks_property i2c_bus_bridge i2c_bus_reg interrupt_provider
interrupts_extended_is_cell interrupts_extended_property interrupts_property io_channels_is_cell
io_channels_property iommus_is_cell iommus_property label_is_string mboxes_is_cell
mboxes_property model_is_string msi_parent_is_cell msi_parent_property mux_controls_is_cell
mux_controls_property name_is_string name_properties names_is_string_list node_name_chars
node_name_chars_strict node_name_format node_name_vs_property_name
obsolete_chosen_interrupt_controller path_references pci_bridge pci_device_bus_num
pci_device_reg phandle_references phys_is_cell phys_property power_domains_is_cell
power_domains_property property_name_chars property_name_chars_strict pwms_is_cell pwms_property
reg_format resets_is_cell resets_property simple_bus_bridge simple_bus_reg size_cells_is_cell
sound_dai_is_cell sound_dai_property spi_bus_bridge spi_bus_reg status_is_string
thermal_sensors_is_cell thermal_sensors_property unique_unit_address
unique_unit_address_if_enabled unit_address_format unit_address_vs_reg""".split()
_dtc_flags = None


def dtc_checks():
    """-W for every check of DTC_CHECKS this dtc knows (asked once)."""
    global _dtc_flags
    if _dtc_flags is None:
        with tempfile.NamedTemporaryFile("w", suffix=".dts") as t:
            t.write("/dts-v1/;\n/ { };\n")
            t.flush()
            known = [c for c in DTC_CHECKS
                     if run(["dtc", "-q", "-W", c, "-I", "dts", "-O", "dtb", "-o", os.devnull, t.name]).returncode == 0]
        _dtc_flags = [a for c in known for a in ("-W", c)]
    return _dtc_flags


def warnings(dtb):
    r = run(["dtc"] + dtc_checks() + ["-I", "dtb", "-O", "dtb", "-o", os.devnull, dtb])
    # "file.dtb: Warning (check): /path: message" -> without the file
    return {line.split(": ", 1)[1] for line in r.stderr.splitlines() if "Warning" in line}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dts-split", required=True)
    ap.add_argument("--mkimg")
    ap.add_argument("--manifest")
    ap.add_argument("--plan")
    ap.add_argument("--board")
    ap.add_argument("--check", default="all", choices=["all", "tree", "overlay", "dts", "warnings", "determinism"])
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="check-split-")
    try:
        if a.manifest:
            r = run([a.mkimg, "plan", "--format", "json", a.manifest])
            if r.returncode:
                print("mkimg plan failed:\n" + r.stderr)
                return 1
            plan_path = os.path.join(tmp, "plan.json")
            with open(plan_path, "w") as f:
                f.write(r.stdout)
            plat = json.loads(r.stdout)["platform"]
            board_src = os.path.join(os.path.dirname(os.path.abspath(a.manifest)), plat.get("dts") or plat["dtb"])
        else:
            plan_path, board_src = a.plan, a.board
        board_dtb = os.path.join(tmp, "board.dtb")
        if board_src.endswith(".dts"):
            r = run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", board_dtb, board_src])
            if r.returncode:
                print("dtc failed on the board:\n" + r.stderr)
                return 1
        else:
            shutil.copy(board_src, board_dtb)

        out = os.path.join(tmp, "out")
        r = run([a.dts_split, "--plan", plan_path, board_src, "-o", out])
        # warnings (a defect of the board in what no node uses) are not failures
        if r.returncode or any(": warning: " not in line for line in r.stderr.splitlines()):
            print("dts-split failed (exit %d):\n%s" % (r.returncode, r.stderr))
            return 1
        with open(plan_path) as f, open(board_dtb, "rb") as g:
            board = parse_fdt(g.read())[0]
            plan = load_plan(json.load(f), board)
        bidx = index(board)
        board_warn = warnings(board_dtb)
        want_dirs = sorted("node%d" % n["id"] for n in plan["nodes"])
        if sorted(os.listdir(out)) != want_dirs:
            fail("output folders %s, expected %s" % (sorted(os.listdir(out)), want_dirs))

        for n in plan["nodes"]:
            d = os.path.join(out, "node%d" % n["id"])
            dtb, dts, ovl = (os.path.join(d, x) for x in ("kernel.dtb", "kernel.dts", "kernel-overlay.dts"))
            if sorted(os.listdir(d)) != ["kernel-overlay.dts", "kernel.dtb", "kernel.dts"]:
                fail("node %d: files %s" % (n["id"], sorted(os.listdir(d))))
                continue
            want, err = dtc_sorted(["-I", "dtb", dtb])
            if want is None:
                fail("node %d: dtc cannot read kernel.dtb: %s" % (n["id"], err))
                continue
            if a.check in ("all", "tree"):
                with open(dtb, "rb") as f:
                    check_tree(plan, board, bidx, n, f.read())
            if a.check in ("all", "overlay"):
                with open(board_src if board_src.endswith(".dts") else os.devnull, "rb") as f, open(ovl, "rb") as g:
                    text = g.read()
                    if b"/dts-v1/" in text:
                        fail("node %d: the overlay has a /dts-v1/ header" % n["id"])
                    # from stdin, as seL4's build appends it; the board's
                    # /include/s resolve from its folder (-i)
                    got, err = dtc_sorted(["-I", "dts", "-i", os.path.dirname(os.path.abspath(board_src)), "-"],
                                          stdin=f.read() + b"\n" + text)
                if got != want:
                    fail("node %d: board DTS + kernel-overlay.dts differs from kernel.dtb%s" % (n["id"], err and ": " + err))
            if a.check in ("all", "dts"):
                got, err = dtc_sorted(["-I", "dts", dts])
                if got != want:
                    fail("node %d: kernel.dts compiles to another tree%s" % (n["id"], err and ": " + err))
            if a.check in ("all", "warnings"):
                new = warnings(dtb) - board_warn
                for w in sorted(new):
                    fail("node %d: new dtc warning: %s" % (n["id"], w))
        if a.check in ("all", "determinism"):
            out2 = os.path.join(tmp, "out2")
            r = run([a.dts_split, "--plan", plan_path, board_src, "-o", out2])
            for n in plan["nodes"]:
                for x in ("kernel.dtb", "kernel.dts", "kernel-overlay.dts"):
                    p1, p2 = (os.path.join(o, "node%d" % n["id"], x) for o in (out, out2))
                    with open(p1, "rb") as f, open(p2, "rb") as g:
                        if f.read() != g.read():
                            fail("node %d: %s differs between two runs" % (n["id"], x))
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print("FAIL: " + f)
    print("%s: %d failure(s)" % (a.manifest or a.plan, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
