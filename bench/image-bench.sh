#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# image-bench.sh [BUILD] - figures for the bootable image. Prints, gates nothing.
#
#   1. pack time against copying the same bytes (goal: at most 1.5 x), for
#      the 8-node demo image and for a 2-node image with 2 x 32 MiB root
#      tasks: against copying the inputs into one file, and into three (pack
#      writes elfloader.elf, elfloader.bin and payload.cpio);
#   2. QEMU wall time from start to the last node's line for 1, 2, 4 and 8
#      nodes (goal: nearly flat), median of 3 boots; and the big image;
#   3. image size minus payload size (goal: at most 32 KiB).
#
# BUILD is the build folder (default: build) with bin/mkimg, bin/dts-split
# and, until mkimg has pack/inspect/run, bin/mkimg-image. Needs the cross
# toolchain and qemu-system-aarch64. Scratch files go to a temporary folder.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
mkimg=$build/bin/mkimg
split=$build/bin/dts-split
cli=$mkimg
"$mkimg" --help 2>/dev/null | grep -q '^  run ' || cli=$build/bin/mkimg-image
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifests="one:$root/tests/image/manifests/one.yaml hello:$root/examples/qemu-arm-virt/hello/partition.yaml
quad:$root/examples/qemu-arm-virt/quad/partition.yaml octo:$root/tests/image/manifests/octo.yaml"

echo "staging 1, 2, 4 and 8 nodes (demo kernel and hello root task per node) in $work ..."
for m in $manifests; do
	"$root/tests/image/stage.sh" "$mkimg" "$split" "$cli" "${m#*:}" "$work/${m%%:*}" >/dev/null
	echo "${m#*:}" >"$work/${m%%:*}/manifest"
done

# The big case: hello's two nodes with a 32 MiB root task each (a minimal
# static AArch64 ELF, one segment of random bytes), naming its files.
python3 - "$work" "$root/examples/qemu-arm-virt/platforms/qemu-arm-virt-2cpu-2g.dts" <<'PY'
import os, struct, sys
work, board = sys.argv[1:3]
size, base = 32 << 20, 0x400000
body = bytearray(os.urandom(size))
body[0:4] = struct.pack("<I", 0x14000000)  # b .
hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
hdr += struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, base, 64, 0, 0, 64, 56, 1, 0, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, base, base, size, size, 0x1000)
open(work + "/big.img", "wb").write(hdr + ph + bytes(0x1000 - 64 - 56) + body)
for i in (0, 1):
    os.makedirs("%s/big/node%d" % (work, i), exist_ok=True)
    os.link("%s/hello/node%d/kernel.dtb" % (work, i), "%s/big/node%d/kernel.dtb" % (work, i))
nodes = "".join("  - {id: %d, cpus: [%d], memory: 256M, kernel: %s/hello/node%d/Kernel.%d.elf, rootserver: %s/big.img}\n"
                % (i, i, work, i, i, work) for i in (0, 1))
open(work + "/big/partition.yaml", "w").write(
    "name: big\nplatform:\n  dts: %s\nconsole: /pl011@9000000\nloader: {size: 128M}\nnodes:\n%s" % (board, nodes))
open(work + "/big/manifest", "w").write(work + "/big/partition.yaml\n")
PY
"$mkimg" plan --format json "$work/big/partition.yaml" >"$work/big/layout.json"
"$cli" pack "$work/big/partition.yaml" -o "$work/big" >/dev/null

python3 - "$cli" "$work" "$root/tests/image/boot.py" <<'PY'
import json, os, re, statistics, subprocess, sys, time
cli, work, boot = sys.argv[1:4]

def median(f, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def inputs(out):
    plan = json.load(open(out + "/layout.json"))
    files = []
    for n in plan["nodes"]:
        i = n["id"]
        files += ["%s/node%d/Kernel.%d.elf" % (out, i, i), "%s/node%d/capdl.%d.img" % (out, i, i),
                  "%s/node%d/kernel.dtb" % (out, i)]
    return [os.path.realpath(f) if os.path.exists(f) else f for f in files]

def pack_case(name, out, files):
    manifest = open(out + "/manifest").read().strip()
    pack = lambda: subprocess.run([cli, "pack", manifest, "-o", out], check=True, stdout=subprocess.DEVNULL)
    # The same bytes through the file system: read every input, write one
    # file; and write them into as many files as pack writes (the ELF
    # image, the raw image and payload.cpio each hold the payload).
    copy1 = lambda: subprocess.run(["sh", "-c", 'cat "$@" >"$0"', work + "/copy.bin"] + files, check=True)
    copy3 = lambda: subprocess.run(["sh", "-c", 'for o in 1 2 3; do cat "$@" >"$0.$o"; done', work + "/copy.bin"] + files,
                                   check=True)
    tp, t1, t3 = median(pack, 7), median(copy1, 7), median(copy3, 7)
    size = os.path.getsize(out + "/elfloader.bin")
    print("  %-22s %10d bytes   pack %6.1f ms   copy once %6.1f ms (%4.1f x)   copy to 3 files %6.1f ms (%4.1f x)"
          % (name, size, tp * 1e3, t1 * 1e3, tp / t1, t3 * 1e3, tp / t3))

big_files = []
for i in (0, 1):
    big_files += ["%s/hello/node%d/Kernel.%d.elf" % (work, i, i), work + "/big.img", "%s/hello/node%d/kernel.dtb" % (work, i)]
print("\n1. pack time against copying the same bytes (median of 7; goal <= 1.5 x)")
pack_case("8 demo nodes", work + "/octo", inputs(work + "/octo"))
pack_case("2 x 32 MiB root tasks", work + "/big", big_files)

print("\n2. QEMU wall time from start to the last node's line (median of 3; goal: flat)")
for name, n in (("one", 1), ("hello", 2), ("quad", 4), ("octo", 8), ("big", 2)):
    ts, ls, bad = [], [], 0
    for _ in range(3 if name != "octo" else 5):
        r = subprocess.run([sys.executable, boot, cli, work + "/%s/elfloader.elf" % name, work + "/%s/layout.json" % name,
                            "--timeout", "30"], capture_output=True, text=True)
        m = re.search(r"booted in ([0-9.]+) s \(the loader was done after ([0-9.]+) s\)", r.stdout)
        if r.returncode or not m:
            bad += 1
            continue
        ts.append(float(m.group(1)))
        ls.append(float(m.group(2)))
    label = "%d node%s%s" % (n, "" if n == 1 else "s", " (2 x 32 MiB root tasks)" if name == "big" else "")
    if ts:
        print("  %-34s last line %5.2f s, loader done %5.2f s   (runs: %s)%s" % (
            label, statistics.median(ts), statistics.median(ls), ", ".join("%.2f" % t for t in ts),
            "; %d run(s) with garbled or missing lines" % bad if bad else ""))
    else:
        print("  %-34s every boot failed" % label)

print("\n3. image size minus payload size (goal <= 32 KiB)")
for name in ("one", "hello", "quad", "octo", "big"):
    out = work + "/" + name
    b, p, e = (os.path.getsize(out + f) for f in ("/elfloader.bin", "/payload.cpio", "/elfloader.elf"))
    print("  %-6s elfloader.bin %10d - payload %10d = %6d bytes;  elfloader.elf - payload = %6d bytes" % (name, b, p, b - p, e - p))
PY
