/* SPDX-License-Identifier: BSD-2-Clause */
/* dts_split.c - per-node device trees from a plan (see dts_split.h): the
 * entry points, and writing every node's files, all or nothing.
 *
 * The board's blob (the plan's copy) is only read. A `struct board`
 * indexes it once, a `struct split` makes every decision for one plan node
 * before anything is written, and two emitters, the blob writer and the
 * overlay writer, read the same decisions. split_internal.h says which file holds which part.
 */
#include "split_internal.h"
#include "dts_text.h"
#include "output.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void split_free(struct split *s)
{
	free(s->act);
	free(s->rc);
	free(s->ch);
	for (size_t i = 0; i < 2; i++)
		free(s->lists[i].val);
	*s = (struct split){0};
}

/* Everything one node changes; the plan node was checked already. */
static void split_init(struct split *s, const struct board *b, const struct plan *p, const struct plan_node *n)
{
	*s = (struct split){.p = p, .n = n, .b = b, .id = cpu_to_fdt32(n->id)};
	split_acts(s);
	split_reserved(s);
	split_chosen(s);
	split_channels(s);
}

/* ------------------------------------------------------------ entry points */

static int node_begin(struct board *b, const struct plan *p, const struct plan_node *n, struct diags *d)
{
	unsigned errors = d->errors;
	if (board_init(b, &p->board, d) < 0)
		return -1;
	check_node(b, p, n, d);
	if (d->errors > errors) {
		board_free(b);
		return -1;
	}
	return 0;
}

int dts_split_node(const struct plan *p, const struct plan_node *n, void **dtb, size_t *size, struct diags *d)
{
	struct board b;
	struct split s;
	*dtb = NULL;
	*size = 0;
	if (node_begin(&b, p, n, d) < 0)
		return -1;
	struct work w = {0};
	split_init(&s, &b, p, n);
	int rc = build_blob(&s, &w, dtb, size, d);
	work_free(&w);
	split_free(&s);
	board_free(&b);
	return rc;
}

int dts_split_overlay(const struct plan *p, const struct plan_node *n, char **text, struct diags *d)
{
	struct board b;
	struct split s;
	*text = NULL;
	if (node_begin(&b, p, n, d) < 0)
		return -1;
	split_init(&s, &b, p, n);
	build_overlay(&s, text);
	split_free(&s);
	board_free(&b);
	return 0;
}

/* What one node's folder will hold. */
struct node_out {
	void *dtb;
	size_t size;
	char *dts, *overlay;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* mkdir -p that remembers the folders it made, so a failure can take
 * them away again. Returns 0 or an errno value. */
static int make_dirs_tracked(const char *dir, char ***made, size_t *n_made)
{
	char *p = xstrdup(dir);
	int err = 0;
	for (char *c = p + 1;; c++) {
		bool last = *c == '\0';
		if (*c != '/' && !last)
			continue;
		*c = '\0';
		if (mkdir(p, 0777) == 0)
			*VEC_PUSH(*made, *n_made) = xstrdup(p);
		else if (errno != EEXIST)
			err = errno;
		if (last || err)
			break;
		*c = '/';
	}
	free(p);
	return err;
}

static void file_error(struct diags *d, const char *what, const char *path, int err)
{
	struct mk_loc loc = {.file = path};
	diag_error(d, &loc, NULL, "cannot %s '%s': %s", what, path, strerror(err));
}

static int write_file(struct output *o, const char *path, const void *data, size_t len, struct diags *d)
{
	FILE *f = output_open(o, path);
	if (!f) {
		file_error(d, "create", path, errno);
		return -1;
	}
	if (len && fwrite(data, 1, len, f) != len) {
		file_error(d, "write", path, errno);
		return -1;
	}
	return 0;
}

static int write_all(const struct plan *p, const char *outdir, const struct node_out *out, unsigned flags,
		     struct diags *d)
{
	struct output o = {0};
	char **made = NULL;
	size_t n_made = 0;
	int rc = 0;
	for (size_t i = 0; i < p->n_nodes && !rc; i++) {
		char *dir = xasprintf("%s/node%u", outdir, p->nodes[i].id);
		int err = make_dirs_tracked(dir, &made, &n_made);
		if (err) {
			file_error(d, "create", dir, err);
			rc = -1;
		}
		const struct node_out *x = &out[i];
		struct {
			const char *name;
			const void *data;
			size_t len;
		} files[] = {
			{"kernel.dtb", x->dtb, x->size},
			{"kernel.dts", x->dts, x->dts ? strlen(x->dts) : 0},
			{"kernel-overlay.dts", x->overlay, x->overlay ? strlen(x->overlay) : 0},
		};
		for (size_t k = 0; k < (flags & DTS_SPLIT_DTB_ONLY ? 1 : 3) && !rc; k++) {
			char *path = xasprintf("%s/%s", dir, files[k].name);
			rc = write_file(&o, path, files[k].data, files[k].len, d);
			free(path);
		}
		free(dir);
	}
	if (rc)
		output_abort(&o);
	else
		rc = output_commit(&o, d);
	/* Undo the folders on failure, deepest first; one that is not empty
	 * holds someone else's files and stays. */
	for (size_t i = n_made; i-- > 0;) {
		if (rc)
			rmdir(made[i]);
		free(made[i]);
	}
	free(made);
	return rc;
}

int dts_split_write_ex(const struct plan *p, const char *outdir, unsigned flags, struct dts_split_times *t,
		       struct diags *d)
{
	struct board b;
	unsigned errors = d->errors;
	struct dts_split_times tm = {0};
	if (!outdir || !*outdir) {
		diag_error(d, NULL, NULL, "no output folder given");
		return -1;
	}
	if (board_init(&b, &p->board, d) < 0)
		return -1;
	check_plan(&b, p, d);
	if (d->errors > errors) {
		board_free(&b);
		return -1;
	}

	struct node_out *out = xcalloc(p->n_nodes, sizeof(*out));
	struct work w = {0};
	int rc = 0;
	for (size_t i = 0; i < p->n_nodes && !rc; i++) {
		struct split s;
		uint64_t t0 = now_ns();
		split_init(&s, &b, p, &p->nodes[i]);
		rc = build_blob(&s, &w, &out[i].dtb, &out[i].size, d);
		uint64_t t1 = now_ns();
		tm.dtb_ns += t1 - t0;
		if (!rc && !(flags & DTS_SPLIT_DTB_ONLY)) {
			build_overlay(&s, &out[i].overlay);
			struct sbuf text = {0};
			dts_text_tree(&text, out[i].dtb); /* built here: no need to check it */
			out[i].dts = text.s;
			tm.text_ns += now_ns() - t1;
		}
		split_free(&s);
	}
	board_free(&b);
	work_free(&w);

	if (!rc) {
		uint64_t t0 = now_ns();
		rc = write_all(p, outdir, out, flags, d);
		tm.write_ns = now_ns() - t0;
	}
	for (size_t i = 0; i < p->n_nodes; i++) {
		free(out[i].dtb);
		free(out[i].dts);
		free(out[i].overlay);
	}
	free(out);
	if (t)
		*t = tm;
	return rc;
}

int dts_split_write(const struct plan *p, const char *outdir, struct diags *d)
{
	return dts_split_write_ex(p, outdir, 0, NULL, d);
}
