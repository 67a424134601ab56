/* SPDX-License-Identifier: BSD-2-Clause */
/* util.h - small helpers shared by every part of mkimg: memory, growable
 * arrays, source locations and diagnostics.
 *
 * Library code never prints. It records problems in a `struct diags` (each
 * with a location and, for plan checks, the check's name) and returns; only
 * the command line turns them into text on stderr.
 */
#ifndef MKIMG_UTIL_H
#define MKIMG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allocation that cannot fail: on exhaustion it prints and exits 1. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Append one element to a growable array `v` of length `n` (both lvalues);
 * evaluates to a pointer to the new, zeroed element. */
#define VEC_PUSH(v, n)                                                         \
	(*(void **)&(v) = vec_grow((v), (n), sizeof(*(v))), memset(&(v)[(n)], 0, sizeof(*(v))), &(v)[(n)++])
void *vec_grow(void *v, size_t n, size_t elem);

/* A growable, always NUL-terminated string (`s` is NULL until the first
 * append). */
struct sbuf {
	char *s;
	size_t n, cap;
};
void sb_put(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_putc(struct sbuf *b, char c);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* qsort comparators for plain arrays: unsigned, uint64_t, char *, and
 * mk_range (by base). */
int cmp_uint(const void *a, const void *b);
int cmp_u64(const void *a, const void *b);
int cmp_str(const void *a, const void *b);
int cmp_range(const void *a, const void *b);

/* qsort that accepts an empty (possibly NULL) array. */
static inline void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/* Where a value came from. `line` is 1-based; 0 means "whole file" and
 * `node` (a device-tree path) may name the place instead. */
struct mk_loc {
	const char *file;
	unsigned line, col;
	const char *node;
};

/* A half-open range of physical addresses [base, base + size). */
struct mk_range {
	uint64_t base, size;
};
static inline uint64_t range_end(struct mk_range r) { return r.base + r.size; }
static inline bool ranges_overlap(struct mk_range a, struct mk_range b)
{
	return a.base < range_end(b) && b.base < range_end(a);
}
static inline bool range_contains(struct mk_range outer, struct mk_range inner)
{
	return inner.base >= outer.base && range_end(inner) <= range_end(outer);
}

/* Sort ranges by base and merge the ones that touch or overlap; returns the
 * new count. */
size_t ranges_normalize(struct mk_range *r, size_t n);
/* out = a minus every range in b (a and b normalized); returns the count;
 * *out is allocated. */
size_t ranges_subtract(const struct mk_range *a, size_t na, const struct mk_range *b, size_t nb,
		       struct mk_range **out);

/* Levenshtein distance from `a` to `b`, ignoring the case of `a` ("ID" is
 * surely "id"): `b` is one of our own short, lowercase names (one of 32
 * bytes or more is SIZE_MAX away). For "did you mean" suggestions. */
size_t edit_distance(const char *a, const char *b);

/* CRC-32 (IEEE 802.3, reflected, as zlib and U-Boot's legacy images): start
 * with crc 0, feed pieces in order. */
uint32_t crc32_ieee(uint32_t crc, const void *data, size_t n);

/* Run a tool (argv[0], found on PATH) with `envp` (NULL: this process's
 * environment), its stdin as ours, its stdout discarded, its stderr kept in *errs (the
 * first 4 KiB, NUL-terminated; read to the end so the tool never blocks).
 * Returns the wait status, or -errno if it could not be started. */
int run_tool(char *const argv[], char *const envp[], char **errs);
/* The first non-empty line of a tool's stderr, trimmed, in place. */
const char *tool_first_line(char *s);

/* Human size: "256 MiB", "4 KiB", "1.5 GiB", "123 B". */
const char *fmt_size(char buf[32], uint64_t size);

/* `s` as a JSON string ("null" for NULL): quotes, backslashes and control
 * characters escaped, other bytes as they are. */
/* JSON goes through jansson (util.c). A string as JSON: valid UTF-8 as it
 * is (a manifest's strings are: YAML); other bytes (a board tree's or an
 * image's may be anything) written as \xNN text; NULL as null. */
json_t *json_text(const char *s);
json_t *json_hex(uint64_t v); /* "0x..." */
/* `doc`, an object, as JSON on `f` in a layout that diffs well: a line per
 * top-level key; the elements of the arrays named in `lines` a line each,
 * those of the arrays named in `fields` a line per field (both lists
 * NULL-terminated); every value as jansson writes it. */
void json_print_lines(FILE *f, const json_t *doc, const char *const *lines, const char *const *fields);
/* `n` bytes of `s` as XML character data or a double-quoted attribute's
 * value: <, >, & and " as entities; a control character XML 1.0 cannot hold
 * (all but tab, newline and carriage return) as U+FFFD. For the SVG layout
 * and the JUnit report. */
void xml_text(FILE *f, const char *s, size_t n);

/* Untrusted text (manifest values, device-tree names, an image's strings)
 * made safe for a terminal or a log: valid UTF-8 of printable characters
 * stays as it is; control characters (C0, DEL, C1), bidirectional
 * overrides and bytes that are not valid UTF-8 become \xNN for each byte.
 * `b.s` is a string afterwards, even for an empty `s`. */
void sb_escaped(struct sbuf *b, const char *s);
void fput_escaped(FILE *f, const char *s);
/* The length of the valid, printable UTF-8 character at `s` (0 if there is
 * none: a control, an override or a bad byte; `s` not at a NUL). */
size_t utf8_printable(const unsigned char *s);

/* The kinds of input mkimg reads; input_read() knows each one's size
 * limit and magic (input_kinds[] in util.c). */
enum input_kind {
	IN_MANIFEST,
	IN_BOARD_DTB,  /* platform: dtb: (FDT magic) */
	IN_BOARD_DTS,  /* platform: dts: (source, or a blob) */
	IN_NODE_DTB,   /* a node's tree dts-split wrote */
	IN_KERNEL,     /* Kernel.N.elf */
	IN_ROOT_TASK,  /* capdl.N.img */
	IN_LINUX,      /* a Linux node's arm64 Image */
	IN_INITRD,     /* a Linux node's initrd */
	IN_LOADER,     /* loader.elf */
	IN_IMAGE,      /* elfloader.elf or .bin */
	IN_PLAN_JSON,  /* a plan's JSON, or "-" for stdin */
	IN_DTC_OUTPUT, /* dtc's blob in mkimg's own temporary file: not remembered */
	IN_SIGNED_FIT, /* mkimage's signed elfloader.itb in mkimg's own temporary file: likewise */
};

struct diags;
struct mk_loc;

/* The one reader of every input. It takes only a regular file (or stdin,
 * for a kind that allows "-"), refuses one larger than its kind's limit
 * before reading it, and reads the magic first: when it does not match,
 * only those first bytes are returned, for the caller's own "not a ..."
 * message, and the rest is never read. Every file read is remembered, so
 * that no output replaces an input (input_same_file()). Errors name `path`,
 * located at `loc` when given. Returns 0 with a malloc'd buffer (one NUL
 * past its end), or -1 after reporting to `d`. */
int input_read(const char *path, enum input_kind kind, const struct mk_loc *loc, uint8_t **buf, size_t *size,
	       struct diags *d);
/* What a file that is not a regular file is, for messages: "a folder",
 * "a device", "a pipe" or "a special file". */
const char *file_kind(mode_t mode);

/* Remember `path` as an input of this run without reading it (one read
 * later, such as the loader). */
void input_note(const char *path, enum input_kind kind);
/* If `path` is a file input_read() read or input_note() noted in this run
 * (the same file by device and inode), the input's name as it was given,
 * and its kind's name in *what; else NULL. */
const char *input_same_file(const char *path, const char **what);

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	enum diag_level level;
	struct mk_loc loc;
	char *check; /* "memory-overlap", or NULL */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n;
	unsigned errors;
};

void diag_add(struct diags *d, enum diag_level level, const struct mk_loc *loc, const char *check,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_vadd(struct diags *d, enum diag_level level, const struct mk_loc *loc, const char *check,
	       const char *fmt, va_list ap);
#define diag_error(d, loc, check, ...) diag_add((d), DIAG_ERROR, (loc), (check), __VA_ARGS__)
#define diag_warn(d, loc, check, ...) diag_add((d), DIAG_WARNING, (loc), (check), __VA_ARGS__)
/* Print as `file:line:col: error: message [check]`, one per line, every
 * part escaped (sb_escaped()). */
void diag_print(FILE *f, const struct diags *d);
void diags_free(struct diags *d);

#endif
