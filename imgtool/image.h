/* SPDX-License-Identifier: BSD-2-Clause */
/* image.h - a packed image read back: what it holds (`mkimg inspect`) and
 * how to boot it in QEMU (`mkimg run`).
 *
 * An image is elfloader.elf (one PT_LOAD) or elfloader.bin (the same bytes
 * raw); either way it is the loader block, then the payload whose first
 * member is the boot plan (loader/bootplan.h).
 */
#ifndef MKIMG_IMAGE_H
#define MKIMG_IMAGE_H

#include "bootplan_check.h"
#include "util.h"

struct image {
	char *path;
	uint8_t *file;  /* the whole file */
	size_t file_size;
	bool elf;       /* elfloader.elf rather than .bin */
	bool uimage;    /* elfloader.uimg: .bin behind U-Boot's legacy header */
	bool fit;       /* elfloader.itb: .bin inside U-Boot's FIT */
	uint8_t *own;   /* a FIT's image, copied out so that the plan is 8-aligned */
	const uint8_t *bytes; /* the image: loader block + payload */
	size_t size;
	uint64_t base;        /* where it loads: the ELF's p_paddr, or the plan's image_base */
	uint64_t loader_size; /* from the loader's header: where the payload starts */
	uint64_t text_offset, image_size, image_flags; /* its arm64 Image fields (bootplan.h) */
	bool booti_ok;        /* they make booti put the image at the plan's base */
	struct bp_plan pl;    /* inside `bytes`: the header, checked to hold its arrays */
};

/* Whether `path` looks like a packed image (an ELF file, or the loader's
 * header at its first byte) rather than a manifest: for `mkimg run`. */
bool image_probe(const char *path);


/* Find the plan in the image `buf` (`size` bytes, malloc'd; the image owns
 * it from now on, whatever the result). `path` names it in messages. Checks
 * the structure (loader header, plan magic, version, sizes, arrays in
 * bounds), not the hashes. Close the image after a failure too. */
int image_parse(struct image *im, const char *path, uint8_t *buf, size_t size, struct diags *d);
/* The same from a file. */
int image_open(struct image *im, const char *path, struct diags *d);
void image_close(struct image *im);
/* Recompute every SHA-256 (the plan's and each member's), compare the
 * CPIO headers with the plan, and run the loader's own checks of the plan
 * (bootplan_check.h) as the loader would at the image's base; every
 * mismatch or refusal is an error in `d`. */
int image_verify(const struct image *im, struct diags *d);

/* The loader's checks (bp_find, then bp_check) of the plan at the start of
 * `payload`, where `env` says; a refusal becomes one error at `path`, its
 * text after `prefix`. Returns 0 or -1. The hash is not checked. */
int image_check_plan(const void *payload, const struct bp_env *env, const char *path, const char *prefix,
		     struct diags *d);

/* `mkimg inspect IMAGE [--format json]`: print what the image holds and
 * where it goes, as text or as one JSON object (addresses as hex strings;
 * keys in the README), then verify it. Returns 0, or 1 when the image is
 * unreadable or damaged (the reasons in `d`; the JSON then says
 * "verified": false). */
int image_inspect(FILE *f, const char *path, bool json, struct diags *d);
int image_inspect_buffer(FILE *f, const char *path, uint8_t *buf, size_t size, bool json, struct diags *d);

struct run_opts {
	unsigned timeout; /* seconds; 0 = none. QEMU is killed when it runs out */
	bool dry_run;     /* print the command line only */
	const char *qemu; /* the QEMU binary; NULL = qemu-system-aarch64 */
	/* With patterns (POSIX extended regular expressions): QEMU's console
	 * is read line by line (and printed as it comes); once every pattern
	 * has matched a line QEMU is stopped and image_run() returns 0; a
	 * loader's `LDR|ERROR:` line, QEMU ending first or the timeout is 1,
	 * with an error naming what was not seen. */
	const char *const *expect;
	size_t n_expect;
	const char *junit; /* with patterns: also a JUnit XML report there (a test case per
			    * pattern, the console as system-out), or NULL */
	bool u_boot;       /* boot through U-Boot (image_run's comment says how) */
	const char *dtb;   /* with u_boot: U-Boot's control tree instead of QEMU's, or NULL */
	unsigned el;       /* the level QEMU starts at: 1, 2, or 0 for what the plan needs */
};

/* `mkimg run IMAGE`: start QEMU with the machine, cpu, cpu count, memory,
 * GIC version and virtualization setting the image's plan records, with
 * the serial console on stdio. Prints the command line on `f` first.
 * Returns QEMU's exit status (128 + signal if it was killed; 124 when the
 * timeout killed it), or -1 with a diagnostic when QEMU could not start. */
int image_run(FILE *f, const char *path, const struct run_opts *o, struct diags *d);

#endif
