/* SPDX-License-Identifier: BSD-2-Clause */
/* node.h - what this node is, read from its own device tree's /chosen
 * (the ABI in dts-split/README.md): its id, the channels it sends and
 * receives on, and the shared pools it is a member of.
 *
 * Nothing here is compiled in: the same kernel binary reads whatever its
 * tree says at boot, so a plan's SGIs, peers and pools reach the root task
 * without a rebuild.
 */
#ifndef KERNEL_NODE_H
#define KERNEL_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "demo_abi.h"
#include "fdt.h"
#include "mkimg_sync.h"

/* The most nodes whose console lock this kernel takes part in: the sync
 * pool's slots it maps (16 pages, mmu.h's KDEV_SYNC). */
#define NODE_SYNC_MAX 1024u

struct channel {
	uint32_t sgi;       /* 0..15 */
	uint32_t direction; /* DEMO_SEND or DEMO_RECEIVE */
	uint32_t peer;      /* the node at the other end */
	uint32_t peer_cpu;  /* its first cpu's index in /cpus: the GICv2 target */
	uint64_t peer_mpidr; /* that cpu's affinity: the GICv3 target */
};

struct pool {
	char label[DEMO_LABEL_MAX];
	uint64_t base, size;
};

struct node_info {
	bool has_id;
	uint32_t id;        /* /chosen mkimg,node-id */
	unsigned n_channels, n_pools;
	struct channel channels[DEMO_MAX_CHANNELS];
	struct pool pools[DEMO_MAX_POOLS];
	const struct pool *sync; /* the pool mkimg-sync, or 0 (one node alone) */
	uint32_t node_index;     /* /chosen/mkimg node-index: the node's slot in it */
	uint32_t node_count;     /* node-count: how many slots it has */
};

/* The node's facts; a tree without /chosen/mkimg has no channels and no
 * pools. False when what is there is malformed: a property missing or of
 * the wrong size, an SGI above 15, a direction other than "send" or
 * "receive", two receive channels on one SGI, a label too long, more
 * channels or pools than the boot info page holds, or a pool mkimg-sync
 * that is not page aligned, not node-count slots long, more than
 * NODE_SYNC_MAX slots, or without node-index below node-count. */
bool node_read(const struct fdt *f, struct node_info *ni);

/* The node read at boot, for the system calls. */
extern struct node_info node_info;

#endif
