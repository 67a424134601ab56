/* main.c - the standalone dts-split command: a plan (the JSON that
 * `mkimg plan --format json` prints) and the board's tree in, one device
 * tree per node out.
 *
 * Exit status: 0 success, 1 bad input (nothing is written), 2 bad usage.
 */
#include "dts_split.h"
#include "plan_json.h"
#include "platform.h"

#include <getopt.h>
#include <sys/resource.h>

#ifndef MKIMG_VERSION
#define MKIMG_VERSION "0"
#endif

enum { OPT_DTB_ONLY = 256, OPT_TIMING };

static const struct opt {
	const char *name;
	int id;
	const char *arg, *help;
} opts[] = {
	{"plan", 'p', "PLAN", "the plan as JSON ('mkimg plan --format json'); '-' reads stdin"},
	{"output", 'o', "DIR", "write DIR/node<ID>/kernel.dtb, kernel.dts, kernel-overlay.dts"},
	{"dtb-only", OPT_DTB_ONLY, NULL, "write kernel.dtb only"},
	{"timing", OPT_TIMING, NULL, "print the time each phase took on stderr"},
	{"help", 'h', NULL, "show this help and exit"},
	{"version", 'V', NULL, "show the version and exit"},
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static void usage(FILE *f)
{
	fputs("usage: dts-split --plan PLAN BOARD -o DIR [--dtb-only] [--timing]\n\n"
	      "Split the board's device tree (BOARD: .dtb, or .dts compiled with dtc) into one tree\n"
	      "per node of the plan: only the node's RAM, cpus and devices; the rest reserved or\n"
	      "disabled; the node's channels and shared pools in /chosen/mkimg.\n\noptions:\n",
	      f);
	for (size_t i = 0; i < N_OPTS; i++) {
		char left[40];
		if (opts[i].id < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].id, opts[i].name, opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s", opts[i].name);
		fprintf(f, "  %-22s %s\n", left, opts[i].help);
	}
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("dts-split: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'dts-split --help'.\n", stderr);
	return 2;
}

struct args {
	const char *plan, *board, *out;
	unsigned flags;
	bool timing;
};

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct option lo[N_OPTS + 1];
	char so[2 * N_OPTS + 2] = ":";
	size_t sk = 1; /* the leading ":" makes a missing value return ':' */
	for (size_t i = 0; i < N_OPTS; i++) {
		lo[i] = (struct option){opts[i].name, opts[i].arg ? required_argument : no_argument, NULL, opts[i].id};
		if (opts[i].id < 256) {
			so[sk++] = (char)opts[i].id;
			if (opts[i].arg)
				so[sk++] = ':';
		}
	}
	lo[N_OPTS] = (struct option){0};
	so[sk] = '\0';
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, so, lo, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("dts-split (mkimg) %s\n", MKIMG_VERSION);
			return 0;
		case 'p':
			a->plan = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case OPT_DTB_ONLY:
			a->flags |= DTS_SPLIT_DTB_ONLY;
			break;
		case OPT_TIMING:
			a->timing = true;
			break;
		case ':':
			return bad_usage("option '%s' needs a value", argv[optind - 1]);
		default: {
			char shortopt[3] = {'-', (char)optopt, 0};
			return bad_usage("unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
		}
		}
	}
	if (!a->plan)
		return bad_usage("%s", "no plan given (--plan PLAN)");
	if (optind >= argc)
		return bad_usage("%s", "no board device tree given");
	if (optind + 1 < argc)
		return bad_usage("unexpected argument '%s'", argv[optind + 1]);
	if (!a->out || !*a->out)
		return bad_usage("%s", "no output folder given (-o DIR)");
	a->board = argv[optind];
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
	if (dts_split_write_ex(&pj.plan, a->out, a->flags, &t, d) < 0)
		goto out;
	if (a->timing)
		fprintf(stderr, "dts-split: %zu trees: blobs %.3f ms, text %.3f ms, files %.3f ms\n",
			pj.plan.n_nodes, (double)t.dtb_ns / 1e6, (double)t.text_ns / 1e6, (double)t.write_ns / 1e6);
	ret = 0;
out:
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
	status = run(&a, &d);
	diag_print(stderr, &d);
	if (status == 0 && d.errors)
		status = 1;
	diags_free(&d);
	return status;
}
