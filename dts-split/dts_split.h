/* SPDX-License-Identifier: BSD-2-Clause */
/* dts_split.h - one device tree per node of a partition plan.
 *
 * seL4 learns its RAM and devices at compile time from its device tree, so
 * every node's kernel is built against (and booted with) a tree that shows
 * only what the node owns. The tree is the board's, with:
 *
 *   /memory@BASE       exactly the node's RAM; the board's memory nodes go
 *   /reserved-memory   every range of the node's `reserved` list and every
 *                      shared pool as a `no-map` child (the board's own
 *                      children kept; added ranges are cut around them)
 *   /cpus              only the node's cpus; `cpu-map` goes
 *   devices            status = "disabled" unless the node owns them, they
 *                      are essential (GIC and its children, the timer), the
 *                      shared console, per-core (no `reg`, PPIs only) or
 *                      contain a device that stays
 *   /chosen            stdout-path, filtered seL4,*-devices, no seeds, and
 *                      the node's facts (see README.md: the /chosen ABI)
 *
 * Every other node and property is copied as it is, phandles included, so
 * references between kept nodes stay valid. Output is deterministic: the
 * same plan and board give the same bytes.
 *
 * Nothing here reads more than the plan (plan.h), whose board copy holds
 * the blob to split: a plan rebuilt from JSON works as well as the planner's. Functions return 0, or -1 with errors in `d`; they never print.
 */
#ifndef MKIMG_DTS_SPLIT_H
#define MKIMG_DTS_SPLIT_H

#include "plan.h"

/* Names of the /chosen ABI (README.md), for software that reads them. */
#define DTS_SPLIT_NODE_ID "mkimg,node-id"      /* /chosen: <id> */
#define DTS_SPLIT_CHOSEN_NODE "mkimg"          /* /chosen/mkimg */
#define DTS_SPLIT_NODE_INDEX "node-index"      /* /chosen/mkimg: <i>, the node's place in the plan's nodes */
#define DTS_SPLIT_NODE_COUNT "node-count"      /* /chosen/mkimg: <n>, the plan's nodes */
#define DTS_SPLIT_PEER_INDEX "peer-index"      /* /chosen/mkimg/channel-K: <j>, the peer's node-index */
#define DTS_SPLIT_POOL_COMPAT "mkimg,shared-pool"
#define DTS_SPLIT_MEMBER "mkimg,member"        /* pool the node may map */

/* Check what the split needs from the plan against the board: every cpu,
 * device, pool and peer exists, the nodes' RAM is usable board RAM, the
 * reserved ranges are board RAM, and the root's cells can express them. */
int dts_split_check(const struct plan *p, struct diags *d);

/* The node's device tree as a blob (malloc'd, *size bytes). */
int dts_split_node(const struct plan *p, const struct plan_node *n, void **dtb, size_t *size, struct diags *d);

/* DTS text (malloc'd, NUL-terminated) to append to the board's DTS, as
 * seL4's KernelCustomDTSOverlay does: the board's DTS followed by this text
 * compiles with dtc to a tree equal to dts_split_node()'s (the order of nodes
 * and properties aside). It starts with no /dts-v1/ header of its own. */
int dts_split_overlay(const struct plan *p, const struct plan_node *n, char **text, struct diags *d);

/* A blob as DTS source text (malloc'd), in the manner of `dtc -O dts`:
 * strings as strings, whole cells as <...>, the rest as [bytes]. */
int dts_split_to_dts(const void *dtb, size_t size, char **text, struct diags *d);

enum {
	DTS_SPLIT_DTB_ONLY = 1u << 0, /* write kernel.dtb only */
};

/* Where dts_split_write_ex() spent its time, in nanoseconds. */
struct dts_split_times {
	uint64_t dtb_ns;  /* building every node's blob */
	uint64_t text_ns; /* kernel.dts and kernel-overlay.dts text */
	uint64_t write_ns; /* writing and renaming the files */
};

/* Write OUTDIR/node<ID>/kernel.dtb, kernel.dts and kernel-overlay.dts for
 * every node, all or nothing: every tree is built before any file is
 * opened, files are renamed into place only when all were written, and on
 * failure no file and no folder this call created is left behind. */
int dts_split_write(const struct plan *p, const char *outdir, struct diags *d);
/* The same with DTS_SPLIT_* flags; `t` (may be NULL) receives timings. */
int dts_split_write_ex(const struct plan *p, const char *outdir, unsigned flags, struct dts_split_times *t,
		       struct diags *d);

#endif
