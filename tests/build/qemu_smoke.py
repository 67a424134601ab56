#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""qemu_smoke.py - boot demo kernels in QEMU without the real loader.

The test shim (tests/build/shim) enters each kernel as seL4 is entered;
QEMU's -device loader places every file where the loader would: the kernel
at its ELF physical address, the node's DTB on the next page after the
kernel image, the root task after the DTB. Then this script reads the
console and checks each node's one line.

usage: qemu_smoke.py QEMU SHIM ROOTSERVER CASE KERNEL:DTB:RAMSIZE [...]

RAMSIZE is the node's RAM from the kernel's base (its /memory). QEMU
keeps the first MiB of RAM for its own tree, so no node may start there.

CASE ok: every node prints its `node N: ok ...` line, intact, with exactly
the values passed. Other cases break one part of the contract on node 0
(alone) and expect `node 0: FAIL` naming that check:
tpidr, dtb-size, bss, mair, user-range, entry, dtb-memory.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

PAGE = 0x1000
SHIM_PARAMS = 0xBF100000
SHIM_MAGIC = 0x4D494853
SEL4_MAIR = 0x0000BBFF440C0400


def up(v, a=PAGE):
    return (v + a - 1) & ~(a - 1)


def elf_info(path):
    """(entry, [(vaddr, paddr, filesz, memsz)]) of the PT_LOAD segments."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not an ELF64 file")
    entry, phoff = struct.unpack_from("<QQ", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads = []
    for i in range(phnum):
        p_type, _, _, vaddr, paddr, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((vaddr, paddr, filesz, memsz))
    return entry, loads


def bss_start(kernel):
    """Physical address of the first byte the loader must zero (p_filesz)."""
    _, loads = elf_info(kernel)
    _, paddr, filesz, _ = loads[0]
    return up(paddr + filesz, 8)


def plan_node(kernel, dtb, user_elf):
    """Where the loader puts each part of one node, and x0..x5."""
    entry, loads = elf_info(kernel)
    if len(loads) != 1:
        sys.exit(f"{kernel}: {len(loads)} loadable segments, want 1")
    vaddr, paddr, _, memsz = loads[0]
    dtb_pa = up(paddr + memsz)
    dtb_size = os.path.getsize(dtb)
    u_entry, u_loads = elf_info(user_elf)
    u_lo = min(v for v, _, _, _ in u_loads)
    u_hi = up(max(v + m for v, _, _, m in u_loads))
    x0 = up(dtb_pa + dtb_size)
    return {
        "entry": entry, "vbase": vaddr, "pbase": paddr, "size": memsz,
        "dtb": dtb, "dtb_pa": dtb_pa, "user_pa": x0,
        "x": [x0, x0 + (u_hi - u_lo), x0 - u_lo, u_entry, dtb_pa, dtb_size],
        "tpidr": 0, "mair": 0, "t1sz": 0, "poke": 0,
    }


def params_blob(nodes):
    blob = struct.pack("<II", SHIM_MAGIC, len(nodes))
    for i, n in enumerate(nodes):
        blob += struct.pack("<5Q", i, n["entry"], n["vbase"], n["pbase"], n["size"])
        blob += struct.pack("<6Q", *[v & (2**64 - 1) for v in n["x"]])
        blob += struct.pack("<5Q", n["tpidr"], n["mair"], n["t1sz"], n["poke"], 0x5A5A5A5A)
    return blob


def run(qemu, shim, user_bin, nodes, timeout=20):
    with tempfile.TemporaryDirectory() as tmp:
        params = os.path.join(tmp, "params.bin")
        open(params, "wb").write(params_blob(nodes))
        # Single-threaded TCG: a kernel waiting for the console lock runs
        # `yield`, which then hands the host thread to the next vCPU (the
        # one holding it, in the end), instead of spinning on a host core
        # the holder needs (multi-threaded TCG on fewer host cores).
        cmd = [qemu, "-accel", "tcg,thread=single",
               "-machine", "virt,gic-version=2", "-cpu", "cortex-a53", "-smp", str(len(nodes)),
               "-m", "2G", "-display", "none", "-monitor", "none", "-serial", "stdio", "-nic", "none",
               "-device", f"loader,file={params},addr={SHIM_PARAMS:#x},force-raw=on"]
        for n in nodes:
            cmd += ["-device", f"loader,file={n['kernel']}",
                    "-device", f"loader,file={n['dtb']},addr={n['dtb_pa']:#x},force-raw=on",
                    "-device", f"loader,file={user_bin},addr={n['user_pa']:#x},force-raw=on"]
        cmd += ["-device", f"loader,file={shim},cpu-num=0"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        os.set_blocking(proc.stdout.fileno(), False)
        out, deadline = b"", time.monotonic() + timeout
        while time.monotonic() < deadline and out.count(b"\n") < len(nodes) and proc.poll() is None:
            chunk = proc.stdout.read()
            if chunk:
                out += chunk
            else:
                time.sleep(0.02)
        time.sleep(0.2)  # anything more (a second line would be a bug)
        out += proc.stdout.read() or b""
        proc.kill()
        proc.wait()
    return out.decode(errors="replace").replace("\r", "")


def expected_ok(i, n, ram):
    x = n["x"]
    return (f"node {i}: ok EL1 mmu on ram [{ram[0]:#x}, {ram[1]:#x}) dtb {x[4]:#x} "
            f"user [{x[0]:#x}, {x[1]:#x}) entry {x[3]:#x}")


def node_ram(n):
    return n["pbase"], n["pbase"] + n["ram_size"]


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    qemu, shim, user_elf, case = sys.argv[1:5]
    pairs = [a.split(":") for a in sys.argv[5:]]
    objcopy = os.environ.get("OBJCOPY", "aarch64-linux-gnu-objcopy")
    with tempfile.TemporaryDirectory() as tmp:
        user_bin = os.path.join(tmp, "user.bin")
        subprocess.run([objcopy, "-O", "binary", user_elf, user_bin], check=True)
        nodes = []
        for kernel, dtb, ram_size in pairs:
            n = plan_node(kernel, dtb, user_elf)
            n["kernel"], n["ram_size"] = kernel, int(ram_size, 0)
            nodes.append(n)
        want = None
        n0 = nodes[0]
        if case == "tpidr":
            n0["tpidr"], want = 1, r" tpidr=0x1[ ;]"
        elif case == "dtb-size":
            n0["x"][5] += 8
            want = rf" dtb-size={n0['x'][5] - 8:#x}[ ;]"
        elif case == "bss":
            pa = n0["poke"] = bss_start(n0["kernel"])
            want = rf" bss={pa - n0['pbase'] + n0['vbase']:#x}[ ;]"
        elif case == "mair":
            n0["mair"] = SEL4_MAIR & ~(0xFF << 32) | 0x44 << 32
            want = rf" mair={n0['mair']:#x}[ ;]"
        elif case == "user-range":
            n0["x"][0] = n0["x"][4]  # over the DTB
            want = r" user-range[ ;]"
        elif case == "entry":
            n0["x"][3] = 0x1000
            want = r" entry[ ;]"
        elif case == "dtb-memory":
            if len(nodes) < 2:
                sys.exit("dtb-memory needs two nodes (node 1's tree goes to node 0)")
            n0["dtb"] = nodes[1]["dtb"]
            n0["x"][5] = os.path.getsize(n0["dtb"])
            want = r" dtb-memory[ ;]"
        elif case != "ok":
            sys.exit(f"unknown case '{case}'")
        if case != "ok":
            nodes = nodes[:1]
        out = run(qemu, shim, user_bin, nodes)
    lines = [l for l in out.splitlines() if l.strip()]
    print("\n".join(lines))
    if len(lines) != len(nodes):
        sys.exit(f"FAIL: {len(lines)} lines, want one per node ({len(nodes)})")
    if case == "ok":
        for i, n in enumerate(nodes):
            exp = expected_ok(i, n, node_ram(n))
            if exp not in lines:
                sys.exit(f"FAIL: no intact line '{exp}'")
    elif not (lines[0].startswith("node 0: FAIL ") and re.search(want, lines[0].split(";")[0] + ";")):
        sys.exit(f"FAIL: want 'node 0: FAIL' naming /{want}/")
    print(f"qemu_smoke {case}: pass")


if __name__ == "__main__":
    main()
