/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.c - see cli.h. */
#include "cli.h"

#include "util.h"

#include <getopt.h>

void cli_help(FILE *f, const struct cli *c)
{
	fputs("options:\n", f);
	for (size_t i = 0; i < c->n_opts; i++) {
		const struct cli_opt *o = &c->opts[i];
		if (!(o->cmds & c->cmd_bit))
			continue;
		char left[40];
		const char *sp = o->arg ? " " : "", *arg = o->arg ? o->arg : "";
		if (o->id < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->name, sp, arg);
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, sp, arg);
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
}


const char *cli_nearest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]), nl = strlen(names[i]);
		if (len >= 2 && !strncmp(word, names[i], len < nl ? len : nl))
			d = d < 1 ? d : 1;
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

int cli_bad_usage(const struct cli *c, const char *fmt, const char *arg)
{
	struct sbuf b = {0};
	sb_escaped(&b, arg);
	fprintf(stderr, "%s: ", c->prog);
	fprintf(stderr, fmt, b.s);
	fprintf(stderr, "\nTry '%s %s%s--help'.\n", c->prog, c->cmd, *c->cmd ? " " : "");
	free(b.s);
	return 2;
}

int cli_parse(const struct cli *c, int argc, char **argv, int (*on_opt)(void *ctx, const struct cli_opt *o,
									   const char *value),
	      void *ctx, int *first)
{
	struct option *lo = xcalloc(c->n_opts + 1, sizeof(*lo));
	char *so = xcalloc(2 * c->n_opts + 2, 1), *seen = xcalloc(c->n_opts, 1);
	size_t sk = 0;
	int status = -1;
	so[sk++] = ':'; /* a missing value returns ':' */
	for (size_t i = 0; i < c->n_opts; i++) {
		const struct cli_opt *o = &c->opts[i];
		lo[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->id};
		if (o->id < 256) {
			so[sk++] = (char)o->id;
			if (o->arg)
				so[sk++] = ':';
		}
	}
	optind = 1;
	opterr = 0;
	while (status < 0) {
		int id = getopt_long(argc, argv, so, lo, NULL);
		if (id == -1)
			break;
		if (id == ':') {
			status = cli_bad_usage(c, "option '%s' needs a value", argv[optind - 1]);
			break;
		}
		const struct cli_opt *o = NULL;
		for (size_t i = 0; i < c->n_opts; i++)
			if (c->opts[i].id == id)
				o = &c->opts[i];
		if (!o) {
			char shortopt[3] = {'-', (char)optopt, 0};
			status = cli_bad_usage(c, "unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
		} else if (!(o->cmds & c->cmd_bit)) {
			status = cli_bad_usage(c, "option '--%s' does not apply to this command", o->name);
		} else if (o->arg && !o->many && seen[o - c->opts]++) {
			status = cli_bad_usage(c, "option '--%s' is given twice", o->name);
		} else if (o->arg && !*optarg) {
			status = cli_bad_usage(c, "option '--%s' needs a value, not an empty one", o->name);
		} else {
			status = on_opt(ctx, o, o->arg ? optarg : NULL);
		}
	}
	*first = optind;
	free(lo);
	free(so);
	free(seen);
	return status;
}
