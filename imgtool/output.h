/* SPDX-License-Identifier: BSD-2-Clause */
/* output.h - all-or-nothing output files.
 *
 * Each file is written under a temporary name beside its final one; only
 * output_commit() renames them into place, after every one was written and
 * flushed without error; a file whose bytes did not change is left as it
 * was, timestamp included. output_abort() (and a failed commit) removes the
 * temporary files, so a failed run leaves nothing half-written.
 */
#ifndef MKIMG_OUTPUT_H
#define MKIMG_OUTPUT_H

#include "util.h"

#include <sys/types.h>

struct output_file {
	char *final, *tmp;
	FILE *f;  /* open while it is the newest file */
	int err;  /* errno of a failed write or close, 0 if none */
};

struct output {
	struct output_file *v;
	size_t n;
};

/* Create the folder `dir` and its parents (like mkdir -p). Returns 0 or -1
 * with errno set. */
int make_dirs(const char *dir);
/* Open a temporary file that becomes `path` on commit; NULL with errno.
 * Files are written one after the other: opening one closes the one before
 * (its errors are reported at commit), so N files never hold N descriptors. */
FILE *output_open(struct output *o, const char *path);
/* Close and rename every file; returns 0, or -1 after reporting to `d` and
 * removing every temporary file. */
int output_commit(struct output *o, struct diags *d);
void output_abort(struct output *o);

/* Signals. After output_catch_signals(), SIGINT, SIGTERM and SIGHUP remove
 * every temporary file still registered (output_open()'s, temp_create()'s),
 * stop the process group named by output_child_group() (SIGTERM, then wait
 * for its leader) and exit with 128 + the signal's number. */
void output_catch_signals(void);
/* The process group a signal must stop (a build's Ninja), or 0 for none. */
void output_child_group(pid_t pgid);
/* Create an empty file named `prefix` + a unique suffix, registered as a
 * temporary; returns its name (free it with temp_remove()) or NULL with
 * errno. */
char *temp_create(const char *prefix);
/* Remove a temporary file, forget it and free its name. */
void temp_remove(char *path);

/* The output folder of this run (NULL: none). Before the first file or
 * folder is made (make_dirs(), output_open(), temp_create()), it is locked
 * with output_lock(), with `note` and `d` for its messages; a file outside
 * it is refused (EPERM). */
void output_root(const char *dir, FILE *note, struct diags *d);

/* Whether writing `path` would replace one of the run's inputs (the same
 * file by device and inode, see input_same_file()): -1 after reporting it
 * to `d` [output-is-input], else 0. output_open() asks it of every file. */
int output_check_input(const char *path, struct diags *d);

/* Lock the output folder `dir` (created if need be) for the rest of the
 * run, so that two runs never mix their results in one folder. When another
 * run holds it, say so once on `note` (if not NULL) (with its pid where /proc/locks tells)
 * and wait. Returns 0, or -1 after reporting to `d`. */
int output_lock(const char *dir, FILE *note, struct diags *d);

#endif
