/* SPDX-License-Identifier: BSD-2-Clause */
/* fdt.h - just enough of a flattened device tree reader to check the tree
 * the loader handed over (its header and its /memory) and to read what the
 * node is (/chosen/mkimg) and where its interrupt controller is.
 *
 * Every read is bounds-checked against the blob's stated size, so a
 * corrupt tree gives an error, never a fault.
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include <stdbool.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_RANGES 8

struct mem_range {
	uint64_t base, size;
};

enum fdt_err {
	FDT_OK = 0,
	FDT_BAD_MAGIC,   /* not a device tree */
	FDT_BAD_SIZE,    /* totalsize differs from the size the loader passed */
	FDT_BAD_VERSION, /* older than version 16 or not readable as 16/17 */
	FDT_BAD_LAYOUT,  /* blocks outside the blob */
	FDT_BAD_STRUCT,  /* the structure block is malformed */
	FDT_TOO_MANY,    /* more memory ranges than FDT_MAX_RANGES */
};

/* The header at `blob`, which the loader says is `size` bytes long. */
enum fdt_err fdt_check(const void *blob, uint64_t size);
uint32_t fdt_magic(const void *blob);
uint32_t fdt_totalsize(const void *blob);

/* Every reg range of the root's children with device_type = "memory",
 * sorted and merged; *n is set to the count. */
enum fdt_err fdt_memory(const void *blob, struct mem_range out[FDT_MAX_RANGES], unsigned *n);

/* Sort ranges by base and merge touching ones; returns the new count.
 * (Shared with the compiled-in RAM table, so both compare alike.) */
unsigned ranges_normalize(struct mem_range *r, unsigned n);

/* Nodes and properties, for a blob that passed fdt_check(). A node is the
 * offset of its BEGIN_NODE token in the structure block; -1 is "none" (also
 * the answer for anything malformed, so callers need one test only). */
struct fdt {
	const uint8_t *st;    /* structure block */
	uint32_t st_size;
	const char *str;      /* strings block */
	uint32_t str_size;
};

struct fdt_prop {
	const uint8_t *val;
	uint32_t len;
};

void fdt_open(struct fdt *f, const void *blob);
int fdt_root(const struct fdt *f);
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);
/* The child of `node` named exactly `name` ("mkimg", "pool@60000000"). */
int fdt_child(const struct fdt *f, int node, const char *name);
/* The node's name, NUL-terminated (checked), or "" for none. */
const char *fdt_name(const struct fdt *f, int node);
/* A property of `node`; false if it has none of that name. */
bool fdt_prop(const struct fdt *f, int node, const char *name, struct fdt_prop *p);
/* A property of exactly `cells` 32-bit cells, read as one number. */
bool fdt_prop_cells(const struct fdt *f, int node, const char *name, uint32_t cells, uint64_t *v);
/* Whether a string list property holds `s` ("compatible"). */
bool fdt_prop_has_string(const struct fdt *f, int node, const char *name, const char *s);
/* A node's #address-cells / #size-cells for its children (1..2 / 0..2),
 * or the specification's defaults, 2 and 1. */
void fdt_cells(const struct fdt *f, int node, uint32_t *ac, uint32_t *sc);
/* Entry `i` of a reg-like property with the given cells. */
bool fdt_reg(const struct fdt_prop *p, uint32_t ac, uint32_t sc, unsigned i, struct mem_range *r);

#endif
