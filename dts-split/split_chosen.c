/* SPDX-License-Identifier: BSD-2-Clause */
/* split_chosen.c - /chosen and the mkimg ABI (README.md).
 *
 * stdout-path, the seL4,*-devices lists without disabled devices, no
 * seeds, the node's id, a Linux node's bootargs, and /chosen/mkimg: the
 * node's index among the plan's nodes, its channels and member pools.
 */
#include "split_internal.h"

#include <inttypes.h>

#define UART_HOST_TABLE
#include "mkimg_uart.h"

/* A UART the loader and the demo kernel can print on (mkimg_uart.h). */
static bool is_uart(const void *fdt, int off)
{
	for (size_t i = 0; i < sizeof(uart_compatibles) / sizeof(uart_compatibles[0]); i++)
		if (fdt_node_check_compatible(fdt, off, uart_compatibles[i].compatible) == 0)
			return true;
	return false;
}

/* A /chosen device entry: a path, or an alias resolved through /aliases. */
static int resolve_entry(const struct board *b, const char *e)
{
	if (e[0] != '/') {
		if (b->aliases < 0)
			return -1;
		e = prop_str(b->fdt, b->v[b->aliases].off, e);
		if (!e)
			return -1;
	}
	return board_find(b, e);
}

static void split_list(struct split *s, struct dev_list *l, const char *name)
{
	const struct board *b = s->b;
	int len;
	l->name = name;
	if (b->chosen < 0)
		return;
	const char *v = fdt_getprop(b->fdt, b->v[b->chosen].off, name, &len);
	if (!v || len <= 0 || v[len - 1] != '\0')
		return; /* absent, or not a stringlist: copied as it is */
	l->val = xmalloc((size_t)len);
	for (int i = 0; i < len;) {
		const char *e = v + i;
		int el = (int)strlen(e) + 1, idx = resolve_entry(b, e);
		if (idx >= 0 && ends_disabled(s, idx)) {
			l->changed = true;
		} else {
			memcpy(l->val + l->len, e, (size_t)el);
			l->len += el;
		}
		i += el;
	}
}

void split_chosen(struct split *s)
{
	const struct board *b = s->b;
	s->stdout_path = s->p->console;
	for (size_t i = 0; !s->stdout_path && i < s->n->n_devices; i++) {
		int idx = board_find(b, s->n->devices[i]);
		if (idx >= 0 && is_uart(b->fdt, b->v[idx].off))
			s->stdout_path = b->v[idx].path;
	}
	split_list(s, &s->lists[0], "seL4,kernel-devices");
	split_list(s, &s->lists[1], "seL4,elfloader-devices");
}

/* A node's place in the plan's nodes (sorted by id): its node-index. */
static unsigned node_index(const struct plan *p, unsigned id)
{
	unsigned i = 0;
	while (i < p->n_nodes && p->nodes[i].id != id)
		i++;
	return i;
}

void split_channels(struct split *s)
{
	const struct plan_node *n = s->n;
	for (size_t i = 0; i < n->n_sgis; i++) {
		const struct plan_sgi *g = &n->sgis[i];
		bool send = g->from == n->id;
		const struct plan_node *peer = plan_node_by_id(s->p, send ? g->to : g->from);
		*VEC_PUSH(s->ch, s->n_ch) = (struct channel){g->sgi, peer->id, peer->cpus[0].index,
							     node_index(s->p, peer->id), peer->cpus[0].mpidr, send};
	}
}

/* What becomes of a /chosen property of the board. */
enum cedit chosen_edit(const struct split *s, const char *name, const void **v, int *len)
{
	if (!strcmp(name, "rng-seed") || !strcmp(name, "kaslr-seed"))
		return CE_DROP; /* random per boot: the tree must be reproducible */
	if (!strcmp(name, "stdout-path") || !strcmp(name, "linux,stdout-path")) {
		if (!s->stdout_path)
			return CE_DROP;
		*v = s->stdout_path;
		*len = (int)strlen(s->stdout_path) + 1;
		return CE_SET;
	}
	if (!strcmp(name, "bootargs") && s->n->bootargs) {
		*v = s->n->bootargs; /* a Linux node's command line */
		*len = (int)strlen(s->n->bootargs) + 1;
		return CE_SET;
	}
	if (!strcmp(name, DTS_SPLIT_NODE_ID)) {
		*v = &s->id;
		*len = 4;
		return CE_SET;
	}
	for (size_t i = 0; i < 2; i++) {
		const struct dev_list *l = &s->lists[i];
		if (!l->name || strcmp(name, l->name) || !l->changed)
			continue;
		if (!l->len)
			return CE_DROP;
		*v = l->val;
		*len = l->len;
		return CE_SET;
	}
	return CE_KEEP;
}

static bool board_chosen_has(const struct split *s, const char *name)
{
	return s->b->chosen >= 0 && fdt_getprop(s->b->fdt, s->b->v[s->b->chosen].off, name, NULL);
}

/* The `target` seL4_IRQControl_IssueSGISignal takes to reach `c`'s peer:
 * the GICv2 CPU interface number (the cpu's index in /cpus, as assumed
 * throughout), or on GICv3 Aff3.Aff2.Aff1.Aff0 packed in 32 bits. */
static uint32_t sgi_target(const struct split *s, const struct channel *c)
{
	if (s->b->pb->gic_version != 3)
		return c->peer_cpu;
	uint64_t m = c->peer_mpidr;
	return (uint32_t)((m >> 32 & 0xff) << 24 | (m & 0xffffff));
}

/* /chosen/mkimg: the node's index and the node count, its channels and
 * member pools (README.md). The index is the node's position in the plan's
 * nodes (by id): its slot in the sync pool. */
void gen_mkimg(const struct split *s, struct emit *e)
{
	e->begin(e, DTS_SPLIT_CHOSEN_NODE);
	if (s->n->n_pools) {
		e_u32(e, "#address-cells", (uint32_t)s->b->ac);
		e_u32(e, "#size-cells", (uint32_t)s->b->sc);
	}
	e_u32(e, DTS_SPLIT_NODE_INDEX, node_index(s->p, s->n->id));
	e_u32(e, DTS_SPLIT_NODE_COUNT, (uint32_t)s->p->n_nodes);
	for (size_t i = 0; i < s->n_ch; i++) {
		const struct channel *c = &s->ch[i];
		char name[32];
		fdt32_t mpidr[2] = {cpu_to_fdt32((uint32_t)(c->peer_mpidr >> 32)), cpu_to_fdt32((uint32_t)c->peer_mpidr)};
		snprintf(name, sizeof(name), "channel-%zu", i);
		e->begin(e, name);
		e_u32(e, "sgi", c->sgi);
		e_str(e, "direction", c->send ? "send" : "receive");
		e_u32(e, "peer", c->peer);
		e_u32(e, "peer-cpu", c->peer_cpu);
		e->prop(e, "peer-mpidr", mpidr, sizeof(mpidr));
		e_u32(e, "sgi-target", sgi_target(s, c));
		e_u32(e, DTS_SPLIT_PEER_INDEX, c->peer_index);
		e->end(e);
	}
	for (size_t i = 0; i < s->n_rc; i++) {
		const struct rchild *c = &s->rc[i];
		if (!c->member)
			continue;
		char name[40];
		snprintf(name, sizeof(name), "pool@%" PRIx64, c->r.base);
		e->begin(e, name);
		e_str(e, "label", c->pool->name);
		e_reg(e, &c->r, 1, s->b->ac, s->b->sc);
		e->end(e);
	}
	e->end(e);
}

/* /chosen properties the board lacks. */
void gen_chosen_added(const struct split *s, struct emit *e)
{
	if (s->stdout_path && !board_chosen_has(s, "stdout-path"))
		e_str(e, "stdout-path", s->stdout_path);
	if (!board_chosen_has(s, DTS_SPLIT_NODE_ID))
		e->prop(e, DTS_SPLIT_NODE_ID, &s->id, 4);
	if (s->n->bootargs && !board_chosen_has(s, "bootargs"))
		e_str(e, "bootargs", s->n->bootargs);
}
