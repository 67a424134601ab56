#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""run.py MKIMG DTS_SPLIT [KIND/NAME...] - the bad-input corpus: every case
exits 1 (usage: 2), prints exactly its expected message and leaves every
file as it was. With KIND or KIND/NAME arguments, only those cases run.

One fault per case; KIND/NAME.err beside this file is the exact stderr.

  kind        input                       commands
  manifest    NAME.yaml, or generated     mkimg NAME.yaml -o out; mkimg check; mkimg plan -o out
              (its board: board.dts, the examples' qemu-arm-virt-2cpu-2g.dts or NAME.dts)
  dts         NAME.dts (a board tree;     the same three, through NAME.yaml naming it (dts:)
              it includes board.dtsi)
  dtb         generated blob              the same three, through dtb:
  kernel      generated ELF: node 0's     mkimg NAME.yaml -o out (the main job) and mkimg pack
  rootserver  generated ELF: node 0's     likewise
  image       generated NAME.elf|.bin     mkimg inspect NAME.EXT, and with --format json
  plan-json   NAME.json (and NAME.dts, a   dts-split --plan NAME.json board.dts -o out
              board of its own, if given)
  split       NAME.json, NAME.dtb|.dts    dts-split --plan hello.json virt.dtb -o out, the
              (or generated; out/ too)    case's files in place of the example's plan or board
  usage       NAME.args: a command line   that command (exit status 2)

Generated inputs come from gen.py, made from good ones: board.dts, two
kernels and a root task, the image mkimg packs from them (good.yaml), the
hello example's plan (hello.json) and the examples' board (virt.dtb).
The kinds are the table KINDS below.

Every command runs in a folder of its own (its TMPDIR inside it) in which
every file and folder is recorded before and compared after: nothing may be
created, replaced, changed or left behind, temporary files included. A
command that writes `out` runs twice: without `out`, and with a sentinel in
place of every file it would write (pack: only with the node trees `mkimg
split` wrote, and sentinels for the image; a case that stages out/: only so).

UPDATE_ERR=1 writes each case's stderr as its .err (review every change).
"""
import collections
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

SENTINEL = b"sentinel: a failed run must not replace this\n"
OUTPUTS = ["layout.txt", "layout.json", "layout.svg", "elfloader.elf", "elfloader.bin", "payload.cpio", "elfloader.itb",
           "elfloader.uimg",
           "node0/kernel.dtb", "node0/kernel.dts", "node0/kernel-overlay.dts",
           "node1/kernel.dtb", "node1/kernel.dts", "node1/kernel-overlay.dts"]
# Node 0 owns the RTC and node 1 runs on cpu 1, so that what a board case
# breaks there is used (a defect of what no node uses is only a warning).
BOARD_YAML = ("name: {name}\nplatform: {{{key}: {file}}}\nnodes:\n  - {{id: 0, cpus: [0], memory: 2M, devices: [/pl031@9010000]}}\n"
              "  - {{id: 1, cpus: [1], memory: 2M}}\n")
MIN_CASES = 200  # the corpus had 232 cases when it became the only harness
WRITES = (None, "sentinel")  # a command that writes `out`: run with none, and with one full of sentinels


# ------------------------------------------------------------ the kinds
#
# A case is KIND/NAME.err and its files: every checked-in KIND/NAME.EXT (EXT
# one of the kind's `exts`) and what gen.py makes for it (generated()[kind][NAME]:
# a function giving the bytes of NAME + `gen_ext`, or a {file: bytes} of
# its own, None for a file named but absent). The harness writes them
# into the case's folder; the kind's `stage(corpus, case, work)` adds the
# files they need beside them and returns the commands to run there, each a
# Run: its argv and the ways `out` is prepared before it, one run each
# (see prepare_out).
# A new kind is a row in KINDS, a stage function and a folder of cases.

Run = collections.namedtuple("Run", "argv outs")
# given: its checked-in files; made: its generator, or None; files: once
# staged, {file name: bytes, or None for a file named but absent}
Case = collections.namedtuple("Case", "kind name given made files", defaults=(None,))


class Kind(collections.namedtuple("Kind", "exts gen_ext stage status")):
    """exts: the checked-in inputs' suffixes; gen_ext: what gen.py's
    names lack; stage: see above; status: the exit status every command
    must end with."""


def copy(work, *paths):
    for p in paths:
        shutil.copy(p if os.path.isabs(p) else os.path.join(HERE, p), work)


def stage_manifest(corpus, case, work):
    """NAME.yaml, with board.dts (and board.dtsi), the example's board
    (VIRT_DTS) and NAME.dts, a board of its own if given, beside it."""
    copy(work, "board.dts", "board.dtsi", gen.VIRT_DTS)
    return mkimg_jobs(corpus.mkimg, case.name + ".yaml")


def stage_board(corpus, case, work):
    """NAME.dts or NAME.dtb, and a manifest naming it (dts: or dtb:)."""
    copy(work, "board.dtsi")
    y = case.name + ".yaml"
    open(os.path.join(work, y), "w").write(BOARD_YAML.format(name=case.name, key=case.kind, file=case.name + "." + case.kind))
    return mkimg_jobs(corpus.mkimg, y)


def mkimg_jobs(m, y):
    return [Run([m, y, "-o", "out"], WRITES), Run([m, "check", y], ("sentinel",)), Run([m, "plan", y, "-o", "out"], WRITES)]


def stage_main(corpus, case, work):
    """NAME.yaml, a manifest only the main job and pack refuse (what they
    read besides the plan: kernels, root tasks, build sections), with the
    boards stage_manifest gives."""
    copy(work, "board.dts", "board.dtsi", gen.VIRT_DTS)
    m, y = corpus.mkimg, case.name + ".yaml"
    return [Run([m, y, "-o", "out"], WRITES), Run([m, "run", "--dry-run", y, "-o", "out"], WRITES)]


def stage_elf(corpus, case, work):
    """NAME.elf as node 0's kernel (or root task) of the good manifest."""
    copy(work, *(os.path.join(corpus.base, f) for f in ("board.dts", "board.dtsi", "k0.elf", "k1.elf", "user.elf")))
    elf = case.name + ".elf"
    k0, u0 = (elf, "user.elf") if case.kind == "kernel" else ("k0.elf", elf)
    y = case.name + ".yaml"
    open(os.path.join(work, y), "w").write(gen.GOOD_YAML.format(name=case.name, kernel0=k0, user0=u0))
    m = corpus.mkimg
    return [Run([m, y, "-o", "out"], WRITES), Run([m, "pack", y, "-o", "out"], ("split",))]


def stage_image(corpus, case, work):
    m = corpus.mkimg
    return [Run([m, "inspect", case.name], (None,)), Run([m, "inspect", "--format", "json", case.name], (None,))]


def stage_plan_json(corpus, case, work):
    """NAME.json, split on board.dts, or on NAME.dts: a board of its own."""
    copy(work, "board.dts", "board.dtsi")
    board = case.name + ".dts" if case.name + ".dts" in case.files else "board.dts"
    return [Run([corpus.split, "--plan", case.name + ".json", board, "-o", "out"], WRITES)]


def stage_split(corpus, case, work):
    """dts-split on the hello example's plan (hello.json) and the examples'
    board (virt.dtb), NAME.json or NAME.dtb/.dts in place of either; files
    under out/ are the output folder as the case left it."""
    copy(work, *(os.path.join(corpus.base, f) for f in ("hello.json", "virt.dtb")))
    plan = case.name + ".json" if case.name + ".json" in case.files else "hello.json"
    board = next((b for b in (case.name + ".dtb", case.name + ".dts") if b in case.files), "virt.dtb")
    outs = ("staged",) if any(f.startswith("out/") for f in case.files) else WRITES
    return [Run([corpus.split, "--plan", plan, board, "-o", "out"], outs)]


def stage_usage(corpus, case, work):
    """NAME.args: a command line, its first word the program (mkimg or
    dts-split), run beside hello.json and virt.dtb."""
    copy(work, *(os.path.join(corpus.base, f) for f in ("hello.json", "virt.dtb")))
    words = shlex.split(case.files[case.name + ".args"].decode())
    program = {"mkimg": corpus.mkimg, "dts-split": corpus.split}[words[0]]
    return [Run([program] + words[1:], (None,))]


def stage_output(corpus, case, work):
    """NAME.args: a command line (mkimg or dts-split) whose output folder
    must not be written, beside the case's files and the examples' board;
    `out/` as the case staged it."""
    copy(work, gen.VIRT_DTS)
    words = shlex.split(case.files[case.name + ".args"].decode())
    program = {"mkimg": corpus.mkimg, "dts-split": corpus.split}[words[0]]
    return [Run([program] + words[1:], ("staged",))]


KINDS = {
    "manifest": Kind((".yaml", ".dts"), ".yaml", stage_manifest, 1),
    "main": Kind((".yaml",), None, stage_main, 1),
    "dts": Kind((".dts",), ".dts", stage_board, 1),
    "dtb": Kind((), ".dtb", stage_board, 1),
    "kernel": Kind((), ".elf", stage_elf, 1),
    "rootserver": Kind((), ".elf", stage_elf, 1),
    "image": Kind((), "", stage_image, 1),
    "plan-json": Kind((".json", ".dts"), ".json", stage_plan_json, 1),
    "split": Kind((".json", ".dts", ".dtb"), None, stage_split, 1),
    "usage": Kind((".args",), None, stage_usage, 2),
    "output": Kind((), None, stage_output, 1),
}


# ------------------------------------------------------------ the harness

def run(cmd, cwd, tmpdir=None):
    """Exit status (-1: still running after a minute), stdout, stderr."""
    env = dict(os.environ, TMPDIR=tmpdir) if tmpdir else None
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired as e:
        return -1, (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace")
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def snapshot(top):
    """Every file under `top` (identity, size, time and bytes) and every
    folder (identity: its time changes with temporary files come and gone,
    which the files' list shows)."""
    seen = {}
    for dirpath, dirs, files in os.walk(top):
        for name in dirs:
            seen[os.path.relpath(os.path.join(dirpath, name), top)] = ("dir", os.lstat(os.path.join(dirpath, name)).st_ino)
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            seen[os.path.relpath(path, top)] = (st.st_ino, st.st_size, st.st_mtime_ns, digest)
    return seen


def changes(before, after):
    out = ["created %s" % p for p in sorted(set(after) - set(before))]
    out += ["removed %s" % p for p in sorted(set(before) - set(after))]
    out += ["changed %s" % p for p in sorted(set(before) & set(after)) if before[p] != after[p]]
    return out


def sentinels(out):
    for f in OUTPUTS:
        os.makedirs(os.path.dirname(os.path.join(out, f)), exist_ok=True)
        open(os.path.join(out, f), "wb").write(SENTINEL)


class Corpus:
    def __init__(self, mkimg, split, base):
        self.mkimg, self.split, self.base = mkimg, split, base
        self.gen = gen.generated(base)

    def cases(self):
        """Every Case with an .err (its files still to be made), and the
        mismatches between the .err files, the checked-in inputs and the
        generators."""
        cases, problems = [], []
        for kind, k in KINDS.items():
            d = os.path.join(HERE, kind)
            listing = sorted(os.listdir(d)) if os.path.isdir(d) else []
            errs = [f[:-4] for f in listing if f.endswith(".err")]
            given = {}
            for f in listing:
                for ext in k.exts:
                    if f.endswith(ext):
                        given.setdefault(f[:-len(ext)], []).append(f)
            made = self.gen.get(kind, {})
            for name in errs:
                if name not in made and name not in given:
                    problems.append("%s/%s.err: no input and no generator for it" % (kind, name))
                else:
                    cases.append(Case(kind, name, given.get(name, []), made.get(name)))
            for name in sorted((set(made) | set(given)) - set(errs)):
                problems.append("%s/%s: no .err with its expected message" % (kind, name))
        return cases, problems

    def files(self, case):
        """The case's files: {name: bytes}."""
        out = {f: open(os.path.join(HERE, case.kind, f), "rb").read() for f in case.given}
        if case.made:
            made = case.made()
            out.update(made if isinstance(made, dict) else {case.name + KINDS[case.kind].gen_ext: made})
        return out

    def stage(self, case, work):
        """The case's files in `work`; returns the commands to run there."""
        os.makedirs(work)
        files = self.files(case)
        for f, data in files.items():
            if data is not None:
                os.makedirs(os.path.dirname(os.path.join(work, f)), exist_ok=True)
                open(os.path.join(work, f), "wb").write(data)
        return KINDS[case.kind].stage(self, case._replace(files=files), work)

    def prepare_out(self, how, cmd, work):
        """`out` before the command: "sentinel": a sentinel in place of
        every file it could write; "split": the node trees `mkimg split`
        writes from the manifest (cmd[2]), and sentinels for the image;
        "staged": as the case's files left it; None: no `out` at all."""
        if how == "sentinel":
            sentinels(os.path.join(work, "out"))
        elif how == "split":
            st, _, err = run([self.mkimg, "split", cmd[2], "-o", "out"], work)
            if st != 0:
                return "cannot split the case's manifest: " + err
            for f in ("elfloader.elf", "elfloader.bin", "payload.cpio"):
                open(os.path.join(work, "out", f), "wb").write(SENTINEL)
        return None

    def check(self, case, work):
        """The case's failures, as text."""
        fails = []
        kind, name = case.kind, case.name
        status = KINDS[kind].status
        expected = open(os.path.join(HERE, kind, name + ".err")).read()
        runs = [(r.argv, how) for r in self.stage(case, work) for how in r.outs]
        for i, (cmd, how) in enumerate(runs):
            where = os.path.join(work, "run%d" % i)
            shutil.copytree(work, where, ignore=shutil.ignore_patterns("run*"))
            trouble = self.prepare_out(how, cmd, where)
            if trouble:
                fails.append(trouble)
                continue
            os.mkdir(os.path.join(where, "tmp"))  # TMPDIR, watched like the rest
            before = snapshot(where)
            st, out, err = run(cmd, where, os.path.join(where, "tmp"))
            label = " ".join(os.path.basename(c) if j == 0 else c for j, c in enumerate(cmd))
            label += {None: "", "sentinel": ", out full of sentinels", "split": ", out holding the node trees",
                       "staged": ", out as staged"}[how]
            if os.environ.get("UPDATE_ERR") and i == 0:
                open(os.path.join(HERE, kind, name + ".err"), "w").write(err)
                expected = err
            why = [] if st == status else ["exit status %d, expected %d" % (st, status)]
            if err != expected:
                why.append("message differs:\n--- expected\n%s--- got\n%s" % (expected, err))
            why += bad_stdout(kind, cmd, out)
            why += changes(before, snapshot(where))
            if why:
                fails.append("(%s): %s" % (label, "; ".join(why)))
        return fails


def bad_stdout(kind, cmd, out):
    """Nothing on stdout, but for inspect: its listing, or JSON that says
    the image did not verify."""
    if kind != "image":
        return ["printed on stdout: " + out[:200]] if out else []
    if "--format" not in cmd or not out:
        return []
    try:
        verified = json.loads(out)["verified"]
    except (ValueError, KeyError) as e:
        return ["inspect --format json printed no valid JSON: %s" % e]
    return ["inspect --format json says verified"] if verified else []


def prepare(base, mkimg, split):
    """The good inputs beside gen.py's (gen.prepare): the image they pack,
    and for dts-split the hello example's plan and the examples' board as a
    blob, which must split, from the blob and from the DTS."""
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "board.dtb", "board.dts"], cwd=base, check=True)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "virt.dtb", gen.VIRT_DTS], cwd=base, check=True)
    st, _, err = run([mkimg, "good.yaml", "-o", "good"], base)
    if st != 0:
        return "the good inputs do not pack:\n" + err
    st, out, err = run([mkimg, "plan", "--format", "json", gen.HELLO], base)
    if st != 0:
        return "no plan of the hello example:\n" + err
    open(os.path.join(base, "hello.json"), "w").write(json.dumps(json.loads(out)))
    for i, board in enumerate(("virt.dtb", gen.VIRT_DTS)):
        st, _, err = run([split, "--plan", "hello.json", board, "-o", "good-split%d" % i], base)
        if st != 0:
            return "the good plan and board do not split (%s):\n%s" % (board, err)
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run.py MKIMG DTS_SPLIT [KIND|KIND/NAME...]")
    mkimg, split = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    only = set(sys.argv[3:])
    tmp = tempfile.mkdtemp(prefix="mkimg-bad-")
    try:
        base = os.path.join(tmp, "base")
        gen.prepare(base)
        trouble = prepare(base, mkimg, split)
        if trouble:
            print("FAIL: " + trouble)
            return 1
        corpus = Corpus(mkimg, split, base)
        cases, problems = corpus.cases()
        for p in problems:
            print("FAIL: " + p)
        count = {k: 0 for k in KINDS}
        failed = 0
        unused = set(only)
        for case in cases:
            picked = only & {case.kind, "%s/%s" % (case.kind, case.name)}
            if only and not picked:
                continue
            unused -= picked
            count[case.kind] += 1
            fails = corpus.check(case, os.path.join(tmp, case.kind, case.name))
            for f in fails:
                print("FAIL: %s/%s %s" % (case.kind, case.name, f))
            failed += bool(fails)
        total = sum(count.values())
        print("%d bad inputs (%s): %d failed" % (total, ", ".join("%s %d" % kv for kv in count.items()), failed))
        for u in sorted(unused):
            print("FAIL: no case %s" % u)
        if unused:
            return 1
        if not only and total < MIN_CASES:
            print("FAIL: the corpus needs at least %d cases" % MIN_CASES)
            return 1
        return 1 if failed or problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
