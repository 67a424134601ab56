/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h - the command line of both tools, mkimg and dts-split: one table
 * of options drives both the parsing and the help text, and every usage
 * error has one form:
 *
 *   PROG: message
 *   Try 'PROG [COMMAND ]--help'.
 *
 * with exit status 2. The user's words in a message are escaped.
 */
#ifndef MKIMG_CLI_H
#define MKIMG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_ALL (~0u) /* cli_opt.cmds: every command */

struct cli_opt {
	const char *name; /* --name */
	int id;           /* its short letter, or a number from 256 for a long option alone */
	const char *arg;  /* the value's name ("DIR"), or NULL for a flag */
	unsigned cmds;    /* a bit per command that takes it (CLI_ALL: all) */
	const char *help;
	bool many;        /* may be given more than once (each value is passed on) */
};

struct cli {
	const char *prog; /* "mkimg" */
	const char *cmd;  /* the command being parsed ("plan"), or "" */
	unsigned cmd_bit; /* its bit in cli_opt.cmds */
	const struct cli_opt *opts;
	size_t n_opts;
};

/* The options of the command, one line each, as `--help` shows them. */
void cli_help(FILE *f, const struct cli *c);
/* Print a usage error (`fmt` holds one %s, for `arg`, escaped) and return 2. */
int cli_bad_usage(const struct cli *c, const char *fmt, const char *arg);
/* Of `names[0..n)`, the one nearest to `word` (at most two edits apart,
 * or one the start of the other), or NULL. For "did you mean". */
const char *cli_nearest(const char *word, const char *const *names, size_t n);
/* Parse argv[1..argc) (getopt_long, options and operands in any order):
 * `on_opt` is called for each option with its value (NULL for a flag) and
 * returns -1 to go on or an exit status to stop with. Unknown options,
 * missing or empty values, options of another command and an option with
 * a value given twice are usage errors. Returns -1 with the operands at
 * argv[*first..argc), or an exit status. */
int cli_parse(const struct cli *c, int argc, char **argv, int (*on_opt)(void *ctx, const struct cli_opt *o,
									   const char *value),
	      void *ctx, int *first);

#endif
