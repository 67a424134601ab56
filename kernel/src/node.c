/* SPDX-License-Identifier: BSD-2-Clause */
/* node.c - see node.h. */
#include "node.h"

#include "arch.h"

struct node_info node_info;

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool prop_is(const struct fdt_prop *p, const char *s)
{
	uint32_t i = 0;
	for (; s[i]; i++)
		if (i >= p->len || p->val[i] != (uint8_t)s[i])
			return false;
	return i + 1 == p->len && p->val[i] == 0;
}

static bool read_channel(const struct fdt *f, int n, struct channel *c)
{
	uint64_t sgi, peer, cpu, mpidr;
	struct fdt_prop dir;
	if (!fdt_prop_cells(f, n, "sgi", 1, &sgi) || sgi > 15 || !fdt_prop_cells(f, n, "peer", 1, &peer) ||
	    !fdt_prop_cells(f, n, "peer-cpu", 1, &cpu) || !fdt_prop_cells(f, n, "peer-mpidr", 2, &mpidr) ||
	    !fdt_prop(f, n, "direction", &dir))
		return false;
	if (prop_is(&dir, "send"))
		c->direction = DEMO_SEND;
	else if (prop_is(&dir, "receive"))
		c->direction = DEMO_RECEIVE;
	else
		return false;
	c->sgi = (uint32_t)sgi, c->peer = (uint32_t)peer, c->peer_cpu = (uint32_t)cpu, c->peer_mpidr = mpidr;
	return true;
}

/* A pool's reg is in /chosen/mkimg's own cells. */
static bool read_pool(const struct fdt *f, int n, uint32_t ac, uint32_t sc, struct pool *p)
{
	struct fdt_prop label, reg;
	struct mem_range r;
	if (!fdt_prop(f, n, "label", &label) || label.len < 2 || label.len > DEMO_LABEL_MAX ||
	    label.val[label.len - 1] != 0 || !fdt_prop(f, n, "reg", &reg) || !fdt_reg(&reg, ac, sc, 0, &r) ||
	    reg.len != 4 * (ac + sc) || r.size == 0 || r.base + r.size < r.base)
		return false;
	for (uint32_t i = 0; i < label.len; i++)
		p->label[i] = (char)label.val[i];
	p->base = r.base, p->size = r.size;
	return true;
}

/* A node tells its receive channels apart by SGI: each must be unique. */
static bool receive_sgis_unique(const struct node_info *ni)
{
	uint32_t seen = 0;
	for (unsigned i = 0; i < ni->n_channels; i++) {
		const struct channel *c = &ni->channels[i];
		if (c->direction != DEMO_RECEIVE)
			continue;
		if (seen & (1u << c->sgi))
			return false;
		seen |= 1u << c->sgi;
	}
	return true;
}

static bool is_label(const struct pool *p, const char *s)
{
	for (unsigned i = 0; i < DEMO_LABEL_MAX; i++) {
		if (p->label[i] != s[i])
			return false;
		if (!s[i])
			return true;
	}
	return false;
}

/* The sync pool and this node's slot in it (include/mkimg_sync.h). */
static bool find_sync(const struct fdt *f, int mk, struct node_info *ni)
{
	uint64_t index, count;
	for (unsigned i = 0; i < ni->n_pools; i++)
		if (is_label(&ni->pools[i], MKIMG_SYNC_POOL))
			ni->sync = &ni->pools[i];
	if (!ni->sync)
		return true;
	if (!fdt_prop_cells(f, mk, "node-index", 1, &index) || !fdt_prop_cells(f, mk, "node-count", 1, &count) ||
	    index >= count || count > NODE_SYNC_MAX || count * MKIMG_SYNC_SLOT > ni->sync->size ||
	    (ni->sync->base & (PAGE_SIZE - 1)))
		return false;
	ni->node_index = (uint32_t)index, ni->node_count = (uint32_t)count;
	return true;
}

bool node_read(const struct fdt *f, struct node_info *ni)
{
	int chosen = fdt_child(f, fdt_root(f), "chosen");
	int mk = fdt_child(f, chosen, "mkimg");
	uint64_t id;
	uint32_t ac, sc;

	*ni = (struct node_info){0};
	if (fdt_prop_cells(f, chosen, "mkimg,node-id", 1, &id))
		ni->has_id = true, ni->id = (uint32_t)id;
	if (mk < 0)
		return true;
	fdt_cells(f, mk, &ac, &sc);
	for (int n = fdt_first_child(f, mk); n >= 0; n = fdt_next_sibling(f, n)) {
		const char *name = fdt_name(f, n);
		if (starts_with(name, "channel-")) {
			if (ni->n_channels == DEMO_MAX_CHANNELS || !read_channel(f, n, &ni->channels[ni->n_channels]))
				return false;
			ni->n_channels++;
		} else if (starts_with(name, "pool@")) {
			if (ni->n_pools == DEMO_MAX_POOLS || !read_pool(f, n, ac, sc, &ni->pools[ni->n_pools]))
				return false;
			ni->n_pools++;
		}
	}
	if (!receive_sgis_unique(ni))
		return false;
	return find_sync(f, mk, ni);
}
