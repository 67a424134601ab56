/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the standalone dts-split command: a plan (the JSON that
 * `mkimg plan --format json` prints) and the board's tree in, one device
 * tree per node out.
 *
 * Exit status: 0 success, 1 bad input (nothing is written), 2 bad usage.
 */
#include "cli.h"
#include "dts_split.h"
#include "output.h"
#include "plan_json.h"
#include "platform.h"

#include <sys/resource.h>

#include "version.h" /* MKIMG_VERSION, made at build time (cmake/version.cmake) */

enum { OPT_DTB_ONLY = 256, OPT_TIMING };

static const struct cli_opt opts[] = {
	{"plan", 'p', "PLAN", CLI_ALL, "the plan as JSON ('mkimg plan --format json'); '-' reads stdin", false},
	{"output", 'o', "DIR", CLI_ALL, "write DIR/node<ID>/kernel.dtb, kernel.dts, kernel-overlay.dts", false},
	{"dtb-only", OPT_DTB_ONLY, NULL, CLI_ALL, "write kernel.dtb only", false},
	{"timing", OPT_TIMING, NULL, CLI_ALL, "print the time each phase took on stderr", false},
	{"help", 'h', NULL, CLI_ALL, "show this help and exit", false},
	{"version", 'V', NULL, CLI_ALL, "show the version and exit", false},
};
static const struct cli cli = {"dts-split", "", 1, opts, sizeof(opts) / sizeof(opts[0])};

static void usage(FILE *f)
{
	fputs("usage: dts-split --plan PLAN BOARD -o DIR [--dtb-only] [--timing]\n\n"
	      "Split the board's device tree (BOARD: .dtb, or .dts compiled with dtc) into one tree\n"
	      "per node of the plan: only the node's RAM, cpus and devices; the rest reserved or\n"
	      "disabled; the node's channels and shared pools in /chosen/mkimg.\n\n",
	      f);
	cli_help(f, &cli);
}

struct args {
	const char *plan, *board, *out;
	unsigned flags;
	bool timing;
};

static int on_opt(void *ctx, const struct cli_opt *o, const char *value)
{
	struct args *a = ctx;
	switch (o->id) {
	case 'h':
		usage(stdout);
		return 0;
	case 'V':
		printf("dts-split (mkimg) %s\n", MKIMG_VERSION);
		return 0;
	case 'p':
		a->plan = value;
		break;
	case 'o':
		a->out = value;
		break;
	case OPT_DTB_ONLY:
		a->flags |= DTS_SPLIT_DTB_ONLY;
		break;
	case OPT_TIMING:
		a->timing = true;
		break;
	}
	return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int first, status = cli_parse(&cli, argc, argv, on_opt, a, &first);
	if (status >= 0)
		return status;
	if (!a->plan)
		return cli_bad_usage(&cli, "%s", "no plan given (--plan PLAN)");
	if (first >= argc)
		return cli_bad_usage(&cli, "%s", "no board device tree given");
	if (first + 1 < argc)
		return cli_bad_usage(&cli, "unexpected argument '%s'", argv[first + 1]);
	if (!a->out)
		return cli_bad_usage(&cli, "%s", "no output folder given (-o DIR)");
	a->board = argv[first];
	return -1;
}

/* Every node's three files stay open until they are all renamed into
 * place (output.h), so a big plan needs more than the usual 1024 files. */
static void raise_file_limit(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static int run(const struct args *a, struct diags *d)
{
	struct platform pf;
	struct plan_json pj = {0};
	struct dts_split_times t;
	int ret = 1;

	if (platform_load(&pf, a->board, d) < 0)
		return 1;
	if (plan_json_load(&pj, a->plan, &pf, d) < 0)
		goto out;
	raise_file_limit();
	output_root(a->out, stderr, d); /* locked at the first write, like mkimg's */
	if (dts_split_write_ex(&pj.plan, a->out, a->flags, &t, d) < 0)
		goto out;
	if (a->timing)
		fprintf(stderr, "dts-split: %zu trees: blobs %.3f ms, text %.3f ms, files %.3f ms\n",
			pj.plan.n_nodes, (double)t.dtb_ns / 1e6, (double)t.text_ns / 1e6, (double)t.write_ns / 1e6);
	ret = 0;
out:
	output_root(NULL, NULL, NULL);
	plan_json_free(&pj);
	platform_free(&pf);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	int status = parse_args(argc, argv, &a);
	if (status >= 0)
		return status;
	struct diags d = {0};
	output_catch_signals();
	status = run(&a, &d);
	diag_print(stderr, &d);
	if (status == 0 && d.errors)
		status = 1;
	diags_free(&d);
	return status;
}
