/* SPDX-License-Identifier: BSD-2-Clause */
/* place.h - the loader's writes to memory outside its own C objects: the
 * ops' copies and zeroes into a node's RAM, the pools' zeroes, and the page
 * tables built in a table area of the loader's region. place.c, proven with
 * Frama-C WP (README.md, tests/proof/run.sh): under the preconditions
 * below, which bp_check() establishes, every store lies in the range the
 * plan gave for it, every read of a copy in its payload member, and no C
 * object is written.
 *
 * Addresses are integers (physical = virtual: the loader's maps are
 * identity maps). The proof sees memory at such addresses as place.c's
 * ghost state: `place_mem`, written only through place.c's one-line store
 * primitives, each of which requires its bytes to lie in the current write
 * window [place_wlo, place_whi) (reads: [place_rlo, place_rhi); a block
 * descriptor's address: [place_m0lo, place_m0hi) or [place_m1lo,
 * place_m1hi)); each function below sets the windows, on entry, to the
 * ranges named in its comment and its `ensures`.
 */
#ifndef MKIMG_PLACE_H
#define MKIMG_PLACE_H

#include "bootplan_check.h"

#include <stdbool.h>
#include <stdint.h>

/*@ ghost extern uint64_t place_wlo, place_whi, place_rlo, place_rhi, place_m0lo, place_m0hi, place_m1lo, place_m1hi; */
/*@ ghost extern int place_mem; */

/* The loader's way to stop (loader.c: one line, then halt). */
/*@ assigns \nothing;
  @ ensures \false; */
_Noreturn void place_fail(const char *why);

/* A node's ops, in order: each copy writes [dst, dst + size) of the node's
 * RAM (window: the node's RAM) from its member's bytes (read window: the
 * image), each zero likewise. */
/*@ requires bp_laid_out(pl) && \valid_read(n) && bp_ops_ok(pl, n);
  @ requires \forall integer i; 0 <= i < pl->h->members_count ==>
  @   bp_in(pl->members[i].offset, pl->members[i].size, 0, pl->h->image_size);
  @ requires pl->h->image_base + pl->h->image_size <= pl->h->region_end;
  @ assigns place_mem, place_wlo, place_whi, place_rlo, place_rhi;
  @ ensures place_wlo == n->ram_base && place_whi == n->ram_end;
  @ ensures place_rlo == pl->h->image_base && place_rhi == pl->h->image_base + pl->h->image_size; */
void place_ops(const struct bp_plan *pl, const struct bp_node *n);

/* Pool k zeroed (window: the pool). */
/*@ requires bp_laid_out(pl) && k < pl->h->pools_count && bp_pool_ok(pl, pl->pools + k);
  @ assigns place_mem, place_wlo, place_whi;
  @ ensures place_wlo == pl->pools[k].base && place_whi == pl->pools[k].base + pl->pools[k].size; */
void place_pool(const struct bp_plan *pl, uint32_t k);

/* Page tables in a table area of the loader's region (window and read
 * window: the area), 2 MiB blocks at level 2 of 4: a root table first, at
 * the area's start, then the tables the maps need, in order, each zeroed
 * when taken. Stops (place_fail) when the area is full. */

/* The copy phase's, for the exception level el2 (0: EL1, 1: EL2): one root,
 * every map under it; a block may map anything (the console too). Returns
 * the root. */
/*@ requires bp_laid_out(pl) && el2 <= 1;
  @ requires bp_maps_ok(pl, pl->h->copy_maps_first[el2], pl->h->copy_maps_count[el2]);
  @ requires bp_area_ok(pl->h, pl->h->copy_tables, pl->h->copy_tables_end);
  @ assigns place_mem, place_wlo, place_whi, place_rlo, place_rhi, place_m0lo, place_m0hi, place_m1lo, place_m1hi;
  @ ensures place_wlo == pl->h->copy_tables && place_whi == pl->h->copy_tables_end;
  @ ensures place_rlo == pl->h->copy_tables && place_rhi == pl->h->copy_tables_end;
  @ ensures \result == pl->h->copy_tables; */
uint64_t place_copy_tables(const struct bp_plan *pl, uint32_t el2);

/* A node's: its TTBR0 root at ttbr0, TTBR1 root next, the maps under the
 * root each names; every block maps a part of the node's RAM or of the
 * loader's region (mapping window). */
/*@ requires bp_laid_out(pl) && \valid_read(n);
  @ requires bp_maps_ok(pl, n->maps_first, n->maps_count) && bp_reach_ok(pl, n);
  @ requires bp_area_ok(pl->h, n->ttbr0, n->tables_end);
  @ assigns place_mem, place_wlo, place_whi, place_rlo, place_rhi, place_m0lo, place_m0hi, place_m1lo, place_m1hi;
  @ ensures place_wlo == n->ttbr0 && place_whi == n->tables_end;
  @ ensures place_rlo == n->ttbr0 && place_rhi == n->tables_end;
  @ ensures place_m0lo == n->ram_base && place_m0hi == n->ram_end;
  @ ensures place_m1lo == pl->h->image_base && place_m1hi == pl->h->region_end; */
void place_node_tables(const struct bp_plan *pl, const struct bp_node *n);

/* A spin-table cpu released: `entry` written to node k's release address
 * (window: those 8 bytes, which bp_check puts in no node's RAM and not in
 * the loader's region). */
/*@ requires bp_laid_out(pl) && k < pl->h->nodes_count && pl->nodes[k].start == BP_START_SPIN;
  @ requires pl->nodes[k].release_addr % 8 == 0 && pl->nodes[k].release_addr + 8 <= UINT64_MAX;
  @ assigns place_mem, place_wlo, place_whi;
  @ ensures place_wlo == pl->nodes[k].release_addr && place_whi == pl->nodes[k].release_addr + 8; */
void place_release(const struct bp_plan *pl, uint32_t k, uint64_t entry);

#endif
