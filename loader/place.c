/* SPDX-License-Identifier: BSD-2-Clause */
/* place.c - the loader's copy, zero and page-table loops (place.h), on
 * integer addresses, every store and load through one primitive below.
 * Proven with Frama-C WP (tests/proof/run.sh): the contracts say which
 * window each store and load lies in, so what the proof shows is that no
 * loop leaves the range the checked plan gave it. */
#include "place.h"

#include <stdbool.h>
#include <stdint.h>

/* Every symbol is this image's own (see loader.c). */
#pragma GCC visibility push(hidden)

#define DESC_TABLE 3ull            /* valid table descriptor (levels 0 and 1) */
#define DESC_BLOCK 1ull            /* valid block descriptor (level 2) */
#define DESC_ADDR 0x0000fffffffff000ull

/* ------------------------------------------------------------ the stores */

/*@ ghost uint64_t place_wlo, place_whi, place_rlo, place_rhi, place_m0lo, place_m0hi, place_m1lo, place_m1hi; */
/*@ ghost int place_mem; */

/*@ predicate place_writable(integer a, integer n) = place_wlo <= a && a + n <= place_whi;
  @ predicate place_readable(integer a, integer n) = place_rlo <= a && a + n <= place_rhi;
  @ predicate place_mappable(integer pa, integer n) =
  @   bp_in(pa, n, place_m0lo, place_m0hi) || bp_in(pa, n, place_m1lo, place_m1hi); */

#ifdef __FRAMAC__
/* What the proof assumes of an address cast to a pointer: a store writes
 * those bytes of memory outside every C object, a load reads them. */
/*@ requires place_writable(a, 8);
  @ assigns place_mem; */
void st64(uint64_t a, uint64_t v);
/*@ requires place_writable(a, 4);
  @ assigns place_mem; */
void st32(uint64_t a, uint32_t v);
/*@ requires place_writable(a, 1);
  @ assigns place_mem; */
void st8(uint64_t a, uint8_t v);
/* A block descriptor d: valid, a block, and the 2 MiB it maps (its output
 * address field) mappable. */
/*@ requires place_writable(a, 8) && (d & 3) == DESC_BLOCK && place_mappable(d & DESC_ADDR, BP_BLOCK);
  @ assigns place_mem; */
void st_block(uint64_t a, uint64_t d);
/*@ requires place_readable(a, 8);
  @ assigns \nothing; */
uint64_t ld64(uint64_t a);
/*@ requires place_readable(a, 4);
  @ assigns \nothing; */
uint32_t ld32(uint64_t a);
/*@ requires place_readable(a, 1);
  @ assigns \nothing; */
uint8_t ld8(uint64_t a);
#else
/* Volatile stores: the loops stay loops of stores of this width. */
static inline void st64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline void st32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void st8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint64_t ld64(uint64_t a) { return *(const uint64_t *)a; }
static inline uint32_t ld32(uint64_t a) { return *(const uint32_t *)a; }
static inline uint8_t ld8(uint64_t a) { return *(const uint8_t *)a; }
static inline void st_block(uint64_t a, uint64_t d) { st64(a, d); }
#endif

/* A block descriptor's fields, in bits, and what they are in arithmetic:
 * WP's provers here cannot go from | and & on integers to arithmetic, so
 * these two facts, each about one number, are assumed here and proven
 * apart over 64-bit bit-vectors by tests/proof/run.sh (desc.mlw, with
 * these same constants). A plan's attributes (only BP_MAP_ATTR_MASK's bits,
 * bp_map_ok) have no type bit and no bit from 12 to 51; a descriptor's
 * output address field is its bits 12 to 47, its type its bits 0 and 1. */
/*@ axiomatic DescBits {
  @ axiom attr_bits: \forall integer attr;
  @   0 <= attr <= UINT64_MAX && (attr & BP_MAP_ATTR_MASK) == attr ==>
  @     attr % 4 == 0 && attr % 0x10000000000000 < 0x1000;
  @ axiom desc_bits: \forall integer d;
  @   0 <= d <= UINT64_MAX ==>
  @     (d & DESC_ADDR) == d % 0x1000000000000 / 0x1000 * 0x1000 && (d & 3) == d % 4;
  @ } */

/* ------------------------------------------------------------ copy, zero */

/* Copy with the widest accesses the alignment of both ends allows: the
 * payload's members start 4-aligned (CPIO), the targets are usually
 * page aligned. */
/*@ requires place_writable(dst, n) && place_readable(src, n);
  @ assigns place_mem; */
static void copy(uint64_t dst, uint64_t src, uint64_t n)
{
	if (dst % 8 == 0 && src % 8 == 0 && n % 8 == 0) {
		/*@ loop invariant 0 <= i <= n && i % 8 == 0;
		  @ loop assigns i, place_mem;
		  @ loop variant n - i; */
		for (uint64_t i = 0; i < n; i += 8)
			st64(dst + i, ld64(src + i));
	} else if (dst % 4 == 0 && src % 4 == 0 && n % 4 == 0) {
		/*@ loop invariant 0 <= i <= n && i % 4 == 0;
		  @ loop assigns i, place_mem;
		  @ loop variant n - i; */
		for (uint64_t i = 0; i < n; i += 4)
			st32(dst + i, ld32(src + i));
	} else {
		/*@ loop invariant 0 <= i <= n;
		  @ loop assigns i, place_mem;
		  @ loop variant n - i; */
		for (uint64_t i = 0; i < n; i++)
			st8(dst + i, ld8(src + i));
	}
}

/* Bytes up to the first 8-aligned address, words, then the bytes left. */
/*@ requires place_writable(dst, n);
  @ assigns place_mem; */
static void zero(uint64_t dst, uint64_t n)
{
	uint64_t i = 0;
	/*@ loop invariant 0 <= i <= n;
	  @ loop assigns i, place_mem;
	  @ loop variant n - i; */
	for (; i < n && (dst + i) % 8 != 0; i++)
		st8(dst + i, 0);
	/*@ loop invariant 0 <= i <= n;
	  @ loop assigns i, place_mem;
	  @ loop variant n - i; */
	for (; n - i >= 8; i += 8)
		st64(dst + i, 0);
	/*@ loop invariant 0 <= i <= n;
	  @ loop assigns i, place_mem;
	  @ loop variant n - i; */
	for (; i < n; i++)
		st8(dst + i, 0);
}

void place_ops(const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	/*@ ghost place_wlo = n->ram_base; place_whi = n->ram_end;
	  @ place_rlo = h->image_base; place_rhi = h->image_base + h->image_size; */
	/*@ loop invariant 0 <= i <= n->ops_count;
	  @ loop assigns i, place_mem;
	  @ loop variant n->ops_count - i; */
	for (uint32_t i = 0; i < n->ops_count; i++) {
		const struct bp_op *op = &pl->ops[n->ops_first + i];
		//@ assert bp_op_ok(pl, n, op);
		if (op->kind == BP_OP_COPY)
			copy(op->dst, h->image_base + pl->members[op->member].offset + op->src, op->size);
		else
			zero(op->dst, op->size);
	}
}

void place_pool(const struct bp_plan *pl, uint32_t k)
{
	const struct bp_pool *p = &pl->pools[k];
	//@ ghost place_wlo = p->base; place_whi = p->base + p->size;
	zero(p->base, p->size);
}

void place_release(const struct bp_plan *pl, uint32_t k, uint64_t entry)
{
	uint64_t a = pl->nodes[k].release_addr;
	//@ ghost place_wlo = a; place_whi = a + 8;
	st64(a, entry);
}

/* ------------------------------------------------------------ page tables */

/* The area [lo, end) (the windows), its tables handed out from lo up to next. */
struct pages {
	uint64_t lo, next, end;
};

/*@ predicate pages_ok(struct pages *a) =
  @   a->lo <= a->next <= a->end && a->next % BP_PAGE == 0 && a->end % BP_PAGE == 0 &&
  @   place_wlo == a->lo && place_whi == a->end && place_rlo == a->lo && place_rhi == a->end;
  @ // a table handed out: a whole page below next
  @ predicate pages_table(struct pages *a, integer t) = a->lo <= t && t + BP_PAGE <= a->next;
  @ // a multiple of a block below another is one block or more below it
  @ lemma block_step: \forall integer x, y; 0 <= x < y && x % BP_BLOCK == 0 && y % BP_BLOCK == 0 ==>
  @   x + BP_BLOCK <= y; */

/*@ requires \valid(a) && pages_ok(a);
  @ assigns a->next, place_mem;
  @ ensures pages_ok(a) && \old(a->next) <= a->next && pages_table(a, \result) && \result == \old(a->next); */
static uint64_t new_table(struct pages *a)
{
	if (a->next >= a->end)
		place_fail("page tables: the area the plan gave is full");
	uint64_t t = a->next;
	a->next += BP_PAGE;
	zero(t, BP_PAGE);
	return t;
}

/* The table entry `index` of `table` points to, made when it is not valid.
 * A valid entry was written by this builder and points to a table it
 * handed out; the proof does not follow the tables' contents, so that is
 * checked as the entry is read back. */
/*@ requires \valid(a) && pages_ok(a) && pages_table(a, table) && index < 512;
  @ assigns a->next, place_mem;
  @ ensures pages_ok(a) && \old(a->next) <= a->next && pages_table(a, \result); */
static uint64_t next_level(uint64_t table, uint64_t index, struct pages *a)
{
	uint64_t entry = table + 8 * index;
	uint64_t d = ld64(entry);
	if (!(d & 1)) {
		uint64_t t = new_table(a);
		st64(entry, t | DESC_TABLE);
		return t;
	}
	uint64_t t = d & DESC_ADDR;
	if (t < a->lo || t > a->next || a->next - t < BP_PAGE)
		place_fail("page tables: an entry points outside the tables built");
	return t;
}

/* One bp_map under `root` with 2 MiB blocks (level 2 of 4). */
/*@ requires \valid(a) && pages_ok(a) && pages_table(a, root) && \valid_read(m) && bp_map_ok(m) &&
  @   \separated(a, m) && place_mappable(m->pa, m->size);
  @ assigns a->next, place_mem;
  @ ensures pages_ok(a) && \old(a->next) <= a->next; */
static void map(uint64_t root, const struct bp_map *m, struct pages *a)
{
	/*@ loop invariant 0 <= off <= m->size && off % BP_BLOCK == 0;
	  @ loop invariant pages_ok(a) && \at(a->next, Pre) <= a->next;
	  @ loop assigns off, a->next, place_mem;
	  @ loop variant m->size - off; */
	for (uint64_t off = 0; off < m->size; off += BP_BLOCK) {
		//@ assert off + BP_BLOCK <= m->size;
		uint64_t va = m->va + off;
		uint64_t l1 = next_level(root, (va >> 39) % 512, a);
		uint64_t l2 = next_level(l1, (va >> 30) % 512, a);
		uint64_t pa = m->pa + off;
		//@ assert pa % BP_BLOCK == 0 && pa + BP_BLOCK <= BP_MAP_PA_END;
		/* A sum, which is the fields ORed: they share no bit (the
		 * attributes have no address or type bit), and the proof
		 * reasons about sums. */
		uint64_t d = pa + m->attr + DESC_BLOCK;
		//@ assert m->attr % 4 == 0 && m->attr % 0x10000000000000 < 0x1000;
		//@ assert m->attr == m->attr / 0x10000000000000 * 0x10000000000000 + m->attr % 0x1000;
		//@ assert d == pa + m->attr % 0x1000 + DESC_BLOCK + m->attr / 0x10000000000000 * 0x10000000000000;
		//@ assert d % 0x1000000000000 == pa + m->attr % 0x1000 + DESC_BLOCK;
		//@ assert d % 0x1000000000000 / 0x1000 * 0x1000 == pa && d % 4 == DESC_BLOCK;
		st_block(l2 + 8 * ((va >> 21) % 512), d);
	}
}

/*@ requires \valid_read(maps + (0 .. count - 1));
  @ requires \forall integer i; 0 <= i < count ==> bp_map_ok(maps + i) && place_mappable(maps[i].pa, maps[i].size);
  @ requires lo % BP_PAGE == 0 && hi % BP_PAGE == 0 && lo + 2 * BP_PAGE <= hi;
  @ assigns place_mem, place_wlo, place_whi, place_rlo, place_rhi;
  @ ensures place_wlo == lo && place_whi == hi && place_rlo == lo && place_rhi == hi; */
static void tables(const struct bp_map *maps, uint32_t count, uint64_t lo, uint64_t hi, bool two)
{
	/*@ ghost place_wlo = lo; place_whi = hi; place_rlo = lo; place_rhi = hi; */
	struct pages a = {lo, lo, hi};
	uint64_t root0 = new_table(&a), root1 = root0;
	if (two)
		root1 = new_table(&a);
	/*@ loop invariant 0 <= i <= count;
	  @ loop invariant pages_ok(&a) && pages_table(&a, root0) && pages_table(&a, root1) && root0 == lo;
	  @ loop assigns i, a.next, place_mem;
	  @ loop variant count - i; */
	for (uint32_t i = 0; i < count; i++)
		map(maps[i].root ? root1 : root0, &maps[i], &a);
}

uint64_t place_copy_tables(const struct bp_plan *pl, uint32_t el2)
{
	const struct bp_header *h = pl->h;
	//@ ghost place_m0lo = 0; place_m0hi = UINT64_MAX; place_m1lo = 0; place_m1hi = 0;
	tables(&pl->maps[h->copy_maps_first[el2]], h->copy_maps_count[el2], h->copy_tables, h->copy_tables_end, false);
	return h->copy_tables;
}

void place_node_tables(const struct bp_plan *pl, const struct bp_node *n)
{
	/*@ ghost place_m0lo = n->ram_base; place_m0hi = n->ram_end;
	  @ place_m1lo = pl->h->image_base; place_m1hi = pl->h->region_end; */
	tables(&pl->maps[n->maps_first], n->maps_count, n->ttbr0, n->tables_end, true);
}
