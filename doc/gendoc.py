#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""gendoc.py MKIMG DTS_SPLIT DOCDIR OUTDIR - the man pages and shell
completions, made from the programs' own --help (one source of truth: the
command and option tables in imgtool/main.c and dts-split/main.c).

DOCDIR holds the hand-written prose: mkimg.1.in, dts-split.1.in and
mkimg-manifest.5.in, with these lines replaced:
  @VERSION@   the program's version
  @SYNOPSIS@  one line per command (its usage line)
  @COMMANDS@  each command: its usage, summary and options
  @OPTIONS@   the options of the program (of the main job, for mkimg)
  @CHECKS@    every check, by name (mkimg check --list)
OUTDIR receives mkimg.1, dts-split.1, mkimg-manifest.5, and
completion/bash/{mkimg,dts-split} and completion/zsh/{_mkimg,_dts-split}.
Files are rewritten only when their text changes.
"""
import os
import re
import subprocess
import sys

OPT = re.compile(r"^  (?:-(\w), )?\s*--([\w-]+)(?: (\S+))?\s+(.*)$")


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def parse_help(text):
    """(usage lines, summary paragraphs, commands [(name, summary)], options
    [(short, long, arg, help)]) of one --help text."""
    usage, summary, commands, options = [], [], [], []
    section = "usage"
    for line in text.splitlines():
        if line.startswith("usage: "):
            usage.append(line[len("usage: "):])
        elif section == "usage" and line.startswith("       "):
            usage.append(line.strip())
        elif line == "commands:":
            section = "commands"
        elif line == "options:":
            section = "options"
        elif section == "commands" and line.startswith("  "):
            name, _, what = line.strip().partition(" ")
            commands.append((name, what.strip()))
        elif section == "options" and OPT.match(line):
            options.append(OPT.match(line).groups())
        elif line and not line.startswith("  ") and section in ("usage", "commands"):
            section = "text"
            summary.append(line)
        elif section == "text" and line:
            summary.append(line)
        elif section == "text" and not line:
            summary.append("")
    return usage, summary, commands, options


def roff(s):
    """Text for roff: backslashes and a leading dot or quote escaped."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def roff_options(options):
    out = []
    for short, long_, arg, help_ in options:
        names = ("\\fB\\-%s\\fR, " % short if short else "") + "\\fB\\-\\-%s\\fR" % long_
        if arg:
            names += " \\fI%s\\fR" % arg
        out += [".TP", names, roff(help_)]
    return out


def mkimg_pages(mkimg):
    top = parse_help(run(mkimg, "--help"))
    cmds = [("", top)] + [(name, parse_help(run(mkimg, name, "--help"))) for name, _ in top[2]]
    synopsis, commands = [], []
    for name, (usage, summary, _, options) in cmds:
        line = usage[0].split(" ", 1)
        synopsis += [".SY mkimg", roff(line[1]) if len(line) > 1 else "", ".YS"]
        text = " ".join(l for l in summary if l)
        if not name:  # the main job: the paragraph after the description
            text = " ".join(l for l in summary[summary.index("") + 1:] if l).replace("without a command: ", "")
        commands += [".SS \"%s\"" % roff(usage[0]), roff(text)]
        if name:
            commands += [".PP", "Options:", ".RS"] + roff_options(options) + [".RE"]
    return synopsis, commands, top[3], cmds


def fill(template, values):
    out = []
    for line in template.splitlines():
        key = line.strip()
        if key in values:
            v = values[key]
            out += v if isinstance(v, list) else [v]
        else:
            out.append(line.replace("@VERSION@", values["@VERSION@"]))
    return "\n".join(out) + "\n"


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.chmod(path + ".tmp", mode)
    os.replace(path + ".tmp", path)


def values_of(arg):
    """Completion values for an option's argument."""
    return {"FMT": ["text", "json", "svg"], "DIR": None, "FILE": None, "PLAN": None}.get(arg, [])


def bash_completion(prog, per_cmd, operands):
    """per_cmd: {command or "": [options]}"""
    fn = "_" + prog.replace("-", "_")
    lines = ["# bash completion for %s, made by doc/gendoc.py from '%s --help'" % (prog, prog),
             "%s() {" % fn,
             "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= words= i",
             "\tfor ((i = 1; i < COMP_CWORD; i++)); do",
             "\t\tcase ${COMP_WORDS[i]} in %s) cmd=${COMP_WORDS[i]}; break ;; esac" % (
                 "|".join(c for c in per_cmd if c) or "''"),
             "\tdone",
             "\tcase $prev in"]
    args = {}
    for opts in per_cmd.values():
        for short, long_, arg, _ in opts:
            if arg:
                args.setdefault(arg, set()).update(["--" + long_] + (["-" + short] if short else []))
    for arg, names in sorted(args.items()):
        v = values_of(arg)
        what = "-d" if arg == "DIR" else "-f"
        body = 'COMPREPLY=($(compgen -W "%s" -- "$cur"))' % " ".join(v) if v else \
            'COMPREPLY=($(compgen %s -- "$cur"))' % what
        if arg in ("N", "S"):
            body = "COMPREPLY=()"
        lines.append("\t%s) %s; return ;;" % ("|".join(sorted(names)), body))
    lines += ["\tesac", "\tcase $cmd in"]
    for c, opts in per_cmd.items():
        words = " ".join("--" + o[1] for o in opts)
        if not c:
            words += " " + " ".join(x for x in per_cmd if x)
        lines.append("\t%s) words=\"%s\" ;;" % (c or "''", words.strip()))
    lines += ["\tesac",
              '\tif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi',
              '\tCOMPREPLY=($(compgen -f -- "$cur"))',
              '\t[[ -z $cmd ]] && COMPREPLY+=($(compgen -W "$words" -- "$cur"))',
              "}",
              "complete -o filenames -F %s %s" % (fn, prog)]
    return "\n".join(lines) + "\n"


def zsh_completion(prog, per_cmd, summaries):
    def spec(o):
        short, long_, arg, help_ = o
        h = help_.replace("[", "(").replace("]", ")").replace("'", "").replace(":", " ")
        names = "{-%s,--%s}" % (short, long_) if short else "--" + long_
        action = ""
        if arg:
            v = values_of(arg)
            action = ":%s:(%s)" % (arg, " ".join(v)) if v else ":%s:_files%s" % (arg, " -/" if arg == "DIR" else "")
        return "'%s[%s]%s'" % (names, h, action) if not short else "%s'[%s]%s'" % (names, h, action)

    lines = ["#compdef %s" % prog, "# zsh completion for %s, made by doc/gendoc.py from '%s --help'" % (prog, prog)]
    cmds = [c for c in per_cmd if c]
    if cmds:
        lines += ["local -a commands", "commands=("]
        lines += ["  '%s:%s'" % (c, summaries[c].replace("'", "").replace(":", " ")) for c in cmds]
        lines += [")", "if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then",
                  "  _describe command commands", "  _files", "  return", "fi",
                  "case $words[2] in"]
        for c in cmds:
            lines.append("  %s) shift words; (( CURRENT-- )); _arguments -s %s '*:file:_files' ;;" % (
                c, " ".join(spec(o) for o in per_cmd[c])))
        lines.append("  *) _arguments -s %s '*:manifest:_files' ;;" % " ".join(spec(o) for o in per_cmd[""]))
        lines.append("esac")
    else:
        lines.append("_arguments -s %s '*:board:_files'" % " ".join(spec(o) for o in per_cmd[""]))
    return "\n".join(lines) + "\n"


def main():
    mkimg, split, docdir, out = sys.argv[1:5]
    version = run(mkimg, "--version").strip().split(" ", 1)[1]
    synopsis, commands, main_opts, cmds = mkimg_pages(mkimg)
    v = {"@VERSION@": version, "@SYNOPSIS@": synopsis, "@COMMANDS@": commands, "@OPTIONS@": roff_options(main_opts)}
    write(os.path.join(out, "mkimg.1"), fill(open(os.path.join(docdir, "mkimg.1.in")).read(), v))

    su, ss, _, so = parse_help(run(split, "--help"))
    sv = {"@VERSION@": version, "@SYNOPSIS@": [".SY dts-split", roff(su[0].split(" ", 1)[1]), ".YS"],
          "@COMMANDS@": [], "@OPTIONS@": roff_options(so)}
    write(os.path.join(out, "dts-split.1"), fill(open(os.path.join(docdir, "dts-split.1.in")).read(), sv))

    checks = []
    for line in run(mkimg, "check", "--list").splitlines():
        name, _, what = line.partition(" ")
        checks += [".TP", "\\fB%s\\fR" % roff(name), roff(what.strip())]
    mv = {"@VERSION@": version, "@CHECKS@": checks}
    write(os.path.join(out, "mkimg-manifest.5"), fill(open(os.path.join(docdir, "mkimg-manifest.5.in")).read(), mv))

    per_cmd = {name: h[3] for name, h in cmds}
    summaries = {name: what for name, what in cmds[0][1][2]}
    write(os.path.join(out, "completion/bash/mkimg"), bash_completion("mkimg", per_cmd, None))
    write(os.path.join(out, "completion/zsh/_mkimg"), zsh_completion("mkimg", per_cmd, summaries))
    write(os.path.join(out, "completion/bash/dts-split"), bash_completion("dts-split", {"": so}, None))
    write(os.path.join(out, "completion/zsh/_dts-split"), zsh_completion("dts-split", {"": so}, {}))


if __name__ == "__main__":
    main()
