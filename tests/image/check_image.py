#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_image.py CLI OUT - what a packed image holds, checked with outside tools.

OUT is a staged output folder (layout.json, elfloader.elf/.bin,
payload.cpio). Checks:
  - `cpio -t` lists the payload: bootplan, then Kernel.N.elf, capdl.N.img,
    kernel.N.dtb per node id; the payload inside elfloader.bin is the same
    archive, byte for byte, right after the loader;
  - elfloader.elf has one PT_LOAD at the plan's loader base, entered there;
  - `CLI inspect` succeeds on the ELF and on the raw image and agrees with
    the plan: name, boot order, each node's cpu, MPIDR, RAM and kernel base,
    and the pools the loader zeroes (every pool without "keep": true), as
    text and as JSON;
  - the image minus its payload is at most 32 KiB.
"""
import json
import os
import re
import struct
import subprocess
import sys

errors = []


def fail(msg):
    errors.append(msg)


def cpio_list(data):
    r = subprocess.run(["cpio", "-t", "--quiet"], input=data, capture_output=True)
    if r.returncode != 0:
        fail("cpio -t failed: " + r.stderr.decode())
    return r.stdout.decode().split()


def check_elf(path, base):
    d = open(path, "rb").read()
    if d[:4] != b"\x7fELF" or d[4] != 2 or struct.unpack_from("<H", d, 18)[0] != 183:
        fail("%s is not a 64-bit AArch64 ELF" % path)
        return
    entry, phoff = struct.unpack_from("<QQ", d, 24)
    phnum = struct.unpack_from("<H", d, 56)[0]
    loads = []
    for i in range(phnum):
        p_type, _, off, vaddr, paddr, filesz, memsz = struct.unpack_from("<IIQQQQQ", d, phoff + 56 * i)
        if p_type == 1:
            loads.append((off, vaddr, paddr, filesz, memsz))
    if len(loads) != 1:
        fail("elfloader.elf has %d PT_LOAD segments, not one" % len(loads))
        return
    off, vaddr, paddr, filesz, memsz = loads[0]
    if paddr != base or vaddr != base or entry != base:
        fail("elfloader.elf loads at 0x%x (entry 0x%x), the plan's loader base is 0x%x" % (paddr, entry, base))
    if d[off:off + filesz] != open(path[:-4] + ".bin", "rb").read():
        fail("elfloader.elf's segment differs from elfloader.bin")


def inspect(cli, image):
    r = subprocess.run([cli, "inspect", image], capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s inspect %s: exit %d: %s" % (cli, image, r.returncode, r.stderr))
    return r.stdout


def check_inspect(text, plan):
    if "plan '%s'" % plan["name"] not in text:
        fail("inspect names another plan")
    if not re.search(r"^verified: ", text, re.M):
        fail("inspect did not verify the image")
    order = re.search(r"^boot order: (.*)$", text, re.M)
    want = ", ".join("node %d" % i for i in plan["boot_order"])
    if not order or order.group(1) != want:
        fail("inspect's boot order '%s' is not the plan's '%s'" % (order and order.group(1), want))
    for n in plan["nodes"]:
        mem = n["memory"][0]
        base, end = int(mem["base"], 16), int(mem["base"], 16) + int(mem["size"], 16)
        cpu = n["cpus"][0]
        pat = r"^node %d: cpu %d \(mpidr 0x%x\) via [^,]+, RAM \[0x%x, 0x%x\)$" % (
            n["id"], cpu["index"], int(cpu["mpidr"], 16), base, end)
        if not re.search(pat, text, re.M):
            fail("inspect disagrees with the plan on node %d (cpu, MPIDR or RAM)" % n["id"])
        kbase = int(n.get("kernel", {}).get("paddr", mem["base"]), 16)
        block = text.split("node %d: " % n["id"], 1)[-1]
        if not re.search(r"^  kernel  \[0x%x, " % kbase, block, re.M):
            fail("inspect puts node %d's kernel elsewhere than 0x%x" % (n["id"], kbase))


def check_pools(cli, image, text, plan):
    want = [(p["name"], int(p["base"], 16), int(p["size"], 16)) for p in plan["shared_pools"] if not p["keep"]]
    got = [(m.group(1), int(m.group(2), 16), int(m.group(3), 16) - int(m.group(2), 16))
           for m in re.finditer(r"^pool '([^']*)' \[(0x[0-9a-f]+), (0x[0-9a-f]+)\) .*: zeroed before any kernel runs$",
                                text, re.M)]
    if got != want:
        fail("inspect lists the pools to zero as %s, the plan says %s" % (got, want))
    r = subprocess.run([cli, "inspect", "--format", "json", image], capture_output=True, text=True)
    js = json.loads(r.stdout) if r.returncode == 0 else {}
    got = [(p["name"], int(p["base"], 16), int(p["size"], 16)) for p in js.get("pools", [])]
    if got != want:
        fail("inspect --format json lists the pools to zero as %s, the plan says %s" % (got, want))


def main():
    cli, out = sys.argv[1:3]
    plan = json.load(open(out + "/layout.json"))
    base = int(plan["loader"]["base"], 16)
    ids = sorted(n["id"] for n in plan["nodes"])
    want = ["bootplan"] + [f % i for i in ids for f in ("Kernel.%d.elf", "capdl.%d.img", "kernel.%d.dtb")]

    payload = open(out + "/payload.cpio", "rb").read()
    got = cpio_list(payload)
    if got != want:
        fail("cpio -t lists %s, expected %s" % (got, want))
    image = open(out + "/elfloader.bin", "rb").read()
    loader_size = struct.unpack_from("<Q", image, 40)[0]  # LDR_HDR_SIZE
    if image[loader_size:] != payload:
        fail("the payload in elfloader.bin (after %d loader bytes) is not payload.cpio" % loader_size)
    if cpio_list(image[loader_size:]) != want:
        fail("cpio -t of the image's payload differs")
    # The arm64 Image header: booti puts the image at RAM's first bank,
    # rounded up to 2 MiB, plus text_offset: the loader base.
    text_offset, image_size, flags = struct.unpack_from("<QQQ", image, 8)
    magic = image[56:60]
    ram0 = (int(plan["platform"]["memory"][0]["base"], 16) + 0x1fffff) & ~0x1fffff
    if magic != b"ARM\x64" or flags != 2 or text_offset != base - ram0 or image_size < len(image):
        fail("the Image header (magic %r, text_offset 0x%x, image_size 0x%x, flags 0x%x) does not put it at 0x%x"
             % (magic, text_offset, image_size, flags, base))
    r = subprocess.run([cli, "inspect", "--format", "json", out + "/elfloader.bin"], capture_output=True, text=True)
    if r.returncode or not json.loads(r.stdout)["booti"]["places_at_base"]:
        fail("inspect does not say booti places elfloader.bin at its base: %s" % r.stdout[:400])
    bad = bytearray(image)
    bad[8 + 2] ^= 0x01  # text_offset
    open(out + "/booti-moved.bin", "wb").write(bad)
    r = subprocess.run([cli, "inspect", out + "/booti-moved.bin"], capture_output=True, text=True)
    os.unlink(out + "/booti-moved.bin")
    if r.returncode or "does not place it at 0x%x: boot it with bootm" % base not in r.stdout:
        fail("inspect of a moved text_offset: exit %d, %s" % (r.returncode, r.stdout[:400]))
    overhead = len(image) - len(payload)
    if overhead > 32 * 1024:
        fail("image minus payload is %d bytes, more than 32 KiB" % overhead)
    check_elf(out + "/elfloader.elf", base)
    for image_path in (out + "/elfloader.elf", out + "/elfloader.bin"):
        text = inspect(cli, image_path)
        check_inspect(text, plan)
        check_pools(cli, image_path, text, plan)

    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("ok: payload %s; image minus payload %d bytes; inspect agrees with the plan" % (" ".join(got), overhead))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
