/* SPDX-License-Identifier: BSD-2-Clause */
/* split_check.c - the plan against the board, before anything is written.
 *
 * Every cpu, device, pool and peer exists; the nodes' RAM is usable board
 * RAM and the reserved ranges are board RAM; the cells can express them;
 * and between nodes, no RAM, cpu or device is given twice.
 */
#include "split_internal.h"

#include <inttypes.h>

static const char *hex_range(char buf[48], struct mk_range r)
{
	snprintf(buf, 48, "[0x%" PRIx64 ", 0x%" PRIx64 ")", r.base, range_end(r));
	return buf;
}

static bool inside_any(const struct mk_range *v, size_t n, struct mk_range r)
{
	for (size_t i = 0; i < n; i++)
		if (range_contains(v[i], r))
			return true;
	return false;
}

static bool overlaps_any(const struct mk_range *v, size_t n, struct mk_range r)
{
	for (size_t i = 0; i < n; i++)
		if (ranges_overlap(v[i], r))
			return true;
	return false;
}

/* Can `r` be written with `ac` address cells? (Sizes are split to fit.) */
static bool fits_cells(struct mk_range r, int ac)
{
	return ac == 2 || range_end(r) <= (1ull << 32);
}

/* With one size cell, e_reg() writes a range as pieces of 2 GiB: a board
 * that claims exabytes of RAM would make billions of them. */
#define MAX_SIZE_PIECES 1024

/* A range the plan gives: non-empty, within 64 bits, in board RAM (usable
 * RAM when `usable`), and expressible with `ac` address and `sc` size cells. */
static bool check_range(const struct board *b, const struct mk_loc *loc, struct diags *d, const char *check,
			const char *what, struct mk_range r, bool usable, int ac, int sc)
{
	const struct plan_board *pb = b->pb;
	char a[48];
	if (r.size == 0 || r.size > UINT64_MAX - r.base) {
		diag_error(d, loc, check, "%s base 0x%" PRIx64 " size 0x%" PRIx64 " is empty or beyond 64 bits", what,
			   r.base, r.size);
		return false;
	}
	if (!inside_any(pb->ram, pb->n_ram, r)) {
		diag_error(d, loc, check, "%s %s is outside the board's RAM (see /memory in '%s')", what,
			   hex_range(a, r), pb->path);
		return false;
	}
	if (usable && !inside_any(pb->usable, pb->n_usable, r)) {
		diag_error(d, loc, check, "%s %s overlaps the board's reserved memory in '%s'", what, hex_range(a, r),
			   pb->path);
		return false;
	}
	if (!fits_cells(r, ac)) {
		diag_error(d, loc, "dts-cells", "%s %s cannot be written with #address-cells = <1> in '%s'", what,
			   hex_range(a, r), pb->path);
		return false;
	}
	if (sc == 1 && r.size > (uint64_t)MAX_SIZE_PIECES << 31) {
		diag_error(d, loc, "dts-cells", "%s %s is too large for #size-cells = <1> in '%s' (more than %d pieces of 2 GiB)",
			   what, hex_range(a, r), pb->path, MAX_SIZE_PIECES);
		return false;
	}
	return true;
}

void check_node(const struct board *b, const struct plan *p, const struct plan_node *n, struct diags *d)
{
	const struct plan_board *pb = b->pb;
	const struct mk_loc *loc = &n->loc;
	char what[64], a[48];

	if (!n->n_cpus)
		diag_error(d, loc, "cpu-none", "node %u has no cpu", n->id);
	for (size_t i = 0; i < n->n_cpus; i++)
		if (n->cpus[i].index >= pb->n_cpus || b->cpu_idx[n->cpus[i].index] < 0)
			diag_error(d, loc, "cpu-range", "node %u: cpu %u does not exist; '%s' has %zu cpus", n->id,
				   n->cpus[i].index, pb->path, pb->n_cpus);
	if (!n->n_memory)
		diag_error(d, loc, "memory-size", "node %u has no memory", n->id);
	snprintf(what, sizeof(what), "node %u memory", n->id);
	for (size_t i = 0; i < n->n_memory; i++)
		check_range(b, loc, d, "memory-outside-ram", what, n->memory[i], true, b->ac, b->sc);
	snprintf(what, sizeof(what), "node %u reserved range", n->id);
	for (size_t i = 0; i < n->n_reserved; i++) {
		struct mk_range r = n->reserved[i];
		if (!check_range(b, loc, d, "reserved-outside-ram", what, r, false, b->rsv_ac, b->rsv_sc))
			continue;
		if (overlaps_any(n->memory, n->n_memory, r))
			diag_error(d, loc, "reserved-overlap", "node %u: reserved range %s overlaps its own memory", n->id,
				   hex_range(a, r));
	}
	for (size_t i = 0; i < n->n_pools; i++)
		if (n->pools[i] >= p->n_pools)
			diag_error(d, loc, "pool-unknown", "node %u: shared pool #%zu does not exist", n->id, n->pools[i]);
	for (size_t i = 0; i < p->n_pools; i++)
		if (overlaps_any(n->memory, n->n_memory, p->pools[i].r))
			diag_error(d, loc, "pool-in-node", "node %u: shared pool '%s' %s lies in its memory", n->id,
				   p->pools[i].name, hex_range(a, p->pools[i].r));
	for (size_t i = 0; i < n->n_devices; i++) {
		int idx = board_find(b, n->devices[i]);
		if (idx < 0 || b->v[idx].dev < 0)
			diag_error(d, loc, "device-unknown", "node %u: device '%s' is not in '%s'", n->id, n->devices[i],
				   pb->path);
	}
	for (size_t i = 0; i < n->n_sgis; i++) {
		const struct plan_sgi *g = &n->sgis[i];
		unsigned peer = g->from == n->id ? g->to : g->from;
		const struct plan_node *pn = plan_node_by_id(p, peer);
		if ((g->from != n->id && g->to != n->id) || g->from == g->to)
			diag_error(d, loc, "channel-node-unknown", "node %u: sgi %u from node %u to node %u does not involve it once",
				   n->id, g->sgi, g->from, g->to);
		else if (!pn || !pn->n_cpus)
			diag_error(d, loc, "channel-node-unknown", "node %u: sgi %u peer node %u does not exist or has no cpu",
				   n->id, g->sgi, peer);
		else if (g->sgi >= PLAN_SGI_COUNT)
			diag_error(d, loc, "sgi-range", "node %u: sgi %u is out of range (0..15)", n->id, g->sgi);
	}
}

/* Between two nodes: no RAM, cpu or device is both's. The planner proves
 * this for its plans; a plan read from JSON may say anything, and a tree
 * that shows another node's RAM as memory breaks the partition. */
static void check_pair(const struct plan_node *a, const struct plan_node *b, struct diags *d)
{
	char x[48], y[48];
	for (size_t i = 0; i < b->n_memory; i++)
		for (size_t k = 0; k < a->n_memory; k++)
			if (ranges_overlap(b->memory[i], a->memory[k]))
				diag_error(d, &b->loc, "memory-overlap", "node %u memory %s overlaps node %u memory %s", b->id,
					   hex_range(x, b->memory[i]), a->id, hex_range(y, a->memory[k]));
	for (size_t i = 0; i < b->n_cpus; i++)
		for (size_t k = 0; k < a->n_cpus; k++)
			if (b->cpus[i].index == a->cpus[k].index)
				diag_error(d, &b->loc, "cpu-twice", "cpu %u is given to node %u and node %u", b->cpus[i].index,
					   a->id, b->id);
	for (size_t i = 0; i < b->n_devices; i++)
		for (size_t k = 0; k < a->n_devices; k++)
			if (!strcmp(b->devices[i], a->devices[k]))
				diag_error(d, &b->loc, "device-twice", "device '%s' is given to node %u and node %u",
					   b->devices[i], a->id, b->id);
}

void check_plan(const struct board *b, const struct plan *p, struct diags *d)
{
	if (p->console) {
		int idx = board_find(b, p->console);
		if (idx < 0 || b->v[idx].dev < 0) {
			struct mk_loc loc = {.file = b->file};
			diag_error(d, &loc, "device-unknown", "console '%s' is not a device in '%s'", p->console, b->pb->path);
		}
	}
	for (size_t i = 0; i < p->n_pools; i++) {
		char what[160];
		snprintf(what, sizeof(what), "shared pool '%s'", p->pools[i].name);
		check_range(b, &p->pools[i].loc, d, "pool-outside-ram", what, p->pools[i].r, true, b->rsv_ac, b->rsv_sc);
		if (!fits_cells(p->pools[i].r, b->ac)) {
			char a[48];
			diag_error(d, &p->pools[i].loc, "dts-cells", "%s %s cannot be written with #address-cells = <1>",
				   what, hex_range(a, p->pools[i].r));
		}
	}
	for (size_t i = 0; i < p->n_nodes; i++) {
		check_node(b, p, &p->nodes[i], d);
		for (size_t j = 0; j < i; j++)
			check_pair(&p->nodes[j], &p->nodes[i], d);
	}
}

int dts_split_check(const struct plan *p, struct diags *d)
{
	struct board b;
	unsigned errors = d->errors;
	if (board_init(&b, &p->board, d) < 0)
		return -1;
	check_plan(&b, p, d);
	board_free(&b);
	return d->errors > errors ? -1 : 0;
}
