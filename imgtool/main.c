/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the mkimg command line.
 *
 * One table of commands and one of options (cli.h) drive both parsing and
 * --help.
 * Exit status: 0 success, 1 bad input, 2 bad usage.
 */
#include "build.h"
#include "cli.h"
#include "dts_split.h"
#include "image.h"
#include "locate.h"
#include "manifest.h"
#include "output.h"
#include "pack.h"
#include "plan.h"
#include "platform.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "version.h" /* MKIMG_VERSION, made at build time (cmake/version.cmake) */

enum cmd { CMD_MAIN, CMD_PLAN, CMD_CHECK, CMD_SPLIT, CMD_PACK, CMD_INSPECT, CMD_RUN, CMD_COUNT };
#define ALL_CMDS ((1u << CMD_COUNT) - 1)

static const struct command {
	const char *name, *usage, *summary;
} commands[CMD_COUNT] = {
	[CMD_MAIN] = {"", "MANIFEST [-o DIR] [-j N]",
		      "plan the partition, write the layout (layout.txt, .json, .svg) and one device tree\n"
		      "per node (nodeN/kernel.dtb, kernel.dts, kernel-overlay.dts) into DIR, build every\n"
		      "node's kernel and root task, and pack them with the loader into DIR/elfloader.elf"},
	[CMD_PLAN] = {"plan", "MANIFEST [--format text|json|svg] [-o DIR]",
		      "print the plan: a memory map per node, or JSON, or an SVG picture"},
	[CMD_CHECK] = {"check", "MANIFEST [--list]", "validate the manifest against its board; exit 0 or 1"},
	[CMD_SPLIT] = {"split", "MANIFEST [-o DIR]",
		       "write one device tree per node: DIR/nodeN/kernel.dtb, kernel.dts, kernel-overlay.dts"},
	[CMD_PACK] = {"pack", "MANIFEST [-o DIR] [--loader FILE]",
		      "pack the nodes' built kernels, root tasks and trees in DIR into DIR/elfloader.elf and .bin"},
	[CMD_INSPECT] = {"inspect", "IMAGE [--format text|json]",
			 "print what an image holds, where it goes and its checksums; verify them"},
	[CMD_RUN] = {"run", "MANIFEST|IMAGE [-o DIR] [--u-boot [--dtb FILE]] [--el 1|2] [--timeout S] [--dry-run] [--expect PATTERN]...",
		     "boot an image (or make one from a manifest first) in QEMU with flags from its plan"},
};

enum opt_id {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_OUT = 'o',
	OPT_FORMAT = 'f',
	OPT_JOBS = 'j',
	OPT_LIST = 256,
	OPT_LOADER,
	OPT_TIMEOUT,
	OPT_DRY_RUN,
	OPT_EXPECT,
	OPT_PROGRESS,
	OPT_JUNIT,
	OPT_U_BOOT,
	OPT_EL,
	OPT_DTB,
};

static const struct cli_opt opts[] = {
	{"output", OPT_OUT, "DIR", 1u << CMD_MAIN | 1u << CMD_PLAN | 1u << CMD_SPLIT | 1u << CMD_PACK | 1u << CMD_RUN,
	 "write the outputs into DIR (default for the main job and split: out/NAME)", false},
	{"format", OPT_FORMAT, "FMT", 1u << CMD_PLAN | 1u << CMD_INSPECT,
	 "text (default), json or svg (plan); text or json (inspect)", false},
	{"list", OPT_LIST, NULL, 1u << CMD_CHECK, "list every check by name and exit", false},
	{"loader", OPT_LOADER, "FILE", 1u << CMD_MAIN | 1u << CMD_PACK | 1u << CMD_RUN,
	 "the prebuilt loader (default: $MKIMG_LOADER, else mkimg's own)", false},
	{"jobs", OPT_JOBS, "N", 1u << CMD_MAIN | 1u << CMD_RUN, "build N nodes at once (default: the number of cpus)", false},
	{"progress", OPT_PROGRESS, "WHEN", 1u << CMD_MAIN | 1u << CMD_RUN,
	 "build progress on stderr: auto (default: every line on a terminal, a line per finished node in a log), "
	 "always (every line) or never", false},
	{"u-boot", OPT_U_BOOT, NULL, 1u << CMD_RUN,
	 "boot through U-Boot as a board does: $MKIMG_U_BOOT, else Debian's (u-boot-qemu), runs booti for "
	 "elfloader.bin, bootm for elfloader.uimg and elfloader.itb", false},
	{"dtb", OPT_DTB, "FILE", 1u << CMD_RUN,
	 "with --u-boot: U-Boot's device tree instead of QEMU's (e.g. one holding the public key of a signed FIT, "
	 "from mkimage -K)", false},
	{"el", OPT_EL, "N", 1u << CMD_RUN,
	 "start QEMU's cpus at EL N, 1 or 2 (default: 2 where the board's PSCI conduit is smc, else 1)", false},
	{"timeout", OPT_TIMEOUT, "S", 1u << CMD_RUN, "kill QEMU after S seconds (exit 124)", false},
	{"dry-run", OPT_DRY_RUN, NULL, 1u << CMD_RUN, "print QEMU's command line, do not start it", false},
	{"expect", OPT_EXPECT, "PATTERN", 1u << CMD_RUN,
	 "(again for more) exit 0 once console lines matched every PATTERN (an extended regular expression); "
	 "1 on a loader error, QEMU's end or the timeout", true},
	{"junit", OPT_JUNIT, "FILE", 1u << CMD_RUN,
	 "with --expect: also write a JUnit XML report (a test case per PATTERN, the console) to FILE", false},
	{"help", OPT_HELP, NULL, CLI_ALL, "show this help and exit", false},
	{"version", OPT_VERSION, NULL, CLI_ALL, "show the version and exit", false},
};

/* The command line's table for command `c`. */
static struct cli cli_of(enum cmd c)
{
	return (struct cli){"mkimg", commands[c].name, 1u << c, opts, sizeof(opts) / sizeof(opts[0])};
}

static const struct format {
	const char *name, *file;
	void (*emit)(FILE *, const struct plan *);
} formats[] = {
	{"text", "layout.txt", report_text},
	{"json", "layout.json", report_json},
	{"svg", "layout.svg", report_svg},
};
#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

static void usage(FILE *f, enum cmd c)
{
	struct cli cli = cli_of(c);
	if (c == CMD_MAIN) {
		fprintf(f, "usage: mkimg %s\n       mkimg COMMAND [OPTIONS] ...\n\n"
			   "mkimg turns a partition manifest into the boot image of an seL4 partitioned\n"
			   "multikernel: one unicore kernel per core.\n\ncommands:\n",
			commands[CMD_MAIN].usage);
		for (int i = 1; i < CMD_COUNT; i++)
			fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
		fprintf(f, "\nwithout a command: %s\n\n", commands[CMD_MAIN].summary);
	} else {
		fprintf(f, "usage: mkimg %s %s\n\n%s\n\n", commands[c].name, commands[c].usage, commands[c].summary);
	}
	cli_help(f, &cli);
	if (c == CMD_MAIN)
		fputs("\n'mkimg COMMAND --help' describes one command.\n", f);
}

/* `fmt` has one %s, for `arg` (escaped: it is the user's). */
static int bad_usage(enum cmd c, const char *fmt, const char *arg)
{
	struct cli cli = cli_of(c);
	return cli_bad_usage(&cli, fmt, arg);
}

struct args {
	enum cmd cmd;
	const char *manifest, *out, *format; /* manifest: inspect's and run's IMAGE too */
	const char *loader;
	unsigned timeout, jobs, el;
	bool list, dry_run, u_boot;
	enum { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER } progress; /* --progress */
	const char *junit;   /* --junit */
	const char *dtb;     /* --dtb */
	const char **expect; /* --expect, in order */
	size_t n_expect;
};

static int on_opt(void *ctx, const struct cli_opt *o, const char *value)
{
	struct args *a = ctx;
	char *end;
	unsigned long n;
	switch (o->id) {
	case OPT_HELP:
		usage(stdout, a->cmd);
		return 0;
	case OPT_VERSION:
		printf("mkimg %s\n", MKIMG_VERSION);
		return 0;
	case OPT_OUT:
		a->out = value;
		break;
	case OPT_FORMAT:
		a->format = value;
		break;
	case OPT_LIST:
		a->list = true;
		break;
	case OPT_DRY_RUN:
		a->dry_run = true;
		break;
	case OPT_EXPECT:
		*VEC_PUSH(a->expect, a->n_expect) = value;
		break;
	case OPT_JUNIT:
		a->junit = value;
		break;
	case OPT_PROGRESS:
		if (!strcmp(value, "auto"))
			a->progress = PROGRESS_AUTO;
		else if (!strcmp(value, "always"))
			a->progress = PROGRESS_ALWAYS;
		else if (!strcmp(value, "never"))
			a->progress = PROGRESS_NEVER;
		else
			return bad_usage(a->cmd, "bad --progress '%s' (auto, always or never)", value);
		break;
	case OPT_LOADER:
		a->loader = value;
		break;
	case OPT_JOBS:
		n = strtoul(value, &end, 10);
		if (*end || n == 0 || n > 1024)
			return bad_usage(a->cmd, "bad job count '%s' (1 to 1024)", value);
		a->jobs = (unsigned)n;
		break;
	case OPT_U_BOOT:
		a->u_boot = true;
		break;
	case OPT_DTB:
		a->dtb = value;
		break;
	case OPT_EL:
		if (strcmp(value, "1") && strcmp(value, "2"))
			return bad_usage(a->cmd, "bad exception level '%s' (1 or 2)", value);
		a->el = (unsigned)(value[0] - '0');
		break;
	case OPT_TIMEOUT:
		n = strtoul(value, &end, 10);
		if (*end || n > 86400)
			return bad_usage(a->cmd, "bad timeout '%s' (seconds)", value);
		a->timeout = (unsigned)n;
		break;
	}
	return -1;
}

/* A first word that is no command, no file and no path ("mkimg version"):
 * git's "is not a command", with the nearest command or option. */
static int unknown_command(const char *word)
{
	const char *names[CMD_COUNT + 1] = {"help", "version"};
	for (int i = 1; i < CMD_COUNT; i++)
		names[i + 1] = commands[i].name;
	const char *near = cli_nearest(word, names, CMD_COUNT + 1);
	char *fmt = near ? xasprintf("'%%s' is not a mkimg command or a file; did you mean 'mkimg %s%s'?",
				     near == names[0] || near == names[1] ? "--" : "", near)
			 : xstrdup("'%s' is not a mkimg command or a file");
	int status = bad_usage(CMD_MAIN, fmt, word);
	free(fmt);
	return status;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int skip = 0; /* the command's word */
	a->cmd = CMD_MAIN;
	if (argc > 1 && argv[1][0] != '-') {
		for (int i = 1; i < CMD_COUNT; i++)
			if (!strcmp(argv[1], commands[i].name)) {
				a->cmd = (enum cmd)i;
				skip = 1;
			}
		if (!skip && !strpbrk(argv[1], "/.") && access(argv[1], F_OK) != 0)
			return unknown_command(argv[1]);
	}
	struct cli cli = cli_of(a->cmd);
	int ac = argc - skip, first;
	char **av = argv + skip;
	int status = cli_parse(&cli, ac, av, on_opt, a, &first);
	if (status >= 0 || a->list)
		return status;
	if (a->junit && !a->n_expect)
		return bad_usage(a->cmd, "%s", "--junit goes with --expect: a report of the patterns seen");
	if (a->dtb && !a->u_boot)
		return bad_usage(a->cmd, "%s", "--dtb goes with --u-boot: it is U-Boot's device tree");
	if (first >= ac)
		return bad_usage(a->cmd, "%s", "no manifest given");
	if (first + 1 < ac)
		return bad_usage(a->cmd, "unexpected argument '%s'", av[first + 1]);
	a->manifest = av[first];
	return -1;
}

static const struct format *find_format(const char *name)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

/* Write the layout in every format into `dir`, all or nothing. */
static int write_layout(const char *dir, const struct plan *p, struct diags *d)
{
	struct output o = {0};
	struct mk_loc loc = {.file = dir};
	if (make_dirs(dir) < 0) {
		diag_error(d, &loc, NULL, "cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < N_FORMATS; i++) {
		char *path = xasprintf("%s/%s", dir, formats[i].file);
		FILE *f = output_open(&o, path);
		if (!f) {
			diag_error(d, &loc, NULL, "cannot create '%s': %s", path, strerror(errno));
			free(path);
			output_abort(&o);
			return -1;
		}
		free(path);
		formats[i].emit(f, p);
	}
	return output_commit(&o, d);
}

static const char *loader_path(const struct args *a)
{
	if (a->loader)
		return a->loader;
	return locate_loader();
}

/* The image from what is in `dir`: the built artifacts (or, for pack,
 * what earlier runs left there) and dts-split's trees. */
static int pack_dir(const struct plan *p, const char *dir, const struct node_artifacts *art, const struct args *a,
		    struct diags *d)
{
	struct node_inputs *in = pack_default_inputs(p, dir);
	for (size_t i = 0; art && i < p->n_nodes; i++) {
		if (art[i].kernel) {
			free((char *)in[i].kernel);
			in[i].kernel = xstrdup(art[i].kernel);
		}
		if (art[i].root_task) {
			free((char *)in[i].root_task);
			in[i].root_task = xstrdup(art[i].root_task);
		}
	}
	struct pack_result r;
	int ret = pack_image(p, in, loader_path(a), dir, &r, d);
	if (ret == 0)
		printf("image written to %s/%s and %s: loader %llu + payload %llu bytes\n", dir, PACK_ELF, PACK_BIN,
		       (unsigned long long)r.loader_size, (unsigned long long)r.payload_size);
	pack_inputs_free(in, p->n_nodes);
	return ret;
}

/* Build every node, then pack. */
static int build_and_pack(const struct plan *p, const char *dir, const struct args *a, struct diags *d)
{
	struct node_artifacts *art = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*art));
	/* a terminal gets every line; a log (a CI job) one line per node as it finishes */
	struct build_options bo = {.jobs = a->jobs, .progress = a->progress == PROGRESS_NEVER ? NULL : stderr,
				   .progress_ends_only = a->progress == PROGRESS_AUTO && !isatty(2)};
	int ret = build_nodes(p, dir, &bo, art, d);
	if (ret == 0)
		ret = pack_dir(p, dir, art, a, d);
	node_artifacts_free(art, p->n_nodes);
	free(art);
	return ret;
}

/* Everything the main job can check before it writes anything: the node
 * trees (made in memory here, written later), the build sections, and the
 * kernels and root tasks the manifest names as files, against those trees. */
static int check_inputs(const struct plan *p, const char *dir, struct diags *d)
{
	if (dts_split_check(p, d) < 0 || build_check_inputs(p, dir, d) < 0)
		return -1;
	struct pack_tree *trees = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*trees));
	int ret = 0;
	for (size_t i = 0; i < p->n_nodes && ret == 0; i++)
		ret = dts_split_node(p, &p->nodes[i], (void **)&trees[i].dtb, &trees[i].size, d);
	if (ret == 0)
		ret = pack_check_files(p, dir, trees, d);
	for (size_t i = 0; i < p->n_nodes; i++)
		free((void *)trees[i].dtb);
	free(trees);
	return ret;
}

/* No file this command writes may be one of its inputs (the same file by
 * device and inode): checked before the first write, with the loader and
 * the manifest's kernels and root tasks noted as inputs even where they
 * are read later. output_open() checks every file again as it opens it. */
static int check_outputs(const struct args *a, const struct plan *p, const char *dir, struct diags *d)
{
	enum cmd c = a->cmd;
	bool main_job = c == CMD_MAIN || c == CMD_RUN;
	/* pack's own names of what a node's files are: a file the manifest
	 * names, else what the build writes (Kernel.N.elf, capdl.N.img) */
	struct node_inputs *in = pack_default_inputs(p, dir);
	char **paths = NULL;
	size_t n = 0;
	unsigned errors = d->errors;

	input_note(loader_path(a), IN_LOADER);
	/* the FIT's signing key is read last, by mkimage: missing, it is said now */
	if ((main_job || c == CMD_PACK) && p->fit_key && access(p->fit_key, R_OK) != 0)
		diag_error(d, &p->fit_key_loc, "fit-key", "cannot read the FIT's signing key '%s': %s", p->fit_key,
			   strerror(errno));
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *nd = &p->nodes[i];
		const struct plan_artifact *arts[] = {&nd->kernel, &nd->root_task};
		const char *files[] = {in[i].kernel, in[i].root_task};
		for (size_t k = 0; k < 2; k++)
			if (arts[k]->kind == PLAN_ART_FILE)
				input_note(files[k], k ? IN_ROOT_TASK : IN_KERNEL);
			else if (main_job && arts[k]->kind == PLAN_ART_BUILD)
				*VEC_PUSH(paths, n) = xstrdup(files[k]);
		if (main_job || c == CMD_SPLIT) {
			*VEC_PUSH(paths, n) = xstrdup(in[i].dtb);
			*VEC_PUSH(paths, n) = xasprintf("%s/node%u/kernel.dts", dir, nd->id);
			*VEC_PUSH(paths, n) = xasprintf("%s/node%u/kernel-overlay.dts", dir, nd->id);
		}
	}
	pack_inputs_free(in, p->n_nodes);
	for (size_t i = 0; (main_job || c == CMD_PLAN) && i < N_FORMATS; i++)
		*VEC_PUSH(paths, n) = xasprintf("%s/%s", dir, formats[i].file);
	for (size_t k = 0; (main_job || c == CMD_PACK) && k < PACK_OUTPUTS; k++)
		*VEC_PUSH(paths, n) = xasprintf("%s/%s", dir, pack_outputs[k]);
	for (size_t i = 0; i < n; i++) {
		output_check_input(paths[i], d);
		free(paths[i]);
	}
	free(paths);
	return d->errors > errors ? -1 : 0;
}

static int run_image(const char *image, const struct args *a, struct diags *d)
{
	struct run_opts o = {.timeout = a->timeout, .dry_run = a->dry_run, .expect = a->expect, .n_expect = a->n_expect,
			     .junit = a->junit, .u_boot = a->u_boot, .el = a->el, .dtb = a->dtb};
	int st = image_run(stdout, image, &o, d);
	return st < 0 ? 1 : st;
}

static int run(const struct args *a, struct diags *d)
{
	if (a->cmd == CMD_INSPECT) {
		bool json = a->format && !strcmp(a->format, "json");
		if (a->format && !json && strcmp(a->format, "text"))
			return bad_usage(a->cmd, "unknown format '%s' (text or json)", a->format);
		return image_inspect(stdout, a->manifest, json, d);
	}
	if (a->cmd == CMD_RUN && image_probe(a->manifest))
		return run_image(a->manifest, a, d);

	struct manifest m = {0};
	struct platform pf = {0};
	struct plan p = {0};
	int ret = 1;
	const struct format *fmt = NULL;

	if (a->cmd == CMD_PLAN && a->format && !(fmt = find_format(a->format)))
		return bad_usage(a->cmd, "unknown format '%s' (text, json or svg)", a->format);
	/* The board is read even when the manifest has errors, as long as it
	 * names one: both are reported together. */
	bool manifest_ok = manifest_load(&m, a->manifest, d) == 0;
	const struct mf_str *board = m.dtb.s ? &m.dtb : &m.dts;
	if (!board->s || (m.dtb.s && m.dts.s))
		goto out;
	if ((m.dtb.s ? platform_load_dtb(&pf, m.dtb.s, d) : platform_load(&pf, m.dts.s, d)) < 0) {
		diag_add(d, DIAG_NOTE, &board->loc, NULL, "the board's device tree is named here");
		goto out;
	}
	if (!manifest_ok)
		goto out;
	if (plan_build(&p, &m, &pf, d) < 0)
		goto out;

	switch (a->cmd) {
	case CMD_CHECK:
		ret = 0;
		break;
	case CMD_PLAN:
		if (a->out) {
			output_root(a->out, stderr, d);
			ret = check_outputs(a, &p, a->out, d) < 0 || write_layout(a->out, &p, d) < 0;
			break;
		}
		(fmt ? fmt : &formats[0])->emit(stdout, &p);
		ret = fflush(stdout) != 0;
		break;
	case CMD_SPLIT: {
		char *dir = a->out ? xstrdup(a->out) : xasprintf("out/%s", p.name);
		output_root(dir, stderr, d);
		ret = dts_split_check(&p, d) < 0 || check_outputs(a, &p, dir, d) < 0 || dts_split_write(&p, dir, d) < 0;
		if (!ret)
			printf("device trees written to %s/node*/\n", dir);
		free(dir);
		break;
	}
	case CMD_PACK: {
		char *dir = a->out ? xstrdup(a->out) : xasprintf("out/%s", p.name);
		output_root(dir, stderr, d);
		ret = check_outputs(a, &p, dir, d) < 0 || pack_dir(&p, dir, NULL, a, d) < 0;
		free(dir);
		break;
	}
	case CMD_MAIN:
	case CMD_RUN: {
		char *dir = a->out ? xstrdup(a->out) : xasprintf("out/%s", p.name);
		output_root(dir, stderr, d);
		/* everything that can be checked is checked before anything is written */
		ret = check_inputs(&p, dir, d) < 0 || check_outputs(a, &p, dir, d) < 0 || write_layout(dir, &p, d) < 0 ||
		      dts_split_write(&p, dir, d) < 0 ||
		      build_and_pack(&p, dir, a, d) < 0;
		if (!ret && a->cmd == CMD_MAIN) {
			char *path = xasprintf("%s/%s", dir, PACK_UIMAGE);
			bool uimg = access(path, F_OK) == 0; /* written only below 4 GiB */
			free(path);
			report_text(stdout, &p);
			printf("\nwritten to %s: layout.{txt,json,svg}, node*/kernel.dtb, kernel.dts, kernel-overlay.dts,\n"
			       "%s, %s, %s, %s%s%s\n", dir, PACK_ELF, PACK_BIN, PACK_CPIO, PACK_FIT, uimg ? ", " : "",
			       uimg ? PACK_UIMAGE : "");
		}
		if (!ret && a->cmd == CMD_RUN) {
			char *image = xasprintf("%s/%s", dir, a->u_boot ? PACK_BIN : PACK_ELF); /* booti's */
			ret = run_image(image, a, d);
			free(image);
		}
		free(dir);
		break;
	}
	default:
		break;
	}
out:
	output_root(NULL, NULL, NULL);
	plan_free(&p);
	platform_free(&pf);
	manifest_free(&m);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	int status = parse_args(argc, argv, &a);
	if (status >= 0) {
		free(a.expect);
		return status;
	}
	if (a.list) {
		for (const struct plan_check *c = plan_checks; c->name; c++)
			printf("%-22s %s\n", c->name, c->what);
		return 0;
	}
	struct diags d = {0};
	output_catch_signals();
	status = run(&a, &d);
	diag_print(stderr, &d);
	if (status == 0 && d.errors)
		status = 1;
	diags_free(&d);
	free(a.expect);
	return status;
}
