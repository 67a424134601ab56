/* SPDX-License-Identifier: BSD-2-Clause */
/* pack.h - the bootable image: check every node's kernel, root task and
 * device tree against the plan, decide where each byte goes, and join the
 * prebuilt loader, the boot plan and the payload into one image.
 *
 * Outputs, in `outdir`, all or nothing (output.h):
 *   elfloader.elf  one PT_LOAD at the plan's loader base; what
 *                  `qemu-system-aarch64 -kernel` (or a boot loader's
 *                  bootelf) starts, at its first byte
 *   elfloader.bin  the same bytes raw, to be loaded at the loader base
 *                  and entered at its first byte
 *   payload.cpio   the payload alone, a CPIO newc archive: bootplan, then
 *                  per node Kernel.N.elf, capdl.N.img, kernel.N.dtb
 *
 * The boot plan's format is loader/bootplan.h. The same inputs give the same
 * bytes: CPIO mtimes are SOURCE_DATE_EPOCH (or 0), owners 0, inode numbers
 * fixed.
 */
#ifndef MKIMG_PACK_H
#define MKIMG_PACK_H

#include "plan.h"

#define PACK_ELF "elfloader.elf"
#define PACK_BIN "elfloader.bin"
#define PACK_CPIO "payload.cpio"
/*   elfloader.uimg elfloader.bin behind U-Boot's legacy header (bootm)
 *                  when the loader's region lies below 4 GiB
 * U-Boot's legacy image (`bootm`): elfloader.bin behind a 64-byte header,
 * loaded and entered at the loader base; only where that fits 32 bits. */
#define PACK_UIMAGE "elfloader.uimg"
#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER 64
/* U-Boot's FIT (`bootm`): a device tree holding elfloader.bin as image
 * FIT_LOADER (kernel, arm64, loaded and entered at the loader base) and the
 * board's tree as FIT_FDT, each with a SHA-256 hash node, and one
 * configuration FIT_CONF of both. */
#define PACK_FIT "elfloader.itb"
#define FIT_LOADER "loader"
#define FIT_FDT "fdt"
#define FIT_CONF "conf"
#define FIT_SIGNATURE "signature-1" /* the configuration's, with `fit: {key}` */
/* Every file of the image pack_image() writes, in the order it writes them
 * (the uImage, last, only below 4 GiB): pack_outputs[PACK_OUT_...]. */
enum { PACK_OUT_ELF, PACK_OUT_BIN, PACK_OUT_CPIO, PACK_OUT_FIT, PACK_OUT_UIMAGE, PACK_OUTPUTS };
extern const char *const pack_outputs[PACK_OUTPUTS];
/* A root task's image ends at or below this virtual address: seL4_UserTop
 * of an EL1 AArch64 kernel (48-bit user half), page aligned down. */
#define PACK_USER_TOP 0x00007ffffffff000ull

/* What one node runs; in[i] belongs to p->nodes[i]. */
struct node_inputs {
	const char *kernel;     /* becomes Kernel.N.elf: the node's kernel ELF */
	const char *root_task;  /* becomes capdl.N.img: the root task, a static ELF */
	const char *dtb;        /* becomes kernel.N.dtb: the node's device tree */
};

/* Sizes of what pack_image() wrote, for reports and benchmarks. */
struct pack_result {
	uint64_t loader_size;  /* the loader block (code, data, stack) */
	uint64_t payload_size; /* the CPIO archive */
	uint64_t image_size;   /* elfloader.bin: loader + payload */
	uint64_t elf_size;     /* elfloader.elf */
	uint64_t tables_size;  /* page-table room after the image, in the loader's region */
};

/* Check and pack. `loader_elf` is the prebuilt loader (build/loader/loader.elf).
 * Every problem is a diagnostic naming the file and the node; a kernel
 * built for another node's RAM says which node's it is and how to rebuild.
 * Returns 0, or -1 with nothing written. `res` may be NULL. */
int pack_image(const struct plan *p, const struct node_inputs *in, const char *loader_elf, const char *outdir,
	       struct pack_result *res, struct diags *d);

/* The checks pack_image() makes of node p->nodes[i]'s kernel (`kernel`
 * true) or root task ELF in `buf` that need neither its tree nor the
 * loader; messages name in->kernel or in->root_task (and in->dtb, the tree
 * to rebuild against). Returns 0, or -1 with errors in `d`. */
int pack_check_elf(const struct plan *p, size_t i, const struct node_inputs *in, bool kernel, const uint8_t *buf,
		   size_t size, struct diags *d);
/* A node's device tree in memory (dts_split_node()), before it is written. */
struct pack_tree {
	const void *dtb;
	size_t size;
};

/* Every check pack_image() makes of the `kernel: FILE` and `rootserver:
 * FILE` inputs the manifest names, for the main job to run before it writes
 * anything: a node whose kernel and root task are both files is checked in
 * full against its tree, trees[i] (trees may be NULL: then, like a file
 * whose partner is built later, only on its own). Returns 0, or -1 with
 * errors in `d` (an unreadable file is one of them). */
int pack_check_files(const struct plan *p, const char *outdir, const struct pack_tree *trees, struct diags *d);

/* The inputs the main job's earlier stages leave for p->nodes[i]: the
 * manifest's `kernel:` / `rootserver:` file when it names one, else what
 * build_nodes() writes, OUT/node<N>/Kernel.<N>.elf and
 * OUT/node<N>/capdl.<N>.img; the tree is OUT/node<N>/kernel.dtb
 * (dts-split). Free with pack_inputs_free(). */
struct node_inputs *pack_default_inputs(const struct plan *p, const char *outdir);
void pack_inputs_free(struct node_inputs *in, size_t n);

#endif
