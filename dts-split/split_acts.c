/* SPDX-License-Identifier: BSD-2-Clause */
/* split_acts.c - what becomes of each board node in one node's tree: the
 * cpus and the devices.
 *
 * Dropped: the board's memory nodes (split_memory.c writes the node's own),
 * the other nodes' cpus and cpu-map (which names every cpu), an old
 * /chosen/mkimg, and a thermal cooling map that names a dropped cpu (it
 * would point at nothing). Disabled: every device the node does not own,
 * unless it must stay. Everything else is copied.
 */
#include "split_internal.h"

/* Disabled in this node's tree: the node or an ancestor is. */
bool ends_disabled(const struct split *s, int idx)
{
	for (; idx >= 0; idx = s->b->v[idx].parent)
		if (s->act[idx] == ACT_DISABLE || s->b->v[idx].disabled)
			return true;
	return false;
}

/* Dropped from this node's tree: the node or an ancestor is. */
bool ends_dropped(const struct split *s, int idx)
{
	for (; idx >= 0; idx = s->b->v[idx].parent)
		if (s->act[idx] == ACT_DROP)
			return true;
	return false;
}

/* The board node whose phandle is `ph`, or -1. */
static int by_phandle(const struct board *b, uint32_t ph)
{
	for (size_t i = 0; ph && i < b->n; i++)
		if (b->v[i].phandle == ph)
			return (int)i;
	return -1;
}

/* Drop every node whose 'cooling-device' list (phandle, then the target's
 * #cooling-cells cells, per entry) names a dropped node: a thermal map of
 * another node's cpus. */
static void drop_cooling_maps(struct split *s)
{
	const struct board *b = s->b;
	for (size_t i = 1; i < b->n; i++) {
		int len;
		const fdt32_t *v = fdt_getprop(b->fdt, b->v[i].off, "cooling-device", &len);
		if (!v || len < 4 || s->act[i] == ACT_DROP)
			continue;
		size_t n = (size_t)len / 4;
		for (size_t k = 0; k < n;) {
			int t = by_phandle(b, fdt32_ld(&v[k]));
			if (t < 0)
				break; /* the board's own defect: left as it is */
			if (ends_dropped(s, t)) {
				s->act[i] = ACT_DROP;
				break;
			}
			int cl;
			const fdt32_t *cells = fdt_getprop(b->fdt, b->v[t].off, "#cooling-cells", &cl);
			k += 1 + (cells && cl == 4 ? fdt32_ld(cells) : 2);
		}
	}
}

/* What status each board node gets. A device is disabled unless the node
 * owns it (or a device above it), it is the console, fixed, already
 * disabled, or it contains a device that stays enabled. */
void split_acts(struct split *s)
{
	const struct board *b = s->b;
	const struct plan_node *n = s->n;
	bool *own = xcalloc(b->n, sizeof(*own)), *keep_below = xcalloc(b->n, sizeof(*keep_below));
	bool *mine = xcalloc(b->pb->n_cpus, sizeof(*mine));
	s->act = xcalloc(b->n, sizeof(*s->act));

	for (size_t i = 0; i < n->n_devices; i++) {
		int idx = board_find(b, n->devices[i]);
		if (idx >= 0)
			own[idx] = true;
	}
	if (s->p->console) {
		int idx = board_find(b, s->p->console);
		if (idx >= 0)
			own[idx] = true;
	}
	for (size_t i = 0; i < n->n_cpus; i++)
		mine[n->cpus[i].index] = true;

	/* tree order: a parent comes before its children */
	for (size_t i = 1; i < b->n; i++)
		own[i] |= own[b->v[i].parent];
	for (size_t i = b->n; i-- > 1;) {
		const struct bnode *x = &b->v[i];
		bool candidate = x->dev >= 0 && !x->disabled && !x->fixed && !own[i];
		bool stays = x->dev >= 0 && !x->disabled && !candidate;
		if (candidate && !keep_below[i])
			s->act[i] = ACT_DISABLE;
		if (stays || keep_below[i])
			keep_below[x->parent] = true;
		if (x->kind == BK_MEMORY || x->kind == BK_CPU_MAP || x->kind == BK_CHOSEN_MKIMG ||
		    (x->kind == BK_CPU && !mine[x->cpu]))
			s->act[i] = ACT_DROP;
	}
	drop_cooling_maps(s);
	free(own);
	free(keep_below);
	free(mine);
}
