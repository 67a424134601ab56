/* output.c - see output.h. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int ret = 0;
	for (char *s = p + 1; ret == 0; s++) {
		bool last = *s == '\0';
		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			ret = -1;
		if (last)
			break;
		*s = '/';
	}
	free(p);
	return ret;
}

/* Close the newest file, remembering whether all of it reached the disk. */
static void close_last(struct output *o)
{
	struct output_file *x = o->n ? &o->v[o->n - 1] : NULL;
	if (!x || !x->f)
		return;
	if (ferror(x->f) && !x->err)
		x->err = errno ? errno : EIO;
	if (fclose(x->f) != 0 && !x->err)
		x->err = errno;
	x->f = NULL;
}

FILE *output_open(struct output *o, const char *path)
{
	close_last(o);
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		return NULL;
	}
	fchmod(fd, 0644);
	*VEC_PUSH(o->v, o->n) = (struct output_file){xstrdup(path), tmp, f, 0};
	return f;
}

static void output_release(struct output *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].final);
		free(o->v[i].tmp);
	}
	free(o->v);
	*o = (struct output){0};
}

void output_abort(struct output *o)
{
	for (size_t i = 0; i < o->n; i++) {
		if (o->v[i].f)
			fclose(o->v[i].f);
		unlink(o->v[i].tmp);
	}
	output_release(o);
}

int output_commit(struct output *o, struct diags *d)
{
	close_last(o);
	for (size_t i = 0; i < o->n; i++) {
		struct output_file *x = &o->v[i];
		if (x->err) {
			struct mk_loc loc = {.file = x->final};
			diag_error(d, &loc, NULL, "cannot write '%s': %s", x->final, strerror(x->err));
			output_abort(o);
			return -1;
		}
	}
	for (size_t i = 0; i < o->n; i++)
		if (rename(o->v[i].tmp, o->v[i].final) < 0) {
			struct mk_loc loc = {.file = o->v[i].final};
			diag_error(d, &loc, NULL, "cannot rename '%s' to '%s': %s", o->v[i].tmp, o->v[i].final,
				   strerror(errno));
			output_abort(o);
			return -1;
		}
	output_release(o);
	return 0;
}
