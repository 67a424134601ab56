/* image.h - a packed image read back: what it holds (`mkimg inspect`) and
 * how to boot it in QEMU (`mkimg run`).
 *
 * An image is elfloader.elf (one PT_LOAD) or elfloader.bin (the same bytes
 * raw); either way it is the loader block, then the payload whose first
 * member is the boot plan (loader/bootplan.h).
 */
#ifndef MKIMG_IMAGE_H
#define MKIMG_IMAGE_H

#include "util.h"

struct bp_header;

struct image {
	char *path;
	uint8_t *file;  /* the whole file */
	size_t file_size;
	bool elf;       /* elfloader.elf rather than .bin */
	const uint8_t *bytes; /* the image: loader block + payload */
	size_t size;
	uint64_t base;        /* where it loads: the ELF's p_paddr, or the plan's image_base */
	uint64_t loader_size; /* from the loader's header: where the payload starts */
	const struct bp_header *plan; /* inside `bytes`, checked to hold its arrays */
};

/* Whether `path` looks like a packed image (an ELF file, or the loader's
 * header at its first byte) rather than a manifest: for `mkimg run`. */
bool image_probe(const char *path);

/* Read a whole file; 0, or -1 with a diagnostic. *buf is malloc'd. */
int read_file(const char *path, uint8_t **buf, size_t *size, struct diags *d);

/* Open an image and find its plan. Checks the structure (loader header,
 * plan magic, version, sizes, arrays in bounds), not the hashes. */
int image_open(struct image *im, const char *path, struct diags *d);
void image_close(struct image *im);
/* Recompute every SHA-256 (the plan's and each member's) and compare the
 * CPIO headers with the plan; every mismatch is an error in `d`. */
int image_verify(const struct image *im, struct diags *d);

/* `mkimg inspect IMAGE`: print what the image holds and where it goes, then
 * verify it. Returns 0, or 1 when the image is unreadable or damaged (the
 * reasons in `d`). */
int image_inspect(FILE *f, const char *path, struct diags *d);

struct run_opts {
	unsigned timeout; /* seconds; 0 = none. QEMU is killed when it runs out */
	bool dry_run;     /* print the command line only */
	const char *qemu; /* the QEMU binary; NULL = qemu-system-aarch64 */
};

/* `mkimg run IMAGE`: start QEMU with the machine, cpu, cpu count, memory,
 * GIC version and virtualization setting the image's plan records, with
 * the serial console on stdio. Prints the command line on `f` first.
 * Returns QEMU's exit status (128 + signal if it was killed; 124 when the
 * timeout killed it), or -1 with a diagnostic when QEMU could not start. */
int image_run(FILE *f, const char *path, const struct run_opts *o, struct diags *d);

#endif
