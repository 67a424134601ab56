/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.c - from manifest + platform to a checked partition plan.
 *
 * The order of work matters for determinism and for good messages:
 * first everything the manifest places explicitly (checked against the
 * board's RAM and each other), then the loader low in RAM, where boot
 * loaders put kernels (plan_loader), then the size-only nodes and pools,
 * first fit from low addresses. Ties are broken by node id and pool name,
 * never by pointer or hash order.
 */
#include "plan.h"

#include "manifest.h"
#include "platform.h"

#include <inttypes.h>
#include <stdlib.h>

/* The plan's own enums name the platform's values one for one. */
_Static_assert(PLAN_ENABLE_NONE == (int)PF_ENABLE_NONE && PLAN_ENABLE_PSCI == (int)PF_ENABLE_PSCI &&
		       PLAN_ENABLE_SPIN_TABLE == (int)PF_ENABLE_SPIN_TABLE,
	       "enum plan_enable follows enum pf_enable");
_Static_assert(PLAN_PSCI_NONE == (int)PF_PSCI_NONE && PLAN_PSCI_SMC == (int)PF_PSCI_SMC &&
		       PLAN_PSCI_HVC == (int)PF_PSCI_HVC,
	       "enum plan_psci follows enum pf_psci");
_Static_assert(PLAN_IRQ_SPI == (int)PF_IRQ_SPI && PLAN_IRQ_PPI == (int)PF_IRQ_PPI,
	       "enum plan_irq_type follows enum pf_irq_type");

const struct plan_check plan_checks[] = {
	{"yaml-syntax", "the manifest is not well-formed YAML"},
	{"yaml-limits", "the manifest nests too deeply or expands to too many values"},
	{"unknown-key", "a key the manifest does not know (the nearest known key is suggested)"},
	{"duplicate-key", "a key given twice in one mapping"},
	{"missing-key", "a required key is absent"},
	{"type", "a value of the wrong type"},
	{"number", "a number with trailing junk or out of range"},
	{"platform", "the platform names neither or both of dtb and dts"},
	{"node-duplicate", "two nodes with the same id"},
	{"memory-align", "an explicit node region or size not aligned to 2 MiB"},
	{"memory-size", "a region of size zero, or base + size beyond 64 bits"},
	{"memory-outside-ram", "a node region not inside the board's usable RAM"},
	{"memory-overlap", "two nodes' RAM overlap"},
	{"memory-exhausted", "not enough free RAM for the sizes asked"},
	{"pool-align", "a shared pool not page aligned"},
	{"pool-outside-ram", "a shared pool not inside the board's usable RAM"},
	{"pool-in-node", "a shared pool inside a node's RAM"},
	{"pool-overlap", "two shared pools overlap"},
	{"pool-duplicate", "two shared pools with the same name"},
	{"pool-node-unknown", "a shared pool lists a node that does not exist"},
	{"pool-node-twice", "a shared pool lists a node twice"},
	{"node-pools", "a node member of more than 16 shared pools, mkimg's own 'mkimg-sync' included"},
	{"loader-overlap", "the loader's region overlaps a node or a pool"},
	{"loader-no-room", "no free RAM left for the loader"},
	{"loader-bootloader", "the loader's region overlaps the region the manifest names as the bootloader's own"},
	{"loader-outside-ram", "an explicit loader region outside usable RAM"},
	{"cpu-range", "a CPU index the board does not have"},
	{"cpu-twice", "a CPU given to two nodes, or twice to one"},
	{"cpu-none", "a node without a CPU"},
	{"cpu-enable", "a secondary CPU the loader cannot start (no PSCI, no spin table)"},
	{"cpu-disabled", "a CPU the board's tree marks disabled or failed (status)"},
	{"cpu-broken", "a node on a CPU the board's tree describes wrongly (its reg, enable-method, PSCI)"},
	{"device-broken", "a node owning a device the board's tree describes wrongly (its reg, interrupts)"},
	{"device-nested", "a device owned by one node inside a device owned by another"},
	{"board-memory", "the board's RAM: none in the tree and none in the manifest, or a bad platform 'memory'"},
	{"board-psci", "the platform's 'psci' differs from the tree's /psci"},
	{"device-unknown", "a device path not in the board's tree"},
	{"device-twice", "a device given to two nodes"},
	{"device-essential", "the interrupt controller or timer, which every node keeps"},
	{"console-owned", "the shared console also owned by one node"},
	{"irq-twice", "an interrupt owned by two nodes"},
	{"irq-range", "an interrupt beyond the GIC's SPIs"},
	{"gic-spis", "platform.spis beyond the GIC architecture's 988"},
	{"channel-node-unknown", "a channel to or from a node that does not exist"},
	{"channel-self", "a channel from a node to itself"},
	{"sgi-range", "an explicit SGI number above 15"},
	{"sgi-twice", "an explicit SGI already taken at the receiving node"},
	{"sgi-exhausted", "no SGI number left at the receiving node"},
	{"sgi-target", "a receiving CPU that GICv2 cannot signal (CPU interface above 7)"},
	/* warnings of the planner */
	{"cpu-unicore", "warning: a node with more than one cpu (a unicore seL4 kernel runs on the first)"},
	{"linux-node", "a Linux node with a kernel or root task, a second Linux node, or a channel to or from one"},
	{"linux-cpu", "a Linux node's further cpu that Linux cannot start (its enable-method is not PSCI)"},
	{"linux-gic", "warning: another node's device SPI, which Linux disables when it boots"},
	{"device-disabled", "warning: a node owns a device the board's tree disables"},
	{"spi-routing", "warning: a device SPI given to a node that is not started last (seL4 routes SPIs to itself)"},
	{"name", "a manifest or pool name that is not a token of at most 31 bytes, or a pool name starting "
		 "with 'mkimg-' (mkimg's own)"},
	{"pool-no-nodes", "a shared pool without member nodes"},
	/* the board's tree (platform.c); a defect of a cpu or device no node uses is a warning */
	{"dtb-corrupt", "the board's tree is not a valid, complete device tree blob"},
	{"dtb-memory", "the board's /memory, /reserved-memory or /memreserve/ cannot be read"},
	{"dtb-cpus", "the board's /cpus: reg, MPIDR, enable-method"},
	{"dtb-psci", "the board's /psci: its method"},
	{"dtb-gic", "the board's interrupt controller: none, or one mkimg cannot use"},
	{"dtb-reg", "a 'reg' or a bus's 'ranges' that cannot be decoded"},
	{"dtb-irq", "interrupts, interrupt parents and interrupt-map that cannot be decoded"},
	/* node trees (dts-split) and a plan read as JSON */
	{"plan-json", "a plan's JSON that is not what 'mkimg plan --format json' writes"},
	{"cpu-mpidr", "a plan's cpu MPIDR that is not the board's"},
	{"pool-unknown", "a node of a plan's JSON names a pool the plan does not have"},
	{"reserved-overlap", "a node's RAM over the board's own reserved memory"},
	{"dts-cells", "a board whose #address-cells or #size-cells a node tree cannot carry"},
	/* inputs, outputs and the image (util.c, output.c, pack.c, image.c) */
	{"input-limits", "an input that is not a regular file, or larger than its kind's limit"},
	{"output-is-input", "an output that would replace one of the run's inputs"},
	{"image-input", "a kernel, root task or node tree that cannot be packed for its node"},
	{"image-overlap", "a node's kernel, tree or root task over the loader's region"},
	{"loader-room", "the loader's region too small for the image and its page tables"},
	{"console-none", "warning: no console for the loader's log"},
	{"console-unknown", "warning: a console UART the loader and the demo kernel have no driver for"},
	{"image", "an image that is not what 'mkimg pack' writes, or whose checksums fail"},
	{"fit-key", "a FIT signing key not named NAME.key, an algorithm U-Boot does not verify, or a key that does not sign"},
	{"uimage", "warning: no elfloader.uimg, as the loader's region lies above 4 GiB"},
	/* node builds (build.c) */
	{"sel4-source", "a 'build: sel4' source folder that is not a seL4 checkout"},
	{"sel4-option", "warning: an option seL4 did not take (unknown, or forced by another option)"},
	{"option-name", "a build option whose name is not a CMake variable name"},
	{NULL, NULL},
};

#define GIC_MAX_SPIS 988u

enum taken_kind { TAKEN_NODE, TAKEN_POOL, TAKEN_LOADER };

struct taken {
	struct mk_range r;
	enum taken_kind kind;
	char *what; /* "node 0 memory", "shared pool 'buf'", "loader" */
};

struct planner {
	struct plan *p;
	const struct manifest *m;
	const struct platform *pf;
	struct diags *d;
	struct taken *taken;
	size_t n_taken;
	const struct mf_node **mn; /* mn[i]: the manifest's node of p->nodes[i] */
};

/* The manifest's node a plan node was made from. */
static const struct mf_node *mf_of(const struct planner *pl, const struct plan_node *n)
{
	return pl->mn[n - pl->p->nodes];
}

/* A manifest location, naming the plan's own copy of the manifest's path. */
static struct mk_loc own_loc(const struct planner *pl, struct mk_loc loc)
{
	if (loc.file && loc.file == pl->m->path)
		loc.file = pl->p->manifest;
	return loc;
}

static const char *hex_range(char buf[48], struct mk_range r)
{
	snprintf(buf, 48, "[0x%" PRIx64 ", 0x%" PRIx64 ")", r.base, range_end(r));
	return buf;
}

static const char *overlap_check(enum taken_kind a, enum taken_kind b)
{
	if (a == TAKEN_LOADER || b == TAKEN_LOADER)
		return "loader-overlap";
	if (a == TAKEN_NODE && b == TAKEN_NODE)
		return "memory-overlap";
	if (a == TAKEN_POOL && b == TAKEN_POOL)
		return "pool-overlap";
	return "pool-in-node";
}

/* Record a placed region; an overlap with anything placed before is an
 * error located at `loc`. */
static void take(struct planner *pl, struct mk_range r, enum taken_kind kind, const struct mk_loc *loc,
		 const char *fmt_what, ...) __attribute__((format(printf, 5, 6)));
static void take(struct planner *pl, struct mk_range r, enum taken_kind kind, const struct mk_loc *loc,
		 const char *fmt_what, ...)
{
	va_list ap;
	va_start(ap, fmt_what);
	char *what = xvasprintf(fmt_what, ap);
	va_end(ap);

	for (size_t i = 0; i < pl->n_taken; i++) {
		const struct taken *t = &pl->taken[i];
		char a[48], b[48];
		if (ranges_overlap(r, t->r))
			diag_error(pl->d, loc, overlap_check(kind, t->kind), "%s %s overlaps %s %s", what,
				   hex_range(a, r), t->what, hex_range(b, t->r));
	}
	*VEC_PUSH(pl->taken, pl->n_taken) = (struct taken){r, kind, what};
}

/* Free RAM: usable minus everything taken, normalized. */
static size_t free_ram(const struct planner *pl, struct mk_range **out)
{
	struct mk_range *t = xcalloc(pl->n_taken, sizeof(*t));
	for (size_t i = 0; i < pl->n_taken; i++)
		t[i] = pl->taken[i].r;
	size_t nt = ranges_normalize(t, pl->n_taken);
	size_t n = ranges_subtract(pl->p->board.usable, pl->p->board.n_usable, t, nt, out);
	free(t);
	return n;
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* First fit (or, with `from_top`, last fit) of `size` bytes aligned to
 * `align` in free RAM. Returns 0 and sets *base, or -1 with the largest
 * aligned block that was free in *largest. */
static int fit_above(const struct planner *pl, uint64_t size, uint64_t align, bool from_top, uint64_t floor,
		     uint64_t *base, uint64_t *largest)
{
	struct mk_range *fr;
	size_t n = free_ram(pl, &fr);
	int ret = -1;
	*largest = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = from_top ? n - 1 - k : k;
		uint64_t end = range_end(fr[i]);
		uint64_t lo = align_up(fr[i].base > floor ? fr[i].base : floor, align);
		if (lo >= end || lo < fr[i].base)
			continue;
		uint64_t room = (end - lo) & ~(align - 1);
		if (room > *largest)
			*largest = room;
		if (ret == 0 || room < size)
			continue;
		*base = from_top ? ((end - size) & ~(align - 1)) : lo;
		ret = 0;
	}
	free(fr);
	return ret;
}

/* A fit that leaves the first 2 MiB of RAM alone while anything else
 * fits: firmware and QEMU put the DTB there (plan_loader). */
static int fit(const struct planner *pl, uint64_t size, uint64_t align, bool from_top, uint64_t *base,
	       uint64_t *largest)
{
	const struct plan_board *b = &pl->p->board;
	uint64_t floor = b->n_ram ? align_up(b->ram[0].base, PLAN_RAM_ALIGN) + PLAN_RAM_ALIGN : 0;
	if (fit_above(pl, size, align, from_top, floor, base, largest) == 0)
		return 0;
	return fit_above(pl, size, align, from_top, 0, base, largest);
}

static bool inside_usable(const struct plan_board *b, struct mk_range r)
{
	for (size_t i = 0; i < b->n_usable; i++)
		if (range_contains(b->usable[i], r))
			return true;
	return false;
}

/* Why `r` is not usable RAM: it overlaps a reserved range, or lies outside
 * every bank. */
static void explain_outside(struct planner *pl, const struct mk_loc *loc, const char *check, const char *what,
			    struct mk_range r)
{
	char a[48], b[48];
	for (size_t i = 0; i < pl->pf->n_reserved; i++)
		if (ranges_overlap(r, pl->pf->reserved[i])) {
			diag_error(pl->d, loc, check, "%s %s overlaps the board's reserved memory %s in '%s'",
				   what, hex_range(a, r), hex_range(b, pl->pf->reserved[i]), pl->pf->path);
			return;
		}
	if (pl->m->n_board_mem)
		diag_error(pl->d, loc, check, "%s %s is outside the board's RAM (see the platform's 'memory')", what,
			   hex_range(a, r));
	else
		diag_error(pl->d, loc, check, "%s %s is outside the board's RAM (see /memory in '%s')", what,
			   hex_range(a, r), pl->pf->path);
}

static bool check_region(struct planner *pl, const struct mf_region *reg, const char *what, uint64_t align,
			 const char *align_check, const char *outside_check, struct mk_range *out)
{
	uint64_t base = reg->base.v, size = reg->size.v;
	char s[32];
	if (size == 0) {
		diag_error(pl->d, &reg->size.loc, "memory-size", "%s has size 0", what);
		return false;
	}
	if (base + size < base) {
		diag_error(pl->d, &reg->size.loc, "memory-size",
			   "%s base 0x%" PRIx64 " + size 0x%" PRIx64 " is beyond 64 bits", what, base, size);
		return false;
	}
	bool ok = true;
	if (base & (align - 1)) {
		diag_error(pl->d, &reg->base.loc, align_check, "%s base 0x%" PRIx64 " is not aligned to %s", what,
			   base, fmt_size(s, align));
		ok = false;
	}
	if (size & (align - 1)) {
		diag_error(pl->d, &reg->size.loc, align_check, "%s size 0x%" PRIx64 " is not a multiple of %s",
			   what, size, fmt_size(s, align));
		ok = false;
	}
	*out = (struct mk_range){base, size};
	if (!inside_usable(&pl->p->board, *out)) {
		explain_outside(pl, &reg->loc, outside_check, what, *out);
		ok = false;
	}
	return ok;
}

int plan_cmp_node(const void *a, const void *b)
{
	const struct plan_node *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_irq(const void *a, const void *b)
{
	const struct plan_irq *x = a, *y = b;
	if (x->irq != y->irq)
		return x->irq < y->irq ? -1 : 1;
	return strcmp(x->device, y->device);
}

int plan_cmp_sgi(const void *a, const void *b)
{
	const struct plan_sgi *x = a, *y = b;
	if (x->sgi != y->sgi)
		return x->sgi < y->sgi ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

static struct plan_node *node_by_id(struct plan *p, uint64_t id)
{
	for (size_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].id == id)
			return &p->nodes[i];
	return NULL;
}

const struct plan_node *plan_node_by_id(const struct plan *p, unsigned id)
{
	return node_by_id((struct plan *)p, id);
}

const struct plan_node *plan_linux_node(const struct plan *p)
{
	for (size_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].os == PLAN_OS_LINUX)
			return &p->nodes[i];
	return NULL;
}

static void plan_nodes(struct planner *pl)
{
	struct plan *p = pl->p;
	p->nodes = xcalloc(pl->m->n_nodes, sizeof(*p->nodes));
	for (size_t i = 0; i < pl->m->n_nodes; i++) {
		const struct mf_node *mn = &pl->m->nodes[i];
		if (mn->id.v > UINT32_MAX) {
			diag_error(pl->d, &mn->id.loc, "number", "node id %" PRIu64 " is too large", mn->id.v);
			continue;
		}
		struct plan_node *dup = node_by_id(p, mn->id.v);
		if (dup) {
			diag_error(pl->d, &mn->id.loc, "node-duplicate", "node id %" PRIu64 " given twice (first at line %u)",
				   mn->id.v, dup->loc.line);
			continue;
		}
		struct plan_node *n = &p->nodes[p->n_nodes++];
		n->id = (unsigned)mn->id.v;
		n->loc = own_loc(pl, mn->loc);
	}
	sort(p->nodes, p->n_nodes, sizeof(*p->nodes), plan_cmp_node);
	/* a node id's first manifest node is the one planned */
	pl->mn = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*pl->mn));
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t j = pl->m->n_nodes; j-- > 0;)
			if (pl->m->nodes[j].id.v == p->nodes[i].id)
				pl->mn[i] = &pl->m->nodes[j];
}

static void plan_cpus(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct platform *pf = pl->pf;
	const struct plan_node **owner = xcalloc(pf->n_cpus, sizeof(*owner));

	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		const struct mf_node *mn = mf_of(pl, n);
		if (mn->cpus_set && mn->n_cpus == 0)
			diag_error(pl->d, &mn->loc, "cpu-none", "node %u has an empty 'cpus' list", n->id);
		for (size_t j = 0; j < mn->n_cpus; j++) {
			const struct mf_u64 *c = &mn->cpus[j];
			if (c->v >= pf->n_cpus) {
				diag_error(pl->d, &c->loc, "cpu-range", "node %u: cpu %" PRIu64 " does not exist; '%s' has %zu cpus (0..%zu)",
					   n->id, c->v, pf->path, pf->n_cpus, pf->n_cpus - 1);
				continue;
			}
			if (owner[c->v]) {
				if (owner[c->v] == n)
					diag_error(pl->d, &c->loc, "cpu-twice", "node %u lists cpu %" PRIu64 " twice", n->id, c->v);
				else
					diag_error(pl->d, &c->loc, "cpu-twice", "cpu %" PRIu64 " is given to node %u and node %u",
						   c->v, owner[c->v]->id, n->id);
				continue;
			}
			owner[c->v] = n;
			const struct pf_cpu *pc = &pf->cpus[c->v];
			if (pc->status)
				diag_error(pl->d, &c->loc, "cpu-disabled", "node %u: cpu %" PRIu64 " ('%s') has status \"%s\" "
					   "in '%s'; give the node another cpu", n->id, c->v, pc->path, pc->status, pf->path);
			*VEC_PUSH(n->cpus, n->n_cpus) = (struct plan_cpu){pc->index, pc->mpidr, (enum plan_enable)pc->enable};
		}
	}
	/* Nodes without a `cpus` key get the lowest CPU nobody asked for. */
	size_t next = 0;
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		if (mf_of(pl, n)->cpus_set)
			continue;
		while (next < pf->n_cpus && (owner[next] || pf->cpus[next].status))
			next++; /* taken, or disabled in the tree */
		if (next == pf->n_cpus) {
			diag_error(pl->d, &n->loc, "cpu-none", "no cpu left for node %u: '%s' has %zu cpus and every one is taken",
				   n->id, pf->path, pf->n_cpus);
			continue;
		}
		owner[next] = n;
		const struct pf_cpu *pc = &pf->cpus[next];
		*VEC_PUSH(n->cpus, n->n_cpus) = (struct plan_cpu){pc->index, pc->mpidr, (enum plan_enable)pc->enable};
	}
	/* The loader runs on cpu 0 and must start every other cpu a node runs on. */
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		if (n->n_cpus > 1 && n->os != PLAN_OS_LINUX)
			diag_warn(pl->d, &n->loc, "cpu-unicore", "node %u has %zu cpus; a unicore seL4 kernel runs on the first, cpu %u, only",
				  n->id, n->n_cpus, n->cpus[0].index);
		/* Linux starts the rest itself, with PSCI CPU_ON */
		for (size_t j = 1; n->os == PLAN_OS_LINUX && j < n->n_cpus; j++) {
			const struct pf_cpu *pc = &pf->cpus[n->cpus[j].index];
			if (pc->enable != PF_ENABLE_PSCI || p->board.psci == PLAN_PSCI_NONE)
				diag_error(pl->d, &n->loc, "linux-cpu", "node %u runs Linux, which starts its cpu %u (%s) with "
					   "PSCI, but %s; give the node only cpus with enable-method \"psci\"", n->id,
					   n->cpus[j].index, pc->path, pc->enable != PF_ENABLE_PSCI ? "its enable-method is not "
					   "\"psci\"" : "the board has no usable /psci node");
		}
		if (n->n_cpus == 0 || n->cpus[0].index == 0)
			continue;
		const struct pf_cpu *pc = &pf->cpus[n->cpus[0].index];
		if (pc->enable == PF_ENABLE_NONE)
			diag_error(pl->d, &n->loc, "cpu-enable", "node %u: '%s' %s has no enable-method, so the loader cannot start it",
				   n->id, pf->path, pc->path);
		else if (pc->enable == PF_ENABLE_PSCI && p->board.psci == PLAN_PSCI_NONE)
			diag_error(pl->d, &n->loc, "cpu-enable", "node %u: %s is started with PSCI, but '%s' has no usable /psci node (none, or its method is neither \"smc\" nor \"hvc\")",
				   n->id, pc->path, pf->path);
	}
	free(owner);
}

/* First fit for a size-only pool of `size` bytes (a multiple of 4 KiB): 2 MiB
 * aligned from 2 MiB up, else page aligned. */
static void place_pool(struct planner *pl, struct plan_pool *pp, uint64_t size, const struct mk_loc *loc)
{
	uint64_t align = size >= PLAN_RAM_ALIGN ? PLAN_RAM_ALIGN : PLAN_POOL_ALIGN, base, largest;
	char s1[32], s2[32];
	if (fit(pl, size, align, false, &base, &largest) < 0) {
		diag_error(pl->d, loc, "memory-exhausted",
			   "not enough RAM for %sshared pool '%s': %s asked, the largest free block left is %s",
			   plan_pool_is_own(pp) ? "mkimg's own " : "", pp->name, fmt_size(s1, size), fmt_size(s2, largest));
		pp->r = (struct mk_range){0, 0}; /* unplaced, as a manifest pool that failed */
		return;
	}
	pp->r = (struct mk_range){base, size};
	take(pl, pp->r, TAKEN_POOL, loc, "shared pool '%s'", pp->name);
}

/* 2. The loader's region, after the explicit regions and before every
 * size-only one, so that it lies where boot loaders put a kernel and away
 * from where they put themselves: U-Boot relocates itself to the top of RAM,
 * arm64 kernels go 2 MiB into it. The default region is the first free
 * 2 MiB-aligned block at or above the first RAM bank's start + 2 MiB (fit()
 * leaves the first 2 MiB to what firmware and QEMU put there, such as the
 * DTB), clear of the bootloader's own region when the manifest names it; its
 * default size is 1/16 of the usable RAM, between 16 and 128 MiB. */
static void plan_loader(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct manifest *m = pl->m;
	char s1[32], s2[32], r1[48], r2[48];
	struct mk_range boot = {0, 0};
	if (m->n_bootloader) {
		const struct mf_region *b = &m->bootloader[0];
		boot = (struct mk_range){b->base.v, b->size.v};
		if (!b->size.v || range_end(boot) < boot.base) {
			diag_error(pl->d, &b->loc, "memory-size", "the bootloader's region %s is empty or wraps around the "
				   "top of the address space", hex_range(r1, boot));
			boot.size = 0;
		}
	}
	uint64_t usable = 0;
	for (size_t i = 0; i < p->board.n_usable; i++)
		usable += p->board.usable[i].size;
	uint64_t size = (usable / 16) & ~(PLAN_RAM_ALIGN - 1);
	size = size < PLAN_LOADER_SIZE ? PLAN_LOADER_SIZE : size > PLAN_LOADER_SIZE_MAX ? PLAN_LOADER_SIZE_MAX : size;
	if (m->loader_size.set)
		size = m->loader_size.v;
	const struct mk_loc *loc = m->loader_size.set ? &m->loader_size.loc : &m->loc;
	if (m->loader_base.set) {
		struct mf_region reg = {m->loader_base, {size, true, m->loader_size.set ? m->loader_size.loc : m->loader_loc},
					m->loader_loc};
		if (check_region(pl, &reg, "loader", PLAN_RAM_ALIGN, "memory-align", "loader-outside-ram", &p->loader))
			take(pl, p->loader, TAKEN_LOADER, &m->loader_loc, "loader");
	} else if (size == 0 || size & (PLAN_RAM_ALIGN - 1)) {
		diag_error(pl->d, loc, "memory-align", "loader size 0x%" PRIx64 " is not a non-zero multiple of 2 MiB", size);
	} else {
		/* the bootloader's region, taken only while the loader is placed */
		size_t n_taken = pl->n_taken;
		if (boot.size)
			*VEC_PUSH(pl->taken, pl->n_taken) = (struct taken){boot, TAKEN_LOADER, NULL};
		uint64_t base, largest;
		int r = fit(pl, size, PLAN_RAM_ALIGN, false, &base, &largest);
		pl->n_taken = n_taken;
		if (r < 0)
			diag_error(pl->d, loc, "loader-no-room",
				   "no room for the loader's %s outside every node and pool%s: the largest free block left "
				   "is %s; give the nodes less memory or set 'loader: {size: ...}'",
				   fmt_size(s1, size), boot.size ? " and the bootloader's region" : "", fmt_size(s2, largest));
		else {
			p->loader = (struct mk_range){base, size};
			take(pl, p->loader, TAKEN_LOADER, loc, "loader");
		}
	}
	if (boot.size && p->loader.size && ranges_overlap(p->loader, boot))
		diag_error(pl->d, &m->bootloader[0].loc, "loader-bootloader",
			   "the loader's region %s overlaps the bootloader's own region %s: the bootloader would "
			   "overwrite itself copying the image there; give the loader a base outside it",
			   hex_range(r1, p->loader), hex_range(r2, boot));
}

static void plan_memory(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct manifest *m = pl->m;

	/* 1. explicit node regions and pools */
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		const struct mf_node *mn = mf_of(pl, n);
		for (size_t j = 0; j < mn->n_mem; j++) {
			struct mk_range r;
			char what[48];
			snprintf(what, sizeof(what), "node %u memory", n->id);
			if (!check_region(pl, &mn->mem[j], what, PLAN_RAM_ALIGN, "memory-align", "memory-outside-ram", &r))
				continue;
			take(pl, r, TAKEN_NODE, &mn->mem[j].loc, "node %u memory", n->id);
			*VEC_PUSH(n->memory, n->n_memory) = r;
		}
	}
	for (size_t i = 0; i < m->n_pools; i++) {
		struct plan_pool *pp = &p->pools[i];
		const struct mf_pool *mp = &m->pools[i]; /* pools are still in manifest order */
		if (!mp->base.set)
			continue;
		struct mf_region reg = {mp->base, mp->size, mp->loc};
		char what[160];
		snprintf(what, sizeof(what), "shared pool '%s'", pp->name);
		if (check_region(pl, &reg, what, PLAN_POOL_ALIGN, "pool-align", "pool-outside-ram", &pp->r))
			take(pl, pp->r, TAKEN_POOL, &mp->loc, "shared pool '%s'", pp->name);
	}
	plan_loader(pl);

	/* 3. size-only nodes, ascending by id, first fit from low RAM */
	char s1[32], s2[32];
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		const struct mf_u64 *sz = &mf_of(pl, n)->mem_size;
		if (!sz->set)
			continue;
		if (sz->v == 0 || sz->v & (PLAN_RAM_ALIGN - 1)) {
			diag_error(pl->d, &sz->loc, "memory-align", "node %u memory size 0x%" PRIx64 " is not a non-zero multiple of 2 MiB",
				   n->id, sz->v);
			continue;
		}
		uint64_t base, largest;
		if (fit(pl, sz->v, PLAN_RAM_ALIGN, false, &base, &largest) < 0) {
			diag_error(pl->d, &sz->loc, "memory-exhausted",
				   "not enough RAM for node %u: %s asked, the largest free block left is %s", n->id,
				   fmt_size(s1, sz->v), fmt_size(s2, largest));
			continue;
		}
		struct mk_range r = {base, sz->v};
		take(pl, r, TAKEN_NODE, &sz->loc, "node %u memory", n->id);
		*VEC_PUSH(n->memory, n->n_memory) = r;
	}

	/* 4. size-only pools in manifest order (p->pools still is), then
	 * mkimg's own sync pool, the last of p->pools */
	for (size_t i = 0; i < m->n_pools; i++) {
		struct plan_pool *pp = &p->pools[i];
		const struct mf_pool *mp = &m->pools[i];
		if (mp->base.set)
			continue;
		if (mp->size.v == 0 || mp->size.v & (PLAN_POOL_ALIGN - 1)) {
			diag_error(pl->d, &mp->size.loc, "pool-align", "shared pool '%s' size 0x%" PRIx64 " is not a non-zero multiple of 4 KiB",
				   pp->name, mp->size.v);
			continue;
		}
		place_pool(pl, pp, mp->size.v, &mp->size.loc);
	}
	if (p->n_pools > m->n_pools)
		place_pool(pl, &p->pools[m->n_pools], p->pools[m->n_pools].r.size, &m->loc);

	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		sort(n->memory, n->n_memory, sizeof(*n->memory), cmp_range);
	}
}

int plan_cmp_pool(const void *a, const void *b)
{
	return strcmp(((const struct plan_pool *)a)->name, ((const struct plan_pool *)b)->name);
}

static void plan_pools_declare(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct manifest *m = pl->m;
	p->pools = xcalloc(m->n_pools + 1, sizeof(*p->pools)); /* room for mkimg's own */
	p->n_pools = m->n_pools;
	for (size_t i = 0; i < m->n_pools; i++) {
		const struct mf_pool *mp = &m->pools[i];
		struct plan_pool *pp = &p->pools[i];
		pp->name = xstrdup(mp->name.s ? mp->name.s : "");
		pp->keep = mp->keep.v;
		pp->loc = own_loc(pl, mp->loc);
		if (plan_pool_is_own(pp))
			diag_error(pl->d, &mp->name.loc, "name", "shared pool name '%s' starts with '" PLAN_POOL_PREFIX
				   "', which is kept for mkimg's own pools (such as '" PLAN_SYNC_POOL "'): choose another name",
				   pp->name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->pools[j].name, pp->name))
				diag_error(pl->d, &mp->name.loc, "pool-duplicate", "shared pool '%s' declared twice (first at line %u)",
					   pp->name, p->pools[j].loc.line);
		for (size_t j = 0; j < mp->n_nodes; j++) {
			const struct mf_u64 *id = &mp->nodes[j];
			if (!node_by_id(p, id->v)) {
				diag_error(pl->d, &id->loc, "pool-node-unknown", "shared pool '%s' lists node %" PRIu64 ", which does not exist",
					   pp->name, id->v);
				continue;
			}
			bool twice = false;
			for (size_t k = 0; k < pp->n_nodes; k++)
				twice |= pp->nodes[k] == id->v;
			if (twice) {
				diag_error(pl->d, &id->loc, "pool-node-twice", "shared pool '%s' lists node %" PRIu64 " twice",
					   pp->name, id->v);
				continue;
			}
			*VEC_PUSH(pp->nodes, pp->n_nodes) = (unsigned)id->v;
		}
		sort(pp->nodes, pp->n_nodes, sizeof(*pp->nodes), cmp_uint);
	}
}

bool plan_pool_is_own(const struct plan_pool *pp)
{
	return !strncmp(pp->name, PLAN_POOL_PREFIX, strlen(PLAN_POOL_PREFIX));
}

/* With two or more nodes, mkimg's own pool of every node (plan.h): a slot of
 * PLAN_SYNC_SLOT bytes per node, the size rounded up to a page. Declared
 * after the manifest's pools, placed with their size-only ones. */
static void plan_pool_sync(struct planner *pl)
{
	struct plan *p = pl->p;
	if (p->n_nodes < 2)
		return;
	struct plan_pool *pp = &p->pools[p->n_pools++]; /* plan_pools_declare() left room */
	*pp = (struct plan_pool){.name = xstrdup(PLAN_SYNC_POOL), .loc = own_loc(pl, pl->m->loc)};
	pp->r.size = align_up(PLAN_SYNC_SLOT * (uint64_t)p->n_nodes, PLAN_POOL_ALIGN);
	pp->nodes = xcalloc(p->n_nodes, sizeof(*pp->nodes));
	for (size_t i = 0; i < p->n_nodes; i++)
		pp->nodes[pp->n_nodes++] = p->nodes[i].id; /* ascending: nodes are sorted by id */
}

/* After placement: sort pools by name and give each node its pool list
 * and its reserved ranges. */
static void plan_pools_finish(struct planner *pl)
{
	struct plan *p = pl->p;
	sort(p->pools, p->n_pools, sizeof(*p->pools), plan_cmp_pool);
	struct mk_range *pools = xcalloc(p->n_pools, sizeof(*pools));
	for (size_t i = 0; i < p->n_pools; i++) {
		pools[i] = p->pools[i].r;
		for (size_t j = 0; j < p->pools[i].n_nodes; j++) {
			struct plan_node *n = node_by_id(p, p->pools[i].nodes[j]);
			*VEC_PUSH(n->pools, n->n_pools) = i;
		}
	}
	size_t npools = ranges_normalize(pools, p->n_pools);
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		struct mk_range *not_mine;
		if (n->n_pools > PLAN_NODE_POOLS_MAX)
			diag_error(pl->d, &n->loc, "node-pools", "node %u is a member of %zu shared pools%s, more than the "
				   "%u a node's kernel maps", n->id, n->n_pools, p->n_nodes > 1 ? " (mkimg's own '"
				   PLAN_SYNC_POOL "' included)" : "", PLAN_NODE_POOLS_MAX);
		size_t k = ranges_subtract(p->board.ram, p->board.n_ram, n->memory, n->n_memory, &not_mine);
		n->n_reserved = ranges_subtract(not_mine, k, pools, npools, &n->reserved);
		free(not_mine);
	}
	free(pools);
}

static void plan_devices(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct platform *pf = pl->pf;
	const struct manifest *m = pl->m;
	size_t ndev = pf->n_devices;
	const struct plan_node **owner = xcalloc(ndev ? ndev : 1, sizeof(*owner));
	/* spi_owner[i]: which node took SPI i, and through which device */
	const struct plan_node **spi_owner = xcalloc(GIC_MAX_SPIS, sizeof(*spi_owner));
	const char **spi_dev = xcalloc(GIC_MAX_SPIS, sizeof(*spi_dev));

	if (m->console.s) {
		const struct pf_device *c = platform_find_device(pf, m->console.s);
		if (!c)
			diag_error(pl->d, &m->console.loc, "device-unknown", "console '%s' is not a device in '%s'",
				   m->console.s, pf->path);
		else
			p->console = p->board.devices[c - pf->devices].path;
	}
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		const struct mf_node *mn = mf_of(pl, n);
		for (size_t j = 0; j < mn->n_devices; j++) {
			const struct mf_str *ds = &mn->devices[j];
			const struct pf_device *dev = platform_find_device(pf, ds->s);
			if (!dev) {
				diag_error(pl->d, &ds->loc, "device-unknown", "node %u: device '%s' is not in '%s'", n->id,
					   ds->s, pf->path);
				continue;
			}
			if (dev->essential) {
				diag_error(pl->d, &ds->loc, "device-essential",
					   "node %u: '%s' is the interrupt controller or timer, which every node keeps; remove it from 'devices'",
					   n->id, ds->s);
				continue;
			}
			if (p->console && !strcmp(p->console, dev->path)) {
				diag_error(pl->d, &ds->loc, "console-owned",
					   "node %u: '%s' is the shared console; a node cannot also own it", n->id, ds->s);
				continue;
			}
			size_t di = (size_t)(dev - pf->devices);
			const char *path = p->board.devices[di].path; /* the plan's copy */
			if (owner[di]) {
				if (owner[di] == n)
					diag_error(pl->d, &ds->loc, "device-twice", "node %u lists device '%s' twice", n->id, ds->s);
				else
					diag_error(pl->d, &ds->loc, "device-twice", "device '%s' is given to node %u and node %u",
						   ds->s, owner[di]->id, n->id);
				continue;
			}
			owner[di] = n;
			if (dev->disabled)
				diag_warn(pl->d, &ds->loc, "device-disabled", "node %u: device '%s' is disabled in '%s'", n->id, ds->s,
					  pf->path);
			*VEC_PUSH(n->devices, n->n_devices) = path;
			for (size_t k = 0; k < dev->n_irqs; k++) {
				const struct pf_irq *q = &dev->irqs[k];
				if (q->type == PF_IRQ_SPI) {
					unsigned spi = q->irq - 32;
					if (spi >= p->gic_spis) {
						diag_error(pl->d, &ds->loc, "irq-range",
							   "node %u: device '%s' uses SPI %u but the GIC has %u SPIs",
							   n->id, ds->s, spi, p->gic_spis);
						continue;
					}
					if (spi_owner[spi] && spi_owner[spi] != n) {
						diag_error(pl->d, &ds->loc, "irq-twice",
							   "node %u: interrupt %u of device '%s' is already owned by node %u through '%s'",
							   n->id, q->irq, ds->s, spi_owner[spi]->id, spi_dev[spi]);
						continue;
					}
					spi_owner[spi] = n;
					spi_dev[spi] = path;
				}
				*VEC_PUSH(n->irqs, n->n_irqs) =
					(struct plan_irq){q->irq, (enum plan_irq_type)q->type, q->flags, path};
			}
		}
		sort(n->devices, n->n_devices, sizeof(*n->devices), cmp_str);
		sort(n->irqs, n->n_irqs, sizeof(*n->irqs), cmp_irq);
	}
	free(owner);
	free(spi_owner);
	free(spi_dev);
}

static void plan_channels(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct manifest *m = pl->m;
	/* used[i]: bit s set when node i sends or receives SGI s */
	uint32_t *rx = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*rx));
	uint32_t *any = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*any));
	bool *ok = xcalloc(m->n_channels ? m->n_channels : 1, sizeof(*ok));

	p->channels = xcalloc(m->n_channels ? m->n_channels : 1, sizeof(*p->channels));
	p->n_channels = m->n_channels;
	for (size_t i = 0; i < m->n_channels; i++) {
		const struct mf_channel *c = &m->channels[i];
		struct plan_node *from = node_by_id(p, c->from.v), *to = node_by_id(p, c->to.v);
		if (!from)
			diag_error(pl->d, &c->from.loc, "channel-node-unknown", "channel from node %" PRIu64 ", which does not exist",
				   c->from.v);
		if (!to)
			diag_error(pl->d, &c->to.loc, "channel-node-unknown", "channel to node %" PRIu64 ", which does not exist",
				   c->to.v);
		if (!from || !to)
			continue;
		if (from == to) {
			diag_error(pl->d, &c->loc, "channel-self", "channel from node %u to itself", from->id);
			continue;
		}
		if (from->os == PLAN_OS_LINUX || to->os == PLAN_OS_LINUX) {
			/* Linux takes SGIs 0-7 for its own IPIs and has no
			 * interface for mkimg's channels */
			diag_error(pl->d, &c->loc, "linux-node", "channel %u -> %u: node %u runs Linux, which has no "
				   "interface for mkimg's SGI channels (and uses SGIs for itself); share a pool with it instead",
				   from->id, to->id, from->os == PLAN_OS_LINUX ? from->id : to->id);
			continue;
		}
		if (pl->pf->gic.version == 2 && to->n_cpus && to->cpus[0].index > 7) {
			diag_error(pl->d, &c->loc, "sgi-target",
				   "channel %u -> %u: node %u runs on cpu %u, but a GICv2 SGI reaches cpu interfaces 0..7 only",
				   from->id, to->id, to->id, to->cpus[0].index);
			continue;
		}
		p->channels[i] = (struct plan_sgi){0, from->id, to->id};
		ok[i] = true;
	}
	/* explicit SGI numbers first, so the automatic ones work around them */
	for (size_t i = 0; i < m->n_channels; i++) {
		const struct mf_channel *c = &m->channels[i];
		if (!ok[i] || !c->sgi.set)
			continue;
		size_t t = (size_t)(node_by_id(p, p->channels[i].to) - p->nodes);
		size_t f = (size_t)(node_by_id(p, p->channels[i].from) - p->nodes);
		if (c->sgi.v >= PLAN_SGI_COUNT) {
			diag_error(pl->d, &c->sgi.loc, "sgi-range", "sgi %" PRIu64 " is out of range (0..15)", c->sgi.v);
			ok[i] = false;
			continue;
		}
		if (rx[t] & (1u << c->sgi.v)) {
			diag_error(pl->d, &c->sgi.loc, "sgi-twice", "sgi %" PRIu64 " is already received by node %u",
				   c->sgi.v, p->channels[i].to);
			ok[i] = false;
			continue;
		}
		p->channels[i].sgi = (unsigned)c->sgi.v;
		rx[t] |= 1u << c->sgi.v;
		any[t] |= 1u << c->sgi.v;
		any[f] |= 1u << c->sgi.v;
	}
	/* The receiver tells channels apart by SGI number, so an SGI must be
	 * unique among what a node receives; where possible it is also unique
	 * among everything either end uses, which keeps each node's table
	 * unambiguous to read. */
	for (size_t i = 0; i < m->n_channels; i++) {
		const struct mf_channel *c = &m->channels[i];
		if (!ok[i] || c->sgi.set)
			continue;
		size_t t = (size_t)(node_by_id(p, p->channels[i].to) - p->nodes);
		size_t f = (size_t)(node_by_id(p, p->channels[i].from) - p->nodes);
		unsigned s, pick = PLAN_SGI_COUNT;
		for (s = 0; s < PLAN_SGI_COUNT && pick == PLAN_SGI_COUNT; s++)
			if (!((any[t] | any[f]) & (1u << s)))
				pick = s;
		for (s = 0; s < PLAN_SGI_COUNT && pick == PLAN_SGI_COUNT; s++)
			if (!(rx[t] & (1u << s)))
				pick = s;
		if (pick == PLAN_SGI_COUNT) {
			diag_error(pl->d, &c->loc, "sgi-exhausted",
				   "no SGI left for channel %u -> %u: node %u already receives all 16", p->channels[i].from,
				   p->channels[i].to, p->channels[i].to);
			ok[i] = false;
			continue;
		}
		p->channels[i].sgi = pick;
		rx[t] |= 1u << pick;
		any[t] |= 1u << pick;
		any[f] |= 1u << pick;
	}
	for (size_t i = 0; i < m->n_channels; i++) {
		if (!ok[i])
			continue;
		struct plan_node *from = node_by_id(p, p->channels[i].from), *to = node_by_id(p, p->channels[i].to);
		*VEC_PUSH(from->sgis, from->n_sgis) = p->channels[i];
		*VEC_PUSH(to->sgis, to->n_sgis) = p->channels[i];
	}
	for (size_t i = 0; i < p->n_nodes; i++)
		sort(p->nodes[i].sgis, p->nodes[i].n_sgis, sizeof(*p->nodes[i].sgis), plan_cmp_sgi);
	free(rx);
	free(any);
	free(ok);
}

/* The loader runs on cpu 0: it starts every other node first, in id order,
 * and enters the node that owns cpu 0 (if any) last, on its own core. */
static void plan_boot_order(struct plan *p)
{
	p->boot_order = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*p->boot_order));
	const struct plan_node *primary = NULL;
	for (size_t i = 0; i < p->n_nodes; i++) {
		if (p->nodes[i].n_cpus && p->nodes[i].cpus[0].index == 0) {
			primary = &p->nodes[i];
			continue;
		}
		p->nodes[i].boot_index = (unsigned)p->n_boot;
		p->boot_order[p->n_boot++] = p->nodes[i].id;
	}
	if (primary) {
		p->nodes[primary - p->nodes].boot_index = (unsigned)p->n_boot;
		p->boot_order[p->n_boot++] = primary->id;
	}
}

/* An unmodified seL4 kernel, when it starts, disables every SPI at the
 * shared distributor and routes them all to its own core (gic_v2.c and
 * gic_v3.c, dist_init), and a unicore seL4 has no call to route one
 * elsewhere (IRQControl_GetTriggerCore needs SMP). So a device interrupt
 * reaches only the kernel started last: warn for every other node that
 * owns one. */
static void plan_spi_routing(struct planner *pl)
{
	const struct plan *p = pl->p;
	if (!p->n_boot)
		return;
	unsigned last = p->boot_order[p->n_boot - 1];
	/* Linux's GIC driver does the same, but a second or so after it is
	 * entered, so after every seL4 kernel has started: it takes every SPI */
	const struct plan_node *lx = plan_linux_node(p);
	if (lx)
		last = lx->id;
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		if (n->id == last)
			continue;
		const struct mf_node *mn = mf_of(pl, n);
		for (size_t j = 0; j < mn->n_devices; j++) {
			const struct mf_str *ds = &mn->devices[j];
			const struct pf_device *dev = platform_find_device(pl->pf, ds->s);
			size_t k = 0;
			while (dev && k < dev->n_irqs && dev->irqs[k].type != PF_IRQ_SPI)
				k++;
			if (!dev || k == dev->n_irqs)
				continue;
			if (lx)
				diag_warn(pl->d, &ds->loc, "linux-gic",
					  "node %u: device '%s' interrupts with SPI %u, but node %u's Linux disables every SPI "
					  "and routes them to its own cpu when it boots, after the other kernels started: the "
					  "interrupt would never reach node %u (give the device to node %u)",
					  n->id, ds->s, dev->irqs[k].irq - 32, last, n->id, last);
			else
				diag_warn(pl->d, &ds->loc, "spi-routing",
					  "node %u: device '%s' interrupts with SPI %u, but an unmodified seL4 kernel routes "
					  "every SPI to its own core when it starts, and node %u's kernel starts last: the "
					  "interrupt would reach node %u, not node %u (give the device to node %u)",
					  n->id, ds->s, dev->irqs[k].irq - 32, last, last, n->id, last);
		}
	}
}

/* ------------------------------------------------------------ the plan's own copies */

static void *dup_array(const void *v, size_t n, size_t size)
{
	if (!n)
		return NULL;
	void *x = xcalloc(n, size);
	memcpy(x, v, n * size);
	return x;
}

static char *dup_str(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void plan_board_copy(struct plan_board *b, const struct platform *pf)
{
	*b = (struct plan_board){0};
	b->path = dup_str(pf->path);
	b->model = dup_str(pf->model);
	b->no_ram = dup_str(pf->no_ram);
	b->ram = dup_array(pf->ram, pf->n_ram, sizeof(*pf->ram));
	b->n_ram = pf->n_ram;
	b->reserved = dup_array(pf->reserved, pf->n_reserved, sizeof(*pf->reserved));
	b->n_reserved = pf->n_reserved;
	b->usable = dup_array(pf->usable, pf->n_usable, sizeof(*pf->usable));
	b->n_usable = pf->n_usable;
	b->cpus = xcalloc(pf->n_cpus ? pf->n_cpus : 1, sizeof(*b->cpus));
	b->n_cpus = pf->n_cpus;
	for (size_t i = 0; i < pf->n_cpus; i++) {
		const struct pf_cpu *c = &pf->cpus[i];
		b->cpus[i] = (struct plan_board_cpu){c->index, c->mpidr, dup_str(c->path), (enum plan_enable)c->enable,
						     c->release_addr, dup_str(c->problem)};
	}
	b->psci = (enum plan_psci)pf->psci;
	b->gic_version = pf->gic.version;
	b->devices = xcalloc(pf->n_devices ? pf->n_devices : 1, sizeof(*b->devices));
	b->n_devices = pf->n_devices;
	for (size_t i = 0; i < pf->n_devices; i++) {
		const struct pf_device *x = &pf->devices[i];
		struct plan_device *y = &b->devices[i];
		y->path = dup_str(x->path);
		y->compatible = dup_str(x->compatible);
		y->regs = dup_array(x->regs, x->n_regs, sizeof(*x->regs));
		y->n_regs = x->n_regs;
		y->irqs = xcalloc(x->n_irqs ? x->n_irqs : 1, sizeof(*y->irqs));
		y->n_irqs = x->n_irqs;
		for (size_t k = 0; k < x->n_irqs; k++)
			y->irqs[k] = (struct plan_irq){x->irqs[k].irq, (enum plan_irq_type)x->irqs[k].type,
						       x->irqs[k].flags, y->path};
		y->disabled = x->disabled;
		y->essential = x->essential;
		y->problem = dup_str(x->problem);
	}
	b->fdt = dup_array(pf->fdt, pf->fdt ? pf->fdt_size : 0, 1);
	b->fdt_size = b->fdt ? pf->fdt_size : 0;
}

void plan_check_board_use(const struct plan *p, struct diags *d)
{
	const struct plan_board *b = &p->board;
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		for (size_t j = 0; j < n->n_cpus; j++) {
			const struct plan_board_cpu *c = n->cpus[j].index < b->n_cpus ? &b->cpus[n->cpus[j].index] : NULL;
			if (c && c->problem)
				diag_error(d, &n->loc, "cpu-broken", "node %u runs on cpu %u, which '%s' describes wrongly at "
					   "'%s': %s", n->id, c->index, b->path, c->path, c->problem);
		}
		for (size_t j = 0; j < n->n_devices; j++) {
			const struct plan_device *x = plan_find_device(b, n->devices[j]);
			if (x && x->problem)
				diag_error(d, &n->loc, "device-broken", "node %u owns '%s', which '%s' describes wrongly: %s",
					   n->id, x->path, b->path, x->problem);
		}
	}
	/* A device and one inside it belong to one node: the other node's tree
	 * would keep the outer one enabled for the inner one's sake. */
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t k = 0; k < p->n_nodes; k++) {
			const struct plan_node *a = &p->nodes[i], *c = &p->nodes[k];
			for (size_t x = 0; i != k && x < a->n_devices; x++)
				for (size_t y = 0; y < c->n_devices; y++) {
					size_t len = strlen(a->devices[x]);
					if (!strncmp(c->devices[y], a->devices[x], len) && c->devices[y][len] == '/')
						diag_error(d, &c->loc, "device-nested", "node %u owns '%s', inside '%s', which "
							   "node %u owns: give both to one node", c->id, c->devices[y],
							   a->devices[x], a->id);
				}
		}
}

void plan_board_free(struct plan_board *b)
{
	free(b->no_ram);
	for (size_t i = 0; i < b->n_cpus; i++)
		free(b->cpus[i].path), free(b->cpus[i].problem);
	for (size_t i = 0; i < b->n_devices; i++) {
		free(b->devices[i].problem);
		free(b->devices[i].path);
		free(b->devices[i].compatible);
		free(b->devices[i].regs);
		free(b->devices[i].irqs);
	}
	free(b->path), free(b->file), free(b->model);
	free(b->ram), free(b->reserved), free(b->usable);
	free(b->cpus), free(b->devices), free(b->fdt);
	*b = (struct plan_board){0};
}

const struct plan_device *plan_find_device(const struct plan_board *b, const char *path)
{
	for (size_t i = 0; b && path && i < b->n_devices; i++)
		if (!strcmp(b->devices[i].path, path))
			return &b->devices[i];
	return NULL;
}

const char *plan_psci_name(enum plan_psci m)
{
	return m == PLAN_PSCI_SMC ? "smc" : m == PLAN_PSCI_HVC ? "hvc" : "none";
}

const char *plan_enable_name(enum plan_enable e)
{
	return e == PLAN_ENABLE_PSCI ? "psci" : e == PLAN_ENABLE_SPIN_TABLE ? "spin-table" : "none";
}

/* A path as the manifest wrote it: the reader joined it to the manifest's
 * folder, so take that prefix off again. */
static const char *as_written(const struct manifest *m, const char *path)
{
	size_t n = m->dir ? strlen(m->dir) : 0;
	if (path && m->dir && !strncmp(path, m->dir, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static void copy_artifact(const struct planner *pl, struct plan_artifact *a, const struct mf_artifact *x)
{
	static const enum plan_artifact_kind kind[] = {[MF_ART_NONE] = PLAN_ART_NONE, [MF_ART_FILE] = PLAN_ART_FILE,
						       [MF_ART_BUILD] = PLAN_ART_BUILD};
	*a = (struct plan_artifact){
		.kind = kind[x->kind],
		.path = dup_str(x->path.s),
		.build = dup_str(x->build.s),
		.source = dup_str(x->source.s),
		.loc = own_loc(pl, x->loc),
		.path_loc = own_loc(pl, x->path.loc),
		.build_loc = own_loc(pl, x->build.loc),
		.source_loc = own_loc(pl, x->source.loc),
	};
	a->options = xcalloc(x->n_options ? x->n_options : 1, sizeof(*a->options));
	a->n_options = x->n_options;
	for (size_t i = 0; i < x->n_options; i++)
		a->options[i] = (struct plan_option){xstrdup(x->options[i].key), xstrdup(x->options[i].value),
						     own_loc(pl, x->options[i].loc)};
}

/* A Linux node's Image and initrd as the files a node's kernel and root
 * task are; at most one node runs Linux. */
static void plan_node_os(struct planner *pl, struct plan_node *n, const struct mf_node *mn)
{
	const struct mf_linux *lx = &mn->linux_os;
	if (!lx->set) {
		copy_artifact(pl, &n->kernel, &mn->kernel);
		copy_artifact(pl, &n->root_task, &mn->root_task);
		return;
	}
	n->os = PLAN_OS_LINUX;
	n->bootargs = dup_str(lx->bootargs.s);
	struct mf_artifact image = {.kind = MF_ART_FILE, .path = lx->image, .loc = lx->loc};
	struct mf_artifact initrd = {.kind = lx->initrd.s ? MF_ART_FILE : MF_ART_NONE, .path = lx->initrd, .loc = lx->loc};
	copy_artifact(pl, &n->kernel, &image);
	copy_artifact(pl, &n->root_task, &initrd);
	const struct plan_node *first = plan_linux_node(pl->p); /* of the nodes so far */
	if (first != n)
		diag_error(pl->d, &lx->loc, "linux-node", "node %u runs Linux, and so does node %u: only one node "
			   "may, as each Linux resets the shared GIC distributor and takes every SPI when it boots",
			   n->id, first->id);
}

static void artifact_free(struct plan_artifact *a)
{
	for (size_t i = 0; i < a->n_options; i++) {
		free(a->options[i].key);
		free(a->options[i].value);
	}
	free(a->options);
	free(a->path), free(a->build), free(a->source);
	*a = (struct plan_artifact){0};
}

/* What the stages need of the manifest and the board, copied. */
/* The board's RAM: the manifest's platform 'memory' when given (checked:
 * no wrap, no overlap, clear of every device's registers), else the tree's
 * /memory; the usable RAM is that minus the tree's reserved ranges. */
static void plan_board_ram(struct planner *pl)
{
	struct plan_board *b = &pl->p->board;
	const struct manifest *m = pl->m;
	char r1[48], r2[48];
	if (!m->n_board_mem) {
		if (!b->n_ram)
			diag_error(pl->d, m->dtb.s ? &m->dtb.loc : &m->dts.loc, "board-memory",
				   "the board's tree '%s' states no RAM (%s), as boot loaders fill /memory in at boot: "
				   "give it under 'platform:', e.g. 'memory: [{base: 0x40000000, size: 2G}]'", b->file,
				   b->no_ram ? b->no_ram : "no /memory");
		return;
	}
	struct mk_range *ram = xcalloc(m->n_board_mem, sizeof(*ram));
	size_t n = 0;
	for (size_t i = 0; i < m->n_board_mem; i++) {
		const struct mf_region *r = &m->board_mem[i];
		struct mk_range x = {r->base.v, r->size.v};
		if (!r->base.set || !r->size.set)
			continue;
		if (!x.size || range_end(x) < x.base) {
			diag_error(pl->d, &r->loc, "board-memory", "the board's RAM region %s is empty or wraps around the "
				   "top of the address space", hex_range(r1, x));
			continue;
		}
		bool bad = false;
		for (size_t k = 0; k < n && !bad; k++)
			if ((bad = ranges_overlap(x, ram[k])))
				diag_error(pl->d, &r->loc, "board-memory", "the board's RAM region %s overlaps %s",
					   hex_range(r1, x), hex_range(r2, ram[k]));
		for (size_t k = 0; k < b->n_devices && !bad; k++)
			for (size_t j = 0; j < b->devices[k].n_regs && !bad; j++)
				if ((bad = ranges_overlap(x, b->devices[k].regs[j])))
					diag_error(pl->d, &r->loc, "board-memory", "the board's RAM region %s overlaps the "
						   "registers %s of '%s'", hex_range(r1, x),
						   hex_range(r2, b->devices[k].regs[j]), b->devices[k].path);
		if (!bad)
			ram[n++] = x;
	}
	free(b->ram), free(b->usable);
	b->n_ram = ranges_normalize(ram, n);
	b->ram = ram;
	b->n_usable = ranges_subtract(b->ram, b->n_ram, b->reserved, b->n_reserved, &b->usable);
}

static void plan_copies(struct planner *pl)
{
	struct plan *p = pl->p;
	const struct manifest *m = pl->m;
	p->manifest = dup_str(m->path);
	p->manifest_dir = dup_str(m->dir);
	p->name = xstrdup(m->name.s ? m->name.s : "");
	p->fit_key = dup_str(m->fit_key.s);
	p->fit_algo = m->fit_key.s ? xstrdup(m->fit_algo.s ? m->fit_algo.s : "sha256,rsa2048") : NULL;
	p->fit_key_loc = own_loc(pl, m->fit_key.loc);
	plan_board_copy(&p->board, pl->pf);
	p->board.dtb = m->dtb.s != NULL;
	p->board.file = dup_str(as_written(m, m->dtb.s ? m->dtb.s : m->dts.s));
	plan_board_ram(pl);
	/* the PSCI conduit the firmware adds at boot, where the tree has none */
	if (m->psci.s && p->board.psci == PLAN_PSCI_NONE)
		p->board.psci = !strcmp(m->psci.s, "smc") ? PLAN_PSCI_SMC : PLAN_PSCI_HVC;
	else if (m->psci.s && p->board.psci != (strcmp(m->psci.s, "smc") ? PLAN_PSCI_HVC : PLAN_PSCI_SMC))
		diag_error(pl->d, &m->psci.loc, "board-psci", "the platform's 'psci' is \"%s\", but '%s' says \"%s\"",
			   m->psci.s, p->board.path, plan_psci_name(p->board.psci));
}

int plan_build(struct plan *p, const struct manifest *m, const struct platform *pf, struct diags *d)
{
	unsigned errors = d->errors;
	struct planner pl = {p, m, pf, d, NULL, 0, NULL};

	*p = (struct plan){0};
	plan_copies(&pl);
	if (!p->board.n_ram) /* said by plan_board_ram(); the rest would only follow from it */
		return -1;
	p->gic_spis = GIC_MAX_SPIS;
	if (m->gic_spis.set) {
		if (m->gic_spis.v > GIC_MAX_SPIS)
			diag_error(d, &m->gic_spis.loc, "gic-spis", "platform.spis %" PRIu64 " is beyond the GIC's %u",
				   m->gic_spis.v, GIC_MAX_SPIS);
		else
			p->gic_spis = (unsigned)m->gic_spis.v;
	}

	plan_nodes(&pl);
	for (size_t i = 0; i < p->n_nodes; i++)
		plan_node_os(&pl, &p->nodes[i], pl.mn[i]);
	plan_cpus(&pl);
	plan_pools_declare(&pl);
	plan_pool_sync(&pl);
	plan_memory(&pl);
	plan_pools_finish(&pl);
	plan_devices(&pl);
	plan_channels(&pl);
	plan_boot_order(p);
	plan_check_board_use(p, d);
	if (d->errors == errors)
		plan_spi_routing(&pl);

	for (size_t i = 0; i < pl.n_taken; i++)
		free(pl.taken[i].what);
	free(pl.taken);
	free(pl.mn);
	return d->errors > errors ? -1 : 0;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n_pools; i++) {
		free(p->pools[i].name);
		free(p->pools[i].nodes);
	}
	free(p->pools);
	for (size_t i = 0; i < p->n_nodes; i++) {
		struct plan_node *n = &p->nodes[i];
		free(n->cpus);
		free(n->memory);
		free(n->reserved);
		free(n->pools);
		free(n->devices);
		free(n->irqs);
		free(n->sgis);
		artifact_free(&n->kernel);
		artifact_free(&n->root_task);
		free(n->bootargs);
	}
	free(p->nodes);
	plan_board_free(&p->board);
	free(p->manifest);
	free(p->manifest_dir);
	free(p->name);
	free(p->fit_key);
	free(p->fit_algo);
	free(p->channels);
	free(p->boot_order);
	*p = (struct plan){0};
}
