#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""console_kinds.py CLI OUT BOARD - the loader's console is picked from the
board's UART, of every kind include/mkimg_uart.h drives.

OUT is the staged hello example (its kernels and root tasks are used as
files); BOARD its board's DTS. For each UART family a board is written that
adds one serial node to BOARD, named by the manifest's `console:`; the
main job packs the image and `CLI inspect --format json` must say the kind,
the 16550's reg-shift and access width, and the UART's address. A UART
mkimg has no driver for, or a 16550 with a reg-shift it cannot use, is a
warning [console-unknown] and a silent loader (console 0), never an error.
"""
import json
import os
import shutil
import subprocess
import sys

# compatible list, extra properties, expected (kind, shift, width) or None
CASES = [
    ('"arm,pl011", "arm,primecell"', "", ("pl011", 0, 4)),
    ('"ns16550a"', "", ("ns16550", 0, 1)),
    ('"snps,dw-apb-uart"', "reg-shift = <2>; reg-io-width = <4>;", ("ns16550", 2, 4)),
    ('"amlogic,meson-gx-uart", "amlogic,meson-ao-uart"', "", ("meson", 0, 4)),
    ('"fsl,imx8mm-uart", "fsl,imx6q-uart"', "", ("imx", 0, 4)),
    ('"xlnx,zynqmp-uart", "cdns,uart-r1p12"', "", ("cadence", 0, 4)),
    ('"brcm,bcm2835-aux-uart"', "", ("bcm2835-aux", 0, 4)),
    ('"qcom,geni-debug-uart"', "", None),
    ('"ns16550a"', "reg-shift = <7>;", None),
]
UART = 0x9100000


def main():
    cli, out, board = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    work = os.path.join(out, "console-kinds")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    fails = 0
    for i, (compat, extra, want) in enumerate(CASES):
        d = os.path.join(work, "case%d" % i)
        os.makedirs(d)
        dts = os.path.join(d, "board.dts")
        text = open(board).read()
        text += "\n/ {\n\tserial@%x {\n\t\tcompatible = %s;\n\t\treg = <0x0 0x%x 0x0 0x1000>;\n\t\t%s\n\t};\n};\n" % (
            UART, compat, UART, extra)
        open(dts, "w").write(text)
        nodes = "".join("  - {id: %d, cpus: [%d], memory: 256M, kernel: %s/node%d/Kernel.%d.elf, "
                        "rootserver: %s/node%d/capdl.%d.img}\n" % (n, n, out, n, n, out, n, n) for n in (0, 1))
        open(os.path.join(d, "p.yaml"), "w").write(
            "name: console\nplatform:\n  dts: board.dts\nconsole: /serial@%x\n"
            "shared_pools:\n  - {name: buf, size: 2M, nodes: [0, 1]}\nnodes:\n%s" % (UART, nodes))
        r = subprocess.run([cli, "p.yaml", "-o", "o"], cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        what = "%s %s" % (compat, extra)
        if r.returncode != 0:
            print("FAIL: %s: the main job exited %d: %s" % (what, r.returncode, r.stderr))
            fails += 1
            continue
        r2 = subprocess.run([cli, "inspect", "--format", "json", os.path.join(d, "o", "elfloader.elf")],
                            stdout=subprocess.PIPE, universal_newlines=True)
        h = json.loads(r2.stdout)["plan"]
        got = (h["console_kind"], h["console_shift"], h["console_width"])
        warned = "[console-unknown]" in r.stderr
        if want is None:
            ok = warned and h["console"] == "0x0" and h["console_kind"] == "none"
        else:
            ok = not warned and got == want and int(h["console"], 16) == UART
        print("%s: %s: %s, console %s%s" % ("ok" if ok else "FAIL", what, got, h["console"],
                                             ", warned" if warned else ""))
        if not ok:
            print(r.stderr)
        fails += not ok
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
