# SPDX-License-Identifier: BSD-2-Clause
"""plan_invariants.py - read a plan's JSON on stdin and prove what the plan
promises, independently of mkimg's own code: node RAM disjoint and 2 MiB
aligned, pools outside every node's RAM and inside board RAM, each node's
reserved list covering every other node's RAM, memory + reserved + pools
tiling the board's RAM, CPUs and SPIs owned once, SGIs unique per receiver,
the loader outside every node and pool; with two or more nodes, mkimg's own
pool 'mkimg-sync' (64 bytes a node, rounded up to 4 KiB, every node a
member, never kept), and none with one node."""
import json
import sys

plan = json.load(sys.stdin)
h = lambda s: int(s, 16)
rng = lambda r: (h(r["base"]), h(r["base"]) + h(r["size"]))
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def covered(r, ranges):
    lo, hi = r
    for a, b in sorted(ranges):
        if a <= lo < b:
            lo = b
    return lo >= hi


ram = [rng(r) for r in plan["platform"]["memory"]]
pools = {p["name"]: rng(p) for p in plan["shared_pools"]}
loader = rng(plan["loader"])
nodes = plan["nodes"]
mem = {n["id"]: [rng(r) for r in n["memory"]] for n in nodes}

for n in nodes:
    check(n["memory"], f"node {n['id']} has no memory")
    for r in mem[n["id"]]:
        check(r[0] % 0x200000 == 0 and r[1] % 0x200000 == 0, f"node {n['id']} memory {r} not 2 MiB aligned")
        check(any(a <= r[0] and r[1] <= b for a, b in ram), f"node {n['id']} memory {r} outside RAM")
        check(not overlap(r, loader), f"node {n['id']} memory overlaps the loader")
    for m in nodes:
        if m["id"] <= n["id"]:
            continue
        for a in mem[n["id"]]:
            for b in mem[m["id"]]:
                check(not overlap(a, b), f"nodes {n['id']} and {m['id']} overlap")
    reserved = [rng(r) for r in n["reserved"]]
    for m in nodes:
        if m["id"] != n["id"]:
            for r in mem[m["id"]]:
                check(covered(r, reserved), f"node {n['id']} reserved does not cover node {m['id']} memory {r}")
    # memory + reserved + all pools tile the board's RAM exactly
    tiles = sorted(mem[n["id"]] + reserved + list(pools.values()))
    for a, b in zip(tiles, tiles[1:]):
        check(a[1] <= b[0], f"node {n['id']}: {a} and {b} overlap")
    check(sum(b - a for a, b in tiles) == sum(b - a for a, b in ram), f"node {n['id']}: regions do not tile RAM")
    for p in n["shared_pools"]:
        check(n["id"] in next(q["nodes"] for q in plan["shared_pools"] if q["name"] == p), f"pool {p} list")
    rx = [s["sgi"] for s in n["sgis"] if s["to"] == n["id"]]
    check(len(rx) == len(set(rx)), f"node {n['id']} receives an SGI twice")
    check(all(0 <= s <= 15 for s in rx), f"node {n['id']} SGI out of range")
    check(n["irqs"] == sorted(n["irqs"], key=lambda q: (q["irq"], q["device"])), f"node {n['id']} irqs unsorted")
    check(n["devices"] == sorted(n["devices"]), f"node {n['id']} devices unsorted")

for p in plan["shared_pools"]:
    check(isinstance(p.get("keep"), bool), f"pool {p['name']} says neither \"keep\": true nor false")
for name, p in pools.items():
    check(any(a <= p[0] and p[1] <= b for a, b in ram), f"pool {name} outside RAM")
    check(not overlap(p, loader), f"pool {name} overlaps the loader")
    for n in nodes:
        for r in mem[n["id"]]:
            check(not overlap(p, r), f"pool {name} inside node {n['id']} memory")
check(list(pools) == sorted(pools), "pools unsorted")

sync = [p for p in plan["shared_pools"] if p["name"] == "mkimg-sync"]
if len(nodes) < 2:
    check(not sync, "a plan of one node has a pool 'mkimg-sync'")
elif not sync:
    check(False, f"a plan of {len(nodes)} nodes has no pool 'mkimg-sync'")
else:
    want = (64 * len(nodes) + 0xfff) // 0x1000 * 0x1000
    check(h(sync[0]["size"]) == want, f"pool mkimg-sync has size {sync[0]['size']}, expected {want:#x}")
    check(sync[0]["nodes"] == sorted(n["id"] for n in nodes), f"pool mkimg-sync has nodes {sync[0]['nodes']}")
    check(sync[0]["keep"] is False, "pool mkimg-sync is kept across boots")
    for n in nodes:
        check("mkimg-sync" in n["shared_pools"], f"node {n['id']} is no member of mkimg-sync")

cpus = [c["index"] for n in nodes for c in n["cpus"]]
check(len(cpus) == len(set(cpus)), "a cpu is owned twice")
spis = [q["irq"] for n in nodes for q in n["irqs"] if q["type"] == "spi"]
check(len(spis) == len(set(spis)), "an SPI is owned twice")
check(sorted(plan["boot_order"]) == sorted(n["id"] for n in nodes), "boot order is not a permutation of the nodes")

for e in errors:
    print("FAIL:", e)
print(f"{len(nodes)} nodes, {len(pools)} pools: {'ok' if not errors else str(len(errors)) + ' violations'}")
sys.exit(1 if errors else 0)
