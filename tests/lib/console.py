# SPDX-License-Identifier: BSD-2-Clause
"""console.py - read what a booted image prints, for the QEMU tests.

One reader of `mkimg run` output and one notion of "two nodes' lines
mixed", shared by tests/image/boot.py, tests/e2e/expect_line.py and
tests/hardening/refusal.py.
"""
import os
import re
import select
import signal
import subprocess
import time

# A demo kernel's whole line (kernel/README.md, "The line").
KERNEL_LINE = re.compile(r"node \d+: (ok|FAIL[^;]*;) EL\d mmu o(n|ff) ram( \[0x[0-9a-f]+, 0x[0-9a-f]+\))+ "
                         r"dtb 0x[0-9a-f]+ user \[0x[0-9a-f]+, 0x[0-9a-f]+\) entry 0x[0-9a-f]+")


def run(cmd, timeout, stop, partial=False):
    """Start `cmd` and collect its output lines until stop(lines, seconds)
    is true (asked after each line and ten times a second), the command
    ends or `timeout` seconds pass; then kill it. Returns (lines, seconds);
    with `partial`, text after the last newline is the last line."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines, buf = [], b""
    start = time.monotonic()
    try:
        while time.monotonic() < start + timeout and not stop(lines, time.monotonic() - start):
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                lines.append(raw.decode("utf-8", "replace").rstrip("\r"))
                if stop(lines, time.monotonic() - start):
                    break
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    if partial and buf:
        lines.append(buf.decode("utf-8", "replace").rstrip("\r"))
    return lines, time.monotonic() - start


# The start of every line a booted image may print: the loader's, a demo
# kernel's, an example root task's, and the host's own (`mkimg run` echoes
# the QEMU command; QEMU and mkimg name themselves in their messages).
LINE_START = re.compile(r"LDR\|[A-Z]+: |node \d+: |(client|adder|ring|pools|chatter): |mkimg: |\S*qemu-system-\S+[ :]")
# A line's own start found again later in it.
SECOND_START = re.compile(r".(node \d+: |(client|adder|ring|pools|chatter): |LDR\|)")


def mixed_line(l):
    """Why `l` is two lines' text mixed, or None. The demo kernels print
    whole lines under a lock (kernel/README.md, "One console, many
    kernels"), so this is a bug when it happens: a character or more of
    another node's line lands inside a line, and what remains of that other
    line starts with a fragment ("lient: ..."). A stray hex digit inside a hexadecimal
    number cannot be seen in its line: the other line, missing it, shows it."""
    if not l:
        return None
    if not LINE_START.match(l):
        return "starts with no known line start"
    if SECOND_START.search(l):
        return "has a second line start inside"
    if re.search(r"EL\d mm|ram \[|entry 0x", l) and not KERNEL_LINE.fullmatch(l):
        return "is a broken kernel line"
    return None


def mixed_lines(lines):
    """Complaints about the lines that are two lines mixed (mixed_line),
    from the loader's first line on: what the host printed before (the
    QEMU command, QEMU's warnings) is not the image's."""
    first = next((i for i, l in enumerate(lines) if l.startswith("LDR|")), len(lines))
    return ["two lines mixed (%s): %s" % (mixed_line(l), l) for l in lines[first:] if mixed_line(l)]


def interleaved(lines):
    """True when some line is two nodes' text mixed (mixed_line)."""
    return any(mixed_line(l) for l in lines)
