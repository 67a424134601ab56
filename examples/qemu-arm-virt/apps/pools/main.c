/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - what the node's shared pools hold when its root task starts,
 * one line per pool, before anything writes to them:
 *   pools: node N 'NAME' [0xBASE, 0xEND) zero
 *   pools: node N 'NAME' [0xBASE, 0xEND) 0xWORD at +0xOFFSET
 * the latter naming the first non-zero 64-bit word. The loader zeroes
 * every pool the manifest does not keep, so a pool that is not kept must
 * read zero whatever was in the RAM before the boot. */
#include "mk_connect.h"

/* The offset of the first non-zero word of the pool, or its size. The pool
 * is mapped uncached (Device-nGnRnE): aligned volatile reads only. */
static uint64_t first_nonzero(const struct mk_pool *p, uint64_t *word)
{
	const volatile uint64_t *w = (const volatile uint64_t *)p->base;
	for (uint64_t i = 0; i < p->size / 8; i++) {
		if ((*word = w[i]) != 0)
			return 8 * i;
	}
	return p->size;
}

int main(void)
{
	if (mk_pools() == 0)
		mk_puts("pools: this node is a member of no pool");
	for (unsigned i = 0; i < mk_pools(); i++) {
		const struct mk_pool *p = mk_pool_info((int)i);
		struct mk_line l = {0};
		uint64_t word = 0, at = first_nonzero(p, &word);
		mk_str(&l, "pools: node ");
		mk_dec(&l, mk_node_id());
		mk_str(&l, " '");
		mk_str(&l, p->name);
		mk_str(&l, "' [");
		mk_hex(&l, p->paddr);
		mk_str(&l, ", ");
		mk_hex(&l, p->paddr + p->size);
		mk_str(&l, ") ");
		if (at == p->size) {
			mk_str(&l, "zero");
		} else {
			mk_hex(&l, word);
			mk_str(&l, " at +");
			mk_hex(&l, at);
		}
		mk_print(&l);
	}
	return 0;
}
