#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""split-256.py - how long dts-split takes for 256 nodes (a benchmark, not a test).

Makes a 256-cpu GICv3 board (synthetic by default: 256 cpus in clusters of
16, a cpu-map, 320 devices, some behind a bus; or, with --qemu, the tree
QEMU's `virt` machine dumps for -smp 256), a 256-node plan (one cpu and
4 MiB each, a ring of channels; every 8th node owns a device; with
--link-pools also a shared pool per link and one for all, which puts 514
more children into every tree's /reserved-memory) and runs dts-split on it,
DTB only and with the DTS texts. dts-split's --timing splits the time into
building the blobs, making the texts and writing the files; the best of
--runs runs is printed (the machine may be busy with other work).

usage: bench/split-256.py [--dts-split build/bin/dts-split] [--qemu] [--link-pools] [--runs 5] [--nodes 256]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

RAM_BASE, RAM_SIZE = 0x40000000, 0x80000000
NODE_MEM = 4 << 20
POOL_BASE, POOL_SIZE = 0x80000000, 64 << 10


def synthetic_dts(ncpu, ndev):
    out = ["/dts-v1/;", "", "/ {",
           '\tmodel = "mkimg bench: %d cpus, GICv3, %d devices";' % (ncpu, ndev),
           '\tcompatible = "mkimg,bench";', "\t#address-cells = <2>;", "\t#size-cells = <2>;",
           "\tinterrupt-parent = <&gic>;", "",
           '\tchosen {\n\t\tstdout-path = "/serial@9000000";\n\t};', "",
           '\tpsci {\n\t\tcompatible = "arm,psci-1.0";\n\t\tmethod = "smc";\n\t};', "",
           '\tmemory@%x {\n\t\tdevice_type = "memory";\n\t\treg = <0x0 0x%x 0x0 0x%x>;\n\t};' % (RAM_BASE, RAM_BASE, RAM_SIZE),
           "", "\tcpus {", "\t\t#address-cells = <1>;", "\t\t#size-cells = <0>;", "", "\t\tcpu-map {"]
    for c in range(0, ncpu, 16):
        out.append("\t\t\tcluster%d {" % (c // 16))
        for i in range(c, min(c + 16, ncpu)):
            out.append("\t\t\t\tcore%d {\n\t\t\t\t\tcpu = <&cpu%d>;\n\t\t\t\t};" % (i - c, i))
        out.append("\t\t\t};")
    out.append("\t\t};")
    for i in range(ncpu):
        mpidr = (i // 16) << 8 | (i % 16)
        out.append('\t\tcpu%d: cpu@%x {\n\t\t\tdevice_type = "cpu";\n\t\t\tcompatible = "arm,cortex-a53";\n'
                   '\t\t\treg = <0x%x>;\n\t\t\tenable-method = "psci";\n\t\t};' % (i, mpidr, mpidr))
    out += ["\t};", "",
            '\ttimer {\n\t\tcompatible = "arm,armv8-timer";\n\t\tinterrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>;\n\t};',
            '\tpmu {\n\t\tcompatible = "arm,armv8-pmuv3";\n\t\tinterrupts = <1 7 4>;\n\t};',
            "\tgic: interrupt-controller@8000000 {", '\t\tcompatible = "arm,gic-v3";', "\t\tinterrupt-controller;",
            "\t\t#interrupt-cells = <3>;", "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;", "\t\tranges;",
            "\t\treg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x10000000 0x0 0x%x>;" % (ncpu * 0x20000),
            '\t\tits@8080000 {\n\t\t\tcompatible = "arm,gic-v3-its";\n\t\t\tmsi-controller;\n\t\t\treg = <0x0 0x8080000 0x0 0x20000>;\n\t\t};',
            "\t};",
            '\tclk: apb-clk {\n\t\tcompatible = "fixed-clock";\n\t\t#clock-cells = <0>;\n\t\tclock-frequency = <24000000>;\n\t};']
    spi = 1
    nuart = min(32, ndev)
    for i in range(nuart):
        out.append('\tserial@%x {\n\t\tcompatible = "arm,pl011", "arm,primecell";\n\t\treg = <0x0 0x%x 0x0 0x1000>;\n'
                   '\t\tinterrupts = <0 %d 4>;\n\t\tclocks = <&clk>, <&clk>;\n\t\tclock-names = "uartclk", "apb_pclk";\n\t};'
                   % (0x9000000 + i * 0x10000, 0x9000000 + i * 0x10000, spi))
        spi += 1
    rest = ndev - nuart
    nbus = rest // 4
    for i in range(rest - nbus):
        out.append('\tvirtio_mmio@%x {\n\t\tcompatible = "virtio,mmio";\n\t\treg = <0x0 0x%x 0x0 0x200>;\n'
                   '\t\tinterrupts = <0 %d 1>;\n\t\tdma-coherent;\n\t};' % (0xa000000 + i * 0x200, 0xa000000 + i * 0x200, spi))
        spi += 1
    out.append('\tsoc@c000000 {\n\t\tcompatible = "simple-bus";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n'
               "\t\tranges = <0x0 0x0 0xc000000 0x1000000>;")
    for i in range(nbus):
        out.append('\t\ti2c@%x {\n\t\t\tcompatible = "snps,designware-i2c";\n\t\t\treg = <0x%x 0x1000>;\n'
                   '\t\t\tinterrupts = <0 %d 4>;\n\t\t\t#address-cells = <1>;\n\t\t\t#size-cells = <0>;\n'
                   '\t\t\teeprom@50 {\n\t\t\t\tcompatible = "atmel,24c02";\n\t\t\t\treg = <0x50>;\n\t\t\t};\n\t\t};'
                   % (i * 0x1000, i * 0x1000, spi))
        spi += 1
    out += ["\t};", "};", ""]
    return "\n".join(out)


def plan(ncpu, devices, link_pools):
    """Node i: cpu i, 4 MiB, a channel to node i+1 (sgi 0); every 8th node
    owns one device; with link_pools, the pool of each link and one of all."""
    pools = [{"name": "all", "base": hex(POOL_BASE), "size": hex(2 << 20), "nodes": list(range(ncpu))}] if link_pools else []
    for i in range(ncpu if link_pools else 0):
        pools.append({"name": "link%03d" % i, "base": hex(POOL_BASE + (2 << 20) + i * POOL_SIZE),
                      "size": hex(POOL_SIZE), "nodes": sorted({i, (i + 1) % ncpu})})
    nodes = []
    for i in range(ncpu):
        nodes.append({"id": i, "cpus": [i], "memory": [{"base": hex(RAM_BASE + i * NODE_MEM), "size": hex(NODE_MEM)}],
                      "devices": [devices[i // 8]] if i % 8 == 0 and i // 8 < len(devices) else []})
    return {"name": "bench-%d" % ncpu, "console": None, "shared_pools": pools,
            "channels": [{"sgi": 0, "from": i, "to": (i + 1) % ncpu} for i in range(ncpu)], "nodes": nodes}


def timing(dts_split, plan_path, board, out, extra):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run([dts_split, "--timing", "--plan", plan_path, board, "-o", out] + extra,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    wall = (time.perf_counter() - t0) * 1e3
    if r.returncode:
        sys.exit("dts-split failed:\n" + r.stderr)
    m = re.search(r"blobs ([\d.]+) ms, text ([\d.]+) ms, files ([\d.]+) ms", r.stderr)
    return [float(x) for x in m.groups()] + [wall]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dts-split", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin", "dts-split"))
    ap.add_argument("--qemu", action="store_true", help="use QEMU virt's own tree (-smp N, GICv3)")
    ap.add_argument("--link-pools", action="store_true", help="a shared pool per link and one for all")
    ap.add_argument("--nodes", type=int, default=256)
    ap.add_argument("--devices", type=int, default=320)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="split-bench-")
    try:
        board = os.path.join(tmp, "board.dtb")
        if a.qemu:
            subprocess.run(["qemu-system-aarch64", "-machine", "virt,gic-version=3,dumpdtb=" + board, "-cpu", "cortex-a53",
                            "-smp", str(a.nodes), "-m", "2G", "-nographic", "-nic", "none"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            listing = subprocess.run(["fdtget", "-l", board, "/"], stdout=subprocess.PIPE, universal_newlines=True).stdout
            devices = ["/" + x for x in listing.split() if x.startswith("virtio_mmio")]
            what = "QEMU virt -smp %d, GICv3" % a.nodes
        else:
            src = os.path.join(tmp, "board.dts")
            with open(src, "w") as f:
                f.write(synthetic_dts(a.nodes, a.devices))
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", board, src], check=True)
            devices = ["/virtio_mmio@%x" % (0xa000000 + i * 0x200) for i in range(a.nodes // 8)]
            what = "synthetic: %d cpus, GICv3, %d devices" % (a.nodes, a.devices)
        plan_path = os.path.join(tmp, "plan.json")
        with open(plan_path, "w") as f:
            json.dump(plan(a.nodes, devices, a.link_pools), f)
        size = int(subprocess.run(["fdtdump", board], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  universal_newlines=True).stdout.split("totalsize:")[1].split()[0], 0)
        print("board: %s; blob %d KiB" % (what, size // 1024))
        print("plan: %d nodes, 4 MiB and one cpu each, %d ring channels, %d shared pools"
              % (a.nodes, a.nodes, a.nodes + 1 if a.link_pools else 0))
        out = os.path.join(tmp, "out")
        for label, extra in (("DTB only", ["--dtb-only"]), ("DTB + kernel.dts + overlay", [])):
            runs = [timing(a.dts_split, plan_path, board, out, extra) for _ in range(a.runs)]
            best = [min(r[i] for r in runs) for i in range(4)]
            print("%-28s all %d trees: %7.2f ms (blobs %.2f, text %.2f) + files %.2f ms; whole command %.0f ms"
                  % (label + ":", a.nodes, best[0] + best[1], best[0], best[1], best[2], best[3]))
        total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(out) for f in fs)
        print("output: %d files, %.1f MiB" % (sum(len(fs) for _, _, fs in os.walk(out)), total / (1 << 20)))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
