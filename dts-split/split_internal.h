/* SPDX-License-Identifier: BSD-2-Clause */
/* split_internal.h - what the files of the dts-split library share
 * (internal; dts_split.h is the public face).
 *
 * The board's blob, the plan's copy (plan.board.fdt), is only read. A
 * `struct board` indexes it once, with the plan's board facts: every
 * node in tree order with its path, parent, the end of its subtree and its
 * role (split_board.c). A `struct split` then makes every decision for one
 * plan node (what is dropped, disabled, changed or added) before anything
 * is written: split_acts.c (cpus and devices), split_memory.c (memory and
 * /reserved-memory), split_chosen.c (/chosen and the mkimg ABI). Two
 * emitters read the same decisions: the blob writer (split_blob.c, libfdt's
 * sequential-write API, so no saved offset ever goes stale) and the overlay
 * writer (split_overlay.c). Deciding once is what keeps the blob and the
 * overlay equal. split_check.c checks a plan against the board before any
 * of that; dts_split.c holds the entry points and writes the files.
 */
#ifndef MKIMG_SPLIT_INTERNAL_H
#define MKIMG_SPLIT_INTERNAL_H

#include "dts_split.h"

#include <libfdt.h>

/* ------------------------------------------------------------ the board */

/* split_board.c */

enum bkind {
	BK_OTHER,
	BK_ROOT,
	BK_MEMORY,       /* a top-level node with device_type = "memory" */
	BK_RSV,          /* /reserved-memory */
	BK_CPUS,
	BK_CPU,          /* one of the plan's board cpus */
	BK_CPU_MAP,      /* /cpus/cpu-map: it names every cpu */
	BK_CHOSEN,
	BK_CHOSEN_MKIMG, /* /chosen/mkimg, which the split replaces */
	BK_ALIASES,
};

/* A property of the board, read once: every tree copies most of them. */
struct bprop {
	const char *name;
	const void *val;
	int len;
	bool status; /* named "status": the one a split may change */
};

struct bnode {
	int off;
	int prop, n_props; /* in board.props */
	int parent; /* index, -1 for the root */
	int end;    /* index one past the last descendant */
	int depth;
	enum bkind kind;
	int cpu;       /* BK_CPU: index into pb->cpus */
	int dev;       /* index into pb->devices, or -1 */
	bool disabled; /* status "disabled" or "fail..." in the board */
	bool fixed;    /* stays as it is on every node */
	uint32_t phandle;
	const char *name; /* in the blob; "" for the root */
	char *path;
};

struct bpath {
	const char *path;
	int idx;
};

struct board {
	const struct plan_board *pb; /* the plan's copy of the board's facts */
	const void *fdt;             /* its blob */
	const char *file;
	struct bnode *v;
	size_t n;
	struct bprop *props;
	size_t n_props;
	struct bpath *paths; /* sorted by path */
	int *cpu_idx;        /* pb->cpus[i] -> node index */
	int ac, sc;          /* root #address-cells, #size-cells */
	int rsv, rsv_ac, rsv_sc;
	struct mk_range *rsv_own; /* the board's /reserved-memory children, normalized */
	size_t n_rsv_own;
	int chosen, aliases, cpus, first_mem;
};

int board_init(struct board *b, const struct plan_board *pb, struct diags *d);
void board_free(struct board *b);
/* The node at `path`, or -1. */
int board_find(const struct board *b, const char *path);
/* The string property `name` of the node at `off`, or NULL if it is absent
 * or not NUL-terminated. */
const char *prop_str(const void *fdt, int off, const char *name);

/* ------------------------------------------------------------ checks */

/* split_check.c */

/* One node against the board: its cpus, RAM, reserved ranges, pools,
 * devices and channels. */
void check_node(const struct board *b, const struct plan *p, const struct plan_node *n, struct diags *d);
/* The whole plan: the console, the pools, every node and every pair. */
void check_plan(const struct board *b, const struct plan *p, struct diags *d);

/* ------------------------------------------------------------ decisions */

enum act { ACT_COPY, ACT_DROP, ACT_DISABLE };

/* A child the split adds to /reserved-memory. */
struct rchild {
	struct mk_range r;
	const struct plan_pool *pool; /* NULL: a range of the node's `reserved` */
	bool member;
};

struct channel {
	unsigned sgi, peer, peer_cpu;
	unsigned peer_index; /* the peer's position in plan.nodes */
	uint64_t peer_mpidr;
	bool send;
};

/* seL4,kernel-devices or seL4,elfloader-devices with the entries that
 * name disabled devices taken out. */
struct dev_list {
	const char *name;
	char *val;
	int len;
	bool changed;
};

struct split {
	const struct plan *p;
	const struct plan_node *n;
	const struct board *b;
	uint8_t *act; /* enum act, per board node */
	struct rchild *rc;
	size_t n_rc;
	const char *stdout_path; /* NULL: none */
	struct dev_list lists[2];
	struct channel *ch;
	size_t n_ch;
	fdt32_t id; /* the node id, big-endian */
};

/* split_acts.c: what status each board node gets (enum act), and the
 * questions that follow: disabled (dropped) in this node's tree, the node
 * or an ancestor is. */
void split_acts(struct split *s);
bool ends_disabled(const struct split *s, int idx);
bool ends_dropped(const struct split *s, int idx);

/* split_memory.c: the node's reserved ranges, cut around the board's own
 * reserved-memory children, and every pool. */
void split_reserved(struct split *s);

/* split_chosen.c: stdout-path and the seL4,*-devices lists; the channels. */
void split_chosen(struct split *s);
void split_channels(struct split *s);

enum cedit { CE_KEEP, CE_DROP, CE_SET };

/* What becomes of a /chosen property of the board. */
enum cedit chosen_edit(const struct split *s, const char *name, const void **v, int *len);

/* ------------------------------------------------------------ emitters */

/* Both outputs write the nodes the split adds through one interface, so
 * the blob and the overlay cannot disagree on them. */
struct names;

struct emit {
	void (*begin)(struct emit *e, const char *name);
	void (*prop)(struct emit *e, const char *name, const void *v, int len);
	void (*end)(struct emit *e);
	void *fdt;   /* blob: libfdt is told it has `size` bytes of `cap` */
	size_t size, cap;
	int err;
	struct names *names;
	struct sbuf *sb; /* text */
	int depth;
};

static inline void e_u32(struct emit *e, const char *name, uint32_t x)
{
	fdt32_t v = cpu_to_fdt32(x);
	e->prop(e, name, &v, 4);
}

static inline void e_str(struct emit *e, const char *name, const char *s)
{
	e->prop(e, name, s, (int)strlen(s) + 1);
}

/* split_memory.c: a `reg` of ranges in ac/sc cells (sizes too big for one
 * cell in 2 GiB pieces); the node's memory node; the children the split adds
 * to /reserved-memory; /reserved-memory where the board has none. */
void e_reg(struct emit *e, const struct mk_range *r, size_t nr, int ac, int sc);
void gen_memory(const struct split *s, struct emit *e);
void gen_rsv_children(const struct split *s, struct emit *e);
void gen_rsv_new(const struct split *s, struct emit *e);
/* split_chosen.c: /chosen/mkimg (the node's channels and member pools);
 * the /chosen properties the board lacks. */
void gen_mkimg(const struct split *s, struct emit *e);
void gen_chosen_added(const struct split *s, struct emit *e);

/* ------------------------------------------------------------ the blob */

/* split_blob.c */

/* libfdt's sequential writer, left to itself, looks for each property's
 * name in the whole strings block before adding it; for 256 big trees that
 * scan took two thirds of the time. So the blob is written with
 * FDT_CREATE_FLAG_NO_NAME_DEDUP (a copy of the name per property), the
 * names are collected as they go by, and fold_strings() rewrites the
 * finished tree to one copy per name, in order of first use.
 *
 * Every property name is a string constant or a name in the board's blob,
 * which has one copy of each: so a small cache keyed by the name's address
 * finds almost every name without reading it. */
struct names {
	uint32_t *slot; /* open addressing: offset + 1 into tab, 0 = empty */
	size_t cap, used;
	char *tab;      /* the new strings block */
	size_t n, tab_cap;
	struct {
		const char *p;
		uint32_t off;
	} cache[256];
	uint32_t *order; /* per property, in tree order: its name's offset */
	size_t n_order, cap_order;
};

/* What building a blob keeps from one tree to the next: the buffer (a
 * fresh one per tree would be fresh pages, each faulted in by fdt_create's
 * memset), the size the last tree took before folding (fdt_create clears
 * all the room it is given, so it is given about that much), the names. */
struct work {
	void *buf;
	size_t cap, need;
	struct names names;
};

void work_free(struct work *w);
/* The node's tree as a blob (malloc'd, *size bytes); the header's
 * boot_cpuid_phys is the node's first cpu. */
int build_blob(const struct split *s, struct work *w, void **dtb, size_t *size, struct diags *d);

/* ------------------------------------------------------------ the overlay */

/* split_overlay.c */

/* The node's kernel-overlay.dts text (malloc'd, NUL-terminated). */
void build_overlay(const struct split *s, char **text);

#endif
