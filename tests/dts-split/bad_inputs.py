#!/usr/bin/env python3
"""bad_inputs.py - dts-split on bad input: exit 1 with a clear message and no
output; bad usage: exit 2; --help and --version: exit 0.

usage: bad_inputs.py DTS_SPLIT MKIMG EXAMPLES_DIR BOARDS_DIR
Each case starts from a good plan and board that split fine (checked first),
breaks one thing, and expects its message on stderr.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

failures = []


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def main():
    dts_split, mkimg, examples, boards = sys.argv[1:5]
    tmp = tempfile.mkdtemp(prefix="dts-split-bad-")
    try:
        return cases(dts_split, mkimg, examples, boards, tmp)
    finally:
        shutil.rmtree(tmp)


def cases(dts_split, mkimg, examples, boards, tmp):
    board_dts = os.path.join(examples, "platforms", "qemu-arm-virt-2cpu-2g.dts")
    board = os.path.join(tmp, "board.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", board, board_dts], check=True)
    r = run([mkimg, "plan", "--format", "json", os.path.join(examples, "hello", "partition.yaml")])
    assert r.returncode == 0, r.stderr
    good = json.loads(r.stdout)
    with open(board, "rb") as f:
        blob = f.read()

    def write(name, data):
        p = os.path.join(tmp, name)
        with open(p, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return p

    def plan_with(edit):
        p = json.loads(json.dumps(good))
        edit(p)
        return write("plan.json", json.dumps(p))

    def expect(name, args, status, *needles, out=None):
        existed = out is not None
        out = out or os.path.join(tmp, "out-" + name)
        r = run([dts_split] + args + (["-o", out] if status != 2 and "-o" not in args else []))
        text = r.stdout + r.stderr
        if r.returncode != status:
            failures.append("%s: exit %d, expected %d:\n%s" % (name, r.returncode, status, text))
        for n in needles:
            if n not in text:
                failures.append("%s: no %r in:\n%s" % (name, n, text))
        if status == 1 and not existed and os.path.exists(out):
            failures.append("%s: '%s' was left behind: %s" % (name, out, os.listdir(out)))
        return r

    plan = write("good.json", json.dumps(good))
    # controls: the untouched inputs split fine, from the blob and from the DTS
    expect("good-dtb", ["--plan", plan, board], 0)
    expect("good-dts", ["--plan", plan, board_dts], 0)

    # the board's blob
    expect("truncated-dtb", ["--plan", plan, write("trunc.dtb", blob[:200])], 1, "trunc.dtb: error: truncated device tree")
    (off_struct,) = struct.unpack_from(">I", blob, 8)
    corrupt = bytearray(blob)
    struct.pack_into(">I", corrupt, off_struct, 7)  # the root's FDT_BEGIN_NODE -> no such tag
    expect("corrupt-dtb", ["--plan", plan, write("corrupt.dtb", bytes(corrupt))], 1, "corrupt.dtb: error: corrupt device tree")
    expect("not-a-dtb", ["--plan", plan, write("junk.dtb", b"\x00" * 64)], 1, "junk.dtb: error:")
    with open(board_dts) as f:
        text = f.read()
    start = text.index("\tmemory@40000000 {")
    nomem = text[:start] + text[text.index("};", start) + 3:]
    expect("no-memory", ["--plan", plan, write("nomem.dts", nomem)], 1, "nomem.dts: error: no /memory node")
    expect("no-board-file", ["--plan", plan, os.path.join(tmp, "missing.dtb")], 1, "cannot open")

    # the plan
    expect("malformed-json", ["--plan", write("bad.json", '{"name": "x", "nodes": [\n  {"id": 0,,}\n]}'), board], 1,
           "bad.json:2:", "malformed plan JSON")
    expect("empty-json", ["--plan", write("empty.json", ""), board], 1, "empty.json:", "malformed plan JSON")
    expect("json-not-object", ["--plan", write("arr.json", "[1, 2]"), board], 1, "expected a plan object")
    expect("no-nodes-key", ["--plan", write("nonodes.json", '{"name": "x"}'), board], 1, "missing key 'nodes'")
    expect("duplicate-key", ["--plan", write("dup.json", '{"nodes": [], "nodes": []}'), board], 1, "duplicate")

    def dev(p):
        p["nodes"][1]["devices"] = ["/pl031@9010000", "/nosuch@1234"]
    expect("unknown-device", ["--plan", plan_with(dev), board], 1, "device '/nosuch@1234' is not in", "[device-unknown]")

    def console(p):
        p["console"] = "/serial@deadbeef"
    expect("unknown-console", ["--plan", plan_with(console), board], 1, "console '/serial@deadbeef' is not a device")

    def outside(p):
        p["nodes"][0]["memory"] = [{"base": "0x100000000", "size": "0x10000000"}]
    expect("memory-outside-ram", ["--plan", plan_with(outside), board], 1,
           "node 0 memory [0x100000000, 0x110000000) is outside the board's RAM", "[memory-outside-ram]")

    def straddle(p):
        p["nodes"][1]["memory"] = [{"base": "0xb0000000", "size": "0x20000000"}]
    expect("memory-straddles-end", ["--plan", plan_with(straddle), board], 1, "outside the board's RAM")

    def pool_out(p):
        p["shared_pools"][0]["base"] = "0x20000000"
    expect("pool-outside-ram", ["--plan", plan_with(pool_out), board], 1, "shared pool 'buf'", "outside the board's RAM")

    def pool_in_node(p):
        p["shared_pools"][0]["base"] = "0x40000000"
    expect("pool-in-node", ["--plan", plan_with(pool_in_node), board], 1, "shared pool 'buf' [0x40000000, 0x40200000) lies in its memory")

    def cpu(p):
        p["nodes"][1]["cpus"] = [{"index": 9, "mpidr": "0x9"}]
    expect("cpu-range", ["--plan", plan_with(cpu), board], 1, "node 1: cpu 9 does not exist")

    def mpidr(p):
        p["nodes"][1]["cpus"][0]["mpidr"] = "0x100"
    expect("cpu-mpidr", ["--plan", plan_with(mpidr), board], 1, "made for another board")

    def badnum(p):
        p["nodes"][0]["memory"][0]["base"] = "0xzz"
    expect("bad-number", ["--plan", plan_with(badnum), board], 1, "nodes[0].memory[0].base: expected a number")

    def peer(p):
        p["nodes"][0]["sgis"] = [{"sgi": 0, "from": 0, "to": 5}]
    expect("unknown-peer", ["--plan", plan_with(peer), board], 1, "peer node 5 does not exist")

    def pool_name(p):
        p["nodes"][0]["shared_pools"] = ["nope"]
    expect("unknown-pool", ["--plan", plan_with(pool_name), board], 1, "shared pool 'nope'")

    # memory over the board's own reserved-memory
    kdev = os.path.join(boards, "reserved-kdev.dts")
    with open(os.path.join(boards, "reserved-kdev.plan.json")) as f:
        kplan = json.load(f)
    kplan["nodes"][0]["memory"] = [{"base": "0x40000000", "size": "0x10000000"}]
    expect("memory-over-reserved", ["--plan", write("kdev.json", json.dumps(kplan)), kdev], 1,
           "overlaps the board's reserved memory")

    # a write that fails half-way leaves no file and no folder it made
    out = os.path.join(tmp, "half")
    os.mkdir(out)
    write("half/node1", b"a file where a folder must go")
    r = expect("write-fails", ["--plan", plan, board, "-o", out], 1, "cannot create", out=out)
    if sorted(os.listdir(out)) != ["node1"]:
        failures.append("write-fails: left %s in '%s'" % (sorted(os.listdir(out)), out))

    # usage
    expect("no-args", [], 2, "no plan given")
    expect("no-board", ["--plan", plan], 2, "no board device tree given")
    expect("no-output", ["--plan", plan, board], 2, "no output folder given")
    expect("unknown-option", ["--frobnicate"], 2, "unknown option '--frobnicate'", "Try 'dts-split --help'")
    expect("missing-value", ["--plan"], 2, "needs a value")
    expect("two-boards", ["--plan", plan, board, board, "-o", "x"], 2, "unexpected argument")
    r = expect("help", ["--help"], 0, "usage: dts-split")
    if r.stderr:
        failures.append("help: wrote to stderr")
    expect("version", ["--version"], 0, "dts-split (mkimg) ")

    for f in failures:
        print("FAIL: " + f)
    print("bad inputs: %d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
