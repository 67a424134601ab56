#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""hostile.py MKIMG ROOT WORK - hostile and careless inputs around the
parsers: folders, names, outputs, signals and concurrent runs.

  paths       the sources, the manifest and the output folder live in folders
              whose names hold spaces, quotes, shell characters and non-ASCII;
              the main job builds every node and the image boots in QEMU
              (every node prints its ok line)
  cmake-path  an output folder CMake cannot use (';', '"'): plan -o and split
              work there (tests/bad/output: the main job refuses it)
  name        a manifest 'name' that would run a command, leave the output
              folder or move the terminal's cursor is refused; nothing runs,
              nothing is written, the message is escaped
  lock        while another process holds the output folder, mkimg says who
              and waits, writing nothing; once it is free, mkimg finishes
  concurrent  two main jobs into one folder at once both succeed, and the
              image verifies
  signals     SIGTERM and SIGINT during the node builds: exit 128+n, no
              temporary file left, no process of the build still running;
              SIGKILL: no process of the build still running
  split-signal  SIGTERM at many moments of a 256-node dts-split (768 files,
              written under temporary names): no temporary file left
  limits      a 3 GiB sparse root task with a good ELF magic is refused by
              its size before it is read (in well under the time a read takes)
"""
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

MKIMG, ROOT, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
HERE = os.path.dirname(os.path.abspath(__file__))
BOOT = os.path.join(ROOT, "tests", "image", "boot.py")
failures = []


def fail(case, why):
    failures.append(f"{case}: {why}")
    print(f"FAIL: {case}: {why}", flush=True)


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def copy_sources(dest):
    """The demo kernel, the linker scripts and the QEMU examples, laid out
    as in the repository (the manifests name them relatively)."""
    for part in ("kernel", "linker", "include", os.path.join("examples", "qemu-arm-virt")):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(dest, part),
                        ignore=shutil.ignore_patterns("build*", "out"))
    return os.path.join(dest, "examples", "qemu-arm-virt")


def snapshot(top):
    """Every file and folder under `top`: name -> (inode, size, mtime)."""
    out = {}
    for d, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            out[os.path.relpath(p, top)] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def leftovers(top):
    """mkimg's temporary files under `top` (output_open's, the progress file)."""
    pat = re.compile(r"\.tmp-[A-Za-z0-9]{6}$|^progress-[A-Za-z0-9]{6}$")
    return [os.path.join(d, n) for d, _, files in os.walk(top) for n in files if pat.search(n)]


def processes_in(top):
    """Processes whose working folder lies under `top`."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd == top or cwd.startswith(top + "/"):
            found.append(f"{pid} {cmd.strip()}")
    return found


def case_paths():
    case = "paths"
    top = os.path.join(WORK, "sp ace'q (x)&!ü,=%@")
    examples = copy_sources(os.path.join(top, "src"))
    manifest = os.path.join(examples, "hello", "partition.yaml")
    out = os.path.join(top, "o ut'(y)&ü")
    r = run([MKIMG, manifest, "-o", out, "-j", "2"])
    if r.returncode != 0:
        return fail(case, f"the main job failed ({r.returncode}):\n{r.stderr}")
    image = os.path.join(out, "elfloader.elf")
    b = run([sys.executable, BOOT, MKIMG, image, os.path.join(out, "layout.json"), "--timeout", "30"])
    if b.returncode != 0:
        return fail(case, f"the image did not boot:\n{b.stdout}{b.stderr}")
    print(f"ok: {case}: built and booted in {top!r}")


def case_cmake_path():
    case = "cmake-path"
    manifest = os.path.join(ROOT, "examples", "qemu-arm-virt", "hello", "partition.yaml")
    for bad in (";", '"'):
        out = os.path.join(WORK, f"cm{bad}ake")
        shutil.rmtree(out, ignore_errors=True)
        r = run([MKIMG, "plan", manifest, "-o", out])
        s = run([MKIMG, "split", manifest, "-o", out])
        if r.returncode or s.returncode or not os.path.isfile(os.path.join(out, "node1", "kernel.dtb")):
            fail(case, f"plan/split into {out!r}: {r.returncode}/{s.returncode} {r.stderr}{s.stderr}")
    print(f"ok: {case}")


def case_name():
    case = "name"
    src = os.path.join(ROOT, "examples", "qemu-arm-virt", "hello", "partition.yaml")
    text = open(src).read()
    d = os.path.join(WORK, "name", "m")
    os.makedirs(d, exist_ok=True)
    for i, name in enumerate(['"x; touch PWNED"', '"../../escaped"', '"red\\e[31m\\a\\r"', "x" * 5000]):
        m = os.path.join(d, f"n{i}.yaml")
        with open(m, "w") as f:
            f.write(re.sub(r"^name: .*$", lambda _: f"name: {name}", text, flags=re.M)
                    .replace("../platforms/", os.path.join(ROOT, "examples", "qemu-arm-virt", "platforms") + "/")
                    .replace("../../../kernel", os.path.join(ROOT, "kernel"))
                    .replace("../apps/", os.path.join(ROOT, "examples", "qemu-arm-virt", "apps") + "/"))
        before = snapshot(os.path.join(WORK, "name"))
        r = run([MKIMG, m], cwd=d)
        if r.returncode != 1 or "'name' must be up to 31 letters" not in r.stderr:
            fail(case, f"name {name[:40]!r}: exit {r.returncode}, {r.stderr!r}")
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.stderr):
            fail(case, f"name {name[:40]!r}: a control character reached the terminal: {r.stderr!r}")
        if snapshot(os.path.join(WORK, "name")) != before:
            fail(case, f"name {name[:40]!r}: something was written")
    print(f"ok: {case}")


def hello_copy(name):
    """A private copy of the QEMU examples (their builds stay apart)."""
    top = os.path.join(WORK, name)
    shutil.rmtree(top, ignore_errors=True)
    return copy_sources(os.path.join(top, "src")), top


def case_lock(examples, top):
    case = "lock"
    out = os.path.join(top, "out")
    os.makedirs(out)
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    before = snapshot(out)
    p = subprocess.Popen([MKIMG, "plan", os.path.join(examples, "hello", "partition.yaml"), "-o", out],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    time.sleep(0.5)
    if f"which another mkimg run (pid {os.getpid()}) is writing" not in line:
        fail(case, f"the waiting run said {line!r}")
    if p.poll() is not None or snapshot(out) != before:
        fail(case, "the waiting run did not wait, or wrote")
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    rest = p.communicate(timeout=30)
    if p.returncode != 0 or not os.path.isfile(os.path.join(out, "layout.json")):
        fail(case, f"after the lock was free: exit {p.returncode}, {rest[1]!r}")
    print(f"ok: {case}")


def case_concurrent(examples, top):
    case = "concurrent"
    out = os.path.join(top, "shared-out")
    manifest = os.path.join(examples, "hello", "partition.yaml")
    runs = [subprocess.Popen([MKIMG, manifest, "-o", out, "-j", "1"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in runs]
    for p, (so, se) in zip(runs, results):
        if p.returncode != 0:
            fail(case, f"a run failed ({p.returncode}):\n{se}")
    i = run([MKIMG, "inspect", os.path.join(out, "elfloader.elf")])
    if i.returncode != 0:
        fail(case, f"the image does not verify:\n{i.stderr}")
    if leftovers(out):
        fail(case, f"temporary files left: {leftovers(out)}")
    print(f"ok: {case}")


SLOW = """cmake_minimum_required(VERSION 3.13)
project(slow NONE)
add_custom_target(slow ALL COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/started
                  COMMAND sleep 120)
"""


def case_signals(examples, top):
    case = "signals"
    slow = os.path.join(top, "slow")
    os.makedirs(slow, exist_ok=True)
    with open(os.path.join(slow, "CMakeLists.txt"), "w") as f:
        f.write(SLOW)
    manifest = os.path.join(examples, "hello", "slow.yaml")
    text = open(os.path.join(examples, "hello", "partition.yaml")).read()
    with open(manifest, "w") as f:
        f.write(text.replace("rootserver: &root {build: cmake, source: ../apps/hello}",
                             f"rootserver: {{build: cmake, source: {slow}}}")
                .replace("rootserver: *root", "rootserver: {build: cmake, source: ../apps/hello}"))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        out = os.path.join(top, f"out-{sig.name}")
        p = subprocess.Popen([MKIMG, manifest, "-o", out, "-j", "2"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        marker = os.path.join(out, "build", "node0", "rootserver", "started")
        deadline = time.time() + 120
        while not os.path.exists(marker) and p.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        if not os.path.exists(marker):
            p.kill()
            fail(case, f"{sig.name}: the slow build never started: {p.communicate()[1]}")
            continue
        p.send_signal(sig)
        _, err = p.communicate(timeout=60)
        # SIGKILL cannot be caught: the build stops by itself (its Ninja
        # asked for SIGTERM when mkimg dies), and the temporaries stay
        want = -sig if sig == signal.SIGKILL else 128 + sig
        if p.returncode != want:
            fail(case, f"{sig.name}: exit {p.returncode}, expected {want}: {err}")
        deadline = time.time() + 10
        while processes_in(os.path.realpath(out)) and time.time() < deadline:
            time.sleep(0.1)  # what the build's processes would still do
        if sig == signal.SIGKILL:
            if processes_in(os.path.realpath(out)):
                fail(case, f"{sig.name}: processes still running: {processes_in(os.path.realpath(out))}")
            continue
        if processes_in(os.path.realpath(out)):
            fail(case, f"{sig.name}: processes still running: {processes_in(os.path.realpath(out))}")
        if leftovers(out):
            fail(case, f"{sig.name}: temporary files left: {leftovers(out)}")
    print(f"ok: {case}")


def case_limits():
    case = "limits"
    d = os.path.join(WORK, "limits")
    os.makedirs(d, exist_ok=True)
    big = os.path.join(d, "big.img")
    with open(big, "wb") as f:
        f.write(b"\x7fELF\x02\x01\x01")
        f.truncate(3 << 30)  # sparse: no disk, but 3 GiB to read
    ex = os.path.join(ROOT, "examples", "qemu-arm-virt")
    with open(os.path.join(d, "m.yaml"), "w") as f:
        f.write(f"name: limits\nplatform:\n  dts: {ex}/platforms/qemu-arm-virt-2cpu-2g.dts\nnodes:\n"
                f"  - {{id: 0, memory: 64M, kernel: {{build: cmake, source: {ROOT}/kernel}}, rootserver: big.img}}\n")
    t = time.monotonic()
    r = run([MKIMG, "m.yaml", "-o", "out"], cwd=d)
    took = time.monotonic() - t
    want = "the root task 'big.img' is too large: 3 GiB, more than the 1 GiB limit [input-limits]"
    if r.returncode != 1 or want not in r.stderr:
        fail(case, f"exit {r.returncode}, {r.stderr!r}")
    if os.path.exists(os.path.join(d, "out")):
        fail(case, "the refused run wrote its output folder")
    os.unlink(big)
    print(f"ok: {case} (refused in {took:.2f} s)")


def case_split_signal():
    case = "split-signal"
    import importlib.util
    spec = importlib.util.spec_from_file_location("split256", os.path.join(ROOT, "bench", "split-256.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    d = os.path.join(WORK, "split-signal")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "board.dts"), "w") as f:
        f.write(bench.synthetic_dts(256, 320))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.path.join(d, "board.dtb"),
                    os.path.join(d, "board.dts")], check=True)
    devices = ["/virtio_mmio@%x" % (0xa000000 + i * 0x200) for i in range(256 // 8)]
    with open(os.path.join(d, "plan.json"), "w") as f:
        json.dump(bench.plan(256, devices, True), f)
    split = os.path.join(os.path.dirname(MKIMG), "dts-split")
    argv = [split, "--plan", "plan.json", "board.dtb", "-o", "out"]
    t = time.monotonic()
    subprocess.run(argv, cwd=d, check=True, capture_output=True)
    whole = time.monotonic() - t
    stopped = 0
    for k in range(12):
        p = subprocess.Popen(argv, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(whole * k / 12)
        p.send_signal(signal.SIGTERM)
        p.communicate()
        stopped += p.returncode == 128 + signal.SIGTERM
        # -SIGTERM: stopped before main() caught signals, so before any write
        if p.returncode not in (0, 128 + signal.SIGTERM, -signal.SIGTERM):
            fail(case, f"exit {p.returncode} after SIGTERM")
        if leftovers(os.path.join(d, "out")):
            return fail(case, f"{len(leftovers(os.path.join(d, 'out')))} temporary files left, "
                              f"e.g. {leftovers(os.path.join(d, 'out'))[0]}")
    print(f"ok: {case} ({stopped} of 12 runs stopped, whole split {whole * 1000:.0f} ms)")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    case_cmake_path()
    case_name()
    case_limits()
    case_split_signal()
    examples, top = hello_copy("runs")
    case_lock(examples, top)
    case_signals(examples, top)
    case_concurrent(examples, top)
    case_paths()
    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("all hostile cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
