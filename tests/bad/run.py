#!/usr/bin/env python3
"""run.py MKIMG DTS_SPLIT [KIND/NAME...] - the bad-input corpus: every case
exits 1, prints exactly its expected message and leaves every file as it was.

One fault per case; KIND/NAME.err beside this file is the exact stderr.

  kind        input                       commands
  manifest    NAME.yaml, or generated     mkimg NAME.yaml -o out; mkimg check; mkimg plan -o out
  dts         NAME.dts (a board tree;     the same three, through NAME.yaml naming it (dts:)
              it includes board.dtsi)
  dtb         generated blob              the same three, through dtb:
  kernel      generated ELF: node 0's     mkimg NAME.yaml -o out (the main job) and mkimg pack
  rootserver  generated ELF: node 0's     likewise
  image       generated NAME.elf|.bin     mkimg inspect NAME.EXT, and with --format json
  plan-json   NAME.json (and NAME.dts, a   dts-split --plan NAME.json board.dts -o out
              board of its own, if given)

Generated inputs come from gen.py, made from good ones: board.dts, two
kernels and a root task, and the image mkimg packs from them (good.yaml).

Every command runs in a folder of its own (its TMPDIR inside it) in which
every file and folder is recorded before and compared after: nothing may be
created, replaced, changed or left behind, temporary files included. `out` exists before the
command, with a sentinel in place of every file the command would write
(for pack: the node trees `mkimg split` wrote, and sentinels for the image).

UPDATE_ERR=1 writes each case's stderr as its .err (review every change).
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

KINDS = ("manifest", "dts", "dtb", "kernel", "rootserver", "image", "plan-json")
INPUT_EXT = {"manifest": ".yaml", "dts": ".dts", "plan-json": ".json"}
SENTINEL = b"sentinel: a failed run must not replace this\n"
OUTPUTS = ["layout.txt", "layout.json", "layout.svg", "elfloader.elf", "elfloader.bin", "payload.cpio",
           "node0/kernel.dtb", "node0/kernel.dts", "node0/kernel-overlay.dts",
           "node1/kernel.dtb", "node1/kernel.dts", "node1/kernel-overlay.dts"]
BOARD_YAML = "name: {name}\nplatform: {{{key}: {file}}}\nnodes:\n  - {{id: 0, memory: 2M}}\n"
MIN_CASES = 60


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
        """(kind, name) of every .err, and the mismatches between the .err
        files, the checked-in inputs and the generators."""
        cases, problems = [], []
        for kind in KINDS:
            d = os.path.join(HERE, kind)
            errs = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".err")) if os.path.isdir(d) else []
            made = set(self.gen.get(kind, {}))
            ext = INPUT_EXT.get(kind)
            given = {f[:-len(ext)] for f in os.listdir(d) if ext and f.endswith(ext)} if os.path.isdir(d) else set()
            for name in errs:
                if name not in made and name not in given:
                    problems.append("%s/%s.err: no input and no generator for it" % (kind, name))
                else:
                    cases.append((kind, name))
            for name in sorted((made | given) - set(errs)):
                problems.append("%s/%s: no .err with its expected message" % (kind, name))
        return cases, problems

    def input_bytes(self, kind, name):
        if name in self.gen.get(kind, {}):
            return self.gen[kind][name]()
        return open(os.path.join(HERE, kind, name + INPUT_EXT[kind]), "rb").read()

    def stage(self, kind, name, work):
        """The case's files in `work`; returns the commands to run there,
        each with how `out` is prepared."""
        os.makedirs(work)
        data = self.input_bytes(kind, name)
        y = name + ".yaml"
        m = self.mkimg
        if kind in ("manifest", "dts", "dtb"):
            if kind == "manifest":
                open(os.path.join(work, y), "wb").write(data)
                shutil.copy(os.path.join(HERE, "board.dts"), work)
                shutil.copy(os.path.join(HERE, "board.dtsi"), work)
            else:
                ext = "." + kind
                open(os.path.join(work, name + ext), "wb").write(data)
                shutil.copy(os.path.join(HERE, "board.dtsi"), work)
                open(os.path.join(work, y), "w").write(BOARD_YAML.format(name=name, key=kind, file=name + ext))
            return [([m, y, "-o", "out"], "sentinel"), ([m, "check", y], "sentinel"), ([m, "plan", y, "-o", "out"], "sentinel")]
        if kind in ("kernel", "rootserver"):
            for f in ("board.dts", "board.dtsi", "k0.elf", "k1.elf", "user.elf"):
                shutil.copy(os.path.join(self.base, f), work)
            open(os.path.join(work, name + ".elf"), "wb").write(data)
            k0, u0 = (name + ".elf", "user.elf") if kind == "kernel" else ("k0.elf", name + ".elf")
            open(os.path.join(work, y), "w").write(gen.GOOD_YAML.format(name=name, kernel0=k0, user0=u0))
            return [([m, y, "-o", "out"], "sentinel"), ([m, "pack", y, "-o", "out"], "split")]
        if kind == "image":
            open(os.path.join(work, name), "wb").write(data)
            return [([m, "inspect", name], None), ([m, "inspect", "--format", "json", name], None)]
        open(os.path.join(work, name + ".json"), "wb").write(data)
        for f in ("board.dts", "board.dtsi"):
            shutil.copy(os.path.join(HERE, f), work)
        board = "board.dts"
        if os.path.exists(os.path.join(HERE, kind, name + ".dts")):  # a board of its own
            board = name + ".dts"
            shutil.copy(os.path.join(HERE, kind, board), work)
        return [([self.split, "--plan", name + ".json", board, "-o", "out"], "sentinel")]

    def prepare_out(self, how, cmd, work):
        if how == "sentinel":
            sentinels(os.path.join(work, "out"))
        elif how == "split":
            st, _, err = run([self.mkimg, "split", cmd[2], "-o", "out"], work)
            if st != 0:
                return "cannot split the case's manifest: " + err
            for f in ("elfloader.elf", "elfloader.bin", "payload.cpio"):
                open(os.path.join(work, "out", f), "wb").write(SENTINEL)
        return None

    def check(self, kind, name, work):
        """The case's failures, as text."""
        fails = []
        expected = open(os.path.join(HERE, kind, name + ".err")).read()
        for i, (cmd, how) in enumerate(self.stage(kind, name, work)):
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
            if os.environ.get("UPDATE_ERR") and i == 0:
                open(os.path.join(HERE, kind, name + ".err"), "w").write(err)
                expected = err
            why = [] if st == 1 else ["exit status %d, expected 1" % st]
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


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run.py MKIMG DTS_SPLIT [KIND/NAME...]")
    mkimg, split = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    only = set(sys.argv[3:])
    tmp = tempfile.mkdtemp(prefix="mkimg-bad-")
    try:
        base = os.path.join(tmp, "base")
        gen.prepare(base)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "board.dtb", "board.dts"], cwd=base, check=True)
        st, _, err = run([mkimg, "good.yaml", "-o", "good"], base)
        if st != 0:
            print("FAIL: the good inputs do not pack:\n" + err)
            return 1
        corpus = Corpus(mkimg, split, base)
        cases, problems = corpus.cases()
        for p in problems:
            print("FAIL: " + p)
        count = {k: 0 for k in KINDS}
        failed = 0
        for kind, name in cases:
            if only and "%s/%s" % (kind, name) not in only:
                continue
            count[kind] += 1
            fails = corpus.check(kind, name, os.path.join(tmp, kind, name))
            for f in fails:
                print("FAIL: %s/%s %s" % (kind, name, f))
            failed += bool(fails)
        total = sum(count.values())
        print("%d bad inputs (%s): %d failed" % (total, ", ".join("%s %d" % kv for kv in count.items()), failed))
        if not only and total < MIN_CASES:
            print("FAIL: the corpus needs at least %d cases" % MIN_CASES)
            return 1
        return 1 if failed or problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
