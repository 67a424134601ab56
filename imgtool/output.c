/* SPDX-License-Identifier: BSD-2-Clause */
/* output.c - see output.h. */
#define _DEFAULT_SOURCE /* flock, realpath, major/minor */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* The temporary files a signal removes: a list the handler walks. Every
 * change to it happens with the caught signals blocked, so the handler
 * never sees it half changed. */
struct temp {
	struct temp *next;
	char *path;
};
static struct temp *temps;
static volatile pid_t child_group;
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static int ensure_locked(void);

static void block(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void temp_add(char *path)
{
	struct temp *t = xmalloc(sizeof(*t));
	sigset_t old;
	t->path = path;
	block(&old);
	t->next = temps;
	temps = t;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Forget `path` (the same pointer temp_add() was given). */
static void temp_forget(const char *path)
{
	sigset_t old;
	block(&old);
	for (struct temp **p = &temps; *p; p = &(*p)->next)
		if ((*p)->path == path) {
			struct temp *t = *p;
			*p = t->next;
			free(t);
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Only async-signal-safe calls from here on. */
static void on_signal(int sig)
{
	for (struct temp *t = temps; t; t = t->next)
		unlink(t->path);
	pid_t g = child_group;
	if (g > 0) {
		kill(-g, SIGTERM);
		while (waitpid(g, NULL, 0) < 0 && errno == EINTR)
			;
		/* what the leader left behind of its group */
		kill(-g, SIGKILL);
	}
	_exit(128 + sig);
}

void output_catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
}

void output_child_group(pid_t pgid)
{
	child_group = pgid;
}

/* Create `prefix` + `sep` + a unique suffix and register it as a
 * temporary; returns its descriptor (its name in *path) or -1 with errno. */
static int temp_open(const char *prefix, const char *sep, char **path)
{
	char *p = xasprintf("%s%sXXXXXX", prefix, sep);
	sigset_t old;
	block(&old); /* no signal between the file's creation and its registration */
	int fd = mkstemp(p);
	if (fd >= 0)
		temp_add(p);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		int e = errno;
		free(p);
		errno = e;
		return -1;
	}
	*path = p;
	return fd;
}

char *temp_create(const char *prefix)
{
	if (ensure_locked() < 0)
		return NULL;
	char *path;
	int fd = temp_open(prefix, "-", &path);
	if (fd < 0)
		return NULL;
	close(fd);
	return path;
}

void temp_remove(char *path)
{
	unlink(path);
	temp_forget(path);
	free(path);
}

static struct {
	char *dir;  /* as given */
	char *real; /* its real path, once locked */
	FILE *note;
	struct diags *d;
	int state;  /* 0 not yet locked, 1 locked, -1 the lock failed */
} root;

void output_root(const char *dir, FILE *note, struct diags *d)
{
	free(root.dir);
	free(root.real);
	root.dir = dir ? xstrdup(dir) : NULL;
	root.real = NULL;
	root.note = note, root.d = d, root.state = 0;
}

static int make_dirs_unlocked(const char *dir);

/* Lock the output folder before the first write; 0 or -1 with errno. */
static int ensure_locked(void)
{
	if (!root.dir || root.state == 1)
		return 0;
	if (root.state == 0) {
		char real[PATH_MAX];
		root.state = output_lock(root.dir, root.note, root.d) == 0 && realpath(root.dir, real) ? 1 : -1;
		if (root.state == 1)
			root.real = xstrdup(real);
	}
	if (root.state == 1)
		return 0;
	errno = ENOLCK;
	return -1;
}

/* Whether the folder that will hold `path` lies inside the output folder. */
static bool inside_root(const char *path)
{
	if (!root.real)
		return true;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/'), real[PATH_MAX];
	if (slash)
		*slash = '\0';
	bool ok = realpath(slash ? (*dir ? dir : "/") : ".", real) != NULL;
	size_t n = strlen(root.real);
	ok = ok && !strncmp(real, root.real, n) && (real[n] == '\0' || real[n] == '/' || !strcmp(root.real, "/"));
	free(dir);
	return ok;
}

int make_dirs(const char *dir)
{
	if (ensure_locked() < 0)
		return -1;
	return make_dirs_unlocked(dir);
}

static int make_dirs_unlocked(const char *dir)
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
	if (ensure_locked() < 0)
		return NULL;
	if (!inside_root(path)) {
		errno = EPERM;
		return NULL;
	}
	if (output_check_input(path, root.d) < 0) {
		errno = EEXIST;
		return NULL;
	}
	char *tmp;
	int fd = temp_open(path, ".tmp-", &tmp);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		temp_forget(tmp);
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
		temp_forget(o->v[i].tmp);
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

/* Whether the regular files `a` and `b` hold the same bytes. */
static bool same_bytes(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) < 0 || stat(b, &sb) < 0 || !S_ISREG(sa.st_mode) || !S_ISREG(sb.st_mode) ||
	    sa.st_size != sb.st_size)
		return false;
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa && fb;
	static char ba[1 << 16], bb[1 << 16];
	while (same) {
		size_t na = fread(ba, 1, sizeof(ba), fa), nb = fread(bb, 1, sizeof(bb), fb);
		same = na == nb && !memcmp(ba, bb, na);
		if (na < sizeof(ba))
			break;
	}
	same = same && !ferror(fa) && !ferror(fb);
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
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
	/* A file whose bytes did not change stays as it was, its timestamp
	 * too, for whoever builds on top (make, ninja, a node's build). */
	for (size_t i = 0; i < o->n; i++)
		if (same_bytes(o->v[i].tmp, o->v[i].final) ? unlink(o->v[i].tmp) < 0
							   : rename(o->v[i].tmp, o->v[i].final) < 0) {
			struct mk_loc loc = {.file = o->v[i].final};
			diag_error(d, &loc, NULL, "cannot rename '%s' to '%s': %s", o->v[i].tmp, o->v[i].final,
				   strerror(errno));
			output_abort(o);
			return -1;
		}
	output_release(o);
	return 0;
}

/* The pid that holds a flock on the file (dev, ino), from /proc/locks, or 0. */
static long lock_holder(dev_t dev, ino_t ino)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256];
	long who = 0;
	while (f && !who && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long i;
		long pid;
		char kind[16], how[16], rw[16];
		if (sscanf(line, "%*[^:]: %15s %15s %15s %ld %x:%x:%llu", kind, how, rw, &pid, &maj, &min, &i) == 7 &&
		    !strcmp(kind, "FLOCK") && i == (unsigned long long)ino && maj == major(dev) && min == minor(dev))
			who = pid;
	}
	if (f)
		fclose(f);
	return who;
}

int output_check_input(const char *path, struct diags *d)
{
	const char *what, *in = input_same_file(path, &what);
	if (!in)
		return 0;
	struct mk_loc loc = {.file = path};
	if (d)
		diag_error(d, &loc, "output-is-input", "'%s' would be written over the %s '%s' (the same file); "
			   "choose another output folder (-o)", path, what, in);
	return -1;
}

int output_lock(const char *dir, FILE *note, struct diags *d)
{
	struct mk_loc loc = {.file = dir};
	struct stat st;
	int fd = make_dirs_unlocked(dir) < 0 ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		diag_error(d, &loc, NULL, "cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	/* held until mkimg exits: the descriptor stays open */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK && fstat(fd, &st) == 0) {
		long pid = lock_holder(st.st_dev, st.st_ino);
		if (note) {
			fputs("mkimg: waiting for the output folder '", note);
			fput_escaped(note, dir);
			if (pid)
				fprintf(note, "', which another mkimg run (pid %ld) is writing\n", pid);
			else
				fputs("', which another mkimg run is writing\n", note);
			fflush(note);
		}
		int r;
		while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (r == 0)
			return 0;
	}
	diag_error(d, &loc, NULL, "cannot lock '%s': %s", dir, strerror(errno));
	close(fd);
	return -1;
}
