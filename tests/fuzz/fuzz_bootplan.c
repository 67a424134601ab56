/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_bootplan.c - the loader's boot-plan checks (loader/bootplan_check.c,
 * the very file the loader runs) compiled for the host.
 *
 * The input is an image as the loader sees it in memory (elfloader.bin):
 * the loader block, whose header gives its size, then the payload. The
 * plan's hash is recomputed before bp_check(), so the fuzzer gets past it
 * to the checks behind it (a hash only stops accidents, not a buggy host).
 * A plan the checks accept is then read the way the loader obeys it, and
 * what the loader relies on is asserted independently: every write lies in
 * the writing node's RAM, every map in it or in the loader's region, node
 * RAM is disjoint, every copy reads inside its member and the image, and
 * every pool the loader zeroes is whole pages of the board's RAM that no
 * node owns and the loader does not live in. */
#include "fuzz.h"

#include "bootplan_check.h"

static void ignore(void *ctx, const char *fmt, va_list ap)
{
	(void)ctx, (void)fmt, (void)ap;
}

static void expect(bool ok)
{
	if (!ok)
		abort();
}

static bool within(uint64_t lo, uint64_t size, uint64_t start, uint64_t end)
{
	return lo >= start && lo <= end && size <= end - lo;
}

static bool apart(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a1 <= b0 || b1 <= a0;
}

/* The loader's copy, as reads: the bytes must be in the image (and in the
 * input, when the image claims no more than it). */
static uint64_t copy_sum(const struct bp_plan *pl, const struct bp_op *op, const uint8_t *img, size_t size)
{
	const struct bp_member *m = &pl->members[op->member];
	uint64_t sum = 0;
	expect(op->member < pl->h->members_count && within(op->src, op->size, 0, m->size));
	if (pl->h->image_size > size)
		return 0;
	for (uint64_t i = 0; i < op->size && i < 4096; i++)
		sum += img[m->offset + op->src + i];
	return sum;
}

static void obey_node(const struct bp_plan *pl, uint32_t k, const uint8_t *img, size_t size)
{
	const struct bp_header *h = pl->h;
	const struct bp_node *n = &pl->nodes[k];
	volatile uint64_t sum = 0;
	expect(n->ram_base < n->ram_end && apart(n->ram_base, n->ram_end, h->image_base, h->region_end));
	for (uint32_t j = 0; j < h->nodes_count; j++)
		expect(j == k || apart(n->ram_base, n->ram_end, pl->nodes[j].ram_base, pl->nodes[j].ram_end));
	for (uint32_t i = 0; i < n->ops_count; i++) {
		const struct bp_op *op = &pl->ops[n->ops_first + i];
		expect(within(op->dst, op->size, n->ram_base, n->ram_end));
		if (op->kind == BP_OP_COPY)
			sum += copy_sum(pl, op, img, size);
	}
	for (uint32_t i = 0; i < n->maps_count; i++) {
		const struct bp_map *m = &pl->maps[n->maps_first + i];
		expect(within(m->pa, m->size, n->ram_base, n->ram_end) ||
		       within(m->pa, m->size, h->image_base, h->region_end));
	}
	expect(within(n->regs[4], n->regs[5], n->ram_base, n->ram_end));
	expect(n->tables_end <= h->region_end && n->ttbr0 >= h->image_base + h->image_size);
	(void)sum;
}

static void obey_pool(const struct bp_plan *pl, const struct bp_pool *p)
{
	const struct bp_header *h = pl->h;
	expect(p->size && (p->base | p->size) % BP_PAGE == 0 && p->base <= UINT64_MAX - p->size);
	expect(h->ram_base <= UINT64_MAX - h->ram_size && within(p->base, p->size, h->ram_base, h->ram_base + h->ram_size));
	expect(apart(p->base, p->base + p->size, h->image_base, h->region_end));
	for (uint32_t j = 0; j < h->nodes_count; j++)
		expect(apart(p->base, p->base + p->size, pl->nodes[j].ram_base, pl->nodes[j].ram_end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t loader_size;
	if (size < LDR_HDR_BYTES)
		return 0;
	memcpy(&loader_size, data + LDR_HDR_SIZE, 8);
	/* the loader's size is whole pages (start.S), so its plan is aligned */
	if (loader_size > size || loader_size % BP_PAGE)
		return 0;
	uint8_t *img = fuzz_copy(data, size);
	struct bp_env env = {.loader_size = loader_size, .payload_avail = size - loader_size, .el = 2};
	struct bp_plan pl;
	if (bp_find(img + loader_size, &env, &pl, ignore, NULL) == 0) {
		struct bp_header *h = (struct bp_header *)pl.h;
		bp_plan_sum(h, h->sha256);
		env.image_base = h->image_base;
		env.mpidr = h->primary_mpidr;
		if (bp_check(&pl, &env, ignore, NULL) == 0) {
			for (uint32_t k = 0; k < h->nodes_count; k++)
				obey_node(&pl, k, img, size);
			for (uint32_t k = 0; k < h->pools_count; k++)
				obey_pool(&pl, &pl.pools[k]);
		}
	}
	free(img);
	return 0;
}
