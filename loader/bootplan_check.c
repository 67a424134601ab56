/* SPDX-License-Identifier: BSD-2-Clause */
/* bootplan_check.c - see bootplan_check.h.
 *
 * Every function returns at the first problem: the loader stops there, and
 * the host reports one reason as the loader would. Arithmetic on plan
 * values is written so that it cannot overflow (inside(), overlap()).
 */
#include "bootplan_check.h"

#include <stddef.h>

#define CPIO_HEADER 110 /* newc: "070701" and 13 eight-digit hex fields */

struct chk {
	bp_fail_fn fail;
	void *ctx;
};

#ifndef __FRAMAC__
static int bad(const struct chk *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->fail(c->ctx, fmt, ap);
	va_end(ap);
	return -1;
}
#else
/* The proof's refusal: the caller's callback is assumed to write nothing
 * the checks read (it formats a message, or never returns); its message's
 * arguments are not evaluated. */
/*@ assigns \nothing;
  @ ensures \result == -1; */
int bp_refuse(void);
#define bad(c, ...) ((void)(c), bp_refuse())
#endif

/*@ requires \valid_read((const uint8_t *)a + (0 .. n - 1)) && \valid_read((const uint8_t *)b + (0 .. n - 1));
  @ assigns \nothing; */
int bp_same(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	/*@ loop invariant 0 <= i <= n;
	  @ loop assigns i;
	  @ loop variant n - i; */
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* [lo, lo + size) inside [start, end), without overflow. */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> bp_in(lo, size, start, end); */
static int inside(uint64_t lo, uint64_t size, uint64_t start, uint64_t end)
{
	return lo >= start && lo <= end && size <= end - lo;
}

/* Whether [lo, lo + size) meets [start, end); neither wraps (checked). */
/*@ requires lo + size <= UINT64_MAX;
  @ assigns \nothing;
  @ ensures \result != 0 <==> size != 0 && !bp_apart(lo, lo + size, start, end); */
static int overlap(uint64_t lo, uint64_t size, uint64_t start, uint64_t end)
{
	return size && lo < end && start < lo + size;
}

/* Eight hex digits of a CPIO header field; ~0 when one is not hex. */
/*@ logic integer hex_limit(integer digits) = digits <= 0 ? 1 : digits == 1 ? 0x10 : digits == 2 ? 0x100 :
  @   digits == 3 ? 0x1000 : digits == 4 ? 0x10000 : digits == 5 ? 0x100000 : digits == 6 ? 0x1000000 :
  @   digits == 7 ? 0x10000000 : 0x100000000; */
/*@ requires 0 <= index <= 12 && \valid_read(hdr + (0 .. CPIO_HEADER - 1));
  @ assigns \nothing; */
static uint64_t cpio_field(const char *hdr, int index)
{
	uint64_t v = 0;
	/*@ loop invariant 0 <= i <= 8 && v < hex_limit(i);
	  @ loop assigns i, v;
	  @ loop variant 8 - i; */
	for (int i = 0; i < 8; i++) {
		char c = hdr[6 + 8 * index + i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return ~0ull;
		v = v * 16 + (uint64_t)d;
	}
	return v;
}

/*@ requires \valid_read(env) && \valid(pl);
  @ requires env->payload_avail >= BP_PLAN_OFFSET + sizeof(struct bp_header) ==>
  @   \valid_read((const char *)payload + (0 .. BP_PLAN_OFFSET - 1)) &&
  @   \valid_read((const struct bp_header *)((const char *)payload + BP_PLAN_OFFSET));
  @ assigns pl->h;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> pl->h == (const struct bp_header *)((const char *)payload + BP_PLAN_OFFSET) &&
  @   pl->h->magic == BP_MAGIC && pl->h->version == BP_VERSION &&
  @   sizeof(struct bp_header) <= pl->h->size && BP_PLAN_OFFSET + pl->h->size <= env->payload_avail; */
int bp_find(const void *payload, const struct bp_env *env, struct bp_plan *pl, bp_fail_fn fail, void *ctx)
{
	const struct chk c = {fail, ctx};
	const char *cpio = payload;
	const struct bp_header *h = (const void *)(cpio + BP_PLAN_OFFSET);
	if (env->payload_avail < BP_PLAN_OFFSET + sizeof(*h) || !bp_same(cpio, "070701", 6) ||
	    cpio_field(cpio, 11) != sizeof(BP_MEMBER) || !bp_same(cpio + CPIO_HEADER, BP_MEMBER, sizeof(BP_MEMBER)))
		return bad(&c, "no boot plan: the payload after the loader does not start with a '%s' CPIO member",
			   BP_MEMBER);
	if (h->magic != BP_MAGIC)
		return bad(&c, "boot plan: bad magic %x (expected %x)", h->magic, (uint64_t)BP_MAGIC);
	if (h->version != BP_VERSION)
		return bad(&c, "boot plan: version %u, but this loader reads version %u", (uint64_t)h->version,
			   (uint64_t)BP_VERSION);
	if (h->size < sizeof(*h) || h->size > cpio_field(cpio, 6) || h->size > env->payload_avail - BP_PLAN_OFFSET)
		return bad(&c, "boot plan: size %u does not fit its member (%u bytes)", (uint64_t)h->size,
			   cpio_field(cpio, 6));
	pl->h = h;
	return 0;
}

/*@ requires \valid_read(h) && 64 <= h->size && \valid_read((const uint8_t *)h + (0 .. h->size - 1));
  @ requires \valid(out + (0 .. SHA256_BYTES - 1));
  @ assigns out[0 .. SHA256_BYTES - 1]; */
void bp_plan_sum(const struct bp_header *h, uint8_t out[SHA256_BYTES])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, h, 32);
	sha256_update(&s, (const uint8_t *)h + 64, h->size - 64);
	sha256_final(&s, out);
}

/* An array the header names, checked to lie inside the plan and past its
 * header; NULL if not. */
/*@ requires \valid_read(h) && elem > 0;
  @ assigns \nothing;
  @ ensures \result != \null ==> bp_array_ok(h, off, count, elem) && \result == (const uint8_t *)h + off; */
static const void *plan_array(const struct chk *c, const struct bp_header *h, uint32_t off, uint32_t count,
			      uint32_t elem, const char *what)
{
	if (off % 8 || off > h->size || count > (h->size - off) / elem) {
		bad(c, "boot plan: its %s lie outside it", what);
		return NULL;
	}
	if (off < sizeof(*h)) {
		bad(c, "boot plan: its %s overlap its header", what);
		return NULL;
	}
	return (const uint8_t *)h + off;
}

/*@ requires \valid(pl) && \valid_read(pl->h);
  @ assigns pl->members, pl->nodes, pl->ops, pl->maps, pl->pools;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> bp_arrays_ok(pl->h) && bp_views(pl); */
int bp_arrays(struct bp_plan *pl, bp_fail_fn fail, void *ctx)
{
	const struct chk chk = {fail, ctx}, *c = &chk;
	const struct bp_header *h = pl->h;
	const struct {
		uint32_t off, count, elem;
		const char *what;
	} a[5] = {
		{h->members_off, h->members_count, sizeof(*pl->members), "members"},
		{h->nodes_off, h->nodes_count, sizeof(*pl->nodes), "nodes"},
		{h->ops_off, h->ops_count, sizeof(*pl->ops), "ops"},
		{h->maps_off, h->maps_count, sizeof(*pl->maps), "maps"},
		{h->pools_off, h->pools_count, sizeof(*pl->pools), "pools"},
	};
	const void *at[5];
	/*@ loop invariant 0 <= i <= 5;
	  @ loop invariant \forall integer k; 0 <= k < i ==>
	  @   bp_array_ok(h, a[k].off, a[k].count, a[k].elem) && at[k] == (const uint8_t *)h + a[k].off;
	  @ loop assigns i, at[0 .. 4];
	  @ loop variant 5 - i; */
	for (int i = 0; i < 5; i++) {
		if (!(at[i] = plan_array(c, h, a[i].off, a[i].count, a[i].elem, a[i].what)))
			return -1;
		/* Each array has bytes of its own: one record read as two kinds
		 * of thing is a plan mkimg never writes. (Both lie inside the
		 * plan, so no sum here overflows.) */
		uint64_t size = (uint64_t)a[i].count * a[i].elem;
		/*@ loop invariant 0 <= j <= i;
		  @ loop assigns j;
		  @ loop variant i - j; */
		for (int j = 0; j < i; j++)
			if (a[j].count && overlap(a[i].off, size, a[j].off, a[j].off + (uint64_t)a[j].count * a[j].elem))
				return bad(c, "boot plan: its %s overlap its %s", a[j].what, a[i].what);
	}
	pl->members = at[0], pl->nodes = at[1], pl->ops = at[2], pl->maps = at[3], pl->pools = at[4];
	return 0;
}

/* A table area: page aligned, in the loader's region, past the image. */
/*@ requires \valid_read(h) && h->image_base + h->image_size <= h->region_end;
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_area_ok(h, lo, hi); */
static int check_area(const struct chk *c, const struct bp_header *h, uint64_t lo, uint64_t hi, const char *what)
{
	if (lo % BP_PAGE || hi % BP_PAGE || hi < lo || hi - lo < 2 * BP_PAGE ||
	    !inside(lo, hi - lo, h->image_base + h->image_size, h->region_end))
		return bad(c, "boot plan: %s [%x, %x) is not inside the loader's free region", what, lo, hi);
	return 0;
}

/*@ requires bp_laid_out(pl);
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_maps_ok(pl, first, count); */
static int check_maps(const struct chk *c, const struct bp_plan *pl, uint32_t first, uint32_t count,
		      const char *what)
{
	if (first > pl->h->maps_count || count > pl->h->maps_count - first)
		return bad(c, "boot plan: %s maps lie outside the map list", what);
	/*@ loop invariant first <= i <= first + count;
	  @ loop invariant \forall integer k; first <= k < i ==> bp_map_ok(pl->maps + k);
	  @ loop assigns i;
	  @ loop variant first + count - i; */
	for (uint32_t i = first; i < first + count; i++) {
		const struct bp_map *m = &pl->maps[i];
		if (m->va % BP_BLOCK || m->pa % BP_BLOCK || m->size % BP_BLOCK || m->root > 1 || m->va > UINT64_MAX - m->size ||
		    m->pa > UINT64_MAX - m->size)
			return bad(c, "boot plan: %s map %u is not made of 2 MiB blocks", what, (uint64_t)i);
		/* A descriptor holds the block's address and type besides the
		 * attributes: attr may set no bit of those, or pa's block would
		 * not be what the descriptor maps. */
		if (m->size > BP_MAP_PA_END || m->pa > BP_MAP_PA_END - m->size)
			return bad(c, "boot plan: %s map %u maps [%x, %x), past the 48-bit addresses a descriptor holds", what,
				   (uint64_t)i, m->pa, m->pa + m->size);
		if ((m->attr & BP_MAP_ATTR_MASK) != m->attr)
			return bad(c, "boot plan: %s map %u's attributes %x set bits outside %x (address, type or unused bits)",
				   what, (uint64_t)i, m->attr, (uint64_t)BP_MAP_ATTR_MASK);
	}
	return 0;
}

/* A node's own RAM: non-empty, clear of the loader's region and of every
 * other node's RAM. */
/*@ requires bp_laid_out(pl) && index < pl->h->nodes_count;
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_ram_ok(pl, index); */
static int check_ram(const struct chk *c, const struct bp_plan *pl, uint32_t index)
{
	const struct bp_header *h = pl->h;
	const struct bp_node *n = &pl->nodes[index];
	if (n->ram_end <= n->ram_base)
		return bad(c, "boot plan: node %u's RAM [%x, %x) is empty", (uint64_t)n->id, n->ram_base, n->ram_end);
	if (overlap(n->ram_base, n->ram_end - n->ram_base, h->image_base, h->region_end))
		return bad(c, "boot plan: node %u's RAM [%x, %x) overlaps the loader", (uint64_t)n->id, n->ram_base,
			   n->ram_end);
	/*@ loop invariant 0 <= j <= index;
	  @ loop invariant \forall integer k; 0 <= k < j ==>
	  @   bp_apart(n->ram_base, n->ram_end, pl->nodes[k].ram_base, pl->nodes[k].ram_end);
	  @ loop assigns j;
	  @ loop variant index - j; */
	for (uint32_t j = 0; j < index; j++) {
		const struct bp_node *o = &pl->nodes[j];
		if (overlap(n->ram_base, n->ram_end - n->ram_base, o->ram_base, o->ram_end))
			return bad(c, "boot plan: node %u's RAM [%x, %x) overlaps node %u's", (uint64_t)n->id, n->ram_base,
				   n->ram_end, (uint64_t)o->id);
	}
	return 0;
}

/*@ requires bp_laid_out(pl) && \valid_read(n);
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_ops_ok(pl, n); */
static int check_ops(const struct chk *c, const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	if (n->ops_first > h->ops_count || n->ops_count > h->ops_count - n->ops_first)
		return bad(c, "boot plan: node %u's ops lie outside the op list", (uint64_t)n->id);
	/*@ loop invariant n->ops_first <= i <= n->ops_first + n->ops_count;
	  @ loop invariant \forall integer k; n->ops_first <= k < i ==> bp_op_ok(pl, n, pl->ops + k);
	  @ loop assigns i;
	  @ loop variant n->ops_first + n->ops_count - i; */
	for (uint32_t i = n->ops_first; i < n->ops_first + n->ops_count; i++) {
		const struct bp_op *op = &pl->ops[i];
		if (!inside(op->dst, op->size, n->ram_base, n->ram_end))
			return bad(c, "boot plan: node %u writes [%x, %x), outside its RAM", (uint64_t)n->id, op->dst,
				   op->dst + op->size);
		if (op->kind == BP_OP_ZERO)
			continue;
		if (op->kind != BP_OP_COPY || op->member >= h->members_count ||
		    !inside(op->src, op->size, 0, pl->members[op->member].size))
			return bad(c, "boot plan: node %u has a bad op (%u)", (uint64_t)n->id, (uint64_t)i);
	}
	return 0;
}

/* What the node's kernel is handed: its tables map only its own RAM and
 * the loader's region, and its DTB and root task lie in its RAM. */
/*@ requires bp_laid_out(pl) && \valid_read(n) && bp_maps_ok(pl, n->maps_first, n->maps_count);
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_reach_ok(pl, n); */
static int check_reach(const struct chk *c, const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	/*@ loop invariant n->maps_first <= i <= n->maps_first + n->maps_count;
	  @ loop invariant \forall integer k; n->maps_first <= k < i ==>
	  @   bp_in(pl->maps[k].pa, pl->maps[k].size, n->ram_base, n->ram_end) ||
	  @   bp_in_loader(pl->h, pl->maps[k].pa, pl->maps[k].size);
	  @ loop assigns i;
	  @ loop variant n->maps_first + n->maps_count - i; */
	for (uint32_t i = n->maps_first; i < n->maps_first + n->maps_count; i++) {
		const struct bp_map *m = &pl->maps[i];
		if (!inside(m->pa, m->size, n->ram_base, n->ram_end) &&
		    !inside(m->pa, m->size, h->image_base, h->region_end))
			return bad(c, "boot plan: node %u maps [%x, %x), outside its RAM and the loader's region",
				   (uint64_t)n->id, m->pa, m->pa + m->size);
	}
	/* x0, x1: the root task's region; x4, x5: the DTB */
	if (n->regs[1] < n->regs[0] || !inside(n->regs[0], n->regs[1] - n->regs[0], n->ram_base, n->ram_end) ||
	    !inside(n->regs[4], n->regs[5], n->ram_base, n->ram_end))
		return bad(c, "boot plan: node %u's root task or DTB lies outside its RAM", (uint64_t)n->id);
	return 0;
}

/* How the node's cpu starts. A spin-table release is a write the loader
 * makes: to an aligned word that is no node's RAM and not the loader's. */
/*@ requires bp_laid_out(pl) && \valid_read(env) && index < pl->h->nodes_count;
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_start_ok(pl, index, env); */
static int check_start(const struct chk *c, const struct bp_plan *pl, const struct bp_env *env, uint32_t index)
{
	const struct bp_header *h = pl->h;
	const struct bp_node *n = &pl->nodes[index];
	if (n->start == BP_START_SELF) {
		if (index + 1 != h->nodes_count || n->mpidr != h->primary_mpidr)
			return bad(c, "boot plan: node %u runs on the loader's cpu but is not entered last", (uint64_t)n->id);
	} else if (n->start == BP_START_PSCI) {
		if (h->psci != BP_PSCI_SMC && h->psci != BP_PSCI_HVC)
			return bad(c, "boot plan: node %u is started with PSCI, but the plan names no conduit", (uint64_t)n->id);
		if (h->psci == BP_PSCI_HVC && env->el == 2)
			return bad(c, "PSCI is called with hvc, but the loader runs at EL2 where hvc calls itself; "
				      "boot without EL2 or use a tree that says smc");
	} else if (n->start == BP_START_SPIN) {
		uint64_t a = n->release_addr;
		int hit = a % 8 || a > UINT64_MAX - 8 || overlap(a, 8, h->image_base, h->region_end);
		/*@ loop invariant 0 <= j <= h->nodes_count;
		  @ loop invariant !hit ==> a % 8 == 0 && a + 8 <= UINT64_MAX &&
		  @   bp_apart(a, a + 8, h->image_base, h->region_end) &&
		  @   \forall integer k; 0 <= k < j ==> bp_apart(a, a + 8, pl->nodes[k].ram_base, pl->nodes[k].ram_end);
		  @ loop assigns j, hit;
		  @ loop variant h->nodes_count - j; */
		for (uint32_t j = 0; j < h->nodes_count && !hit; j++)
			hit = overlap(a, 8, pl->nodes[j].ram_base, pl->nodes[j].ram_end);
		if (hit)
			return bad(c, "boot plan: node %u's release address %x is unaligned or in RAM it must not write",
				   (uint64_t)n->id, a);
	} else {
		return bad(c, "boot plan: node %u has an unknown start method %u", (uint64_t)n->id, (uint64_t)n->start);
	}
	return 0;
}

/*@ requires bp_laid_out(pl) && \valid_read(env) && index < pl->h->nodes_count;
  @ requires pl->h->image_base + pl->h->image_size <= pl->h->region_end;
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_node_ok(pl, index, env);
  @ ensures \result == 0 ==> bp_ram_ok(pl, index); */
static int check_node(const struct chk *c, const struct bp_plan *pl, const struct bp_env *env, uint32_t index)
{
	const struct bp_node *n = &pl->nodes[index];
	if (check_ram(c, pl, index) || check_ops(c, pl, n) || check_maps(c, pl, n->maps_first, n->maps_count, "a node's") ||
	    check_reach(c, pl, n) || check_area(c, pl->h, n->ttbr0, n->tables_end, "a node's page-table area"))
		return -1;
	if (n->ttbr1 != n->ttbr0 + BP_PAGE || (n->boot != BP_BOOT_SEL4 && n->boot != BP_BOOT_LINUX) ||
	    n->el != (n->boot == BP_BOOT_LINUX ? 2u : 1u))
		return bad(c, "boot plan: node %u: unsupported table layout, boot protocol or exception level",
			   (uint64_t)n->id);
	/* Linux is entered with the MMU off: at a physical address, its own */
	if (n->boot == BP_BOOT_LINUX && !inside(n->entry, 4, n->ram_base, n->ram_end))
		return bad(c, "boot plan: node %u's entry %x is outside its RAM", (uint64_t)n->id, n->entry);
	return check_start(c, pl, env, index);
}

/* A pool the loader zeroes: whole pages inside the board's RAM, and no
 * byte of any node's RAM or of the loader's region (node RAM is checked
 * not to wrap before this runs). */
/*@ requires bp_laid_out(pl) && \valid_read(p);
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_pool_ok(pl, p); */
static int check_pool(const struct chk *c, const struct bp_plan *pl, const struct bp_pool *p)
{
	const struct bp_header *h = pl->h;
	if (p->base % BP_PAGE || p->size % BP_PAGE || !p->size || p->base > UINT64_MAX - p->size)
		return bad(c, "boot plan: pool '%n' [%x, %x) is not whole pages", p->name, p->base, p->base + p->size);
	if (h->ram_size > UINT64_MAX - h->ram_base || !inside(p->base, p->size, h->ram_base, h->ram_base + h->ram_size))
		return bad(c, "boot plan: pool '%n' [%x, %x) is not inside the board's RAM [%x, %x)", p->name, p->base,
			   p->base + p->size, h->ram_base, h->ram_base + h->ram_size);
	if (overlap(p->base, p->size, h->image_base, h->region_end))
		return bad(c, "boot plan: pool '%n' [%x, %x) overlaps the loader", p->name, p->base, p->base + p->size);
	/*@ loop invariant 0 <= i <= h->nodes_count;
	  @ loop invariant \forall integer k; 0 <= k < i ==>
	  @   bp_apart(p->base, p->base + p->size, pl->nodes[k].ram_base, pl->nodes[k].ram_end);
	  @ loop assigns i;
	  @ loop variant h->nodes_count - i; */
	for (uint32_t i = 0; i < h->nodes_count; i++) {
		const struct bp_node *n = &pl->nodes[i];
		if (overlap(p->base, p->size, n->ram_base, n->ram_end))
			return bad(c, "boot plan: pool '%n' [%x, %x) overlaps node %u's RAM", p->name, p->base,
				   p->base + p->size, (uint64_t)n->id);
	}
	return 0;
}

/* The image as loaded: where, how big, on which cpu. */
/*@ requires bp_laid_out(pl) && \valid_read(env);
  @ assigns \nothing;
  @ ensures \result == 0 ==> bp_image_ok(pl, env); */
static int check_image(const struct chk *c, const struct bp_plan *pl, const struct bp_env *env)
{
	const struct bp_header *h = pl->h;
	if (h->image_base != env->image_base)
		return bad(c, "the image runs at %x, but its plan expects %x: load elfloader.bin at %x", env->image_base,
			   h->image_base, h->image_base);
	if (h->image_size < env->loader_size || h->region_end < h->image_base ||
	    h->image_size > h->region_end - h->image_base)
		return bad(c, "boot plan: the image (%u bytes) does not fit the loader's region", h->image_size);
	if (env->mpidr != h->primary_mpidr)
		return bad(c, "the loader runs on the cpu with MPIDR %x, but the plan expects %x", env->mpidr,
			   h->primary_mpidr);
	/*@ loop invariant 0 <= i <= h->members_count;
	  @ loop invariant \forall integer k; 0 <= k < i ==>
	  @   bp_in(pl->members[k].offset, pl->members[k].size, env->loader_size, h->image_size);
	  @ loop assigns i;
	  @ loop variant h->members_count - i; */
	for (uint32_t i = 0; i < h->members_count; i++)
		if (!inside(pl->members[i].offset, pl->members[i].size, env->loader_size, h->image_size))
			return bad(c, "boot plan: member %n lies outside the payload", pl->members[i].name);
	return 0;
}

/*@ requires \valid(pl) && \valid_read(pl->h) && \valid_read(env);
  @ requires bp_arrays_ok(pl->h) ==> bp_readable(pl->h);
  @ assigns pl->members, pl->nodes, pl->ops, pl->maps, pl->pools;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> bp_laid_out(pl) && bp_image_ok(pl, env);
  @ ensures \result == 0 ==> bp_maps_ok(pl, pl->h->copy_maps_first[0], pl->h->copy_maps_count[0]) &&
  @   bp_maps_ok(pl, pl->h->copy_maps_first[1], pl->h->copy_maps_count[1]) &&
  @   bp_area_ok(pl->h, pl->h->copy_tables, pl->h->copy_tables_end);
  @ ensures \result == 0 ==> \forall integer k; 0 <= k < pl->h->nodes_count ==>
  @   bp_node_ok(pl, k, env) && bp_tables_after(pl, k);
  @ ensures \result == 0 ==> \forall integer k; 0 <= k < pl->h->pools_count ==> bp_pool_ok(pl, pl->pools + k);
  @ ensures \result == 0 ==> \forall integer i, j; 0 <= i < j < pl->h->nodes_count ==>
  @   bp_apart(pl->nodes[i].ram_base, pl->nodes[i].ram_end, pl->nodes[j].ram_base, pl->nodes[j].ram_end); */
int bp_check(struct bp_plan *pl, const struct bp_env *env, bp_fail_fn fail, void *ctx)
{
	const struct chk c = {fail, ctx};
	const struct bp_header *h = pl->h;
	if (bp_arrays(pl, fail, ctx) || check_image(&c, pl, env))
		return -1;
	/*@ loop invariant 0 <= el <= 2;
	  @ loop invariant \forall integer k; 0 <= k < el ==> bp_maps_ok(pl, h->copy_maps_first[k], h->copy_maps_count[k]);
	  @ loop assigns el;
	  @ loop variant 2 - el; */
	for (int el = 0; el < 2; el++)
		if (check_maps(&c, pl, h->copy_maps_first[el], h->copy_maps_count[el], "the copy phase's"))
			return -1;
	if (check_area(&c, h, h->copy_tables, h->copy_tables_end, "the copy phase's page-table area"))
		return -1;
	uint64_t tables = h->copy_tables_end; /* table areas follow each other */
	/*@ loop invariant 0 <= i <= h->nodes_count;
	  @ loop invariant tables == (i == 0 ? h->copy_tables_end : pl->nodes[i - 1].tables_end);
	  @ loop invariant \forall integer k; 0 <= k < i ==> bp_node_ok(pl, k, env) && bp_tables_after(pl, k);
	  @ loop invariant \forall integer k; 0 <= k < i ==> bp_ram_ok(pl, k);
	  @ loop assigns i, tables;
	  @ loop variant h->nodes_count - i; */
	for (uint32_t i = 0; i < h->nodes_count; i++) {
		if (check_node(&c, pl, env, i))
			return -1;
		if (pl->nodes[i].ttbr0 < tables)
			return bad(&c, "boot plan: node %u's page-table area overlaps another", (uint64_t)pl->nodes[i].id);
		tables = pl->nodes[i].tables_end;
	}
	/*@ loop invariant 0 <= i <= h->pools_count;
	  @ loop invariant \forall integer k; 0 <= k < i ==> bp_pool_ok(pl, pl->pools + k);
	  @ loop assigns i;
	  @ loop variant h->pools_count - i; */
	for (uint32_t i = 0; i < h->pools_count; i++)
		if (check_pool(&c, pl, &pl->pools[i]))
			return -1;
	//@ assert bp_laid_out(pl) && bp_image_ok(pl, env) && bp_area_ok(h, h->copy_tables, h->copy_tables_end);
	//@ assert bp_maps_ok(pl, h->copy_maps_first[0], h->copy_maps_count[0]);
	//@ assert bp_maps_ok(pl, h->copy_maps_first[1], h->copy_maps_count[1]);
	//@ assert \forall integer k; 0 <= k < h->nodes_count ==> bp_node_ok(pl, k, env) && bp_tables_after(pl, k);
	//@ assert \forall integer k; 0 <= k < h->pools_count ==> bp_pool_ok(pl, pl->pools + k);
	/*@ assert \forall integer i, j; 0 <= i < j < h->nodes_count ==>
	  @   bp_apart(pl->nodes[j].ram_base, pl->nodes[j].ram_end, pl->nodes[i].ram_base, pl->nodes[i].ram_end); */
	/*@ assert \forall integer i, j; 0 <= i < j < h->nodes_count ==>
	  @   bp_apart(pl->nodes[i].ram_base, pl->nodes[i].ram_end, pl->nodes[j].ram_base, pl->nodes[j].ram_end); */
	return 0;
}
