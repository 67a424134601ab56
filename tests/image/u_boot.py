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
  hello  elfloader.uimg  bootm  EL2  GICv2
  el1    elfloader.bin   booti  EL1  GICv2
  el1    elfloader.itb   bootm  EL1  GICv2
  gicv3  elfloader.bin   booti  EL2  GICv3
  gicv3  elfloader.uimg  bootm  EL1  GICv3  (repacked on the board with hvc)
  hello  elfloader.bin   booti  EL2  GICv2  with a 64 MiB root task
  hello  elfloader.itb   bootm  EL2  GICv2  signed (fit: {key}), U-Boot's tree
                                            requiring the key; the unsigned
                                            FIT refused

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


def boot(cli, image, el, how, more=(), dtb=None):
    ids = nodes(os.path.join(os.path.dirname(image), "layout.json"))
    cmd = [cli, "run", image, "--u-boot", "--el", str(el), "--timeout", "120"] + (["--dtb", dtb] if dtb else []) + [
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


def repack(cli, staged, work, board, rootserver=None, extra=""):
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
    open(manifest, "w").write(text + "nodes:\n" + "".join(lines) + extra)
    for cmd in ([cli, "plan", manifest, "-o", work], [cli, "pack", manifest, "-o", work]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print("FAIL: %s: exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))
            return None
    return work


def verified_boot(cli, out, work, board):
    keys = os.path.join(work, "keys")
    os.makedirs(keys, exist_ok=True)
    key, crt = os.path.join(keys, "dev.key"), os.path.join(keys, "dev.crt")
    for cmd in (["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                ["openssl", "req", "-batch", "-new", "-x509", "-key", key, "-out", crt, "-days", "1", "-subj", "/CN=dev"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print("FAIL: %s: %s" % (" ".join(cmd), r.stderr))
            return 1
    d = repack(cli, os.path.join(out, "hello"), os.path.join(work, "signed"), board, extra="fit: {key: %s}\n" % key)
    if not d:
        return 1
    itb = os.path.join(d, "elfloader.itb")
    listing = subprocess.run(["mkimage", "-l", itb], capture_output=True, text=True).stdout
    if "Sign algo:    sha256,rsa2048:dev" not in listing:
        print("FAIL: the FIT carries no signature:\n" + listing)
        return 1
    signed = open(itb, "rb").read()
    subprocess.run([cli, "pack", os.path.join(d, "partition.yaml"), "-o", d], capture_output=True)
    if open(itb, "rb").read() != signed:
        print("FAIL: the signed FIT packed again differs (SOURCE_DATE_EPOCH unset: time 0)")
        return 1
    # U-Boot's tree: QEMU's for the machine run picks, with the key added.
    dry = subprocess.run([cli, "run", "--dry-run", "--u-boot", itb], capture_output=True, text=True)
    args = dry.stdout.split()
    machine = args[args.index("-machine") + 1]
    qtree = os.path.join(work, "u-boot.dtb")
    subprocess.run(["qemu-system-aarch64", "-machine", machine + ",dumpdtb=" + qtree] +
                   args[args.index("-cpu"):args.index("-nographic")] + ["-nographic", "-nic", "none"], capture_output=True)
    copy = os.path.join(work, "copy.itb")
    shutil.copy(itb, copy)
    r = subprocess.run(["mkimage", "-F", "-k", keys, "-K", qtree, "-r", copy], capture_output=True, text=True)
    if r.returncode or not os.path.exists(qtree):
        print("FAIL: mkimage -K: %s" % r.stderr)
        return 1
    fails = boot(cli, itb, 2, "bootm of the FIT", [r"sha256,rsa2048:dev\+ OK"], dtb=qtree)
    r = subprocess.run([cli, "run", os.path.join(out, "hello", "elfloader.itb"), "--u-boot", "--dtb", qtree,
                        "--timeout", "60", "--expect", "Failed to verify required signature"],
                       capture_output=True, text=True)
    if r.returncode:
        print("FAIL: U-Boot with the key required booted the unsigned FIT: exit %d\n%s" % (r.returncode, r.stdout[-2000:]))
        fails += 1
    else:
        print("ok: the unsigned FIT refused by U-Boot with the key required")
    return fails


def main():
    cli, out = sys.argv[1], os.path.abspath(sys.argv[2])
    fails = 0
    fails += boot(cli, os.path.join(out, "hello", "elfloader.bin"), 2, "booti")
    fails += boot(cli, os.path.join(out, "el1", "elfloader.uimg"), 1, "bootm")
    fails += boot(cli, os.path.join(out, "hello", "elfloader.itb"), 2, "bootm of the FIT", [r"sha256\+ OK"])
    fails += boot(cli, os.path.join(out, "hello", "elfloader.uimg"), 2, "bootm")
    fails += boot(cli, os.path.join(out, "el1", "elfloader.bin"), 1, "booti")
    fails += boot(cli, os.path.join(out, "el1", "elfloader.itb"), 1, "bootm of the FIT", [r"sha256\+ OK"])
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

    # Verified boot: the FIT signed with a test key (fit: {key}); U-Boot's
    # tree (QEMU's, with the public key added by mkimage -K, required) boots
    # it and refuses the unsigned one.
    fails += verified_boot(cli, out, work, hello_board)

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
