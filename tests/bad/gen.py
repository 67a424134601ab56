#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""gen.py - the binary inputs of the bad-input corpus, made at test time
from small good ones (Python's standard library only; no cross compiler).

As a module (run.py): generated(base)[kind][name]() -> the bytes of case
`name` (or, for a case of several files, {file: bytes or None}), where
`base` is the folder run.py prepared: board.dtb (dtc's blob of board.dts),
k0.elf, k1.elf and user.elf (good_kernel(), good_user()), good/elfloader.elf
and .bin, packed by mkimg from them, hello.json (the hello example's plan)
and virt.dtb (VIRT_DTS's blob). Each name has its expected message in
KIND/NAME.err beside this file.

As a command, the fuzzers' seeds (tests/fuzz/run.sh):
    gen.py seeds DIR        DIR/k0.elf, k1.elf, user.elf, good.yaml, board.dts

The ELF files are what mkimg's pack checks read: an ELF header, program
headers right after it, each segment's file bytes on pages of their own
from 0x1000 on; no sections. The image edits follow loader/bootplan.h.
"""
import gzip
import hashlib
import json
import os
import shutil
import struct
import sys

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE = 1, 2, 3, 4
EM_AARCH64, EM_X86_64, EM_RISCV = 183, 62, 243
ET_REL, ET_EXEC, ET_DYN = 1, 2, 3
WINDOW = 0xFFFFFF8000000000  # the demo kernel's link: virtual = WINDOW + physical
NODE0, NODE1 = 0x40000000, 0x50000000  # the nodes' RAM in good.yaml, 256 MiB each
POOL = 0x60000000  # good.yaml's shared pool 'buf', which the loader zeroes
USER = 0x400000  # the root task's link address

HERE = os.path.dirname(os.path.abspath(__file__))


def seg(vaddr, paddr, filesz, memsz, kind=PT_LOAD, offset=None):
    return {"type": kind, "vaddr": vaddr, "paddr": paddr, "filesz": filesz, "memsz": memsz, "offset": offset}


def elf(segs, entry, cls=2, data=1, machine=EM_AARCH64, etype=ET_EXEC, phnum=None, phoff=64):
    """An ELF file; a segment with an `offset` of its own gets no bytes."""
    body = bytearray(0x1000)
    table = b""
    for s in segs:
        off = s["offset"]
        if off is None:
            off = len(body)
            body += bytes((i * 7 + 1) & 0xFF for i in range(s["filesz"]))
            body += bytes(-len(body) % 0x1000)
        table += struct.pack("<IIQQQQQQ", s["type"], 7, off, s["vaddr"], s["paddr"], s["filesz"], s["memsz"], 0x1000)
    header = b"\x7fELF" + bytes([cls, data, 1, 0]) + bytes(8)
    header += struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, phoff, 0, 0, 64, 56,
                          len(segs) if phnum is None else phnum, 0, 0, 0)
    body[0:64] = header
    if phoff + len(table) <= len(body):
        body[phoff:phoff + len(table)] = table
    return bytes(body)


def good_kernel(base, **kw):
    return elf([seg(WINDOW + base, base, 0x100, 0x2000)], WINDOW + base, **kw)


def good_user(**kw):
    return elf([seg(USER, USER, 0x100, 0x1000)], USER, **kw)


def patch(data, offset, fmt, *values):
    b = bytearray(data)
    struct.pack_into(fmt, b, offset, *values)
    return bytes(b)


# ------------------------------------------------------------ kernels

def kernel_cases():
    k = good_kernel(NODE0)
    w = WINDOW + NODE0
    return {
        "empty": lambda: b"",
        "text": lambda: b"this is not an ELF file\n",
        "truncated-header": lambda: k[:40],
        "class32": lambda: good_kernel(NODE0, cls=1),
        "big-endian": lambda: good_kernel(NODE0, data=2),
        "machine-x86-64": lambda: good_kernel(NODE0, machine=EM_X86_64),
        "type-dyn": lambda: good_kernel(NODE0, etype=ET_DYN),
        "phdrs-outside-file": lambda: elf([seg(w, NODE0, 0x100, 0x2000)], w, phoff=0x100000),
        "phnum-huge": lambda: elf([seg(w, NODE0, 0x100, 0x2000)], w, phnum=0xFFFE),
        "segment-outside-file": lambda: elf([seg(w, NODE0, 0x100, 0x2000, offset=0x100000)], w),
        "filesz-over-memsz": lambda: elf([seg(w, NODE0, 0x3000, 0x2000)], w),
        "no-load": lambda: elf([seg(w, NODE0, 0x100, 0x2000, kind=PT_NOTE)], w),
        "segments-overlap": lambda: elf([seg(w, NODE0, 0x100, 0x2000), seg(w + 0x1000, NODE0 + 0x1000, 0x100, 0x2000)], w),
        "offsets-differ": lambda: elf([seg(w, NODE0, 0x100, 0x1000), seg(w + 0x3000, NODE0 + 0x2000, 0x100, 0x1000)], w),
        "other-node": lambda: good_kernel(NODE1),
        "outside-ram": lambda: good_kernel(0x200000000),
        "not-at-base": lambda: good_kernel(NODE0 + 0x200000),
        "too-big": lambda: elf([seg(w, NODE0, 0x100, 0x20000000)], w),
        "wraps": lambda: elf([seg(w, NODE0, 0x100, 0xFFFFFFFFFFFF0000)], w),
        # its end wraps to a small address inside the node's RAM: a check of
        # the end alone would let a zero op of 16 EiB by
        "second-segment-wraps": lambda: elf([seg(w, NODE0, 0x100, 0x1000),
                                             seg(w + 0x10000, NODE0 + 0x10000, 0x100, (1 << 64) - 0x8000)], w),
        "lower-half": lambda: elf([seg(NODE0, NODE0, 0x100, 0x2000)], NODE0),
        "window-unaligned": lambda: elf([seg(w + 0x1000, NODE0, 0x100, 0x2000)], w + 0x1000),
        "entry-outside": lambda: elf([seg(w, NODE0, 0x100, 0x2000)], w + 0x100000),
        "too-many-segments": lambda: elf([seg(w + i * 0x1000, NODE0 + i * 0x1000, 0x10, 0x1000) for i in range(65)], w),
    }


# ------------------------------------------------------------ root tasks

def rootserver_cases():
    return {
        "text": lambda: b"#!/bin/sh\necho not an ELF file\n",
        "empty": lambda: b"",
        # cut inside its program headers, and inside its segment's bytes
        "truncated-phdrs": lambda: good_user()[:80],
        "truncated-segment": lambda: good_user()[:0x1080],
        "class32": lambda: good_user(cls=1),
        "machine-riscv": lambda: good_user(machine=EM_RISCV),
        "type-rel": lambda: good_user(etype=ET_REL),
        "dynamic": lambda: elf([seg(USER, USER, 0x100, 0x1000), seg(USER + 0x100, USER + 0x100, 0x10, 0x10, kind=PT_INTERP)], USER),
        "no-load": lambda: elf([seg(USER, USER, 0x100, 0x1000, kind=PT_NOTE)], USER),
        "segments-overlap": lambda: elf([seg(USER, USER, 0x100, 0x2000), seg(USER + 0x1000, USER + 0x1000, 0x100, 0x1000)], USER),
        "entry-outside": lambda: elf([seg(USER, USER, 0x100, 0x1000)], 0x10000000),
        "wraps": lambda: elf([seg(0xFFFFFFFFFFFFF000, 0xFFFFFFFFFFFFF000, 0x100, 0x2000)], 0xFFFFFFFFFFFFF000),
        "too-big": lambda: elf([seg(USER, USER, 0x100, 300 << 20)], USER),
        # its size, added to where it goes, wraps past the end of the RAM
        "huge-memsz": lambda: elf([seg(USER, USER, 0x100, 0x1000), seg(0x500000, 0x500000, 0x10, 0xFFFFFFFF00000000)], USER),
    }


# ------------------------------------------------------------ device tree blobs

FDT_TOTALSIZE, FDT_OFF_STRUCT, FDT_OFF_STRINGS, FDT_VERSION = 4, 8, 12, 20


def fdt_props(blob):
    """(offset of the property's length field, name) of every property."""
    off_struct, off_strings = struct.unpack_from(">I", blob, FDT_OFF_STRUCT)[0], struct.unpack_from(">I", blob, FDT_OFF_STRINGS)[0]
    out, at = [], off_struct
    while True:
        tag = struct.unpack_from(">I", blob, at)[0]
        if tag == 1:  # FDT_BEGIN_NODE
            at = (blob.index(b"\0", at + 4) + 1 + 3) & ~3
        elif tag == 3:  # FDT_PROP
            length, nameoff = struct.unpack_from(">II", blob, at + 4)
            name = blob[off_strings + nameoff:blob.index(b"\0", off_strings + nameoff)].decode()
            out.append((at + 4, name))
            at = (at + 12 + length + 3) & ~3
        elif tag in (2, 4):  # FDT_END_NODE, FDT_NOP
            at += 4
        else:
            return out


def prop_at(blob, name):
    return next(at for at, n in fdt_props(blob) if n == name)


def nest(blob, depth):
    """The blob with a chain of `depth` nodes inside one another at the end
    of the root: the struct block grows, the strings block moves up."""
    off_struct, off_strings = struct.unpack_from(">II", blob, FDT_OFF_STRUCT)
    size_strings, size_struct = struct.unpack_from(">II", blob, 32)
    body = blob[off_struct:off_struct + size_struct]
    chain = struct.pack(">I4s", 1, b"n") * depth + struct.pack(">I", 2) * depth
    body = body[:-8] + chain + body[-8:]  # before the root's FDT_END_NODE and FDT_END
    head = bytearray(blob[:off_struct])
    struct.pack_into(">I", head, FDT_TOTALSIZE, off_struct + len(body) + size_strings)
    struct.pack_into(">I", head, FDT_OFF_STRINGS, off_struct + len(body))
    struct.pack_into(">I", head, 36, len(body))
    return bytes(head) + body + blob[off_strings:off_strings + size_strings]


def misalign(blob):
    """The structure block one byte further on (a byte inserted before it)."""
    at, strings = (struct.unpack_from(">I", blob, o)[0] for o in (FDT_OFF_STRUCT, FDT_OFF_STRINGS))
    b = patch(patch(blob, FDT_OFF_STRUCT, ">I", at + 1), FDT_TOTALSIZE, ">I", len(blob) + 1)
    if strings >= at:
        b = patch(b, FDT_OFF_STRINGS, ">I", strings + 1)
    return b[:at] + b"\0" + b[at:]


def dtb_cases(blob):
    struct_at = struct.unpack_from(">I", blob, FDT_OFF_STRUCT)[0]
    return {
        "empty": lambda: b"",
        "three-bytes": lambda: blob[:3],
        "bad-magic": lambda: patch(blob, 0, ">I", 0xEDFE0DD0),
        "six-bytes": lambda: blob[:6],
        "totalsize-beyond-file": lambda: patch(blob, FDT_TOTALSIZE, ">I", 0x10000)[:100],
        "shorter-than-header": lambda: patch(blob, FDT_TOTALSIZE, ">I", 20)[:20],
        "version-1": lambda: patch(blob, FDT_VERSION, ">I", 1),
        # libfdt 1.6.1 accepts it and then walks past the blob (the fuzzer)
        "version-2": lambda: patch(patch(blob, FDT_VERSION, ">I", 2), FDT_VERSION + 4, ">I", 2),
        "struct-offset-outside": lambda: patch(blob, FDT_OFF_STRUCT, ">I", len(blob) + 16),
        "bad-token": lambda: patch(blob, struct_at, ">I", 0x77),
        "name-offset-outside": lambda: patch(blob, prop_at(blob, "model") + 4, ">I", 0x100000),
        # libfdt 1.6.1 lets these by: -3 comes back from fdt_getprop() as a
        # length, -12 makes fdt_check_full() read one tag forever (the fuzzer)
        "prop-length-negative": lambda: patch(blob, prop_at(blob, "interrupt-controller"), ">I", 0xFFFFFFFD),
        "prop-length-loops": lambda: patch(blob, prop_at(blob, "interrupt-controller"), ">I", 0xFFFFFFF4),
        # a token at an odd offset: libfdt 1.6.1 reads it as a struct (the fuzzer)
        "struct-misaligned": lambda: misalign(blob),
        # deep enough to overflow the stack of a recursive walk (dts-split's did)
        "deep-nesting": lambda: nest(blob, 100000),
        "no-end-token": lambda: patch(blob, struct_at + struct.unpack_from(">I", blob, 36)[0] - 4, ">I", 0x4),
    }


# ------------------------------------------------------------ images

# Offsets in the boot plan (loader/bootplan.h).
H_MAGIC, H_VERSION, H_SIZE, H_SHA = 0, 8, 12, 32
H_IMAGE_BASE = 64
H_MEMBERS_OFF, H_MEMBERS_COUNT, H_NODES_OFF, H_OPS_OFF, H_MAPS_OFF, H_POOLS_OFF = 160, 164, 168, 176, 184, 192
N_BYTES, N_START, N_EL, N_RELEASE, N_RAM_END, N_REGS, N_TTBR0, N_TABLES_END = 224, 8, 12, 24, 40, 72, 120, 136
N_OPS_FIRST, N_OPS_COUNT, N_MAPS_FIRST = 200, 204, 208
OP_BYTES, OP_MEMBER, OP_DST = 32, 4, 16
MAP_BYTES, MAP_PA, MAP_SIZE, MAP_ATTR = 40, 8, 16, 24
MEMBER_BYTES, MEMBER_OFFSET = 80, 0
POOL_BASE, POOL_SIZE = 0, 8  # the good image's one pool, 'buf' at POOL (2 MiB), is the first
PLAN_OFFSET, LDR_MAGIC, LDR_SIZE = 120, 32, 40


class Image:
    """An image as bytes, with where its plan is; edits keep the plan's hash
    valid unless told not to, so the loader's other checks are reached."""

    def __init__(self, data, elf_file):
        self.b = bytearray(data)
        self.seg = struct.unpack_from("<Q", data, struct.unpack_from("<Q", data, 32)[0] + 8)[0] if elf_file else 0
        self.loader = struct.unpack_from("<Q", data, self.seg + LDR_SIZE)[0]
        self.plan = self.seg + self.loader + PLAN_OFFSET

    def u32(self, off):
        return struct.unpack_from("<I", self.b, self.plan + off)[0]

    def u64(self, off):
        return struct.unpack_from("<Q", self.b, self.plan + off)[0]

    def image_base(self):
        return struct.unpack_from("<Q", self.b, self.plan + H_IMAGE_BASE)[0]

    def node(self, index):
        return self.u32(H_NODES_OFF) + index * N_BYTES

    def set(self, off, fmt, value):
        struct.pack_into(fmt, self.b, self.plan + off, value)
        return self

    def rehash(self):
        size = self.u32(H_SIZE)
        p = self.b[self.plan:self.plan + size]
        self.b[self.plan + H_SHA:self.plan + H_SHA + 32] = hashlib.sha256(bytes(p[:32] + p[64:])).digest()
        return bytes(self.b)

    def raw(self):
        return bytes(self.b)


def image_cases(elf_file, bin_file):
    e = lambda: Image(elf_file, True)
    b = lambda: Image(bin_file, False)
    phoff = struct.unpack_from("<Q", elf_file, 32)[0]
    # The plan's nodes are in boot order: node 1 (started by PSCI), then
    # node 0 (on the loader's own cpu, entered last).
    n1, n0 = (lambda i: i.node(0)), (lambda i: i.node(1))

    def node_op(i, node, k):
        return i.u32(H_OPS_OFF) + (i.u32(node + N_OPS_FIRST) + k) * OP_BYTES

    def node_map(i, node, k):
        return i.u32(H_MAPS_OFF) + (i.u32(node + N_MAPS_FIRST) + k) * MAP_BYTES

    def pool(i, field, fmt, value):
        return i.set(i.u32(H_POOLS_OFF) + field, fmt, value)

    def member_data(i, index):
        return struct.unpack_from("<Q", i.b, i.plan + i.u32(H_MEMBERS_OFF) + index * MEMBER_BYTES + MEMBER_OFFSET)[0]

    def flip(data, at):
        d = bytearray(data)
        d[at] ^= 0x10
        return bytes(d)

    return {
        # the file
        "empty.bin": lambda: b"",
        "elf-truncated.elf": lambda: elf_file[:40],
        "elf-machine-x86.elf": lambda: patch(elf_file, 18, "<H", EM_X86_64),
        "elf-phdrs-outside.elf": lambda: patch(elf_file, 32, "<Q", 1 << 40),
        "elf-segment-outside.elf": lambda: patch(elf_file, phoff + 32, "<Q", 1 << 40),
        "elf-no-load.elf": lambda: patch(elf_file, phoff, "<I", 0),
        "loader-magic.bin": lambda: flip(bin_file, LDR_MAGIC),
        "loader-size-huge.bin": lambda: patch(bin_file, LDR_SIZE, "<Q", 1 << 40),
        "no-payload.bin": lambda: bin_file[:b().loader + 64],
        # the plan's header and arrays
        "cpio-magic.elf": lambda: flip(elf_file, e().seg + e().loader),
        "plan-magic.elf": lambda: e().set(H_MAGIC, "<Q", 0x4E414C50544F4F43).rehash(),
        "plan-version.elf": lambda: e().set(H_VERSION, "<I", 7).rehash(),
        "plan-size-huge.elf": lambda: e().set(H_SIZE, "<I", 0xFFFFFF00).raw(),
        "members-count-huge.elf": lambda: e().set(H_MEMBERS_COUNT, "<I", 0x10000000).rehash(),
        "maps-misaligned.elf": lambda: e().set(H_MAPS_OFF, "<I", e().u32(H_MAPS_OFF) + 4).rehash(),
        "members-in-header.elf": lambda: e().set(H_MEMBERS_OFF, "<I", 32).rehash(),
        "nodes-over-members.elf": lambda: e().set(H_NODES_OFF, "<I", e().u32(H_MEMBERS_OFF) + 8).rehash(),
        "pools-over-maps.elf": lambda: e().set(H_POOLS_OFF, "<I", e().u32(H_MAPS_OFF)).rehash(),
        # damage the hashes find
        "plan-damaged.elf": lambda: flip(elf_file, e().plan + e().node(0) + 33),
        "member-damaged.elf": lambda: flip(elf_file, e().seg + member_data(e(), 3) + 0x1000),
        "member-damaged.bin": lambda: flip(bin_file, member_data(b(), 0) + 0x1010),
        "trailer-damaged.elf": lambda: patch(elf_file, elf_file.rindex(b"TRAILER!!!") + 9, "<B", ord("?")),
        # what the loader refuses: isolation between nodes
        "ram-overlap.elf": lambda: (lambda i: i.set(n0(i) + N_RAM_END, "<Q", NODE1 + 0x200000).rehash())(e()),
        "write-other-node.elf": lambda: (lambda i: i.set(node_op(i, n0(i), 0) + OP_DST, "<Q", NODE1).rehash())(e()),
        "map-other-node.elf": lambda: (lambda i: i.set(node_map(i, n0(i), 1) + MAP_PA, "<Q", NODE1).rehash())(e()),
        # attributes with an address bit: the descriptor would map NODE1's RAM
        "map-attr-address.elf": lambda: (lambda i: i.set(node_map(i, n0(i), 1) + MAP_ATTR, "<Q", i.u64(node_map(i, n0(i), 1) + MAP_ATTR) | NODE1).rehash())(e()),
        "dtb-other-node.elf": lambda: (lambda i: i.set(n0(i) + N_REGS + 4 * 8, "<Q", NODE1).rehash())(e()),
        # a pool the loader would zero over a node's RAM or its own region
        "pool-over-node.elf": lambda: pool(e(), POOL_BASE, "<Q", NODE1 + 0x1000).rehash(),
        "pool-over-loader.elf": lambda: (lambda i: pool(i, POOL_BASE, "<Q", i.image_base() - 0x1000).rehash())(e()),
        "release-in-ram.elf": lambda: (lambda i: i.set(n1(i) + N_START, "<I", 2).set(n1(i) + N_RELEASE, "<Q", NODE0).rehash())(e()),
        # what the loader refuses: a plan it cannot obey
        "start-unknown.elf": lambda: (lambda i: i.set(n1(i) + N_START, "<I", 9).rehash())(e()),
        "el3.elf": lambda: (lambda i: i.set(n1(i) + N_EL, "<I", 3).rehash())(e()),
        "self-not-last.elf": lambda: (lambda i: i.set(n1(i) + N_START, "<I", 0).rehash())(e()),
        "tables-outside.elf": lambda: (lambda i: i.set(n1(i) + N_TTBR0, "<Q", 0x1000).set(n1(i) + N_TABLES_END, "<Q", 0x3000).rehash())(e()),
        "op-bad-member.elf": lambda: (lambda i: i.set(node_op(i, n0(i), 0) + OP_MEMBER, "<I", 99).rehash())(e()),
        "ops-outside-list.elf": lambda: (lambda i: i.set(n0(i) + N_OPS_COUNT, "<I", 1000).rehash())(e()),
        "pool-outside-ram.elf": lambda: pool(e(), POOL_BASE, "<Q", 0x1000).rehash(),
        "pool-unaligned.elf": lambda: pool(e(), POOL_SIZE, "<Q", 0x1800).rehash(),
        "pool-wraps.elf": lambda: pool(pool(e(), POOL_BASE, "<Q", (1 << 64) - 0x1000), POOL_SIZE, "<Q", 0x2000).rehash(),
        "node-map-unaligned.elf": lambda: (lambda i: i.set(i.u32(H_MAPS_OFF) + MAP_SIZE, "<Q", 0x201000).rehash())(e()),
    }


# ------------------------------------------------------------ manifests

def manifest_cases():
    line = "# " + "x" * 1021 + "\n"  # 1 KiB
    return {
        "too-large": lambda: ("name: big\n" + line * (17 * 1024)).encode(),
        "nul-byte": lambda: b"name: nul\nplatform: {dts: board.dts}\x00\nnodes: []\n",
        "huge-count": lambda: ("name: many\nplatform: {dts: board.dts}\nnodes:\n  - {id: 0, memory: 2M, cpus: [%s]}\n"
                               % ", ".join(["0"] * 5000)).encode(),
    }


# ------------------------------------------------------------ Linux nodes (the main job)

def linux_image(image_size=0x10000, flags=0xA, magic=b"ARM\x64", size=4096):
    """An arm64 Image: its 64-byte header (booting.rst), then zeros."""
    head = struct.pack("<IIQQQQQQ", 0x14000010, 0, 0, image_size, flags, 0, 0, 0) + magic + b"\0" * 4
    return head + b"\0" * (size - len(head))


LINUX_YAML = """name: {name}
platform: {{dts: qemu-arm-virt-2cpu-2g.dts}}
nodes:
  - {{id: 0, cpus: [1], memory: {memory}, linux: {{image: {image}{initrd}}}}}
"""


def linux_case(name, image, files, memory="64M", initrd=""):
    y = LINUX_YAML.format(name="l", memory=memory, image=image, initrd=initrd and ", initrd: " + initrd)
    return lambda: dict(files, **{name + ".yaml": y.encode()})


def main_cases():
    return {
        # not an Image: no arm64 magic
        "linux-not-image": linux_case("linux-not-image", "Image", {"Image": b"an ELF? a script? no Image\n" * 8}),
        # gzip-compressed, but cut short: mkimg cannot unpack it
        "linux-gzip-cut": linux_case("linux-gzip-cut", "Image.gz",
                                     {"Image.gz": gzip.compress(linux_image(), mtime=0)[:-12]}),
        # gzip-compressed, and not an Image inside
        "linux-gzip-not-image": linux_case("linux-gzip-not-image", "Image.gz",
                                           {"Image.gz": gzip.compress(b"not a kernel\n" * 100, mtime=0)}),
        # gzip-compressed, and more than the node's RAM when unpacked (a zip bomb)
        "linux-gzip-bomb": linux_case("linux-gzip-bomb", "Image.gz",
                                      {"Image.gz": gzip.compress(b"\0" * (8 << 20), mtime=0)}, memory="4M"),
        # a kernel older than 3.17: no image_size
        "linux-no-image-size": linux_case("linux-no-image-size", "Image", {"Image": linux_image(image_size=0)}),
        # a big-endian kernel
        "linux-big-endian": linux_case("linux-big-endian", "Image", {"Image": linux_image(flags=0xB)}),
        # an initrd that does not fit the node's RAM
        "linux-initrd-too-big": linux_case("linux-initrd-too-big", "Image", {"Image": linux_image(),
                                           "initrd": b"\0" * (5 << 20)}, memory="4M", initrd="initrd"),
        # an Image larger than the node's RAM
        "linux-image-too-big": linux_case("linux-image-too-big", "Image", {"Image": linux_image(image_size=8 << 20)},
                                          memory="4M"),
        # the environment variable a path starts with is not set
        "linux-env-unset": linux_case("linux-env-unset", "'${MKIMG_BAD_CORPUS_UNSET}/Image'", {}),
    }


# ------------------------------------------------------------ plans for dts-split

def plan_json_cases():
    return {
        "deep-nesting": lambda: b'{"name": "p", "nodes": ' + b"[" * 3000 + b"]" * 3000 + b"}\n",
        "invalid-utf8": lambda: b'{"name": "\xff\xfe", "nodes": []}\n',
    }


# ------------------------------------------------------------ dts-split on the examples' plan and board

EXAMPLES = os.path.join(HERE, "..", "..", "examples", "qemu-arm-virt")
VIRT_DTS = os.path.join(EXAMPLES, "platforms", "qemu-arm-virt-2cpu-2g.dts")  # the examples' board
HELLO = os.path.join(EXAMPLES, "hello", "partition.yaml")  # its plan is hello.json
SPLIT_BOARDS = os.path.join(HERE, "..", "boards", "split")


def split_cases(plan_bytes, blob):
    """Cases of several files: {NAME: function -> {file: bytes, or None for
    a file named but absent}}. `plan_bytes` is hello.json (the hello
    example's plan) and `blob` virt.dtb (VIRT_DTS's blob); a case's
    NAME.json or NAME.dtb/.dts takes its place, files under out/ are the
    output folder before the run."""
    def plan_with(name, edit):
        def make():
            p = json.loads(plan_bytes)
            edit(p)
            return {name + ".json": json.dumps(p).encode()}
        return make

    def no_memory():
        """A board without /memory and a plan that does not say the RAM
        either (a plan whose platform.memory gives it splits fine)."""
        text = open(VIRT_DTS).read()
        start = text.index("\tmemory@40000000 {")
        plan = json.loads(plan_bytes)
        del plan["platform"]["memory"]
        return {"no-memory.dts": (text[:start] + text[text.index("};", start) + 3:]).encode(),
                "no-memory.json": json.dumps(plan, indent=1).encode()}

    def corrupt():
        (off_struct,) = struct.unpack_from(">I", blob, FDT_OFF_STRUCT)
        return {"corrupt-dtb.dtb": patch(blob, off_struct, ">I", 7)}  # the root's FDT_BEGIN_NODE -> no such tag

    def over_reserved():
        p = json.load(open(os.path.join(SPLIT_BOARDS, "reserved-kdev.plan.json")))
        p["nodes"][0]["memory"] = [{"base": "0x40000000", "size": "0x10000000"}]
        board = open(os.path.join(SPLIT_BOARDS, "reserved-kdev.dts"), "rb").read()
        return {"memory-over-reserved.json": json.dumps(p).encode(), "memory-over-reserved.dts": board}

    def setter(path, value):
        def edit(p):
            *where, last = path
            for k in where:
                p = p[k]
            p[last] = value
        return edit

    edits = {
        "unknown-device": setter(("nodes", 1, "devices"), ["/pl031@9010000", "/nosuch@1234"]),
        "unknown-console": setter(("console",), "/serial@deadbeef"),
        "memory-outside-ram": setter(("nodes", 0, "memory"), [{"base": "0x100000000", "size": "0x10000000"}]),
        "memory-straddles-end": setter(("nodes", 1, "memory"), [{"base": "0xb0000000", "size": "0x20000000"}]),
        "pool-outside-ram": setter(("shared_pools", 0, "base"), "0x20000000"),
        "pool-in-node": setter(("shared_pools", 0, "base"), "0x48200000"),
        "cpu-range": setter(("nodes", 1, "cpus"), [{"index": 9, "mpidr": "0x9"}]),
        "cpu-mpidr": setter(("nodes", 1, "cpus", 0, "mpidr"), "0x100"),
        "bad-number": setter(("nodes", 0, "memory", 0, "base"), "0xzz"),
        "unknown-peer": setter(("nodes", 0, "sgis"), [{"sgi": 0, "from": 0, "to": 5}]),
        "unknown-pool": setter(("nodes", 0, "shared_pools"), ["nope"]),
    }
    cases = {name: plan_with(name, edit) for name, edit in edits.items()}
    cases.update({
        # the board
        "truncated-dtb": lambda: {"truncated-dtb.dtb": blob[:200]},
        "corrupt-dtb": corrupt,
        "not-a-dtb": lambda: {"not-a-dtb.dtb": b"\x00" * 64},
        "no-memory": no_memory,
        "no-board-file": lambda: {"no-board-file.dtb": None},
        # memory over the board's own reserved-memory
        "memory-over-reserved": over_reserved,
        # a write that fails half-way: a file where node 1's folder must go
        "write-fails": lambda: {"out/node1": b"a file where a folder must go"},
    })
    return cases


def output_cases(blob):
    """Output folders that must not be written: each case is NAME.args (the
    command, run beside the case's files) and what it stages, `out/` among
    them."""
    m = ("name: o\nplatform: {dts: %s}\nnodes:\n  - {id: 0, memory: 64M, kernel: {build: cmake, source: .},"
         " rootserver: {build: cmake, source: .}}\n" % os.path.basename(VIRT_DTS)).encode()
    at_out = m.replace(b"{dts: %s}" % os.path.basename(VIRT_DTS).encode(), b"{dtb: out/node0/kernel.dtb}")
    return {
        # the output folder is a file
        "out-is-file": lambda: {"o.yaml": m, "out": b"a file\n", "out-is-file.args": b"mkimg split o.yaml -o out"},
        # the board's tree is where node 0's tree goes
        "board-is-output": lambda: {"o.yaml": at_out, "out/node0/kernel.dtb": blob,
                                    "board-is-output.args": b"mkimg o.yaml -o out"},
        "board-is-split-output": lambda: {"o.yaml": at_out, "out/node0/kernel.dtb": blob,
                                          "board-is-split-output.args": b"mkimg split o.yaml -o out"},
        # the loader given is the image pack would write
        "loader-is-output": lambda: {"o.yaml": m, "out/elfloader.elf": b"not yet an image\n",
                                     "loader-is-output.args": b"mkimg pack o.yaml -o out --loader out/elfloader.elf"},
        # folders CMake cannot build in: refused before anything is made
        "cmake-semicolon": lambda: {"o.yaml": m, "cmake-semicolon.args": b"mkimg o.yaml -o 'o;x'"},
        "cmake-quote": lambda: {"o.yaml": m, "cmake-quote.args": b"mkimg o.yaml -o 'o\"x'"},
        "cmake-dollar": lambda: {"o.yaml": m, "cmake-dollar.args": b"mkimg o.yaml -o 'o $x'"},
    }


def generated(base):
    """Every generated case, by kind and name, for the inputs in `base`."""
    read = lambda name: open(os.path.join(base, name), "rb").read()
    return {
        "kernel": kernel_cases(),
        "rootserver": rootserver_cases(),
        "dtb": dtb_cases(read("board.dtb")),
        "image": image_cases(read("good/elfloader.elf"), read("good/elfloader.bin")),
        "manifest": manifest_cases(),
        "main": main_cases(),
        "plan-json": plan_json_cases(),
        "split": split_cases(read("hello.json"), read("virt.dtb")),
        "output": output_cases(read("virt.dtb")),
    }


# The manifest of the good image and of the kernel and root task cases:
# two nodes, each with its own kernel; KERNEL0 and USER0 replace node 0's.
GOOD_YAML = """name: {name}
platform: {{dts: board.dts}}
console: /pl011@9000000
shared_pools: [{{name: buf, base: 0x60000000, size: 2M, nodes: [0, 1]}}]
nodes:
  - {{id: 0, cpus: [0], memory: [{{base: 0x40000000, size: 256M}}], kernel: {kernel0}, rootserver: {user0}}}
  - {{id: 1, cpus: [1], memory: [{{base: 0x50000000, size: 256M}}], kernel: k1.elf, rootserver: user.elf}}
"""


def prepare(base):
    """The good inputs: board, kernels, root task and manifest (no image)."""
    os.makedirs(base, exist_ok=True)
    for f in ("board.dts", "board.dtsi"):
        shutil.copy(os.path.join(HERE, f), base)
    for name, data in (("k0.elf", good_kernel(NODE0)), ("k1.elf", good_kernel(NODE1)), ("user.elf", good_user())):
        open(os.path.join(base, name), "wb").write(data)
    open(os.path.join(base, "good.yaml"), "w").write(GOOD_YAML.format(name="good", kernel0="k0.elf", user0="user.elf"))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "seeds":
        sys.exit("usage: gen.py seeds DIR")
    prepare(sys.argv[2])
