/* SPDX-License-Identifier: BSD-2-Clause */
/* build.h - per-node builds: each node's kernel and root task, from source,
 * against that node's own device tree, all nodes in parallel.
 *
 * For every artifact the manifest gives as a build section
 *
 *     kernel:     {build: sel4,  source: DIR, options: {K: V, ...}}
 *     rootserver: {build: cmake, source: DIR, options: {K: V, ...}}
 *
 * build_nodes() writes one shell script per artifact
 * (OUT/build/node<N>/<what>.sh: configure when needed, build, copy the
 * result) and one Ninja file with one edge per script
 * (OUT/build/build.ninja), then runs `ninja -j JOBS` on it. Each artifact
 * has its own CMake build folder (OUT/build/node<N>/<what>/) and its own
 * log (OUT/build/node<N>/<what>.log); nothing of a build reaches the
 * terminal. The results are copied, only when their bytes change, to
 *
 *     OUT/node<N>/Kernel.<N>.elf     the kernel ELF
 *     OUT/node<N>/capdl.<N>.img      the root task ELF
 *
 * beside the node's device tree, which dts-split must have written first
 * (OUT/node<N>/kernel.dtb, kernel.dts, kernel-overlay.dts).
 *
 * Incremental: every edge always runs, and is cheap when nothing changed:
 * the project is configured again only when its configuration (the script)
 * or the node's tree changed, and the inner Ninja does nothing when no
 * source changed. The project sees the node's tree through a copy,
 * OUT/build/node<N>/<what>-tree/, rewritten only when the tree's content
 * changes (dts-split writes OUT/node<N>/ anew on every run). So changing one
 * node's tree or sources rebuilds that node only; changing a source all
 * nodes share rebuilds them all.
 *
 * `build: cmake` - any CMake project, configured with -G Ninja, mkimg's
 * cross toolchain file, and the node's values as cache variables:
 *   MKIMG_NODE_ID       the node's id
 *   MKIMG_NODE_INDEX    its position among the plan's nodes (0..COUNT-1)
 *   MKIMG_NODE_COUNT    how many nodes the plan has
 *   MKIMG_NODE_DTB      the node's kernel.dtb    (absolute paths, in the
 *   MKIMG_NODE_DTS      the node's kernel.dts     copy described above)
 *   MKIMG_NODE_OVERLAY  the node's kernel-overlay.dts
 *   MKIMG_RAM_BASE      the node's first RAM range (its kernel's physical
 *   MKIMG_RAM_SIZE        base), hex
 *   MKIMG_RAM           every RAM range, a CMake list of BASE:SIZE (hex)
 *   MKIMG_CHANNELS      the SGIs the node sends or receives, a CMake list
 *                       of SGI:FROM:TO (decimal), by SGI
 *   MKIMG_POOLS         the shared pools the node uses, a CMake list of
 *                       NAME:BASE:SIZE (hex), by name
 *   MKIMG_DATA_DIR      mkimg's own files (cmake/, linker/user.ld, ...)
 *   CMAKE_C_FLAGS,      -ffile-prefix-map for mkimg's data folder (as /mkimg),
 *   CMAKE_ASM_FLAGS       the output folder (/out) and the source (/src), so
 *                       paths never reach the objects and the same sources
 *                       give the same bytes wherever they are built
 * and then the manifest's options as -DK=V (an option named like one of
 * the above replaces it). The project's default target must make
 * `kernel.elf` (for a kernel) or `rootserver.elf` (for a root task) at the
 * top of its build folder.
 *
 * `build: sel4` - seL4's own kernel build, configured with its gcc.cmake
 * toolchain file and CROSS_COMPILER_PREFIX=aarch64-linux-gnu-,
 * KernelPlatform=qemu-arm-virt, KernelSel4Arch=aarch64,
 * KernelCustomDTSOverlay=<the node's kernel-overlay.dts> and, for
 * qemu-arm-virt, QEMU_DTB=OUT/build/board.dtb (the board's tree) and
 * QEMU_GIC_VERSION; each is replaced by an option of the same name
 * (an option KernelCustomDTS also drops the overlay). Target `kernel.elf`.
 *
 * A `kernel: FILE` artifact is used as it is.
 */
#ifndef MKIMG_BUILD_H
#define MKIMG_BUILD_H

#include "plan.h"

struct build_options {
	unsigned jobs;          /* parallel builds; 0: the number of online CPUs */
	FILE *progress;         /* a line per artifact as it starts and ends, or NULL */
	bool progress_ends_only; /* only the lines of ends (built, up to date, failed): for logs */
	const char *data_dir;   /* mkimg's own files; NULL: found by locate_data_dir() */
	const char *cmake;      /* NULL: "cmake" */
	const char *ninja;      /* NULL: "ninja" */
};

/* What each node runs, by plan order (p->nodes[i] gives out[i]). */
struct node_artifacts {
	unsigned id;
	char *kernel;     /* the kernel ELF: built, or the manifest's file; NULL if none */
	char *root_task;  /* the root task ELF: likewise */
};

/* Build every node's artifacts into `outdir` and fill out[0..p->n_nodes).
 * Returns 0, or -1 with errors in `d`: a failed build names its node and
 * its log, and is located at the manifest's build section. Library code:
 * prints nothing but the optional progress lines. */
int build_nodes(const struct plan *p, const char *outdir, const struct build_options *o,
		struct node_artifacts *out, struct diags *d);
void node_artifacts_free(struct node_artifacts *a, size_t n);

/* The checks build_nodes() makes of the manifest's artifacts that need no
 * output yet: every `kernel: FILE` and `rootserver: FILE` is a file, every
 * build source a folder, `build: sel4` a kernel, and CMake can use the
 * source folders and `outdir` (no ';', '"', '\\', '#', '$', '|', '[', ']'
 * or control character in their paths). The main job runs this before it
 * writes anything. Returns 0, or -1 with errors in `d`. */
int build_check_inputs(const struct plan *p, const char *outdir, struct diags *d);

#endif
