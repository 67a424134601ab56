#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""isolation.py MKIMG OUT - every example's image keeps its nodes apart.

OUT holds every example built by mkimg's main job (examples.sh): for each
OUT/NAME/ its layout.json (the plan), node<N>/kernel.dtb and elfloader.elf.
For each example, against the plan's RAM (not against what the image says
of itself):

  trees:  each node's kernel.dtb, decoded here, shows as memory (top-level
          nodes with device_type "memory") only RAM of that node: none of
          another node's RAM, of a shared pool or of the loader's region;
  image:  in the boot plan (`mkimg inspect --format json`), for each node,
          every map of its page tables lies in its own RAM or the loader's
          region, every copy and zero lies in its own RAM, its DTB and root
          task too, and its RAM is the plan's first region of the node;
          the pools the loader zeroes are exactly the plan's pools without
          "keep", each in no node's RAM and not in the loader's region.

Exit 0 when every example passes; each violation is printed.
"""
import glob
import json
import os
import struct
import subprocess
import sys

errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL: " + msg)


# ------------------------------------------------------------ a small FDT reader

def fdt_top_nodes(blob):
    """The root's #address-cells and #size-cells, and each top-level node
    as (name, {property: bytes})."""
    magic, _, off_struct, off_strings = struct.unpack_from(">IIII", blob, 0)
    if magic != 0xD00DFEED:
        raise ValueError("not a DTB")
    at, depth, root, nodes = off_struct, 0, {}, []
    while True:
        tag = struct.unpack_from(">I", blob, at)[0]
        at += 4
        if tag == 1:  # FDT_BEGIN_NODE
            end = blob.index(b"\0", at)
            depth += 1
            if depth == 2:
                nodes.append((blob[at:end].decode(), {}))
            at = (end + 1 + 3) & ~3
        elif tag == 2:  # FDT_END_NODE
            depth -= 1
        elif tag == 3:  # FDT_PROP
            length, nameoff = struct.unpack_from(">II", blob, at)
            name = blob[off_strings + nameoff:blob.index(b"\0", off_strings + nameoff)].decode()
            value = blob[at + 8:at + 8 + length]
            if depth == 1:
                root[name] = value
            elif depth == 2:
                nodes[-1][1][name] = value
            at = (at + 8 + length + 3) & ~3
        elif tag == 4:  # FDT_NOP
            continue
        else:  # FDT_END
            break
    cells = lambda k, d: struct.unpack(">I", root[k])[0] if k in root else d
    return cells("#address-cells", 2), cells("#size-cells", 1), nodes


def reg_ranges(value, ac, sc):
    words = struct.unpack(">%dI" % (len(value) // 4), value)
    out = []
    for i in range(0, len(words) - ac - sc + 1, ac + sc):
        num = lambda ws: sum(w << (32 * (len(ws) - 1 - k)) for k, w in enumerate(ws))
        out.append((num(words[i:i + ac]), num(words[i + ac:i + ac + sc])))
    return out


# ------------------------------------------------------------ ranges

def ranges(items):
    return [(int(r["base"], 16), int(r["base"], 16) + int(r["size"], 16)) for r in items]


def inside(lo, hi, regions):
    return any(a <= lo and hi <= b for a, b in regions)


def meets(lo, hi, regions):
    return any(lo < b and a < hi for a, b in regions)


def show(lo, hi):
    return "[0x%x, 0x%x)" % (lo, hi)


# ------------------------------------------------------------ the checks

def check_trees(name, out, plan):
    loader = ranges([plan["loader"]])
    pools = ranges(plan.get("shared_pools", []))
    for n in plan["nodes"]:
        own = ranges(n["memory"])
        others = [r for m in plan["nodes"] if m["id"] != n["id"] for r in ranges(m["memory"])]
        ac, sc, nodes = fdt_top_nodes(open(os.path.join(out, "node%d" % n["id"], "kernel.dtb"), "rb").read())
        shown = [(b, b + s) for node, props in nodes if props.get("device_type") == b"memory\0"
                 for b, s in reg_ranges(props.get("reg", b""), ac, sc) if s]
        if not shown:
            fail("%s: node %d's tree shows no memory" % (name, n["id"]))
        for lo, hi in shown:
            for what, regions in (("another node's RAM", others), ("a shared pool", pools), ("the loader's region", loader)):
                if meets(lo, hi, regions):
                    fail("%s: node %d's tree shows %s as memory: %s" % (name, n["id"], what, show(lo, hi)))
            if not inside(lo, hi, own):
                fail("%s: node %d's tree shows memory %s that is not its RAM" % (name, n["id"], show(lo, hi)))


def check_image(name, mkimg, out, plan):
    r = subprocess.run([mkimg, "inspect", "--format", "json", os.path.join(out, "elfloader.elf")],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s: inspect exit %d: %s" % (name, r.returncode, r.stderr))
        return
    image = json.loads(r.stdout)
    loader = ranges([plan["loader"]])
    mem = {n["id"]: ranges(n["memory"]) for n in plan["nodes"]}
    if sorted(n["id"] for n in image["nodes"]) != sorted(mem):
        fail("%s: the image's nodes %s are not the plan's %s" % (name, [n["id"] for n in image["nodes"]], sorted(mem)))
    for n in image["nodes"]:
        own, nid = mem.get(n["id"], []), n["id"]
        ram = (int(n["ram"]["base"], 16), int(n["ram"]["end"], 16))
        if not own or ram != own[0]:
            fail("%s: node %d's RAM in the boot plan is %s, not the plan's %s" % (name, nid, show(*ram), own[:1]))
        for m in n["maps"]:
            lo, hi = int(m["pa"], 16), int(m["pa"], 16) + int(m["size"], 16)
            if not inside(lo, hi, own) and not inside(lo, hi, loader):
                fail("%s: node %d's tables map %s, outside its RAM and the loader's region" % (name, nid, show(lo, hi)))
        for op in n["ops"]:
            lo, hi = int(op["dst"], 16), int(op["dst"], 16) + int(op["size"], 16)
            if not inside(lo, hi, own):
                fail("%s: node %d: the loader writes %s (%s), outside its RAM" % (name, nid, show(lo, hi), op["kind"]))
        regs = {k: int(v, 16) for k, v in n["regs"].items()}
        for what, lo, hi in (("root task", regs["user_start"], regs["user_end"]),
                             ("DTB", regs["dtb"], regs["dtb"] + regs["dtb_size"])):
            if not inside(lo, hi, own):
                fail("%s: node %d's %s %s is outside its RAM" % (name, nid, what, show(lo, hi)))
        if not n["maps"] or not n["ops"]:
            fail("%s: node %d has no maps or no ops: nothing was checked" % (name, nid))
    zeroed = sorted(ranges(image.get("pools", [])))
    want = sorted(ranges(p for p in plan.get("shared_pools", []) if not p["keep"]))
    if zeroed != want:
        fail("%s: the loader zeroes %s, the plan's pools to zero are %s" % (
            name, [show(*r) for r in zeroed], [show(*r) for r in want]))
    for lo, hi in zeroed:
        for what, regions in (("node RAM", [r for rs in mem.values() for r in rs]), ("the loader's region", loader)):
            if meets(lo, hi, regions):
                fail("%s: the loader zeroes pool %s, which meets %s" % (name, show(lo, hi), what))


def main():
    mkimg, top = sys.argv[1], sys.argv[2]
    outs = sorted(d for d in glob.glob(os.path.join(top, "*")) if os.path.isfile(os.path.join(d, "layout.json")))
    if not outs:
        fail("no built example in " + top)
    for out in outs:
        name = os.path.basename(out)
        plan = json.load(open(os.path.join(out, "layout.json")))
        before = len(errors)
        check_trees(name, out, plan)
        check_image(name, mkimg, out, plan)
        if len(errors) == before:
            print("ok: %s: %d nodes: trees show only their own RAM; the loader maps and writes only theirs"
                  " (and zeroes %d pools)" % (name, len(plan["nodes"]), sum(not p["keep"] for p in plan.get("shared_pools", []))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
