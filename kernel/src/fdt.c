/* SPDX-License-Identifier: BSD-2-Clause */
/* fdt.c - see fdt.h. The format is the Devicetree Specification's
 * "Flattened Devicetree (DTB) Format": a big-endian header, then a
 * structure block of 32-bit tokens and a strings block of property names.
 */
#include "fdt.h"

#include <stddef.h>

enum { TOK_BEGIN_NODE = 1, TOK_END_NODE = 2, TOK_PROP = 3, TOK_NOP = 4, TOK_END = 9 };
enum { H_MAGIC = 0, H_TOTALSIZE = 4, H_OFF_STRUCT = 8, H_OFF_STRINGS = 12, H_VERSION = 20,
       H_LAST_COMP = 24, H_SIZE_STRINGS = 32, H_SIZE_STRUCT = 36, H_LEN = 40 };

/* Byte by byte: the kernel is built with -mstrict-align. */
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t hdr(const void *blob, unsigned field)
{
	return be32((const uint8_t *)blob + field);
}

uint32_t fdt_magic(const void *blob)
{
	return hdr(blob, H_MAGIC);
}

uint32_t fdt_totalsize(const void *blob)
{
	return hdr(blob, H_TOTALSIZE);
}

static int inside(uint32_t off, uint32_t len, uint32_t total)
{
	return off <= total && len <= total - off;
}

enum fdt_err fdt_check(const void *blob, uint64_t size)
{
	if (size < H_LEN || fdt_magic(blob) != FDT_MAGIC)
		return FDT_BAD_MAGIC;
	uint32_t total = fdt_totalsize(blob);
	if (total != size)
		return FDT_BAD_SIZE;
	if (hdr(blob, H_VERSION) < 16 || hdr(blob, H_LAST_COMP) > 16)
		return FDT_BAD_VERSION;
	if (!inside(hdr(blob, H_OFF_STRUCT), hdr(blob, H_SIZE_STRUCT), total) ||
	    !inside(hdr(blob, H_OFF_STRINGS), hdr(blob, H_SIZE_STRINGS), total))
		return FDT_BAD_LAYOUT;
	return FDT_OK;
}

/* A cursor over the structure block. */
struct walk {
	const uint8_t *p, *end;
	const char *strings;
	uint32_t strings_size;
};

static int take32(struct walk *w, uint32_t *v)
{
	if (w->end - w->p < 4)
		return -1;
	*v = be32(w->p);
	w->p += 4;
	return 0;
}

/* Skip `len` bytes and the padding to the next 4-byte boundary. */
static int skip(struct walk *w, uint32_t len)
{
	uint32_t padded = (len + 3) & ~3u;
	if (padded < len || (uint64_t)(w->end - w->p) < padded)
		return -1;
	w->p += padded;
	return 0;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Compare a property value (not necessarily NUL-terminated) to a string. */
static int value_is(const uint8_t *v, uint32_t len, const char *s)
{
	uint32_t i = 0;
	for (; s[i]; i++)
		if (i >= len || v[i] != (uint8_t)s[i])
			return 0;
	return i < len && v[i] == 0;
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

/* The current child of the root, while the walk is inside it. */
struct node {
	int is_memory;
	const uint8_t *reg;
	uint32_t reg_len;
};

static enum fdt_err add_reg(const struct node *nd, uint32_t ac, uint32_t sc, struct mem_range *out,
			    unsigned *n)
{
	uint32_t step = 4 * (ac + sc);
	if (ac < 1 || ac > 2 || sc > 2)
		return FDT_BAD_STRUCT;
	for (uint32_t off = 0; off + step <= nd->reg_len; off += step) {
		if (*n == FDT_MAX_RANGES)
			return FDT_TOO_MANY;
		out[(*n)++] = (struct mem_range){cells(nd->reg + off, ac), cells(nd->reg + off + 4 * ac, sc)};
	}
	return FDT_OK;
}

/* One property at `depth` (1: the root's own, 2: a child of the root). */
static enum fdt_err take_prop(struct walk *w, unsigned depth, uint32_t *ac, uint32_t *sc, struct node *nd)
{
	uint32_t len, nameoff;
	if (take32(w, &len) || take32(w, &nameoff) || nameoff >= w->strings_size)
		return FDT_BAD_STRUCT;
	const char *name = w->strings + nameoff;
	const uint8_t *val = w->p;
	if (skip(w, len))
		return FDT_BAD_STRUCT;
	if (depth == 1 && len == 4 && streq(name, "#address-cells"))
		*ac = be32(val);
	else if (depth == 1 && len == 4 && streq(name, "#size-cells"))
		*sc = be32(val);
	else if (depth == 2 && streq(name, "device_type"))
		nd->is_memory = value_is(val, len, "memory");
	else if (depth == 2 && streq(name, "reg"))
		*nd = (struct node){nd->is_memory, val, len};
	return FDT_OK;
}

/* A node's name: NUL-terminated, padded to 4 bytes. */
static int skip_name(struct walk *w)
{
	const uint8_t *s = w->p;
	while (s < w->end && *s)
		s++;
	return s == w->end ? -1 : skip(w, (uint32_t)(s - w->p) + 1);
}

enum fdt_err fdt_memory(const void *blob, struct mem_range out[FDT_MAX_RANGES], unsigned *n)
{
	const uint8_t *b = blob;
	struct walk w = {b + hdr(blob, H_OFF_STRUCT), b + hdr(blob, H_OFF_STRUCT) + hdr(blob, H_SIZE_STRUCT),
			 (const char *)b + hdr(blob, H_OFF_STRINGS), hdr(blob, H_SIZE_STRINGS)};
	uint32_t ac = 2, sc = 1, tok; /* the specification's defaults */
	unsigned depth = 0;
	struct node nd = {0};
	enum fdt_err err;

	*n = 0;
	while (take32(&w, &tok) == 0) {
		switch (tok) {
		case TOK_BEGIN_NODE:
			if (skip_name(&w))
				return FDT_BAD_STRUCT;
			if (++depth == 2)
				nd = (struct node){0};
			break;
		case TOK_END_NODE:
			if (depth == 0)
				return FDT_BAD_STRUCT;
			/* Properties come before subnodes, so a child of the root
			 * is complete, and the root's cells known, at its end. */
			if (depth-- == 2 && nd.is_memory && (err = add_reg(&nd, ac, sc, out, n)) != FDT_OK)
				return err;
			break;
		case TOK_PROP:
			if (depth == 0)
				return FDT_BAD_STRUCT;
			if ((err = take_prop(&w, depth, &ac, &sc, &nd)) != FDT_OK)
				return err;
			break;
		case TOK_NOP:
			break;
		case TOK_END:
			if (depth != 0)
				return FDT_BAD_STRUCT;
			*n = ranges_normalize(out, *n);
			return FDT_OK;
		default:
			return FDT_BAD_STRUCT;
		}
	}
	return FDT_BAD_STRUCT;
}

unsigned ranges_normalize(struct mem_range *r, unsigned n)
{
	/* Insertion sort: a handful of ranges at most. */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && r[j].base < r[j - 1].base; j--) {
			struct mem_range t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	unsigned out = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!r[i].size)
			continue;
		if (out && r[i].base <= r[out - 1].base + r[out - 1].size) {
			uint64_t end = r[i].base + r[i].size;
			if (end > r[out - 1].base + r[out - 1].size)
				r[out - 1].size = end - r[out - 1].base;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* ---- Nodes and properties ------------------------------------------- */

void fdt_open(struct fdt *f, const void *blob)
{
	const uint8_t *b = blob;
	f->st = b + hdr(blob, H_OFF_STRUCT);
	f->st_size = hdr(blob, H_SIZE_STRUCT);
	f->str = (const char *)b + hdr(blob, H_OFF_STRINGS);
	f->str_size = hdr(blob, H_SIZE_STRINGS);
}

/* The token at `off`, or -1 past the end or off the 4-byte grid. */
static int64_t token(const struct fdt *f, int64_t off)
{
	if (off < 0 || (off & 3) || (uint64_t)off + 4 > f->st_size)
		return -1;
	return be32(f->st + off);
}

/* The offset just after the token at `off` and its payload, or -1. */
static int64_t next_token(const struct fdt *f, int64_t off)
{
	switch (token(f, off)) {
	case TOK_BEGIN_NODE: {
		int64_t p = off + 4;
		while ((uint64_t)p < f->st_size && f->st[p])
			p++;
		return (uint64_t)p < f->st_size ? (p + 4) & ~3ll : -1;
	}
	case TOK_PROP: {
		if ((uint64_t)off + 12 > f->st_size)
			return -1;
		uint32_t len = be32(f->st + off + 4);
		uint64_t end = (uint64_t)off + 12 + len;
		return end <= f->st_size ? (int64_t)((end + 3) & ~3ull) : -1;
	}
	case TOK_END_NODE:
	case TOK_NOP:
		return off + 4;
	default:
		return -1;
	}
}

/* From a node, past its name and properties (and NOPs). */
static int64_t after_props(const struct fdt *f, int64_t node)
{
	int64_t off = next_token(f, node);
	while (token(f, off) == TOK_PROP || token(f, off) == TOK_NOP)
		off = next_token(f, off);
	return off;
}

/* From a node, just past its END_NODE. */
static int64_t skip_node(const struct fdt *f, int64_t node)
{
	unsigned depth = 0;
	int64_t off = node;
	do {
		int64_t tok = token(f, off);
		if (tok == TOK_BEGIN_NODE)
			depth++;
		else if (tok == TOK_END_NODE)
			depth--;
		else if (tok != TOK_PROP && tok != TOK_NOP)
			return -1;
		off = next_token(f, off);
	} while (depth && off >= 0);
	return off;
}

static int node_at(const struct fdt *f, int64_t off)
{
	while (token(f, off) == TOK_NOP)
		off += 4;
	return token(f, off) == TOK_BEGIN_NODE && off <= INT32_MAX ? (int)off : -1;
}

int fdt_root(const struct fdt *f)
{
	return node_at(f, 0);
}

int fdt_first_child(const struct fdt *f, int node)
{
	return node < 0 ? -1 : node_at(f, after_props(f, node));
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	return node < 0 ? -1 : node_at(f, skip_node(f, node));
}

const char *fdt_name(const struct fdt *f, int node)
{
	/* next_token() succeeds only if the name ends inside the block. */
	return node >= 0 && next_token(f, node) >= 0 ? (const char *)f->st + node + 4 : "";
}

int fdt_child(const struct fdt *f, int node, const char *name)
{
	for (int c = fdt_first_child(f, node); c >= 0; c = fdt_next_sibling(f, c))
		if (streq(fdt_name(f, c), name))
			return c;
	return -1;
}

/* Whether the strings block holds a NUL-terminated `name` at `off`. */
static bool string_is(const struct fdt *f, uint32_t off, const char *name)
{
	uint32_t i = 0;
	for (; off + i < f->str_size && name[i]; i++)
		if (f->str[off + i] != name[i])
			return false;
	return !name[i] && off + i < f->str_size && f->str[off + i] == '\0';
}

bool fdt_prop(const struct fdt *f, int node, const char *name, struct fdt_prop *p)
{
	if (node < 0 || next_token(f, node) < 0)
		return false;
	for (int64_t off = next_token(f, node); token(f, off) == TOK_PROP || token(f, off) == TOK_NOP;
	     off = next_token(f, off)) {
		if (token(f, off) == TOK_PROP && next_token(f, off) >= 0 &&
		    string_is(f, be32(f->st + off + 8), name)) {
			*p = (struct fdt_prop){f->st + off + 12, be32(f->st + off + 4)};
			return true;
		}
	}
	return false;
}

bool fdt_prop_cells(const struct fdt *f, int node, const char *name, uint32_t n, uint64_t *v)
{
	struct fdt_prop p;
	if (!fdt_prop(f, node, name, &p) || p.len != 4 * n || n < 1 || n > 2)
		return false;
	*v = cells(p.val, n);
	return true;
}

bool fdt_prop_has_string(const struct fdt *f, int node, const char *name, const char *s)
{
	struct fdt_prop p;
	if (!fdt_prop(f, node, name, &p))
		return false;
	for (uint32_t at = 0; at < p.len;) {
		if (value_is(p.val + at, p.len - at, s))
			return true;
		while (at < p.len && p.val[at])
			at++;
		at++;
	}
	return false;
}

void fdt_cells(const struct fdt *f, int node, uint32_t *ac, uint32_t *sc)
{
	uint64_t v;
	*ac = fdt_prop_cells(f, node, "#address-cells", 1, &v) ? (uint32_t)v : 2;
	*sc = fdt_prop_cells(f, node, "#size-cells", 1, &v) ? (uint32_t)v : 1;
}

bool fdt_reg(const struct fdt_prop *p, uint32_t ac, uint32_t sc, unsigned i, struct mem_range *r)
{
	uint32_t step = 4 * (ac + sc);
	if (ac < 1 || ac > 2 || sc > 2 || (uint64_t)(i + 1) * step > p->len)
		return false;
	*r = (struct mem_range){cells(p->val + i * step, ac), cells(p->val + i * step + 4 * ac, sc)};
	return true;
}
