/* SPDX-License-Identifier: BSD-2-Clause */
/* util.c - see util.h. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void oom(void)
{
	fputs("mkimg: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmp_range(const void *a, const void *b)
{
	const struct mk_range *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

void *vec_grow(void *v, size_t n, size_t elem)
{
	/* The capacity is always a power of two: only a full array (n == 0 or
	 * n a power of two) needs to grow. */
	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	size_t cap = n ? n * 2 : 1;
	return xrealloc(v, cap * elem);
}

size_t ranges_normalize(struct mk_range *r, size_t n)
{
	size_t out = 0;
	sort(r, n, sizeof(*r), cmp_range);
	for (size_t i = 0; i < n; i++) {
		if (r[i].size == 0)
			continue;
		if (out && r[i].base <= range_end(r[out - 1])) {
			uint64_t end = range_end(r[i]);
			if (end > range_end(r[out - 1]))
				r[out - 1].size = end - r[out - 1].base;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

size_t ranges_subtract(const struct mk_range *a, size_t na, const struct mk_range *b, size_t nb,
		       struct mk_range **out)
{
	struct mk_range *v = NULL;
	size_t n = 0;
	for (size_t i = 0; i < na; i++) {
		uint64_t cur = a[i].base, end = range_end(a[i]);
		for (size_t j = 0; j < nb && cur < end; j++) {
			uint64_t bb = b[j].base, be = range_end(b[j]);
			if (be <= cur || bb >= end)
				continue;
			if (bb > cur)
				*VEC_PUSH(v, n) = (struct mk_range){cur, bb - cur};
			cur = be;
		}
		if (cur < end)
			*VEC_PUSH(v, n) = (struct mk_range){cur, end - cur};
	}
	*out = v;
	return n;
}

const char *fmt_size(char buf[32], uint64_t size)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	unsigned u = 0;
	while (u < 6 && size >= (1ull << (10 * (u + 1))))
		u++;
	/* Exact when it can be: 1100 MiB rather than 1.1 GiB. */
	while (u > 0 && (size & ((1ull << (10 * u)) - 1)) && (size >> (10 * (u - 1))) < 10240 &&
	       !(size & ((1ull << (10 * (u - 1))) - 1)))
		u--;
	uint64_t whole = size >> (10 * u);
	uint64_t rest = size & ((1ull << (10 * u)) - 1);
	if (u == 0 || rest == 0)
		snprintf(buf, 32, "%llu %s", (unsigned long long)whole, unit[u]);
	else
		snprintf(buf, 32, "%.1f %s", (double)size / (double)(1ull << (10 * u)), unit[u]);
	return buf;
}

void diag_vadd(struct diags *d, enum diag_level level, const struct mk_loc *loc, const char *check,
	       const char *fmt, va_list ap)
{
	struct diag *x = VEC_PUSH(d->v, d->n);
	x->msg = xvasprintf(fmt, ap);
	x->level = level;
	/* A diagnostic outlives the manifest and tree it points into: keep
	 * its own copy of the names. */
	if (loc) {
		x->loc = *loc;
		x->loc.file = loc->file ? xstrdup(loc->file) : NULL;
		x->loc.node = loc->node ? xstrdup(loc->node) : NULL;
	}
	x->check = check ? xstrdup(check) : NULL;
	if (level == DIAG_ERROR)
		d->errors++;
}

void diag_add(struct diags *d, enum diag_level level, const struct mk_loc *loc, const char *check,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, loc, check, fmt, ap);
	va_end(ap);
}

size_t utf8_printable(const unsigned char *s)
{
	unsigned c = s[0];
	if (c >= 0x20 && c < 0x7f)
		return 1;
	/* lead byte: length, and the range of the byte after it */
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	uint32_t cp = n == 2 ? (c & 0x1f) << 6 | (s[1] & 0x3f)
		      : n == 3 ? (c & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f)
			       : (c & 0x07) << 18 | (s[1] & 0x3f) << 12 | (s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0; /* C1 controls, bidirectional embeddings, overrides and isolates */
	return n;
}

/* `s` with every byte that is not printable UTF-8 written as \xNN; with
 * `ascii`, ASCII control characters kept (for JSON, which escapes them). */
static void escape_into(struct sbuf *b, const char *s, bool ascii)
{
	const unsigned char *u = (const unsigned char *)s;
	sb_put(b, "", 0); /* a string even when `s` is empty */
	while (*u) {
		size_t n = ascii && *u < 0x80 ? 1 : utf8_printable(u);
		if (n) {
			sb_put(b, (const char *)u, n);
			u += n;
		} else {
			sb_printf(b, "\\x%02x", *u++);
		}
	}
}

void sb_escaped(struct sbuf *b, const char *s)
{
	escape_into(b, s, false);
}

void fput_escaped(FILE *f, const char *s)
{
	struct sbuf b = {0};
	sb_escaped(&b, s);
	fputs(b.s, f);
	free(b.s);
}

void diag_print(FILE *f, const struct diags *d)
{
	static const char *const level[] = {"error", "warning", "note"};
	struct sbuf b = {0};
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *x = &d->v[i];
		const struct mk_loc *l = &x->loc;
		b.n = 0; /* every line below appends, which ends the string anew */
		if (l->file) {
			sb_escaped(&b, l->file);
			if (l->line)
				sb_printf(&b, ":%u:%u", l->line, l->col);
			sb_puts(&b, ": ");
		}
		if (l->node) {
			sb_escaped(&b, l->node);
			sb_puts(&b, ": ");
		}
		if (!l->file && !l->node)
			sb_puts(&b, "mkimg: ");
		sb_printf(&b, "%s: ", level[x->level]);
		sb_escaped(&b, x->msg);
		if (x->check)
			sb_printf(&b, " [%s]", x->check);
		fprintf(f, "%s\n", b.s);
	}
	free(b.s);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].msg);
		free(d->v[i].check);
		free((char *)d->v[i].loc.file);
		free((char *)d->v[i].loc.node);
	}
	free(d->v);
	*d = (struct diags){0};
}

json_t *json_text(const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_string(s);
	if (v)
		return v;
	struct sbuf b = {0};
	escape_into(&b, s, true);
	v = json_string(b.s);
	free(b.s);
	return v;
}

json_t *json_hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static void json_put(FILE *f, const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY);
	fputs(s ? s : "null", f);
	free(s);
}

static bool named(const char *key, const char *const *names)
{
	for (; names && *names; names++)
		if (!strcmp(key, *names))
			return true;
	return false;
}

void json_print_lines(FILE *f, const json_t *doc, const char *const *lines, const char *const *fields)
{
	const char *key;
	json_t *v;
	bool first = true;
	fputc('{', f);
	json_object_foreach((json_t *)doc, key, v) {
		fprintf(f, "%s\n  \"%s\": ", first ? "" : ",", key);
		first = false;
		bool by_field = named(key, fields);
		if (!(by_field || named(key, lines)) || !json_is_array(v) || !json_array_size(v)) {
			json_put(f, v);
			continue;
		}
		size_t i;
		json_t *e;
		fputc('[', f);
		json_array_foreach(v, i, e) {
			fprintf(f, "%s\n    ", i ? "," : "");
			if (!by_field || !json_is_object(e)) {
				json_put(f, e);
				continue;
			}
			const char *k;
			json_t *x;
			bool first_field = true;
			fputc('{', f);
			json_object_foreach(e, k, x) {
				fprintf(f, "%s\"%s\": ", first_field ? "" : ",\n     ", k);
				first_field = false;
				json_put(f, x);
			}
			fputc('}', f);
		}
		fputs("\n  ]", f);
	}
	fputs("\n}\n", f);
}

void xml_text(FILE *f, const char *s, size_t n)
{
	static const char *const entity[] = {['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['"'] = "&quot;"};
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < sizeof(entity) / sizeof(entity[0]) && entity[c])
			fputs(entity[c], f);
		else if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
			fputs("\xef\xbf\xbd", f);
		else
			fputc(c, f);
	}
}

/* sbuf: see util.h. */

static void sb_room(struct sbuf *b, size_t n)
{
	if (b->n + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (b->n + n + 1 > cap)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sb_put(struct sbuf *b, const char *s, size_t n)
{
	sb_room(b, n);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_putc(struct sbuf *b, char c)
{
	sb_put(b, &c, 1);
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		sb_room(b, (size_t)n);
		vsnprintf(b->s + b->n, (size_t)n + 1, fmt, aq);
		b->n += (size_t)n;
	}
	va_end(aq);
}

/* ---------------------------------------------------------------- inputs */

static const struct input_kind_info {
	const char *what;
	uint64_t limit;
	const char *magic; /* its first bytes, or NULL */
	size_t magic_len;
	bool stdin_ok;
	bool forget;       /* not an input of the run's: not remembered */
} input_kinds[] = {
	[IN_MANIFEST] = {.what = "manifest", .limit = 16u << 20},
	[IN_BOARD_DTB] = {.what = "board device tree", .limit = 16u << 20, .magic = "\xd0\x0d\xfe\xed", .magic_len = 4},
	[IN_BOARD_DTS] = {.what = "board device tree", .limit = 16u << 20},
	[IN_NODE_DTB] = {.what = "node device tree", .limit = 16u << 20, .magic = "\xd0\x0d\xfe\xed", .magic_len = 4},
	[IN_KERNEL] = {.what = "kernel", .limit = 256u << 20, .magic = "\x7f" "ELF", .magic_len = 4},
	[IN_ROOT_TASK] = {.what = "root task", .limit = 1u << 30, .magic = "\x7f" "ELF", .magic_len = 4},
	[IN_LINUX] = {.what = "Linux image", .limit = 256u << 20},
	[IN_INITRD] = {.what = "initrd", .limit = 1u << 30},
	[IN_LOADER] = {.what = "loader", .limit = 16u << 20, .magic = "\x7f" "ELF", .magic_len = 4},
	[IN_IMAGE] = {.what = "image", .limit = 2ull << 30},
	[IN_PLAN_JSON] = {.what = "plan", .limit = 16u << 20, .stdin_ok = true},
	[IN_DTC_OUTPUT] = {.what = "compiled device tree", .limit = 16u << 20, .forget = true},
	[IN_SIGNED_FIT] = {.what = "signed FIT", .limit = 2ull << 30, .magic = "\xd0\x0d\xfe\xed", .magic_len = 4,
			   .forget = true},
};

/* Every input of the run, for the outputs' check. */
static struct file_id {
	dev_t dev;
	ino_t ino;
	char *path;
	enum input_kind kind;
} *inputs;
static size_t n_inputs;

static void remember(const struct stat *st, const char *path, enum input_kind kind)
{
	if (!input_kinds[kind].forget)
		*VEC_PUSH(inputs, n_inputs) = (struct file_id){st->st_dev, st->st_ino, xstrdup(path), kind};
}

void input_note(const char *path, enum input_kind kind)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		remember(&st, path, kind);
}

const char *input_same_file(const char *path, const char **what)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return NULL;
	for (size_t i = 0; i < n_inputs; i++)
		if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino) {
			*what = input_kinds[inputs[i].kind].what;
			return inputs[i].path;
		}
	return NULL;
}

const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a folder" : S_ISCHR(mode) || S_ISBLK(mode) ? "a device" : S_ISFIFO(mode) ? "a pipe"
														  : "a special file";
}

/* Read up to `want` more bytes into b[*n...]; -1 on a read error. */
static int read_more(int fd, uint8_t *b, size_t *n, size_t want)
{
	while (want) {
		ssize_t r = read(fd, b + *n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		*n += (size_t)r, want -= (size_t)r;
	}
	return 0;
}

int input_read(const char *path, enum input_kind kind, const struct mk_loc *loc, uint8_t **buf, size_t *size,
	       struct diags *d)
{
	const struct input_kind_info *k = &input_kinds[kind];
	struct mk_loc here = {.file = path};
	bool in = k->stdin_ok && !strcmp(path, "-");
	struct stat st;
	char lim[32], got[32];
	if (!loc)
		loc = &here;
	int fd = in ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		diag_error(d, loc, NULL, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		diag_error(d, loc, NULL, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!in && !S_ISREG(st.st_mode)) {
		diag_error(d, loc, "input-limits", "the %s '%s' is %s, not a regular file", k->what, path,
			   file_kind(st.st_mode));
		goto fail;
	}
	if (!in && (uint64_t)st.st_size > k->limit) {
		diag_error(d, loc, "input-limits", "the %s '%s' is too large: %s, more than the %s limit", k->what, path,
			   fmt_size(got, (uint64_t)st.st_size), fmt_size(lim, k->limit));
		goto fail;
	}
	if (!in)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	/* stdin: grow up to the limit; a file: its size, and one byte to see it grew */
	size_t cap = in ? 1u << 16 : (size_t)st.st_size + 1, n = 0;
	uint8_t *b = xmalloc(cap + 1);
	if (read_more(fd, b, &n, k->magic_len < cap ? k->magic_len : cap) < 0)
		goto read_fail;
	if (k->magic && (n < k->magic_len || memcmp(b, k->magic, k->magic_len)))
		goto done; /* not its kind: the caller says so; the rest stays unread */
	for (;;) {
		if (read_more(fd, b, &n, cap - n) < 0)
			goto read_fail;
		if (n < cap)
			break;
		if (cap > k->limit) {
			diag_error(d, loc, "input-limits", "the %s '%s' is too large: more than the %s limit", k->what,
				   path, fmt_size(lim, k->limit));
			free(b);
			goto fail;
		}
		cap = cap * 2 > k->limit + 1 ? k->limit + 1 : cap * 2;
		b = xrealloc(b, cap + 1);
	}
done:
	b[n] = 0;
	if (!in) {
		remember(&st, path, kind);
		close(fd);
	}
	*buf = b;
	*size = n;
	return 0;
read_fail:
	diag_error(d, loc, NULL, "cannot read '%s': %s", path, strerror(errno));
	free(b);
fail:
	if (!in)
		close(fd);
	return -1;
}

size_t edit_distance(const char *a, const char *b)
{
	size_t row[32], nb = strlen(b);
	if (nb >= 32)
		return SIZE_MAX;
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j], best = diag + (tolower((unsigned char)a[i - 1]) != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[nb];
}

uint32_t crc32_ieee(uint32_t crc, const void *data, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	const uint8_t *p = data;
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

int run_tool(char *const argv[], char *const envp[], char **errs)
{
	int fds[2];
	*errs = NULL;
	if (pipe(fds) < 0)
		return -errno;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp ? envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return -rc;
	}
	size_t cap = 4096, n = 0;
	char *b = xmalloc(cap + 1), sink[512];
	for (;;) {
		ssize_t r = n < cap ? read(fds[0], b + n, cap - n) : read(fds[0], sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n < cap)
			n += (size_t)r;
	}
	b[n] = '\0';
	close(fds[0]);
	*errs = b;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}

const char *tool_first_line(char *s)
{
	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	s[strcspn(s, "\r\n")] = '\0';
	return s;
}
