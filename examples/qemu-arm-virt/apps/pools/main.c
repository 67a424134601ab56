/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - what the node's shared pools hold when its root task starts,
 * one line per pool, before anything writes to them:
 *   pools: node N 'NAME' [0xBASE, 0xEND) zero
 *   pools: node N 'NAME' [0xBASE, 0xEND) 0xWORD at +0xOFFSET
 * the latter naming the first non-zero 64-bit word. The loader zeroes
 * every pool the manifest does not keep, so a pool that is not kept must
 * read zero whatever was in the RAM before the boot. */
#include "rt.h"

static void hex(struct rt_line *l, uint64_t v)
{
	int shift = 60;
	rt_str(l, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4) {
		char d[2] = {"0123456789abcdef"[(v >> shift) & 0xf], '\0'};
		rt_str(l, d);
	}
}

/* The offset of the first non-zero word of the pool, or its size. The pool
 * is mapped uncached (Device-nGnRnE): aligned volatile reads only. */
static uint64_t first_nonzero(const struct demo_pool *p, uint64_t *word)
{
	const volatile uint64_t *w = (const volatile uint64_t *)p->vaddr;
	for (uint64_t i = 0; i < p->size / 8; i++) {
		if ((*word = w[i]) != 0)
			return 8 * i;
	}
	return p->size;
}

int main(const struct demo_bootinfo *bi)
{
	if (bi->n_pools == 0)
		rt_puts("pools: this node is a member of no pool");
	for (uint32_t i = 0; i < bi->n_pools && i < DEMO_MAX_POOLS; i++) {
		const struct demo_pool *p = &bi->pools[i];
		struct rt_line l = {0};
		uint64_t word = 0, at = first_nonzero(p, &word);
		rt_str(&l, "pools: node ");
		rt_dec(&l, bi->node_id);
		rt_str(&l, " '");
		rt_str(&l, p->label);
		rt_str(&l, "' [");
		hex(&l, p->paddr);
		rt_str(&l, ", ");
		hex(&l, p->paddr + p->size);
		rt_str(&l, ") ");
		if (at == p->size) {
			rt_str(&l, "zero");
		} else {
			hex(&l, word);
			rt_str(&l, " at +");
			hex(&l, at);
		}
		rt_print(&l);
	}
	return 0;
}
