/* output.h - all-or-nothing output files.
 *
 * Each file is written under a temporary name beside its final one; only
 * output_commit() renames them into place, after every one was written and
 * flushed without error. output_abort() (and a failed commit) removes the
 * temporary files, so a failed run leaves nothing half-written.
 */
#ifndef MKIMG_OUTPUT_H
#define MKIMG_OUTPUT_H

#include "util.h"

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

#endif
