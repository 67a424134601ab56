/* SPDX-License-Identifier: BSD-2-Clause */
/* split_board.c - the board's tree, indexed once (see split_internal.h).
 *
 * Every node in tree order with its path, parent, the end of its subtree,
 * its role, its properties and whether it stays as it is on every node;
 * paths sorted for lookup; the root's and /reserved-memory's cells and the
 * board's own /reserved-memory children.
 */
#include "split_internal.h"

#include <limits.h>

static void board_error(struct diags *d, const struct board *b, int idx, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void board_error(struct diags *d, const struct board *b, int idx, const char *check, const char *fmt, ...)
{
	struct mk_loc loc = {.file = b->file, .node = idx >= 0 ? b->v[idx].path : NULL};
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, &loc, check, fmt, ap);
	va_end(ap);
}

static int cmp_bpath(const void *a, const void *b)
{
	return strcmp(((const struct bpath *)a)->path, ((const struct bpath *)b)->path);
}

/* The node at `path`, or -1. */
int board_find(const struct board *b, const char *path)
{
	struct bpath key = {path, -1};
	const struct bpath *x = b->n ? bsearch(&key, b->paths, b->n, sizeof(*b->paths), cmp_bpath) : NULL;
	return x ? x->idx : -1;
}

const char *prop_str(const void *fdt, int off, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, off, name, &len);
	return s && len > 0 && memchr(s, '\0', (size_t)len) ? s : NULL;
}

/* #address-cells and kin: `dflt` if absent, -1 if not one small cell. */
static int cells_prop(const void *fdt, int off, const char *name, int dflt)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, off, name, &len);
	if (!v)
		return dflt;
	return len == 4 && fdt32_ld(v) <= 16 ? (int)fdt32_ld(v) : -1;
}

static bool cells_ok(int ac, int sc)
{
	return ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2;
}

static uint64_t cells_get(const fdt32_t *v, int n)
{
	uint64_t x = 0;
	for (int i = 0; i < n; i++)
		x = (x << 32) | fdt32_ld(&v[i]);
	return x;
}

static enum bkind classify(const struct board *b, int idx)
{
	const struct bnode *x = &b->v[idx];
	if (x->depth == 0)
		return BK_ROOT;
	const struct bnode *up = &b->v[x->parent];
	if (x->depth == 1) {
		static const struct {
			const char *name;
			enum bkind kind;
		} top[] = {{"chosen", BK_CHOSEN}, {"aliases", BK_ALIASES}, {"reserved-memory", BK_RSV}, {"cpus", BK_CPUS}};
		for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
			if (!strcmp(x->name, top[i].name))
				return top[i].kind;
		const char *type = prop_str(b->fdt, x->off, "device_type");
		return type && !strcmp(type, "memory") ? BK_MEMORY : BK_OTHER;
	}
	if (up->kind == BK_CPUS && !strcmp(x->name, "cpu-map"))
		return BK_CPU_MAP;
	if (up->kind == BK_CHOSEN && !strcmp(x->name, DTS_SPLIT_CHOSEN_NODE))
		return BK_CHOSEN_MKIMG;
	return BK_OTHER;
}

/* The first node of each role. */
static void note_role(struct board *b, int idx)
{
	int *slot = NULL;
	switch (b->v[idx].kind) {
	case BK_CHOSEN: slot = &b->chosen; break;
	case BK_ALIASES: slot = &b->aliases; break;
	case BK_RSV: slot = &b->rsv; break;
	case BK_CPUS: slot = &b->cpus; break;
	case BK_MEMORY: slot = &b->first_mem; break;
	default: break;
	}
	if (slot && *slot < 0)
		*slot = idx;
}

static bool status_disabled(const void *fdt, int off)
{
	const char *s = prop_str(fdt, off, "status");
	return s && (!strcmp(s, "disabled") || !strncmp(s, "fail", 4));
}

static int board_props(struct board *b, int idx)
{
	int po;
	b->v[idx].prop = (int)b->n_props;
	fdt_for_each_property_offset(po, b->fdt, b->v[idx].off) {
		struct bprop *x = VEC_PUSH(b->props, b->n_props);
		x->val = fdt_getprop_by_offset(b->fdt, po, &x->name, &x->len);
		if (!x->val)
			return x->len;
		x->status = !strcmp(x->name, "status");
		b->v[idx].n_props++;
	}
	return po == -FDT_ERR_NOTFOUND ? 0 : po;
}

static int board_walk(struct board *b)
{
	int depth = 0, off;
	/* past the root's end, fdt_next_node() returns depth -1 */
	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(b->fdt, off, &depth)) {
		int idx = (int)b->n, parent = idx - 1;
		/* every open node at this depth or deeper ends here */
		while (parent >= 0 && b->v[parent].depth >= depth) {
			b->v[parent].end = idx;
			parent = b->v[parent].parent;
		}
		if (idx == INT_MAX - 1)
			return -FDT_ERR_BADSTRUCTURE;
		struct bnode *x = VEC_PUSH(b->v, b->n);
		int len;
		x->off = off;
		x->depth = depth;
		x->parent = parent;
		x->dev = -1;
		x->cpu = -1;
		x->name = fdt_get_name(b->fdt, off, &len);
		if (!x->name)
			return len;
		x->phandle = fdt_get_phandle(b->fdt, off);
		x->disabled = status_disabled(b->fdt, off);
		if (parent < 0)
			x->path = xstrdup("/");
		else
			x->path = xasprintf("%s/%s", b->v[parent].depth ? b->v[parent].path : "", x->name);
		x->kind = classify(b, idx);
		note_role(b, idx);
		int rc = board_props(b, idx);
		if (rc < 0)
			return rc;
	}
	for (int i = (int)b->n - 1; i >= 0; i = b->v[i].parent)
		b->v[i].end = (int)b->n;
	return off >= 0 || off == -FDT_ERR_NOTFOUND ? 0 : off;
}

/* The reg of the board's own /reserved-memory children: added ranges are
 * cut around them. */
static int board_rsv_own(struct board *b, struct diags *d)
{
	if (b->rsv < 0)
		return 0;
	const struct bnode *r = &b->v[b->rsv];
	for (int c = b->rsv + 1; c < r->end; c = b->v[c].end) {
		int len;
		const fdt32_t *reg = fdt_getprop(b->fdt, b->v[c].off, "reg", &len);
		if (!reg)
			continue;
		size_t stride = 4 * (size_t)(b->rsv_ac + b->rsv_sc);
		if ((size_t)len % stride) {
			board_error(d, b, c, "dts-cells", "'reg' is %d bytes, not a multiple of %zu", len, stride);
			return -1;
		}
		for (size_t i = 0; i < (size_t)len / stride; i++) {
			const fdt32_t *e = reg + i * stride / 4;
			struct mk_range x = {cells_get(e, b->rsv_ac), cells_get(e + b->rsv_ac, b->rsv_sc)};
			if (x.size > UINT64_MAX - x.base)
				x.size = UINT64_MAX - x.base;
			*VEC_PUSH(b->rsv_own, b->n_rsv_own) = x;
		}
	}
	b->n_rsv_own = ranges_normalize(b->rsv_own, b->n_rsv_own);
	return 0;
}

/* Which nodes stay as they are on every node: the essential devices with
 * their subtrees (the GIC's v2m or ITS frames), and per-core devices, which
 * have no `reg` and no SPI (the PMU: every core has its own) and no device
 * above them (below one, such a node is part of that device: a PMIC's power
 * key, a remote processor's glink edge). */
static void board_fixed(struct board *b)
{
	const struct plan_board *pb = b->pb;
	for (size_t i = 0; i < pb->n_devices; i++) {
		const struct plan_device *dev = &pb->devices[i];
		int idx = board_find(b, dev->path);
		if (idx < 0)
			continue;
		b->v[idx].dev = (int)i;
		if (dev->essential)
			for (int j = idx; j < b->v[idx].end; j++)
				b->v[j].fixed = true;
		bool spi = false;
		for (size_t k = 0; k < dev->n_irqs; k++)
			spi |= dev->irqs[k].type == PLAN_IRQ_SPI;
		bool under_dev = false; /* devices come in tree order: its ancestors' dev is set */
		for (int a = b->v[idx].parent; a > 0 && !under_dev; a = b->v[a].parent)
			under_dev = b->v[a].dev >= 0;
		if (!spi && !under_dev && !fdt_getprop(b->fdt, b->v[idx].off, "reg", NULL))
			b->v[idx].fixed = true;
	}
	b->cpu_idx = xcalloc(pb->n_cpus, sizeof(*b->cpu_idx));
	for (size_t i = 0; i < pb->n_cpus; i++) {
		int idx = board_find(b, pb->cpus[i].path);
		b->cpu_idx[i] = idx;
		if (idx >= 0) {
			b->v[idx].kind = BK_CPU;
			b->v[idx].cpu = (int)i;
		}
	}
}

void board_free(struct board *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].path);
	free(b->v);
	free(b->props);
	free(b->paths);
	free(b->cpu_idx);
	free(b->rsv_own);
	*b = (struct board){0};
}

int board_init(struct board *b, const struct plan_board *pb, struct diags *d)
{
	*b = (struct board){.pb = pb, .rsv = -1, .chosen = -1, .aliases = -1, .cpus = -1, .first_mem = -1};
	if (!pb || !pb->fdt) {
		diag_error(d, NULL, NULL, "no board device tree to split");
		return -1;
	}
	b->fdt = pb->fdt;
	b->file = pb->path ? pb->path : "board";
	int rc = board_walk(b);
	if (rc < 0) {
		board_error(d, b, -1, "dtb-corrupt", "corrupt device tree: %s", fdt_strerror(rc));
		goto fail;
	}
	b->paths = xcalloc(b->n, sizeof(*b->paths));
	for (size_t i = 0; i < b->n; i++)
		b->paths[i] = (struct bpath){b->v[i].path, (int)i};
	sort(b->paths, b->n, sizeof(*b->paths), cmp_bpath);

	b->ac = cells_prop(b->fdt, 0, "#address-cells", 2);
	b->sc = cells_prop(b->fdt, 0, "#size-cells", 1);
	if (!cells_ok(b->ac, b->sc)) {
		board_error(d, b, 0, "dts-cells", "#address-cells %d, #size-cells %d: mkimg writes 1 or 2 cells only",
			    b->ac, b->sc);
		goto fail;
	}
	b->rsv_ac = b->ac;
	b->rsv_sc = b->sc;
	if (b->rsv >= 0) {
		b->rsv_ac = cells_prop(b->fdt, b->v[b->rsv].off, "#address-cells", 2);
		b->rsv_sc = cells_prop(b->fdt, b->v[b->rsv].off, "#size-cells", 1);
		if (!cells_ok(b->rsv_ac, b->rsv_sc)) {
			board_error(d, b, b->rsv, "dts-cells", "#address-cells %d, #size-cells %d: mkimg writes 1 or 2 cells only",
				    b->rsv_ac, b->rsv_sc);
			goto fail;
		}
	}
	if (board_rsv_own(b, d) < 0)
		goto fail;
	board_fixed(b);
	return 0;
fail:
	board_free(b);
	return -1;
}
