#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_doc.py MKIMG DTS_SPLIT README DOCDIR - the help, the man pages,
the completions and README's command list say the same.

- README's "## Commands" block has, for every command of `mkimg --help`,
  a line that starts with its usage exactly as `mkimg COMMAND --help` says
  it (and dts-split's), and names no command mkimg does not have;
- the man pages in DOCDIR (made by gendoc.py) render without a warning
  and name every command and every option of its --help;
- the bash and zsh completions offer every command and option, bash and
  zsh parse them, and zsh's compinit takes each for its command.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gendoc  # noqa: E402


def main():
    mkimg, split, readme, docdir = sys.argv[1:5]
    errors = []
    top = gendoc.parse_help(gendoc.run(mkimg, "--help"))
    helps = {"": top}
    helps.update({name: gendoc.parse_help(gendoc.run(mkimg, name, "--help")) for name, _ in top[2]})
    split_help = gendoc.parse_help(gendoc.run(split, "--help"))

    text = open(readme).read()
    m = re.search(r"^## Commands\n\n```\n(.*?)```", text, re.S | re.M)
    block = m.group(1).splitlines() if m else []
    if not block:
        errors.append("README.md: no ## Commands block")
    for name, h in helps.items():
        usage = "mkimg " + (name + " " if name else "") + h[0][0].split(" ", 2 if name else 1)[-1]
        if not any(l.startswith(usage) for l in block):
            errors.append("README.md's command list lacks '%s' (mkimg %s--help)" % (usage, name + " " if name else ""))
    if not any(l.startswith(split_help[0][0]) for l in block):
        errors.append("README.md's command list lacks '%s' (dts-split --help)" % split_help[0][0])
    for l in block:
        w = re.match(r"mkimg ([a-z]+)\b", l)
        if w and w.group(1) not in helps and not l.startswith("mkimg MANIFEST"):
            errors.append("README.md names a command mkimg does not have: " + l)

    pages = {"mkimg.1": [(n, h) for n, h in helps.items()], "dts-split.1": [("", split_help)]}
    for page, cmds in list(pages.items()) + [("mkimg-manifest.5", [])]:
        path = os.path.join(docdir, page)
        r = subprocess.run(["man", "--warnings", "-l", path], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat"))
        if r.returncode != 0 or r.stderr.strip():
            errors.append("%s: man says: %s" % (page, r.stderr.strip()[:300]))
        rendered = re.sub(r"[\u2010\u2011]", "-", r.stdout)
        rendered = re.sub(r"-\n\s*", "-", rendered)
        for name, h in cmds:
            if name and "mkimg " + name not in rendered:
                errors.append("%s lacks the command '%s'" % (page, name))
            for _, long_, _, _ in h[3]:
                if "--" + long_ not in rendered:
                    errors.append("%s lacks the option '--%s'%s" % (page, long_, " of " + name if name else ""))

    for prog, cmds in (("mkimg", helps), ("dts-split", {"": split_help})):
        for f in ("completion/bash/" + prog, "completion/zsh/_" + prog):
            body = open(os.path.join(docdir, f)).read()
            for name, h in cmds.items():
                if name and not re.search(r"\b%s\b" % name, body):
                    errors.append("%s lacks the command '%s'" % (f, name))
                for _, long_, _, _ in h[3]:
                    if "--" + long_ not in body:
                        errors.append("%s lacks the option '--%s'" % (f, long_))
        r = subprocess.run(["bash", "-n", os.path.join(docdir, "completion/bash/" + prog)], capture_output=True, text=True)
        if r.returncode:
            errors.append("completion/bash/%s: %s" % (prog, r.stderr.strip()))
        # zsh (ci/setup installs it): the file parses, and compinit loads it
        # from its folder as the completion of the command
        zdir = os.path.join(docdir, "completion/zsh")
        r = subprocess.run(["zsh", "-n", os.path.join(zdir, "_" + prog)], capture_output=True, text=True)
        if r.returncode:
            errors.append("completion/zsh/_%s: %s" % (prog, r.stderr.strip()))
        r = subprocess.run(["zsh", "-fc", 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D && '
                            'print -r -- "$_comps[$2]"', "zsh", zdir, prog], capture_output=True, text=True)
        if r.stdout.strip() != "_" + prog:
            errors.append("completion/zsh/_%s: compinit does not take it for %s: %r %r"
                          % (prog, prog, r.stdout.strip(), r.stderr.strip()))

    for e in errors:
        print("FAIL:", e)
    print("doc: %d failures" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
