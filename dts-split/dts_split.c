/* dts_split.c - per-node device trees from a plan (see dts_split.h).
 *
 * The board's blob is only read. A `struct board` indexes it once: every
 * node in tree order with its path, parent, the end of its subtree and its
 * role. A `struct split` then makes every decision for one plan node (what
 * is dropped, disabled, changed or added) before anything is written, and
 * two emitters read the same decisions: the blob writer (libfdt's
 * sequential-write API, so no saved offset ever goes stale) and the overlay
 * writer. Deciding once is what keeps the blob and the overlay equal.
 */
#include "dts_split.h"
#include "dts_text.h"
#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *hex_range(char buf[48], struct mk_range r)
{
	snprintf(buf, 48, "[0x%" PRIx64 ", 0x%" PRIx64 ")", r.base, range_end(r));
	return buf;
}

/* ------------------------------------------------------------ the board */

enum bkind {
	BK_OTHER,
	BK_ROOT,
	BK_MEMORY,       /* a top-level node with device_type = "memory" */
	BK_RSV,          /* /reserved-memory */
	BK_CPUS,
	BK_CPU,          /* one of pf->cpus */
	BK_CPU_MAP,      /* /cpus/cpu-map: it names every cpu */
	BK_CHOSEN,
	BK_CHOSEN_MKIMG, /* /chosen/mkimg, which the split replaces */
	BK_ALIASES,
};

/* A property of the board, read once: every tree copies most of them. */
struct bprop {
	const char *name;
	const void *val;
	int len;
	bool status; /* named "status": the one a split may change */
};

struct bnode {
	int off;
	int prop, n_props; /* in board.props */
	int parent; /* index, -1 for the root */
	int end;    /* index one past the last descendant */
	int depth;
	enum bkind kind;
	int cpu;       /* BK_CPU: index into pf->cpus */
	int dev;       /* index into pf->devices, or -1 */
	bool disabled; /* status "disabled" or "fail..." in the board */
	bool fixed;    /* stays as it is on every node */
	uint32_t phandle;
	const char *name; /* in the blob; "" for the root */
	char *path;
};

struct bpath {
	const char *path;
	int idx;
};

struct board {
	const struct platform *pf;
	const void *fdt;
	const char *file;
	struct bnode *v;
	size_t n;
	struct bprop *props;
	size_t n_props;
	struct bpath *paths; /* sorted by path */
	int *cpu_idx;        /* pf->cpus[i] -> node index */
	int ac, sc;          /* root #address-cells, #size-cells */
	int rsv, rsv_ac, rsv_sc;
	struct mk_range *rsv_own; /* the board's /reserved-memory children, normalized */
	size_t n_rsv_own;
	int chosen, aliases, cpus, first_mem;
};

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
static int board_find(const struct board *b, const char *path)
{
	struct bpath key = {path, -1};
	const struct bpath *x = b->n ? bsearch(&key, b->paths, b->n, sizeof(*b->paths), cmp_bpath) : NULL;
	return x ? x->idx : -1;
}

static const char *prop_str(const void *fdt, int off, const char *name)
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
 * have no `reg` and no SPI (the PMU: every core has its own). */
static void board_fixed(struct board *b)
{
	const struct platform *pf = b->pf;
	for (size_t i = 0; i < pf->n_devices; i++) {
		const struct pf_device *dev = &pf->devices[i];
		int idx = board_find(b, dev->path);
		if (idx < 0)
			continue;
		b->v[idx].dev = (int)i;
		if (dev->essential)
			for (int j = idx; j < b->v[idx].end; j++)
				b->v[j].fixed = true;
		bool spi = false;
		for (size_t k = 0; k < dev->n_irqs; k++)
			spi |= dev->irqs[k].type == PF_IRQ_SPI;
		if (!spi && !fdt_getprop(b->fdt, b->v[idx].off, "reg", NULL))
			b->v[idx].fixed = true;
	}
	b->cpu_idx = xcalloc(pf->n_cpus, sizeof(*b->cpu_idx));
	for (size_t i = 0; i < pf->n_cpus; i++) {
		int idx = board_find(b, pf->cpus[i].path);
		b->cpu_idx[i] = idx;
		if (idx >= 0) {
			b->v[idx].kind = BK_CPU;
			b->v[idx].cpu = (int)i;
		}
	}
}

static void board_free(struct board *b)
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

static int board_init(struct board *b, const struct platform *pf, struct diags *d)
{
	*b = (struct board){.pf = pf, .rsv = -1, .chosen = -1, .aliases = -1, .cpus = -1, .first_mem = -1};
	if (!pf || !pf->fdt) {
		diag_error(d, NULL, NULL, "no board device tree to split");
		return -1;
	}
	b->fdt = pf->fdt;
	b->file = pf->path ? pf->path : "board";
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

/* ------------------------------------------------------------ checks */

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
	const struct platform *pf = b->pf;
	char a[48];
	if (r.size == 0 || r.size > UINT64_MAX - r.base) {
		diag_error(d, loc, check, "%s base 0x%" PRIx64 " size 0x%" PRIx64 " is empty or beyond 64 bits", what,
			   r.base, r.size);
		return false;
	}
	if (!inside_any(pf->ram, pf->n_ram, r)) {
		diag_error(d, loc, check, "%s %s is outside the board's RAM (see /memory in '%s')", what,
			   hex_range(a, r), pf->path);
		return false;
	}
	if (usable && !inside_any(pf->usable, pf->n_usable, r)) {
		diag_error(d, loc, check, "%s %s overlaps the board's reserved memory in '%s'", what, hex_range(a, r),
			   pf->path);
		return false;
	}
	if (!fits_cells(r, ac)) {
		diag_error(d, loc, "dts-cells", "%s %s cannot be written with #address-cells = <1> in '%s'", what,
			   hex_range(a, r), pf->path);
		return false;
	}
	if (sc == 1 && r.size > (uint64_t)MAX_SIZE_PIECES << 31) {
		diag_error(d, loc, "dts-cells", "%s %s is too large for #size-cells = <1> in '%s' (more than %d pieces of 2 GiB)",
			   what, hex_range(a, r), pf->path, MAX_SIZE_PIECES);
		return false;
	}
	return true;
}

static void check_node(const struct board *b, const struct plan *p, const struct plan_node *n, struct diags *d)
{
	const struct platform *pf = b->pf;
	const struct mk_loc *loc = &n->loc;
	char what[64], a[48];

	if (!n->n_cpus)
		diag_error(d, loc, "cpu-none", "node %u has no cpu", n->id);
	for (size_t i = 0; i < n->n_cpus; i++)
		if (n->cpus[i].index >= pf->n_cpus || b->cpu_idx[n->cpus[i].index] < 0)
			diag_error(d, loc, "cpu-range", "node %u: cpu %u does not exist; '%s' has %zu cpus", n->id,
				   n->cpus[i].index, pf->path, pf->n_cpus);
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
				   pf->path);
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

static void check_plan(const struct board *b, const struct plan *p, struct diags *d)
{
	if (p->console) {
		int idx = board_find(b, p->console);
		if (idx < 0 || b->v[idx].dev < 0) {
			struct mk_loc loc = {.file = b->file};
			diag_error(d, &loc, "device-unknown", "console '%s' is not a device in '%s'", p->console, b->pf->path);
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
	if (board_init(&b, p->pf, d) < 0)
		return -1;
	check_plan(&b, p, d);
	board_free(&b);
	return d->errors > errors ? -1 : 0;
}

/* ------------------------------------------------------------ decisions */

enum act { ACT_COPY, ACT_DROP, ACT_DISABLE };

/* A child the split adds to /reserved-memory. */
struct rchild {
	struct mk_range r;
	const struct plan_pool *pool; /* NULL: a range of the node's `reserved` */
	bool member;
};

struct channel {
	unsigned sgi, peer, peer_cpu;
	uint64_t peer_mpidr;
	bool send;
};

/* seL4,kernel-devices or seL4,elfloader-devices with the entries that
 * name disabled devices taken out. */
struct dev_list {
	const char *name;
	char *val;
	int len;
	bool changed;
};

struct split {
	const struct plan *p;
	const struct plan_node *n;
	const struct board *b;
	uint8_t *act; /* enum act, per board node */
	struct rchild *rc;
	size_t n_rc;
	const char *stdout_path; /* NULL: none */
	struct dev_list lists[2];
	struct channel *ch;
	size_t n_ch;
	fdt32_t id; /* the node id, big-endian */
};

static int cmp_rchild(const void *a, const void *b)
{
	const struct rchild *x = a, *y = b;
	return x->r.base < y->r.base ? -1 : x->r.base > y->r.base;
}

static void split_free(struct split *s)
{
	free(s->act);
	free(s->rc);
	free(s->ch);
	for (size_t i = 0; i < 2; i++)
		free(s->lists[i].val);
	*s = (struct split){0};
}

/* Disabled in this node's tree: the node or an ancestor is. */
static bool ends_disabled(const struct split *s, int idx)
{
	for (; idx >= 0; idx = s->b->v[idx].parent)
		if (s->act[idx] == ACT_DISABLE || s->b->v[idx].disabled)
			return true;
	return false;
}

/* What status each board node gets. A device is disabled unless the node
 * owns it (or a device above it), it is the console, fixed, already
 * disabled, or it contains a device that stays enabled. */
static void split_acts(struct split *s)
{
	const struct board *b = s->b;
	const struct plan_node *n = s->n;
	bool *own = xcalloc(b->n, sizeof(*own)), *keep_below = xcalloc(b->n, sizeof(*keep_below));
	bool *mine = xcalloc(b->pf->n_cpus, sizeof(*mine));
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

/* The node's reserved ranges, cut around the board's own reserved-memory
 * children, and every pool. */
static void split_reserved(struct split *s)
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

static bool is_uart(const void *fdt, int off)
{
	static const char *const uart[] = {"arm,pl011", "ns16550a", "snps,dw-apb-uart"};
	for (size_t i = 0; i < sizeof(uart) / sizeof(uart[0]); i++)
		if (fdt_node_check_compatible(fdt, off, uart[i]) == 0)
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

static void split_chosen(struct split *s)
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

static void split_channels(struct split *s)
{
	const struct plan_node *n = s->n;
	for (size_t i = 0; i < n->n_sgis; i++) {
		const struct plan_sgi *g = &n->sgis[i];
		bool send = g->from == n->id;
		const struct plan_node *peer = plan_node_by_id(s->p, send ? g->to : g->from);
		*VEC_PUSH(s->ch, s->n_ch) = (struct channel){g->sgi, peer->id, peer->cpus[0].index, peer->cpus[0].mpidr, send};
	}
}

/* Everything one node changes; the plan node was checked already. */
static void split_init(struct split *s, const struct board *b, const struct plan *p, const struct plan_node *n)
{
	*s = (struct split){.p = p, .n = n, .b = b, .id = cpu_to_fdt32(n->id)};
	split_acts(s);
	split_reserved(s);
	split_chosen(s);
	split_channels(s);
}

enum cedit { CE_KEEP, CE_DROP, CE_SET };

/* What becomes of a /chosen property of the board. */
static enum cedit chosen_edit(const struct split *s, const char *name, const void **v, int *len)
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

/* ------------------------------------------------------------ emitters */

/* Both outputs write the nodes the split adds through one interface, so
 * the blob and the overlay cannot disagree on them. */
struct names;

struct emit {
	void (*begin)(struct emit *e, const char *name);
	void (*prop)(struct emit *e, const char *name, const void *v, int len);
	void (*end)(struct emit *e);
	void *fdt;   /* blob: libfdt is told it has `size` bytes of `cap` */
	size_t size, cap;
	int err;
	struct names *names;
	struct sbuf *sb; /* text */
	int depth;
};

static void e_u32(struct emit *e, const char *name, uint32_t x)
{
	fdt32_t v = cpu_to_fdt32(x);
	e->prop(e, name, &v, 4);
}

static void e_str(struct emit *e, const char *name, const char *s)
{
	e->prop(e, name, s, (int)strlen(s) + 1);
}

static void push_cells(fdt32_t **v, size_t *n, uint64_t x, int cells)
{
	if (cells == 2)
		*VEC_PUSH(*v, *n) = cpu_to_fdt32((uint32_t)(x >> 32));
	*VEC_PUSH(*v, *n) = cpu_to_fdt32((uint32_t)x);
}

/* A `reg` of ranges in ac/sc cells; a size too big for one cell is split
 * into 2 GiB pieces, which keeps them aligned. */
static void e_reg(struct emit *e, const struct mk_range *r, size_t nr, int ac, int sc)
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

static void gen_memory(const struct split *s, struct emit *e)
{
	char name[40];
	snprintf(name, sizeof(name), "memory@%" PRIx64, s->n->memory[0].base);
	e->begin(e, name);
	e_str(e, "device_type", "memory");
	e_reg(e, s->n->memory, s->n->n_memory, s->b->ac, s->b->sc);
	e->end(e);
}

static void gen_rsv_children(const struct split *s, struct emit *e)
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
static void gen_rsv_new(const struct split *s, struct emit *e)
{
	e->begin(e, "reserved-memory");
	e_u32(e, "#address-cells", (uint32_t)s->b->ac);
	e_u32(e, "#size-cells", (uint32_t)s->b->sc);
	e->prop(e, "ranges", "", 0);
	gen_rsv_children(s, e);
	e->end(e);
}

/* The `target` seL4_IRQControl_IssueSGISignal takes to reach `c`'s peer:
 * the GICv2 CPU interface number (the cpu's index in /cpus, as assumed
 * throughout), or on GICv3 Aff3.Aff2.Aff1.Aff0 packed in 32 bits. */
static uint32_t sgi_target(const struct split *s, const struct channel *c)
{
	if (s->b->pf->gic.version != 3)
		return c->peer_cpu;
	uint64_t m = c->peer_mpidr;
	return (uint32_t)((m >> 32 & 0xff) << 24 | (m & 0xffffff));
}

/* /chosen/mkimg: the node's channels and member pools (README.md). */
static void gen_mkimg(const struct split *s, struct emit *e)
{
	e->begin(e, DTS_SPLIT_CHOSEN_NODE);
	if (s->n->n_pools) {
		e_u32(e, "#address-cells", (uint32_t)s->b->ac);
		e_u32(e, "#size-cells", (uint32_t)s->b->sc);
	}
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
static void gen_chosen_added(const struct split *s, struct emit *e)
{
	if (s->stdout_path && !board_chosen_has(s, "stdout-path"))
		e_str(e, "stdout-path", s->stdout_path);
	if (!board_chosen_has(s, DTS_SPLIT_NODE_ID))
		e->prop(e, DTS_SPLIT_NODE_ID, &s->id, 4);
}

/* ------------------------------------------------------------ the blob */

/* libfdt's sequential writer, left to itself, looks for each property's
 * name in the whole strings block before adding it; for 256 big trees that
 * scan took two thirds of the time. So the blob is written with
 * FDT_CREATE_FLAG_NO_NAME_DEDUP (a copy of the name per property), the
 * names are collected here as they go by, and fold_strings() rewrites the
 * finished tree to one copy per name, in order of first use.
 *
 * Every property name is a string constant or a name in the board's blob,
 * which has one copy of each: so a small cache keyed by the name's address
 * finds almost every name without reading it. */
struct names {
	uint32_t *slot; /* open addressing: offset + 1 into tab, 0 = empty */
	size_t cap, used;
	char *tab;      /* the new strings block */
	size_t n, tab_cap;
	struct {
		const char *p;
		uint32_t off;
	} cache[256];
	uint32_t *order; /* per property, in tree order: its name's offset */
	size_t n_order, cap_order;
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint32_t *names_find(const struct names *t, const char *name)
{
	size_t i = fnv1a(name) & (t->cap - 1);
	while (t->slot[i] && strcmp(t->tab + t->slot[i] - 1, name))
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static void names_rehash(struct names *t)
{
	uint32_t *old = t->slot;
	size_t n = t->cap;
	t->cap = n ? n * 2 : 64;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	for (size_t i = 0; i < n; i++)
		if (old[i])
			*names_find(t, t->tab + old[i] - 1) = old[i];
	free(old);
}

/* The offset of `name` in the new block, adding it on first use. */
static uint32_t names_add(struct names *t, const char *name)
{
	uint32_t *x = names_find(t, name);
	if (*x)
		return *x - 1;
	size_t len = strlen(name) + 1;
	if (t->n + len > t->tab_cap) {
		t->tab_cap = (t->n + len) * 2;
		t->tab = xrealloc(t->tab, t->tab_cap);
	}
	memcpy(t->tab + t->n, name, len);
	*x = (uint32_t)t->n + 1;
	t->n += len;
	if (++t->used * 2 > t->cap)
		names_rehash(t);
	return (uint32_t)(t->n - len);
}

static void names_note(struct names *t, const char *name)
{
	size_t h = (size_t)(((uintptr_t)name * 0x9e3779b97f4a7c15ull) >> 56);
	if (t->cache[h].p != name) {
		t->cache[h].p = name;
		t->cache[h].off = names_add(t, name);
	}
	if (t->n_order == t->cap_order) {
		t->cap_order = t->cap_order ? t->cap_order * 2 : 1024;
		t->order = xrealloc(t->order, t->cap_order * sizeof(*t->order));
	}
	t->order[t->n_order++] = t->cache[h].off;
}

static void names_reset(struct names *t)
{
	if (!t->slot)
		names_rehash(t);
	memset(t->slot, 0, t->cap * sizeof(*t->slot));
	memset(t->cache, 0, sizeof(t->cache));
	t->used = t->n = t->n_order = 0;
}

static void names_free(struct names *t)
{
	free(t->slot);
	free(t->tab);
	free(t->order);
}

#define ALIGN4(x) (((size_t)(x) + 3) & ~(size_t)3)

/* Point every property at its name in the folded block, which replaces the
 * old one. The tree is the one just written: its tags need no checks. */
static int fold_strings(void *fdt, const struct names *t)
{
	char *base = (char *)fdt + fdt_off_dt_struct(fdt);
	size_t off = 0, end = fdt_size_dt_struct(fdt), k = 0;
	while (off + 4 <= end) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(base + off));
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			off += ALIGN4(strlen(base + off) + 1);
		} else if (tag == FDT_PROP) {
			struct fdt_property *pr = (struct fdt_property *)(base + off - 4);
			if (k == t->n_order)
				return -FDT_ERR_INTERNAL;
			pr->nameoff = cpu_to_fdt32(t->order[k++]);
			off += 8 + ALIGN4(fdt32_ld(&pr->len));
		} else if (tag == FDT_END) {
			break;
		}
	}
	if (k != t->n_order || t->n > fdt_size_dt_strings(fdt))
		return -FDT_ERR_INTERNAL;
	memcpy((char *)fdt + fdt_off_dt_strings(fdt), t->tab, t->n);
	fdt_set_size_dt_strings(fdt, (uint32_t)t->n);
	fdt_set_totalsize(fdt, fdt_off_dt_strings(fdt) + (uint32_t)t->n);
	return 0;
}

/* After -FDT_ERR_NOSPACE, give the tree twice the room (fdt_resize keeps
 * a tree under construction valid, in place or moved) and say to retry. */
static bool grow(struct emit *e)
{
	if (e->err != -FDT_ERR_NOSPACE || e->size > INT_MAX / 2)
		return false;
	size_t size = e->size * 2;
	void *buf = size <= e->cap ? e->fdt : xmalloc(size);
	int rc = fdt_resize(e->fdt, buf, (int)size);
	if (rc) {
		if (buf != e->fdt)
			free(buf);
		e->err = rc;
		return false;
	}
	if (buf != e->fdt) {
		free(e->fdt);
		e->fdt = buf;
		e->cap = size;
	}
	/* libfdt never writes the padding after names and values: it counts
	 * on fdt_create having cleared the buffer. Clear the new room too, or
	 * the blob would carry whatever the memory held. */
	size_t head = fdt_off_dt_struct(buf) + fdt_size_dt_struct(buf);
	memset((char *)buf + head, 0, size - head - fdt_size_dt_strings(buf));
	e->size = size;
	e->err = 0;
	return true;
}

/* One sequential-write call, growing the buffer as often as it needs; the
 * first error sticks and turns every later call into nothing. */
#define SW(e, call)                                                            \
	do {                                                                   \
		while (!(e)->err && ((e)->err = (call)) != 0 && grow(e))      \
			;                                                      \
	} while (0)

static void fdt_begin(struct emit *e, const char *name)
{
	SW(e, fdt_begin_node(e->fdt, name));
}

static void fdt_prop(struct emit *e, const char *name, const void *v, int len)
{
	SW(e, fdt_property(e->fdt, name, v, len));
	if (!e->err)
		names_note(e->names, name);
}

static void fdt_end(struct emit *e)
{
	SW(e, fdt_end_node(e->fdt));
}

static void blob_props(const struct split *s, struct emit *e, int idx)
{
	const struct bnode *x = &s->b->v[idx];
	bool had_status = false;
	for (int k = 0; k < x->n_props; k++) {
		const struct bprop *bp = &s->b->props[x->prop + k];
		const char *name = bp->name;
		const void *v = bp->val;
		int len = bp->len;
		if (x->kind == BK_CHOSEN) {
			enum cedit ce = chosen_edit(s, name, &v, &len);
			if (ce == CE_DROP)
				continue;
		} else if (s->act[idx] == ACT_DISABLE && bp->status) {
			v = "disabled";
			len = sizeof("disabled");
			had_status = true;
		}
		e->prop(e, name, v, len);
	}
	if (s->act[idx] == ACT_DISABLE && !had_status)
		e_str(e, "status", "disabled");
	if (x->kind == BK_CHOSEN)
		gen_chosen_added(s, e);
}

static void blob_node(const struct split *s, struct emit *e, int idx);

/* The root's children: the memory node takes the place of the board's
 * first, /reserved-memory (when new) follows it, /chosen (when new) ends. */
static void blob_children(const struct split *s, struct emit *e, int idx)
{
	const struct board *b = s->b;
	if (idx == 0 && b->first_mem < 0) {
		gen_memory(s, e);
		if (b->rsv < 0)
			gen_rsv_new(s, e);
	}
	for (int c = idx + 1; c < b->v[idx].end && !e->err; c = b->v[c].end) {
		if (c == b->first_mem) {
			gen_memory(s, e);
			if (b->rsv < 0)
				gen_rsv_new(s, e);
		}
		if (s->act[c] != ACT_DROP)
			blob_node(s, e, c);
	}
	if (idx == 0 && b->chosen < 0) {
		e->begin(e, "chosen");
		gen_chosen_added(s, e);
		gen_mkimg(s, e);
		e->end(e);
	}
}

static void blob_node(const struct split *s, struct emit *e, int idx)
{
	const struct bnode *x = &s->b->v[idx];
	e->begin(e, x->name);
	blob_props(s, e, idx);
	blob_children(s, e, idx);
	if (x->kind == BK_RSV && idx == s->b->rsv)
		gen_rsv_children(s, e);
	if (x->kind == BK_CHOSEN && idx == s->b->chosen)
		gen_mkimg(s, e);
	e->end(e);
}

/* What building a blob keeps from one tree to the next: the buffer (a
 * fresh one per tree would be fresh pages, each faulted in by fdt_create's
 * memset), the size the last tree took before folding (fdt_create clears
 * all the room it is given, so it is given about that much), the names. */
struct work {
	void *buf;
	size_t cap, need;
	struct names names;
};

static void work_free(struct work *w)
{
	free(w->buf);
	names_free(&w->names);
}

static int build_blob(const struct split *s, struct work *w, void **dtb, size_t *size, struct diags *d)
{
	const void *fdt = s->b->fdt;
	struct emit e = {fdt_begin, fdt_prop, fdt_end, w->buf, 0, w->cap, 0, &w->names, NULL, 0};
	/* the last tree's size, or the board's with room for what is added */
	e.size = w->need ? w->need + w->need / 8 : fdt_totalsize(fdt) + 128 * (s->n_rc + s->n_ch);
	e.size = e.size < 4096 ? 4096 : e.size > INT_MAX ? INT_MAX : e.size;
	if (e.cap < e.size) {
		free(e.fdt);
		e.fdt = xmalloc(e.size);
		e.cap = e.size;
	}
	names_reset(&w->names);
	SW(&e, fdt_create_with_flags(e.fdt, (int)e.size, FDT_CREATE_FLAG_NO_NAME_DEDUP));
	int nrsv = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < nrsv && !e.err; i++) {
		uint64_t base, sz;
		e.err = fdt_get_mem_rsv(fdt, i, &base, &sz);
		SW(&e, fdt_add_reservemap_entry(e.fdt, base, sz));
	}
	SW(&e, fdt_finish_reservemap(e.fdt));
	blob_node(s, &e, 0);
	SW(&e, fdt_finish(e.fdt));
	w->buf = e.fdt; /* grow() may have moved it */
	w->cap = e.cap;
	w->need = e.err ? 0 : fdt_totalsize(e.fdt);
	if (!e.err)
		e.err = fold_strings(e.fdt, &w->names);
	if (e.err) {
		struct mk_loc loc = {.file = s->b->file};
		diag_error(d, &loc, NULL, "cannot build the device tree of node %u: %s", s->n->id, fdt_strerror(e.err));
		return -1;
	}
	/* The tree is booted on the node's first cpu: say so in the header,
	 * as that cpu's `reg` (its MPIDR's low word). */
	fdt_set_boot_cpuid_phys(e.fdt, (uint32_t)s->n->cpus[0].mpidr);
	*size = fdt_totalsize(e.fdt);
	*dtb = memcpy(xmalloc(*size), e.fdt, *size);
	return 0;
}

/* ------------------------------------------------------------ the overlay */

static void text_begin(struct emit *e, const char *name)
{
	sb_tabs(e->sb, e->depth++);
	sb_puts(e->sb, name);
	sb_put(e->sb, " {\n", 3);
}

static void text_prop(struct emit *e, const char *name, const void *v, int len)
{
	dts_text_prop(e->sb, e->depth, name, v, len);
}

static void text_end(struct emit *e)
{
	sb_tabs(e->sb, --e->depth);
	sb_put(e->sb, "};\n", 3);
}

static void overlay_header(const struct split *s, struct sbuf *f)
{
	sb_printf(f, "/*\n * mkimg dts-split: node %u of plan '", s->n->id);
	for (const char *c = s->p->name ? s->p->name : ""; *c; c++)
		sb_putc(f, *c == '*' || (unsigned char)*c < 0x20 ? '_' : *c);
	sb_puts(f, "'.\n"
	      " * Append to the board's DTS (seL4: KernelCustomDTSOverlay). Later definitions\n"
	      " * of a node merge with earlier ones; /delete-node/ and /delete-property/ take\n"
	      " * away what this node must not see. See dts-split/README.md.\n */\n");
}

/* What goes: the board's memory nodes, the other cpus and cpu-map, an old
 * /chosen/mkimg. */
static void overlay_deletions(const struct split *s, struct sbuf *f)
{
	const struct board *b = s->b;
	sb_puts(f, "\n/* the board's memory nodes; the node's own follows */\n/ {\n");
	for (int c = 1; c < b->v[0].end; c = b->v[c].end)
		if (b->v[c].kind == BK_MEMORY)
			sb_printf(f, "\t/delete-node/ %s;\n", b->v[c].name);
	sb_puts(f, "};\n");
	if (b->cpus >= 0) {
		bool any = false;
		for (int c = b->cpus + 1; c < b->v[b->cpus].end; c = b->v[c].end) {
			if (s->act[c] != ACT_DROP)
				continue;
			if (!any)
				sb_printf(f, "\n/* other nodes' cpus (and cpu-map, which names every cpu) */\n&{%s} {\n",
					b->v[b->cpus].path);
			any = true;
			sb_puts(f, "\t/delete-node/ ");
			sb_puts(f, b->v[c].name);
			sb_puts(f, ";\n");
		}
		if (any)
			sb_puts(f, "};\n");
	}
	if (b->chosen >= 0)
		for (int c = b->chosen + 1; c < b->v[b->chosen].end; c = b->v[c].end)
			if (b->v[c].kind == BK_CHOSEN_MKIMG)
				sb_printf(f, "\n&{%s} {\n\t/delete-node/ %s;\n};\n", b->v[b->chosen].path, b->v[c].name);
}

static void overlay_chosen(const struct split *s, struct emit *e)
{
	const struct board *b = s->b;
	e->begin(e, "chosen");
	if (b->chosen >= 0) {
		const struct bnode *c = &b->v[b->chosen];
		for (int k = 0; k < c->n_props; k++) {
			const char *name = b->props[c->prop + k].name;
			const void *v = b->props[c->prop + k].val;
			int len = b->props[c->prop + k].len;
			enum cedit ce = chosen_edit(s, name, &v, &len);
			if (ce == CE_DROP) {
				sb_tabs(e->sb, e->depth);
				sb_printf(e->sb, "/delete-property/ %s;\n", name);
			} else if (ce == CE_SET) {
				e->prop(e, name, v, len);
			}
		}
	}
	gen_chosen_added(s, e);
	gen_mkimg(s, e);
	e->end(e);
}

static void overlay_body(const struct split *s, struct sbuf *f)
{
	const struct board *b = s->b;
	struct emit e = {text_begin, text_prop, text_end, NULL, 0, 0, 0, NULL, f, 1};

	overlay_deletions(s, f);
	sb_puts(f, "\n/* the node's RAM; all other RAM and every shared pool reserved; its facts in /chosen */\n/ {\n");
	gen_memory(s, &e);
	if (b->rsv < 0) {
		gen_rsv_new(s, &e);
	} else {
		e.begin(&e, b->v[b->rsv].name);
		gen_rsv_children(s, &e);
		e.end(&e);
	}
	overlay_chosen(s, &e);
	sb_puts(f, "};\n");

	bool any = false;
	for (size_t i = 0; i < b->n; i++) {
		if (s->act[i] != ACT_DISABLE)
			continue;
		if (!any)
			sb_puts(f, "\n/* devices this node does not own */\n");
		any = true;
		sb_puts(f, "&{");
		sb_puts(f, b->v[i].path);
		sb_puts(f, "} {\n\tstatus = \"disabled\";\n};\n");
	}

	/* dtc numbers label references itself; stating every phandle the
	 * board's blob has keeps them as they are even when the nodes that
	 * referred to them (cpu-map) are gone. */
	any = false;
	for (size_t i = 0; i < b->n; i++) {
		bool gone = false;
		for (int j = (int)i; j >= 0 && !gone; j = b->v[j].parent)
			gone = s->act[j] == ACT_DROP;
		if (!b->v[i].phandle || gone)
			continue;
		if (!any)
			sb_puts(f, "\n/* phandles as in the board's blob */\n");
		any = true;
		sb_puts(f, "&{");
		sb_puts(f, b->v[i].path);
		sb_puts(f, "} {\n\tphandle = <");
		sb_hex(f, b->v[i].phandle);
		sb_puts(f, ">;\n};\n");
	}
}

static void build_overlay(const struct split *s, char **text)
{
	struct sbuf b = {0};
	overlay_header(s, &b);
	overlay_body(s, &b);
	*text = b.s;
}

/* ------------------------------------------------------------ entry points */

static int node_begin(struct board *b, const struct plan *p, const struct plan_node *n, struct diags *d)
{
	unsigned errors = d->errors;
	if (board_init(b, p->pf, d) < 0)
		return -1;
	check_node(b, p, n, d);
	if (d->errors > errors) {
		board_free(b);
		return -1;
	}
	return 0;
}

int dts_split_node(const struct plan *p, const struct plan_node *n, void **dtb, size_t *size, struct diags *d)
{
	struct board b;
	struct split s;
	*dtb = NULL;
	*size = 0;
	if (node_begin(&b, p, n, d) < 0)
		return -1;
	struct work w = {0};
	split_init(&s, &b, p, n);
	int rc = build_blob(&s, &w, dtb, size, d);
	work_free(&w);
	split_free(&s);
	board_free(&b);
	return rc;
}

int dts_split_overlay(const struct plan *p, const struct plan_node *n, char **text, struct diags *d)
{
	struct board b;
	struct split s;
	*text = NULL;
	if (node_begin(&b, p, n, d) < 0)
		return -1;
	split_init(&s, &b, p, n);
	build_overlay(&s, text);
	split_free(&s);
	board_free(&b);
	return 0;
}

/* What one node's folder will hold. */
struct node_out {
	void *dtb;
	size_t size;
	char *dts, *overlay;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* mkdir -p that remembers the folders it made, so a failure can take
 * them away again. Returns 0 or an errno value. */
static int make_dirs_tracked(const char *dir, char ***made, size_t *n_made)
{
	char *p = xstrdup(dir);
	int err = 0;
	for (char *c = p + 1;; c++) {
		bool last = *c == '\0';
		if (*c != '/' && !last)
			continue;
		*c = '\0';
		if (mkdir(p, 0777) == 0)
			*VEC_PUSH(*made, *n_made) = xstrdup(p);
		else if (errno != EEXIST)
			err = errno;
		if (last || err)
			break;
		*c = '/';
	}
	free(p);
	return err;
}

static void file_error(struct diags *d, const char *what, const char *path, int err)
{
	struct mk_loc loc = {.file = path};
	diag_error(d, &loc, NULL, "cannot %s '%s': %s", what, path, strerror(err));
}

static int write_file(struct output *o, const char *path, const void *data, size_t len, struct diags *d)
{
	FILE *f = output_open(o, path);
	if (!f) {
		file_error(d, "create", path, errno);
		return -1;
	}
	if (len && fwrite(data, 1, len, f) != len) {
		file_error(d, "write", path, errno);
		return -1;
	}
	return 0;
}

static int write_all(const struct plan *p, const char *outdir, const struct node_out *out, unsigned flags,
		     struct diags *d)
{
	struct output o = {0};
	char **made = NULL;
	size_t n_made = 0;
	int rc = 0;
	for (size_t i = 0; i < p->n_nodes && !rc; i++) {
		char *dir = xasprintf("%s/node%u", outdir, p->nodes[i].id);
		int err = make_dirs_tracked(dir, &made, &n_made);
		if (err) {
			file_error(d, "create", dir, err);
			rc = -1;
		}
		const struct node_out *x = &out[i];
		struct {
			const char *name;
			const void *data;
			size_t len;
		} files[] = {
			{"kernel.dtb", x->dtb, x->size},
			{"kernel.dts", x->dts, x->dts ? strlen(x->dts) : 0},
			{"kernel-overlay.dts", x->overlay, x->overlay ? strlen(x->overlay) : 0},
		};
		for (size_t k = 0; k < (flags & DTS_SPLIT_DTB_ONLY ? 1 : 3) && !rc; k++) {
			char *path = xasprintf("%s/%s", dir, files[k].name);
			rc = write_file(&o, path, files[k].data, files[k].len, d);
			free(path);
		}
		free(dir);
	}
	if (rc)
		output_abort(&o);
	else
		rc = output_commit(&o, d);
	/* Undo the folders on failure, deepest first; one that is not empty
	 * holds someone else's files and stays. */
	for (size_t i = n_made; i-- > 0;) {
		if (rc)
			rmdir(made[i]);
		free(made[i]);
	}
	free(made);
	return rc;
}

int dts_split_write_ex(const struct plan *p, const char *outdir, unsigned flags, struct dts_split_times *t,
		       struct diags *d)
{
	struct board b;
	unsigned errors = d->errors;
	struct dts_split_times tm = {0};
	if (!outdir || !*outdir) {
		diag_error(d, NULL, NULL, "no output folder given");
		return -1;
	}
	if (board_init(&b, p->pf, d) < 0)
		return -1;
	check_plan(&b, p, d);
	if (d->errors > errors) {
		board_free(&b);
		return -1;
	}

	struct node_out *out = xcalloc(p->n_nodes, sizeof(*out));
	struct work w = {0};
	int rc = 0;
	for (size_t i = 0; i < p->n_nodes && !rc; i++) {
		struct split s;
		uint64_t t0 = now_ns();
		split_init(&s, &b, p, &p->nodes[i]);
		rc = build_blob(&s, &w, &out[i].dtb, &out[i].size, d);
		uint64_t t1 = now_ns();
		tm.dtb_ns += t1 - t0;
		if (!rc && !(flags & DTS_SPLIT_DTB_ONLY)) {
			build_overlay(&s, &out[i].overlay);
			struct sbuf text = {0};
			dts_text_tree(&text, out[i].dtb); /* built here: no need to check it */
			out[i].dts = text.s;
			tm.text_ns += now_ns() - t1;
		}
		split_free(&s);
	}
	board_free(&b);
	work_free(&w);

	if (!rc) {
		uint64_t t0 = now_ns();
		rc = write_all(p, outdir, out, flags, d);
		tm.write_ns = now_ns() - t0;
	}
	for (size_t i = 0; i < p->n_nodes; i++) {
		free(out[i].dtb);
		free(out[i].dts);
		free(out[i].overlay);
	}
	free(out);
	if (t)
		*t = tm;
	return rc;
}

int dts_split_write(const struct plan *p, const char *outdir, struct diags *d)
{
	return dts_split_write_ex(p, outdir, 0, NULL, d);
}
