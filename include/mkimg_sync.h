/* SPDX-License-Identifier: BSD-2-Clause */
/* mkimg_sync.h - the planner's pool "mkimg-sync" and the console lock in it.
 *
 * With two or more nodes the planner adds one pool shared by every node
 * (imgtool/plan.h), MKIMG_SYNC_SLOT bytes per node, zeroed by the loader at
 * every boot. Slot i, at byte MKIMG_SYNC_SLOT * i, belongs to the node
 * whose /chosen/mkimg node-index is i: three u32, a ready word (the
 * connector library's seL4 back end sets it once the node's receive
 * channels are bound) and a Lamport bakery lock that lets one node at a
 * time print a whole console line.
 *
 * One copy of the lock for everyone who takes it: the demo kernel
 * (kernel/src/console.c, on behalf of its root task too) and a root task
 * on seL4 (connect/src/sel4.c). Each node's slot has exactly one owner:
 * whoever prints for that node. On the demo kernel that is the kernel (a
 * root task prints through its `puts` call and never takes the lock); on
 * seL4, whose kernel knows nothing of this pool, it is the root task.
 *
 * The memory must be mapped uncached by every node (Device-nGnRnE, as the
 * demo kernel and seL4 map a frame without PageCacheable; with the MMU off
 * every data access is Device-nGnRnE too): kernels map their own RAM
 * non-shareable, so cacheable mappings of one pool on two cores would not
 * be coherent, and mismatched attributes lose the architecture's ordering
 * guarantees. The algorithm then needs only aligned 32-bit single-copy
 * atomic loads and stores (no exclusives, which need not work on Device
 * memory) and a full barrier (`dmb sy`) between a store and a later load
 * of another slot: the bakery's store-to-load orders are exactly the ones
 * a weakly ordered CPU would otherwise break.
 *
 * The layout is freestanding C for every side; the lock itself is AArch64.
 */
#ifndef MKIMG_SYNC_H
#define MKIMG_SYNC_H

#include <stdint.h>

#define MKIMG_SYNC_POOL "mkimg-sync"
#define MKIMG_SYNC_SLOT 64u
#define MKIMG_SYNC_READY_OFF 0u    /* u32: MKIMG_SYNC_READY once the node's receive channels are bound */
#define MKIMG_SYNC_CHOOSING_OFF 4u /* u32: the bakery's "choosing" flag */
#define MKIMG_SYNC_TICKET_OFF 8u   /* u32: the bakery's ticket, 0 when not waiting */
#define MKIMG_SYNC_READY 0x59444552u /* "REDY" in memory (little-endian) */

#ifdef __aarch64__

/* One node's view of the pool. base 0: no pool (one node alone), and the
 * lock is free at once. */
struct mkimg_sync {
	volatile uint32_t *base;
	uint32_t index, count; /* this node's slot; how many slots there are */
};

/* Slot i's u32 at byte offset `off`. */
static inline volatile uint32_t *mkimg_sync_word(const struct mkimg_sync *s, uint32_t i, uint32_t off)
{
	return s->base + (i * MKIMG_SYNC_SLOT + off) / 4;
}

static inline void mkimg_sync_barrier(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* One turn of a wait: `yield` (a hint; QEMU's single-threaded TCG then
 * runs the next vCPU, which may be the one holding the lock), then the
 * barrier before the next look. */
static inline void mkimg_sync_wait(void)
{
	__asm__ volatile("yield" ::: "memory");
	mkimg_sync_barrier();
}

/* Lamport's bakery: take a ticket one above every ticket in sight, then
 * wait for each other node that is choosing or holds a smaller ticket
 * (equal tickets: the lower slot first). Starvation-free; a node that
 * stops while it holds the lock stops every other node's output. */
static inline void mkimg_sync_lock(const struct mkimg_sync *s)
{
	if (!s->base)
		return;
	volatile uint32_t *choosing = mkimg_sync_word(s, s->index, MKIMG_SYNC_CHOOSING_OFF);
	volatile uint32_t *ticket = mkimg_sync_word(s, s->index, MKIMG_SYNC_TICKET_OFF);
	uint32_t max = 0;
	*choosing = 1;
	mkimg_sync_barrier();
	for (uint32_t j = 0; j < s->count; j++) {
		uint32_t t = *mkimg_sync_word(s, j, MKIMG_SYNC_TICKET_OFF);
		if (t > max)
			max = t;
	}
	uint32_t mine = max + 1;
	*ticket = mine;
	mkimg_sync_barrier();
	*choosing = 0;
	mkimg_sync_barrier();
	for (uint32_t j = 0; j < s->count; j++) {
		if (j == s->index)
			continue;
		while (*mkimg_sync_word(s, j, MKIMG_SYNC_CHOOSING_OFF))
			mkimg_sync_wait();
		mkimg_sync_barrier();
		for (;;) {
			uint32_t t = *mkimg_sync_word(s, j, MKIMG_SYNC_TICKET_OFF);
			if (!t || t > mine || (t == mine && j > s->index))
				break;
			mkimg_sync_wait();
		}
	}
	mkimg_sync_barrier(); /* the critical section after the lock's loads */
}

static inline void mkimg_sync_unlock(const struct mkimg_sync *s)
{
	if (!s->base)
		return;
	mkimg_sync_barrier(); /* the critical section before the release */
	*mkimg_sync_word(s, s->index, MKIMG_SYNC_TICKET_OFF) = 0;
	mkimg_sync_barrier();
}

#endif /* __aarch64__ */

#endif
