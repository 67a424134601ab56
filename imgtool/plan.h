/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.h - the partition plan: who owns which RAM, pools, CPUs, devices,
 * interrupts and SGIs, where the loader lives and the order nodes boot in.
 *
 * plan_build() is pure: no I/O, no globals; the same manifest and platform
 * give the same plan. Every problem becomes a diagnostic named after its
 * check (see plan_checks[]) and located at the manifest value that caused it.
 *
 * The plan is a value: it owns every string, range and byte it holds (the
 * board's facts the stages use, the board's blob, each node's kernel and
 * root task), so it outlives the manifest and the platform it was made from
 * and the stages (report, dts-split, build, pack) read nothing else. Its
 * locations name its own copy of the manifest's path.
 */
#ifndef MKIMG_PLAN_H
#define MKIMG_PLAN_H

#include "mkimg_sync.h"
#include "util.h"

/* Read by plan_build() only (manifest.h, platform.h). */
struct manifest;
struct platform;

#define PLAN_RAM_ALIGN 0x200000ull /* node RAM: seL4 links its kernel at a 2 MiB boundary */
#define PLAN_POOL_ALIGN 0x1000ull  /* explicit pools: page aligned */
#define PLAN_LOADER_SIZE 0x1000000ull      /* the default room for loader + payload: at least 16 MiB, */
#define PLAN_LOADER_SIZE_MAX 0x8000000ull /* 1/16 of the usable RAM, at most 128 MiB */
#define PLAN_SGI_COUNT 16u         /* SGI ids 0..15 */

/* The planner's own pool: with two or more nodes, one pool shared by every
 * node, PLAN_SYNC_SLOT bytes per node rounded up to a page, placed like a
 * size-only pool and never kept (so it is zeroed at every boot). Slot i, at
 * offset PLAN_SYNC_SLOT * i, belongs to the node at plan.nodes[i] (its
 * /chosen/mkimg node-index): a ready handshake and a console lock (a
 * Lamport bakery) between nodes, laid out by include/mkimg_sync.h, which
 * the demo kernel and the connector library (connect/) use. Manifest pool
 * names may not start with PLAN_POOL_PREFIX. */
#define PLAN_POOL_PREFIX "mkimg-"
#define PLAN_SYNC_POOL MKIMG_SYNC_POOL
#define PLAN_SYNC_SLOT MKIMG_SYNC_SLOT
/* The most shared pools one node may be a member of, its sync pool
 * included: what the demo kernel's boot info holds (DEMO_MAX_POOLS). */
#define PLAN_NODE_POOLS_MAX 16u

/* How a secondary cpu is started, and the PSCI conduit (the board's
 * enable-method and /psci). */
enum plan_enable { PLAN_ENABLE_NONE, PLAN_ENABLE_PSCI, PLAN_ENABLE_SPIN_TABLE };
enum plan_psci { PLAN_PSCI_NONE, PLAN_PSCI_SMC, PLAN_PSCI_HVC };
/* An interrupt routed to the GIC: `irq` is the GIC interrupt id (SPI n is
 * 32 + n, PPI n is 16 + n). */
enum plan_irq_type { PLAN_IRQ_SPI, PLAN_IRQ_PPI };

struct plan_cpu {
	unsigned index;
	uint64_t mpidr;
	enum plan_enable enable;
};

struct plan_irq {
	unsigned irq;
	enum plan_irq_type type;
	uint32_t flags;     /* the third cell: trigger type (1 edge rising, 4 level high, ...) */
	const char *device; /* the device's path in plan.board.devices */
};

/* ------------------------------------------------------------ the board */

struct plan_board_cpu {
	unsigned index;        /* position among /cpus cpu nodes, in tree order */
	uint64_t mpidr;
	char *path;            /* "/cpus/cpu@0" */
	enum plan_enable enable;
	uint64_t release_addr; /* spin-table: cpu-release-addr */
	char *problem;         /* what the tree says wrongly of it (no node may use it), or NULL */
};

/* A node of the board's tree with `reg` or interrupts. */
struct plan_device {
	char *path;
	char *compatible; /* first string, or NULL */
	struct mk_range *regs;
	size_t n_regs;
	struct plan_irq *irqs; /* .device is `path` */
	size_t n_irqs;
	bool disabled;  /* status = "disabled" */
	bool essential; /* GIC or architected timer: every node keeps it */
	char *problem;  /* what the tree says wrongly of it (no node may own it), or NULL */
};

/* What the stages know of the board: a copy of the platform's facts. */
struct plan_board {
	char *path;  /* the file as read: messages name it */
	char *file;  /* as the manifest wrote it (relative to its folder); NULL without a manifest */
	bool dtb;    /* named by `dtb:` (else `dts:`) */
	char *model; /* /model, or NULL */
	struct mk_range *ram; /* /memory banks, normalized; or the manifest's platform 'memory' */
	size_t n_ram;
	char *no_ram;         /* why the tree states no RAM, or NULL */
	struct mk_range *reserved; /* /reserved-memory children and /memreserve/, normalized */
	size_t n_reserved;
	struct mk_range *usable; /* ram minus reserved */
	size_t n_usable;
	struct plan_board_cpu *cpus;
	size_t n_cpus;
	enum plan_psci psci;
	unsigned gic_version; /* 2 or 3; 0 = none found */
	struct plan_device *devices; /* tree order */
	size_t n_devices;
	void *fdt; /* the blob, a copy of the platform's (dts-split reads it), or NULL */
	size_t fdt_size;
};

/* ------------------------------------------------------------ artifacts */

/* What a node runs: a file already built (`kernel: FILE`), or a build
 * section (`kernel: {build: sel4|cmake, source: DIR, options: {K: V}}`),
 * copied from the manifest; paths resolved against the manifest's folder. */
enum plan_artifact_kind { PLAN_ART_NONE, PLAN_ART_FILE, PLAN_ART_BUILD };

struct plan_option {
	char *key, *value;
	struct mk_loc loc; /* the key in the manifest */
};

struct plan_artifact {
	enum plan_artifact_kind kind;
	char *path;   /* PLAN_ART_FILE: the file */
	char *build;  /* PLAN_ART_BUILD: "sel4" or "cmake" */
	char *source; /* PLAN_ART_BUILD: the source folder */
	struct plan_option *options; /* in manifest order */
	size_t n_options;
	struct mk_loc loc;        /* the artifact's value in the manifest */
	struct mk_loc path_loc, build_loc, source_loc;
};

enum plan_os { PLAN_OS_SEL4, PLAN_OS_LINUX };

struct plan_sgi {
	unsigned sgi;
	unsigned from, to; /* node ids */
};

struct plan_pool {
	char *name;
	struct mk_range r;
	unsigned *nodes; /* ids, ascending */
	size_t n_nodes;
	bool keep; /* the loader leaves its contents; else it zeroes it before any kernel runs */
	struct mk_loc loc;
};

struct plan_node {
	unsigned id;
	struct mk_loc loc;
	struct plan_cpu *cpus;
	size_t n_cpus;
	struct mk_range *memory; /* ascending; memory[0].base is the kernel's physical base */
	size_t n_memory;
	struct mk_range *reserved; /* all board RAM the node does not own, minus the pools */
	size_t n_reserved;
	size_t *pools; /* indices into plan.pools, by name */
	size_t n_pools;
	const char **devices; /* sorted; paths in plan.board.devices */
	size_t n_devices;
	struct plan_irq *irqs; /* by irq */
	size_t n_irqs;
	struct plan_sgi *sgis; /* every SGI the node sends or receives, by sgi then from */
	size_t n_sgis;
	unsigned boot_index; /* position in plan.boot_order */
	/* What the node runs. PLAN_OS_SEL4: a seL4 (or the demo) kernel ELF
	 * and its root task. PLAN_OS_LINUX: an arm64 Linux Image (`kernel`, a
	 * file), an initrd (`root_task`, a file, or PLAN_ART_NONE) and its
	 * command line; Linux starts its cpus after the first itself. */
	enum plan_os os;
	struct plan_artifact kernel, root_task;
	char *bootargs; /* PLAN_OS_LINUX: /chosen/bootargs, or NULL */
};

struct plan {
	char *manifest;     /* the manifest's path as given, which the plan's locations name
			     * (a plan read from JSON: that file) */
	char *manifest_dir; /* its folder, that relative paths start from; NULL without a manifest */
	struct plan_board board;
	char *name;
	unsigned gic_spis;
	const char *console; /* shared debug console: a path in board.devices, or NULL */
	struct mk_range loader;
	char *fit_key, *fit_algo; /* elfloader.itb's signing key (absolute) and algorithm, or NULL */
	struct mk_loc fit_key_loc;
	struct plan_pool *pools; /* by name */
	size_t n_pools;
	struct plan_node *nodes; /* by id */
	size_t n_nodes;
	struct plan_sgi *channels; /* in manifest order */
	size_t n_channels;
	unsigned *boot_order; /* node ids, in the order the loader starts them */
	size_t n_boot;
};

struct plan_check {
	const char *name;
	const char *what;
};
/* Every check mkimg and dts-split can report, by name (the planner's, the
 * manifest's, the board's, the node trees', the inputs', outputs' and
 * image's); `mkimg check --list` prints it. */
extern const struct plan_check plan_checks[];

int plan_build(struct plan *p, const struct manifest *m, const struct platform *pf, struct diags *d);
/* Free everything the plan holds (a zeroed plan too). */
void plan_free(struct plan *p);
/* Copy what the stages use of a platform into `b` (for a plan that is not
 * plan_build()'s: dts-split's plan from JSON). Free with plan_board_free(). */
void plan_board_copy(struct plan_board *b, const struct platform *pf);
void plan_board_free(struct plan_board *b);
const struct plan_node *plan_node_by_id(const struct plan *p, unsigned id);
/* The node that runs Linux (there is at most one), or NULL. */
const struct plan_node *plan_linux_node(const struct plan *p);
const struct plan_device *plan_find_device(const struct plan_board *b, const char *path);
/* A node that runs on a cpu or owns a device the board's tree describes
 * wrongly (their `problem`) is an error: [cpu-broken], [device-broken].
 * plan_build() calls it; so does dts-split's reader of a plan's JSON. */
void plan_check_board_use(const struct plan *p, struct diags *d);
/* A pool the planner made (its name starts with PLAN_POOL_PREFIX), not
 * the manifest. */
bool plan_pool_is_own(const struct plan_pool *pp);
const char *plan_psci_name(enum plan_psci m);
const char *plan_enable_name(enum plan_enable e);
/* The orders the plan's lists are kept in: nodes by id, SGIs by number then
 * sender then receiver, pools by name. */
int plan_cmp_node(const void *a, const void *b);
int plan_cmp_sgi(const void *a, const void *b);
int plan_cmp_pool(const void *a, const void *b);

/* Emitters (report.c). */
void report_text(FILE *f, const struct plan *p);
void report_json(FILE *f, const struct plan *p);
void report_svg(FILE *f, const struct plan *p);

#endif
