/* fdt.h - just enough of a flattened device tree reader to check the tree
 * the loader handed over: its header and its /memory.
 *
 * Every read is bounds-checked against the blob's stated size, so a
 * corrupt tree gives an error, never a fault.
 */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

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

#endif
