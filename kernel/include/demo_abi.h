/* SPDX-License-Identifier: BSD-2-Clause */
/* demo_abi.h - what the demo kernel offers its root task: the boot
 * information page and four system calls. Shared by the kernel and the root
 * tasks' connector library (connect/src/demo.c); kernel/README.md explains
 * it.
 *
 * Entry: the root task starts in EL0 at its ELF entry, mapped as seL4 maps
 * it (the user image [x0, x1) at physical - pv_offset), interrupts
 * unmasked, no stack (it brings its own), and
 *   x0 = the virtual address of a read-only page holding struct
 *        demo_bootinfo (as seL4 passes its seL4_BootInfo in x0).
 *
 * System calls: `svc #0` with the call's number in x7 and its arguments in
 * x0 and x1. The result comes back in x0, negative for an error (DEMO_E_*);
 * every other register is preserved.
 */
#ifndef DEMO_ABI_H
#define DEMO_ABI_H

#include <stdint.h>

/* puts(const char *s, uint64_t len) -> len
 *   Text for the shared console. The kernel collects it into lines and
 *   prints each whole line holding the console lock in mkimg-sync
 *   (include/mkimg_sync.h), so lines from different nodes never mix. At most DEMO_PUTS_MAX bytes per call. */
#define DEMO_SYS_PUTS 1
/* signal(uint64_t channel) -> 0
 *   Send channel `channel`'s SGI to its peer's core (a send channel). A
 *   signal is never lost, even one sent before the peer's kernel is up:
 *   it stays pending until the peer waits for it (DEMO_E_PEER if the
 *   peer's kernel never comes up). */
#define DEMO_SYS_SIGNAL 2
/* wait(uint64_t mask) -> the channels of `mask` that were signalled
 *   Bit i of mask is receive channel i. Blocks until one of them has been
 *   signalled since it was last returned, then returns (and clears) every
 *   signalled one of them: a binary notification per channel, like seL4's
 *   notification words, so two signals before a wait are seen once. */
#define DEMO_SYS_WAIT 3
/* exit(uint64_t status): never returns; the core sleeps from then on. */
#define DEMO_SYS_EXIT 4

#define DEMO_E_INVAL (-1)    /* unknown call, bad channel or mask */
#define DEMO_E_FAULT (-2)    /* a buffer the root task cannot read */
#define DEMO_E_PEER (-3)     /* signal: sent, but the peer's core has not been
			      * listening for it (GICv3, 2 s): likely lost */

#define DEMO_PUTS_MAX 256

#define DEMO_BOOTINFO_MAGIC 0x49424b44u /* "DKBI" */
#define DEMO_BOOTINFO_VERSION 1
#define DEMO_MAX_CHANNELS 16
#define DEMO_MAX_POOLS 16 /* plan.h PLAN_NODE_POOLS_MAX: the planner refuses more per node */
#define DEMO_LABEL_MAX 32

/* A channel's direction, as the node's device tree says it. */
#define DEMO_SEND 1
#define DEMO_RECEIVE 2

/* /chosen/mkimg/channel-K, in the tree's order: channel i is channels[i]. */
struct demo_channel {
	uint32_t sgi;       /* the SGI id, 0..15 */
	uint32_t direction; /* DEMO_SEND or DEMO_RECEIVE */
	uint32_t peer;      /* the node id at the other end */
	uint32_t reserved;
};

/* /chosen/mkimg/pool@BASE: a shared pool this node is a member of, mapped
 * by the kernel into the root task, uncached (Device-nGnRnE, as seL4 maps
 * an uncached frame), read-write, never executable. */
struct demo_pool {
	char label[DEMO_LABEL_MAX]; /* the pool's name in the manifest, NUL-terminated */
	uint64_t vaddr;             /* where the root task finds it */
	uint64_t paddr;
	uint64_t size;
};

struct demo_bootinfo {
	uint32_t magic;   /* DEMO_BOOTINFO_MAGIC */
	uint32_t version; /* DEMO_BOOTINFO_VERSION */
	uint32_t node_id; /* /chosen mkimg,node-id */
	uint32_t n_channels;
	uint32_t n_pools;
	uint32_t reserved;
	uint64_t image_start, image_end; /* the root task's own virtual range */
	struct demo_channel channels[DEMO_MAX_CHANNELS];
	struct demo_pool pools[DEMO_MAX_POOLS];
};

#endif
