#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""test_console.py - console.interleaved() on real consoles: clean boots of
the examples must not count as mixed (the QEMU tests fail on a mixed
line), and every kind of mixing seen on loaded hosts, when the kernels
still took turns by time slots, must (a broken console lock shows so).
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console  # noqa: E402

ECHO = ("qemu-system-aarch64 -machine virt,virtualization=on,gic-version=2 -cpu cortex-a53 -smp 2 "
        "-m 2048M -nographic -nic none -kernel out/adder/elfloader.elf")
LOADER = [
    "LDR|INFO: boot plan 'adder' at EL2: 2 nodes, 6 payload members, SHA-256 verified",
    "LDR|INFO: node 1 kernel [0x50000000, 0x50050000) dtb 0x50050000 user [0x50053000, 0x50056000) cpu 1 via psci-smc",
    "LDR|INFO: node 0 kernel [0x40000000, 0x40050000) dtb 0x40050000 user [0x40053000, 0x40056000) "
    "cpu 0 via the loader's own cpu",
    "LDR|INFO: entering the kernels",
]
K0 = ("node 0: ok EL1 mmu on ram [0x40000000, 0x50000000) dtb 0x40050000 user [0x40053000, 0x40056000) "
      "entry 0x400000")
K1 = ("node 1: ok EL1 mmu on ram [0x50000000, 0x60000000) dtb 0x50050000 user [0x50053000, 0x50056000) "
      "entry 0x400000")
ADDER = "adder: added 10 values for node 0"
CLIENT = "client: sum(1..10) = 55 from node 1"
POOL = "pools: node 1 'wiped' [0x601ff000, 0x60301000) zero"


class Interleaved(unittest.TestCase):
    def test_clean_boots(self):
        for lines in ([ECHO] + LOADER + [K0, K1, ADDER, CLIENT],
                      [ECHO] + LOADER + [K1, K0, "ring: 4 nodes, 3 laps, token 12", ""],
                      ["LDR|INFO: pool 'wiped' [0x601ff000, 0x60301000) zeroed", K0, K1, POOL,
                       "pools: node 0 'log' [0x60400000, 0x60410000) 0xa5a5a5a5a5a5a5a5 at +0x0"],
                      [ECHO, "LDR|ERROR: member 'Kernel.1.elf': SHA-256 does not match the plan"],
                      ["qemu-system-aarch64: failed to find romfile \"efi-virtio.rom\""],
                      ["mkimg: run: QEMU stopped after 10 s (--timeout)"],
                      ["node 1: FAIL root-task esr 0x92000046 elr 0x400010 far 0x0"],
                      ["node 0: FAIL dtb-magic; EL1 mmu on ram [0x40000000, 0x50000000) dtb 0x40050000 "
                       "user [0x40053000, 0x40056000) entry 0x400000"]):
            for l in lines:
                self.assertIsNone(console.mixed_line(l), l)
            self.assertFalse(console.interleaved(lines))

    def test_ci_2026_12_03(self):
        # The e2e.adder console of a CI run with fuzz.smoke beside it: the
        # Adder lost its turn after one character of its line.
        lines = [ECHO] + LOADER + [K0, K1, "acdder: added 10 values for node 0",
                                   "lient: sum(1..10) = 55 from node 1"]
        self.assertTrue(console.interleaved(lines))
        self.assertEqual(console.mixed_line(lines[-1]), "starts with no known line start")

    def test_kinds_of_mixing(self):
        cut = len("node 0: ok EL1 mmu on ram [0x4")
        for l in (K0[:cut] + K1 + K0[cut:],         # a whole line inside another
                  K0[:cut] + K1[:5],                # two fragments, the rest elsewhere
                  K0 + "n",                         # one stray character at the end
                  K0[:cut] + "n" + K0[cut:],        # one stray character inside
                  "n" + K0,                         # one at the start
                  ADDER[:3] + CLIENT + ADDER[3:],
                  POOL[:4] + K0 + POOL[4:],
                  "LDR|INFO: entering the kernelsnode 0: ok"):
            self.assertIsNotNone(console.mixed_line(l), l)
        # a stray hex digit inside a number: its own line looks whole, the
        # line it came from does not
        self.assertTrue(console.interleaved([K0[:cut] + "c" + K0[cut:], "lient: sum(1..10) = 55 from node 1"]))


if __name__ == "__main__":
    unittest.main()
