#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""u_boot.py CLI OUT - images boot through Debian's U-Boot (u-boot-qemu) in
QEMU, as on a board: `mkimg run --u-boot` puts the image in RAM above the
loader's region and U-Boot's environment in virt's second flash, and U-Boot
moves the image to the loader's base (booti of elfloader.bin, whose arm64
Image header says where; bootm of elfloader.uimg and .itb). OUT holds the staged
images (hello, el1, gicv3). Every boot must show U-Boot's banner, the boot
command mkimg gave it and every node's `node N: ok`:

  hello  elfloader.bin   booti  EL2  GICv2
  el1    elfloader.uimg  bootm  EL1  GICv2  (the board's PSCI is hvc)
  hello  elfloader.itb   bootm  EL2  GICv2  (U-Boot checks the FIT's SHA-256)
  gicv3  elfloader.bin   booti  EL2  GICv3
  gicv3  elfloader.uimg  bootm  EL1  GICv3  (repacked on the board with hvc)
  hello  elfloader.bin   booti  EL2  GICv2  with a 64 MiB root task

and at EL1 on a board whose PSCI is smc the host warns and the loader stops
with its PSCI error, which `run --expect` reports as exit 1.
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import big_user  # noqa: E402


def nodes(layout):
    return [n["id"] for n in json.load(open(layout))["nodes"]]


def boot(cli, image, el, how, more=()):
    ids = nodes(os.path.join(os.path.dirname(image), "layout.json"))
    cmd = [cli, "run", image, "--u-boot", "--el", str(el), "--timeout", "120",
           "--expect", r"^U-Boot 20[0-9][0-9]\.", "--expect", "^mkimg: %s " % how]
    for m in more:
        cmd += ["--expect", m]
    for n in ids:
        cmd += ["--expect", "^node %d: ok EL1" % n]
    r = subprocess.run(cmd, capture_output=True, text=True)
    name = "%s at EL%d (%s)" % (os.path.relpath(image, os.path.dirname(os.path.dirname(image))), el, how)
    if r.returncode:
        print("FAIL: %s: exit %d\n%s%s" % (name, r.returncode, r.stdout[-3000:], r.stderr))
        return 1
    print("ok: %s: U-Boot, then node %s ok" % (name, ", ".join(map(str, ids))))
    return 0


def repack(cli, staged, work, board, rootserver=None, first_size=None):
    """A copy of a staged image, packed from its kernels and trees for
    `board`; node 0's root task replaced by `rootserver` if given."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    plan = json.load(open(os.path.join(staged, "layout.json")))
    lines = []
    for node in plan["nodes"]:
        n = node["id"]
        shutil.copytree(os.path.join(staged, "node%d" % n), os.path.join(work, "node%d" % n))
        rs = rootserver if rootserver and n == 0 else "%s/node%d/capdl.%d.img" % (staged, n, n)
        lines.append("  - {id: %d, cpus: [%d], memory: %s, kernel: %s/node%d/Kernel.%d.elf, rootserver: %s}\n"
                     % (n, node["cpus"][0]["index"], node["memory"][0]["size"], staged, n, n, rs))
    pools = plan["shared_pools"]
    text = "name: %s\nplatform:\n  dts: %s\nconsole: /pl011@9000000\n" % (os.path.basename(work), board)
    mine = [p for p in pools if not p["name"].startswith("mkimg-")]
    if mine:
        text += "shared_pools:\n" + "".join("  - {name: %s, size: %s, nodes: %s}\n" % (p["name"], p["size"], p["nodes"])
                                            for p in mine)
    manifest = os.path.join(work, "partition.yaml")
    open(manifest, "w").write(text + "nodes:\n" + "".join(lines))
    for cmd in ([cli, "plan", manifest, "-o", work], [cli, "pack", manifest, "-o", work]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print("FAIL: %s: exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))
            return None
    return work


def main():
    cli, out = sys.argv[1], os.path.abspath(sys.argv[2])
    fails = 0
    fails += boot(cli, os.path.join(out, "hello", "elfloader.bin"), 2, "booti")
    fails += boot(cli, os.path.join(out, "el1", "elfloader.uimg"), 1, "bootm")
    fails += boot(cli, os.path.join(out, "hello", "elfloader.itb"), 2, "bootm of the FIT", [r"sha256\+ OK"])
    fails += boot(cli, os.path.join(out, "gicv3", "elfloader.bin"), 2, "booti")

    # GICv3 at EL1: the gicv3 board with PSCI over hvc, as QEMU gives it
    # without virtualization.
    work = os.path.join(out, "u-boot")
    os.makedirs(work, exist_ok=True)
    dts = json.load(open(os.path.join(out, "gicv3", "layout.json")))["platform"]["dts"]
    text = open(os.path.join(HERE, "manifests", dts)).read()  # relative to the staged manifest
    board = os.path.join(work, "gicv3-hvc.dts")
    open(board, "w").write(text.replace('method = "smc";', 'method = "hvc";'))
    d = repack(cli, os.path.join(out, "gicv3"), os.path.join(work, "gicv3-el1"), board)
    fails += boot(cli, os.path.join(d, "elfloader.uimg"), 1, "bootm") if d else 1

    # A 64 MiB root task on node 0 (the loader's default region on 2 GiB:
    # 128 MiB, 2 MiB into RAM).
    big_user.SIZE = 64 << 20
    big = os.path.join(work, "big.img")
    big_user.root_task(big)
    hello_board = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "qemu-arm-virt", "platforms",
                               "qemu-arm-virt-2cpu-2g.dts")
    d = repack(cli, os.path.join(out, "hello"), os.path.join(work, "big"), hello_board, rootserver=big)
    if d and os.path.getsize(os.path.join(d, "elfloader.bin")) < 64 << 20:
        print("FAIL: the big image is only %d bytes" % os.path.getsize(os.path.join(d, "elfloader.bin")))
        fails += 1
    fails += boot(cli, os.path.join(d, "elfloader.bin"), 2, "booti") if d else 1

    # smc at EL1: the host's warning, the loader's PSCI error, exit 1.
    r = subprocess.run([cli, "run", os.path.join(out, "hello", "elfloader.uimg"), "--u-boot", "--el", "1",
                        "--timeout", "60", "--expect", "^node 1: ok"], capture_output=True, text=True)
    if r.returncode != 1 or "PSCI conduit is smc" not in r.stderr or "LDR|ERROR: PSCI by smc trapped at EL1" not in r.stdout:
        print("FAIL: smc at EL1: exit %d\n%s%s" % (r.returncode, r.stdout[-2000:], r.stderr))
        fails += 1
    else:
        print("ok: smc at EL1: warned, and the loader stopped: " + r.stderr.splitlines()[0])
    shutil.rmtree(work, ignore_errors=True)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
