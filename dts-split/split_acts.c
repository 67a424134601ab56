/* SPDX-License-Identifier: BSD-2-Clause */
/* split_acts.c - what becomes of each board node in one node's tree: the
 * cpus and the devices.
 *
 * Dropped: the board's memory nodes (split_memory.c writes the node's own),
 * the other nodes' cpus and cpu-map (which names every cpu), an old
 * /chosen/mkimg. Disabled: every device the node does not own, unless it
 * must stay. Everything else is copied.
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
	free(own);
	free(keep_below);
	free(mine);
}
