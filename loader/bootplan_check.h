/* SPDX-License-Identifier: BSD-2-Clause */
/* bootplan_check.h - the loader's checks of a boot plan, as plain functions
 * that read memory and decide: compiled into the loader (loader.c), into
 * mkimgcore (pack.c checks every plan it writes, image.c every plan it
 * inspects) and into the host fuzz harness (tests/fuzz).
 *
 * Freestanding: no libc, no allocation, no printing. A problem is reported
 * through the caller's `fail` callback, once, with a format the loader's log
 * understands (%s a string, %x and %u a uint64_t in hex or decimal, %n a
 * NUL-padded name of at most 32 bytes); the function then returns -1. The
 * loader's callback never returns.
 *
 * What is checked, in the order the loader needs it:
 *   bp_find      the payload starts with the plan's CPIO member; magic,
 *                version and size; every byte read lies in `avail`
 *   bp_plan_sum  the plan's SHA-256 (the caller compares it)
 *   bp_arrays    its arrays lie inside it, past its header, apart
 *   bp_check     the image runs where the plan says, on its cpu; every
 *                array, member, op, map and table area lies where it must
 *                (a map's attributes: only BP_MAP_ATTR_MASK's bits);
 *                and no node can reach another's RAM: node RAM regions are
 *                disjoint and clear of the loader, and each node's writes,
 *                maps, DTB, root task and spin-table release address lie
 *                in its own RAM (maps: or in the loader's region) or, for
 *                the release address, in no one's; every pool to zero is
 *                whole pages of the board's RAM, no node's and not the
 *                loader's.
 */
#ifndef MKIMG_BOOTPLAN_CHECK_H
#define MKIMG_BOOTPLAN_CHECK_H

#include "bootplan.h"
#include "sha256.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Where the plan is checked: the loader's own facts, or the host's view
 * of an image. */
struct bp_env {
	uint64_t image_base;    /* where the image's first byte is */
	uint64_t loader_size;   /* the loader block; the payload follows it */
	uint64_t payload_avail; /* bytes readable from the payload's first byte */
	uint64_t mpidr;         /* affinity fields of the cpu running the loader */
	uint64_t el;            /* the loader's exception level; 0: not known (host) */
};

/* The plan and its arrays, once checked. */
struct bp_plan {
	const struct bp_header *h;
	const struct bp_member *members;
	const struct bp_node *nodes;
	const struct bp_op *ops;
	const struct bp_map *maps;
	const struct bp_pool *pools;
};

typedef void (*bp_fail_fn)(void *ctx, const char *fmt, va_list ap);

/* What an accepted plan guarantees, in ACSL (proven with Frama-C WP, see
 * README.md and tests/proof): ranges are mathematical integers, so
 * `lo + size <= end` also says that nothing wraps.
 *
 * bp_check()'s contract (bootplan_check.c) says which hold once it returned 0. */
/*@ predicate bp_in(integer lo, integer size, integer start, integer end) =
  @   start <= lo && lo + size <= end;
  @ predicate bp_apart(integer a0, integer a1, integer b0, integer b1) =
  @   a1 <= b0 || b1 <= a0;
  @
  @ // an array of count elements of elem bytes at off: aligned, in the plan, past its header
  @ predicate bp_array_ok(struct bp_header *h, integer off, integer count, integer elem) =
  @   off % 8 == 0 && sizeof(struct bp_header) <= off && off + count * elem <= h->size;
  @ predicate bp_arrays_ok(struct bp_header *h) =
  @   bp_array_ok(h, h->members_off, h->members_count, sizeof(struct bp_member)) &&
  @   bp_array_ok(h, h->nodes_off, h->nodes_count, sizeof(struct bp_node)) &&
  @   bp_array_ok(h, h->ops_off, h->ops_count, sizeof(struct bp_op)) &&
  @   bp_array_ok(h, h->maps_off, h->maps_count, sizeof(struct bp_map)) &&
  @   bp_array_ok(h, h->pools_off, h->pools_count, sizeof(struct bp_pool));
  @ // the arrays' typed views: where the header says
  @ logic struct bp_member *bp_members(struct bp_header *h) =
  @   (struct bp_member *)((uint8_t *)h + h->members_off);
  @ logic struct bp_node *bp_nodes(struct bp_header *h) =
  @   (struct bp_node *)((uint8_t *)h + h->nodes_off);
  @ logic struct bp_op *bp_ops(struct bp_header *h) =
  @   (struct bp_op *)((uint8_t *)h + h->ops_off);
  @ logic struct bp_map *bp_maps(struct bp_header *h) =
  @   (struct bp_map *)((uint8_t *)h + h->maps_off);
  @ logic struct bp_pool *bp_pools(struct bp_header *h) =
  @   (struct bp_pool *)((uint8_t *)h + h->pools_off);
  @ predicate bp_views(struct bp_plan *pl) =
  @   pl->members == bp_members(pl->h) && pl->nodes == bp_nodes(pl->h) && pl->ops == bp_ops(pl->h) &&
  @   pl->maps == bp_maps(pl->h) && pl->pools == bp_pools(pl->h);
  @ // The memory-model assumption the caller makes (README.md): a plan whose
  @ // arrays lie inside it can be read as those arrays.
  @ predicate bp_readable(struct bp_header *h) =
  @   \valid_read(bp_members(h) + (0 .. h->members_count - 1)) &&
  @   \valid_read(bp_nodes(h) + (0 .. h->nodes_count - 1)) &&
  @   \valid_read(bp_ops(h) + (0 .. h->ops_count - 1)) &&
  @   \valid_read(bp_maps(h) + (0 .. h->maps_count - 1)) &&
  @   \valid_read(bp_pools(h) + (0 .. h->pools_count - 1));
  @ // what the checks after bp_arrays() start from
  @ predicate bp_laid_out(struct bp_plan *pl) =
  @   \valid_read(pl) && \valid_read(pl->h) && bp_arrays_ok(pl->h) && bp_views(pl) && bp_readable(pl->h);
  @
  @ predicate bp_in_loader(struct bp_header *h, integer lo, integer size) =
  @   bp_in(lo, size, h->image_base, h->region_end);
  @ predicate bp_image_ok(struct bp_plan *pl, struct bp_env *env) =
  @   pl->h->image_base == env->image_base && env->mpidr == pl->h->primary_mpidr &&
  @   env->loader_size <= pl->h->image_size &&
  @   pl->h->image_base + pl->h->image_size <= pl->h->region_end &&
  @   \forall integer i; 0 <= i < pl->h->members_count ==>
  @     bp_in(pl->members[i].offset, pl->members[i].size, env->loader_size, pl->h->image_size);
  @ // a map: whole 2 MiB blocks, below the addresses a descriptor holds, attributes only in BP_MAP_ATTR_MASK
  @ predicate bp_map_ok(struct bp_map *m) =
  @   m->va % BP_BLOCK == 0 && m->pa % BP_BLOCK == 0 && m->size % BP_BLOCK == 0 && m->root <= 1 &&
  @   m->va + m->size <= UINT64_MAX && m->pa + m->size <= BP_MAP_PA_END &&
  @   (m->attr & BP_MAP_ATTR_MASK) == m->attr;
  @ predicate bp_maps_ok(struct bp_plan *pl, integer first, integer count) =
  @   first + count <= pl->h->maps_count &&
  @   \forall integer i; first <= i < first + count ==> bp_map_ok(pl->maps + i);
  @ // a table area: whole pages, at least two, in the loader's region past the image
  @ predicate bp_area_ok(struct bp_header *h, integer lo, integer hi) =
  @   lo % BP_PAGE == 0 && hi % BP_PAGE == 0 && lo + 2 * BP_PAGE <= hi &&
  @   h->image_base + h->image_size <= lo && hi <= h->region_end;
  @ predicate bp_ram_ok(struct bp_plan *pl, integer k) =
  @   pl->nodes[k].ram_base < pl->nodes[k].ram_end &&
  @   bp_apart(pl->nodes[k].ram_base, pl->nodes[k].ram_end, pl->h->image_base, pl->h->region_end) &&
  @   \forall integer j; 0 <= j < k ==>
  @     bp_apart(pl->nodes[k].ram_base, pl->nodes[k].ram_end, pl->nodes[j].ram_base, pl->nodes[j].ram_end);
  @ // a write of a node: in its RAM; a copy reads inside its member
  @ predicate bp_op_ok(struct bp_plan *pl, struct bp_node *n, struct bp_op *op) =
  @   bp_in(op->dst, op->size, n->ram_base, n->ram_end) &&
  @   (op->kind == BP_OP_ZERO || (op->kind == BP_OP_COPY && op->member < pl->h->members_count &&
  @                               bp_in(op->src, op->size, 0, pl->members[op->member].size)));
  @ predicate bp_ops_ok(struct bp_plan *pl, struct bp_node *n) =
  @   n->ops_first + n->ops_count <= pl->h->ops_count &&
  @   \forall integer i; n->ops_first <= i < n->ops_first + n->ops_count ==> bp_op_ok(pl, n, pl->ops + i);
  @ // what the node's kernel is handed: maps of its RAM or the loader's region; DTB, root task in its RAM
  @ predicate bp_reach_ok(struct bp_plan *pl, struct bp_node *n) =
  @   (\forall integer i; n->maps_first <= i < n->maps_first + n->maps_count ==>
  @     bp_in(pl->maps[i].pa, pl->maps[i].size, n->ram_base, n->ram_end) ||
  @     bp_in_loader(pl->h, pl->maps[i].pa, pl->maps[i].size)) &&
  @   n->regs[0] <= n->regs[1] && bp_in(n->regs[0], n->regs[1] - n->regs[0], n->ram_base, n->ram_end) &&
  @   bp_in(n->regs[4], n->regs[5], n->ram_base, n->ram_end);
  @ predicate bp_start_ok(struct bp_plan *pl, integer k, struct bp_env *env) =
  @   (pl->nodes[k].start == BP_START_SELF && k + 1 == pl->h->nodes_count &&
  @    pl->nodes[k].mpidr == pl->h->primary_mpidr) ||
  @   (pl->nodes[k].start == BP_START_PSCI &&
  @    (pl->h->psci == BP_PSCI_SMC || (pl->h->psci == BP_PSCI_HVC && env->el != 2))) ||
  @   (pl->nodes[k].start == BP_START_SPIN && pl->nodes[k].release_addr % 8 == 0 &&
  @    pl->nodes[k].release_addr + 8 <= UINT64_MAX &&
  @    bp_apart(pl->nodes[k].release_addr, pl->nodes[k].release_addr + 8, pl->h->image_base, pl->h->region_end) &&
  @    \forall integer j; 0 <= j < pl->h->nodes_count ==>
  @      bp_apart(pl->nodes[k].release_addr, pl->nodes[k].release_addr + 8, pl->nodes[j].ram_base, pl->nodes[j].ram_end));
  @ predicate bp_node_ok(struct bp_plan *pl, integer k, struct bp_env *env) =
  @   bp_ram_ok(pl, k) && bp_ops_ok(pl, pl->nodes + k) &&
  @   bp_maps_ok(pl, pl->nodes[k].maps_first, pl->nodes[k].maps_count) && bp_reach_ok(pl, pl->nodes + k) &&
  @   bp_area_ok(pl->h, pl->nodes[k].ttbr0, pl->nodes[k].tables_end) &&
  @   pl->nodes[k].ttbr1 == pl->nodes[k].ttbr0 + BP_PAGE && bp_start_ok(pl, k, env) &&
  @   ((pl->nodes[k].boot == BP_BOOT_SEL4 && pl->nodes[k].el == 1) ||
  @    (pl->nodes[k].boot == BP_BOOT_LINUX && pl->nodes[k].el == 2 &&
  @     bp_in(pl->nodes[k].entry, 4, pl->nodes[k].ram_base, pl->nodes[k].ram_end)));
  @ // table areas follow each other: the copy phase's, then each node's
  @ predicate bp_tables_after(struct bp_plan *pl, integer k) =
  @   (k == 0 ? pl->h->copy_tables_end : pl->nodes[k - 1].tables_end) <= pl->nodes[k].ttbr0;
  @ predicate bp_pool_ok(struct bp_plan *pl, struct bp_pool *p) =
  @   p->base % BP_PAGE == 0 && p->size % BP_PAGE == 0 && p->size != 0 && p->base + p->size <= UINT64_MAX &&
  @   pl->h->ram_base + pl->h->ram_size <= UINT64_MAX &&
  @   bp_in(p->base, p->size, pl->h->ram_base, pl->h->ram_base + pl->h->ram_size) &&
  @   bp_apart(p->base, p->base + p->size, pl->h->image_base, pl->h->region_end) &&
  @   \forall integer j; 0 <= j < pl->h->nodes_count ==>
  @     bp_apart(p->base, p->base + p->size, pl->nodes[j].ram_base, pl->nodes[j].ram_end);
  @*/

/* Whether n bytes at a and b are equal (the loader has no memcmp). */
int bp_same(const void *a, const void *b, size_t n);

/* The plan in the payload at `payload` (env->payload_avail bytes): its
 * CPIO member, magic, version and size. Sets pl->h. Returns 0 or -1. */
int bp_find(const void *payload, const struct bp_env *env, struct bp_plan *pl, bp_fail_fn fail, void *ctx);
/* SHA-256 of bytes [0, 32) and [64, h->size) of the plan: all of it but
 * the hash itself. */
void bp_plan_sum(const struct bp_header *h, uint8_t out[SHA256_BYTES]);
/* The plan's five arrays, checked to lie inside it (bp_find must have
 * passed); sets them. Returns 0 or -1. bp_check() starts with this. */
int bp_arrays(struct bp_plan *pl, bp_fail_fn fail, void *ctx);
/* Everything else about pl->h (bp_find must have passed); sets the arrays.
 * Returns 0 or -1. */
int bp_check(struct bp_plan *pl, const struct bp_env *env, bp_fail_fn fail, void *ctx);

#endif
