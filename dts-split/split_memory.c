/* SPDX-License-Identifier: BSD-2-Clause */
/* split_memory.c - the node's memory node and /reserved-memory.
 *
 * The node's RAM as one memory node; every range of its `reserved` list,
 * cut around the board's own /reserved-memory children, and every shared
 * pool as `no-map` children of /reserved-memory.
 */
#include "split_internal.h"

#include <inttypes.h>

static int cmp_rchild(const void *a, const void *b)
{
	const struct rchild *x = a, *y = b;
	return x->r.base < y->r.base ? -1 : x->r.base > y->r.base;
}

/* The node's reserved ranges, cut around the board's own reserved-memory
 * children, and every pool. */
void split_reserved(struct split *s)
{
	const struct plan *p = s->p;
	const struct plan_node *n = s->n;
	for (size_t i = 0; i < n->n_reserved; i++) {
		struct mk_range *pieces;
		size_t np = ranges_subtract(&n->reserved[i], 1, s->b->rsv_own, s->b->n_rsv_own, &pieces);
		for (size_t j = 0; j < np; j++)
			*VEC_PUSH(s->rc, s->n_rc) = (struct rchild){pieces[j], NULL, false};
		free(pieces);
	}
	for (size_t i = 0; i < p->n_pools; i++) {
		bool member = false;
		for (size_t j = 0; j < n->n_pools; j++)
			member |= n->pools[j] == i;
		*VEC_PUSH(s->rc, s->n_rc) = (struct rchild){p->pools[i].r, &p->pools[i], member};
	}
	sort(s->rc, s->n_rc, sizeof(*s->rc), cmp_rchild);
}

static void push_cells(fdt32_t **v, size_t *n, uint64_t x, int cells)
{
	if (cells == 2)
		*VEC_PUSH(*v, *n) = cpu_to_fdt32((uint32_t)(x >> 32));
	*VEC_PUSH(*v, *n) = cpu_to_fdt32((uint32_t)x);
}

/* A `reg` of ranges in ac/sc cells; a size too big for one cell is split
 * into 2 GiB pieces, which keeps them aligned. */
void e_reg(struct emit *e, const struct mk_range *r, size_t nr, int ac, int sc)
{
	fdt32_t *v = NULL;
	size_t n = 0;
	for (size_t i = 0; i < nr; i++) {
		uint64_t base = r[i].base, left = r[i].size;
		while (left) {
			uint64_t chunk = sc == 2 || left <= UINT32_MAX ? left : 1ull << 31;
			push_cells(&v, &n, base, ac);
			push_cells(&v, &n, chunk, sc);
			base += chunk;
			left -= chunk;
		}
	}
	e->prop(e, "reg", v, (int)(n * 4));
	free(v);
}

void gen_memory(const struct split *s, struct emit *e)
{
	char name[40];
	snprintf(name, sizeof(name), "memory@%" PRIx64, s->n->memory[0].base);
	e->begin(e, name);
	e_str(e, "device_type", "memory");
	e_reg(e, s->n->memory, s->n->n_memory, s->b->ac, s->b->sc);
	e->end(e);
}

void gen_rsv_children(const struct split *s, struct emit *e)
{
	for (size_t i = 0; i < s->n_rc; i++) {
		const struct rchild *c = &s->rc[i];
		char name[40];
		snprintf(name, sizeof(name), "%s@%" PRIx64, c->pool ? "pool" : "reserved", c->r.base);
		e->begin(e, name);
		if (c->pool)
			e_str(e, "compatible", DTS_SPLIT_POOL_COMPAT);
		e_reg(e, &c->r, 1, s->b->rsv_ac, s->b->rsv_sc);
		e->prop(e, "no-map", "", 0);
		if (c->pool) {
			e_str(e, "label", c->pool->name);
			if (c->member)
				e->prop(e, DTS_SPLIT_MEMBER, "", 0);
		}
		e->end(e);
	}
}

/* /reserved-memory where the board has none. */
void gen_rsv_new(const struct split *s, struct emit *e)
{
	e->begin(e, "reserved-memory");
	e_u32(e, "#address-cells", (uint32_t)s->b->ac);
	e_u32(e, "#size-cells", (uint32_t)s->b->sc);
	e->prop(e, "ranges", "", 0);
	gen_rsv_children(s, e);
	e->end(e);
}
