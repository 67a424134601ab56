/* SPDX-License-Identifier: BSD-2-Clause */
/* platform.c - read a board's device tree with libfdt (see platform.h).
 *
 * The blob is untrusted: its structure is checked once up front
 * (fdt_check_header, a walk of every tag, fdt_check_full), and every
 * property length is checked before a cell is read. Problems are collected,
 * not fatal one by one, so a bad tree reports all it can in one run.
 */
#include "platform.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MKIMG_DTC
#define MKIMG_DTC "dtc"
#endif

#define MAX_IRQ_HOPS 32     /* interrupt-parent jumps: more is a cycle */
#define MAX_CELLS 16        /* sanity bound on any #...-cells value */
#define MAX_DEPTH 64        /* real trees nest a handful of levels; the split recurses */
#define GIC_NR_SPI 988      /* SPI 0..987 = interrupt ids 32..1019 */
#define GIC_NR_PPI 16
#define MPIDR_AFF_MASK 0xff00ffffffull /* Aff3, Aff2, Aff1, Aff0 */

/* Every node's parent and every phandle, from one walk. libfdt finds each
 * by scanning from the root, and per device that made a 4000-node tree take
 * seconds. */
struct phandle_ent {
	uint32_t phandle;
	int node;
};

struct node_ent {
	int node, parent; /* the root's parent is -1 */
};

struct tree {
	struct node_ent *v; /* tree order, so by ascending offset */
	size_t n;
	struct phandle_ent *ph; /* by phandle, then tree order */
	size_t n_ph;
	int depth; /* of the deepest node; the root is 0 */
};

struct ctx {
	struct platform *p;
	struct tree t;
	const void *fdt;
	const char *file;
	struct diags *d;
	size_t d_start;   /* first diagnostic of this parse */
	int gic;          /* offset of the GIC node, or -1 */
	bool gic_irqs;    /* its #interrupt-cells is usable */
	bool gic_regs;    /* dist and cpuif were found */
	int psci;         /* offset of the PSCI node, or -1 */
	const char *psci_method; /* as written, when not smc/hvc */
	char **problem;   /* while a cpu or device is read: errors become warnings, the first kept here */
};

/* --- the tree index ---------------------------------------------------- */

static int phandle_cmp(const void *a, const void *b)
{
	const struct phandle_ent *x = a, *y = b;
	if (x->phandle != y->phandle)
		return x->phandle < y->phandle ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

/* Returns 0, or a libfdt error code. */
static int tree_index(struct tree *t, const void *fdt)
{
	int *stack = NULL, depth = 0, node = 0;
	size_t cap = 0;
	while (node >= 0 && depth >= 0) {
		if ((size_t)depth >= cap) {
			cap = cap ? cap * 2 : 16;
			stack = xrealloc(stack, cap * sizeof(*stack));
		}
		stack[depth] = node;
		if (depth > t->depth)
			t->depth = depth;
		*VEC_PUSH(t->v, t->n) = (struct node_ent){node, depth ? stack[depth - 1] : -1};
		uint32_t ph = fdt_get_phandle(fdt, node);
		if (ph && ph != (uint32_t)-1)
			*VEC_PUSH(t->ph, t->n_ph) = (struct phandle_ent){ph, node};
		node = fdt_next_node(fdt, node, &depth);
	}
	free(stack);
	if (t->n_ph)
		qsort(t->ph, t->n_ph, sizeof(*t->ph), phandle_cmp);
	return node < 0 && node != -FDT_ERR_NOTFOUND ? node : 0;
}

static void tree_free(struct tree *t)
{
	free(t->v);
	free(t->ph);
	*t = (struct tree){0};
}

/* The parent of `node`; -1 for the root (or an offset that is no node). */
static int parent_of(const struct ctx *c, int node)
{
	size_t lo = 0, hi = c->t.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->t.v[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->t.n && c->t.v[lo].node == node ? c->t.v[lo].parent : -1;
}

/* The node with `phandle` (the first in tree order if several), or -1. */
static int by_phandle(const struct ctx *c, uint32_t phandle)
{
	size_t lo = 0, hi = c->t.n_ph;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->t.ph[mid].phandle < phandle)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->t.n_ph && c->t.ph[lo].phandle == phandle ? c->t.ph[lo].node : -1;
}

static const char *node_name(const struct ctx *c, int node, size_t *len)
{
	int l;
	const char *name = fdt_get_name(c->fdt, node, &l);
	*len = name && l > 0 ? (size_t)l : 0;
	return name;
}

/* "/soc/serial@7e201000": the names up the parent chain (parents come
 * before their children, so the chain ends). */
static char *node_path(const struct ctx *c, int node)
{
	size_t len = 0, l;
	for (int n = node; n > 0; n = parent_of(c, n)) {
		node_name(c, n, &l);
		len += 1 + l;
	}
	if (!len)
		return xstrdup("/");
	char *s = xmalloc(len + 1);
	s[len] = '\0';
	for (int n = node; n > 0; n = parent_of(c, n)) {
		const char *name = node_name(c, n, &l);
		len -= l;
		memcpy(s + len, name, l);
		s[--len] = '/';
	}
	return s;
}

/* Record a problem at `node` (-1: the file as a whole). The same message for
 * the same node is kept once: a bad bus would otherwise be named by each of
 * its children. */
static void report(struct ctx *c, enum diag_level level, int node, const char *check,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct ctx *c, enum diag_level level, int node, const char *check,
		   const char *fmt, ...)
{
	struct mk_loc loc = {.file = c->file};
	char *path = node >= 0 ? node_path(c, node) : NULL;
	loc.node = path;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->problem && level == DIAG_ERROR) {
		/* a defect of one cpu or device: only a node that uses it fails */
		level = DIAG_WARNING;
		if (!*c->problem)
			*c->problem = xstrdup(msg);
	}
	for (size_t i = c->d_start; i < c->d->n; i++) {
		const struct diag *x = &c->d->v[i];
		bool same_node = x->loc.node && path ? !strcmp(x->loc.node, path) : x->loc.node == path;
		if (same_node && !strcmp(x->msg, msg)) /* whatever its level: said once */
			goto out;
	}
	diag_add(c->d, level, &loc, check, "%s", msg);
out:
	free(msg);
	free(path);
}

#define err(c, node, check, ...) report((c), DIAG_ERROR, (node), (check), __VA_ARGS__)
#define warn(c, node, check, ...) report((c), DIAG_WARNING, (node), (check), __VA_ARGS__)

/* --- properties ------------------------------------------------------- */

/* The first string of a property, or NULL if absent or not NUL-terminated. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);
	if (!s || len <= 0 || !memchr(s, '\0', (size_t)len))
		return NULL;
	return s;
}

static bool has_prop(const void *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL) != NULL;
}

static bool is_compatible(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

static bool is_disabled(const void *fdt, int node)
{
	const char *s = prop_str(fdt, node, "status");
	return s && (!strcmp(s, "disabled") || !strncmp(s, "fail", 4));
}

/* n (1 or 2) big-endian cells as one number. */
static uint64_t cells_get(const fdt32_t *v, int n)
{
	uint64_t x = 0;
	for (int i = 0; i < n; i++)
		x = (x << 32) | fdt32_ld(&v[i]);
	return x;
}

/* A #address-cells, #size-cells or #interrupt-cells value: `dflt` if absent,
 * -1 (reported) if it is not one small cell. */
static int ncells(struct ctx *c, int node, const char *name, int dflt, const char *check)
{
	int len;
	const fdt32_t *v = fdt_getprop(c->fdt, node, name, &len);
	if (!v)
		return dflt;
	if (len != 4 || fdt32_ld(v) > MAX_CELLS) {
		err(c, node, check, "'%s' must be one cell of at most %d", name, MAX_CELLS);
		return -1;
	}
	return (int)fdt32_ld(v);
}

static bool fits64(uint64_t base, uint64_t size)
{
	return size <= UINT64_MAX - base;
}

/* Append `node`'s `reg`, decoded with ac/sc cells (both 1 or 2, checked by
 * the caller), to v/n. Returns -1 (reported) on a malformed property. */
static int reg_append(struct ctx *c, int node, int ac, int sc, const char *check,
		      struct mk_range **v, size_t *n)
{
	int len;
	const fdt32_t *reg = fdt_getprop(c->fdt, node, "reg", &len);
	if (!reg)
		return 0;
	size_t stride = (size_t)(ac + sc);
	if ((size_t)len % (stride * 4)) {
		err(c, node, check, "'reg' is %d bytes, not a multiple of %zu (#address-cells %d, #size-cells %d)",
		    len, stride * 4, ac, sc);
		return -1;
	}
	for (size_t i = 0; i < (size_t)len / (stride * 4); i++) {
		const fdt32_t *e = reg + i * stride;
		uint64_t base = cells_get(e, ac), size = cells_get(e + ac, sc);
		if (!fits64(base, size)) {
			err(c, node, check, "'reg' entry %zu (base 0x%" PRIx64 ", size 0x%" PRIx64 ") overflows 64 bits",
			    i, base, size);
			return -1;
		}
		*VEC_PUSH(*v, *n) = (struct mk_range){base, size};
	}
	return 0;
}

static bool cells_ok(int ac, int sc)
{
	return ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2;
}

/* --- the blob --------------------------------------------------------- */

/* Every tag of the structure block, walked before libfdt walks it: each
 * must move forward, and each property's value lie inside the block.
 * libfdt 1.6.1 trusts a property's length: with 0xfffffff4
 * fdt_check_full() reads the same tag forever, with 0xfffffffd
 * fdt_getprop() hands out -3 with a valid pointer (both found by the
 * fuzzer). Needs version 17's size of the block. */
static int check_tags(struct ctx *c)
{
	uint32_t size = fdt_size_dt_struct(c->fdt);
	int offset = 0, next;
	for (;;) {
		uint32_t tag = fdt_next_tag(c->fdt, offset, &next);
		if (tag == FDT_END && next < 0) {
			err(c, -1, "dtb-corrupt", "corrupt device tree: %s", fdt_strerror(next));
			return -1;
		}
		if (tag == FDT_END)
			return 0;
		const struct fdt_property *p = tag == FDT_PROP ? fdt_offset_ptr(c->fdt, offset, sizeof(*p)) : NULL;
		int32_t len = p ? (int32_t)fdt32_ld(&p->len) : 0;
		if (next <= offset || (tag == FDT_PROP && (!p || len < 0 || (uint32_t)len > size - offset - sizeof(*p)))) {
			err(c, -1, "dtb-corrupt", "corrupt device tree: the property at offset %d of the structure block "
			    "has a bad length", offset);
			return -1;
		}
		offset = next;
	}
}

static int check_blob(struct ctx *c, size_t size)
{
	const void *fdt = c->fdt;
	if (size < 4) {
		err(c, -1, "dtb-corrupt", "not a device tree blob: only %zu bytes", size);
		return -1;
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		err(c, -1, "dtb-corrupt", "not a device tree blob: bad magic 0x%08" PRIx32, fdt_magic(fdt));
		return -1;
	}
	if (size < 8) {
		err(c, -1, "dtb-corrupt", "truncated device tree: only %zu bytes", size);
		return -1;
	}
	if (fdt_totalsize(fdt) > size) {
		err(c, -1, "dtb-corrupt", "truncated device tree: header says %" PRIu32 " bytes, file has %zu",
		    fdt_totalsize(fdt), size);
		return -1;
	}
	if (size < sizeof(struct fdt_header)) {
		err(c, -1, "dtb-corrupt", "truncated device tree: %zu bytes, shorter than its header", size);
		return -1;
	}
	int rc = fdt_check_header(fdt);
	/* Before version 17 the header has no size for the structure block,
	 * and libfdt 1.6.1's fdt_check_full() then walks past the blob (a
	 * crash the fuzzer found). dtc has written version 17 since 2007. */
	if (!rc && fdt_version(fdt) < 17) {
		err(c, -1, "dtb-corrupt", "device tree version %" PRIu32 " is too old: mkimg reads version 17 "
		    "(recompile the tree with dtc)", fdt_version(fdt));
		return -1;
	}
	if (rc) {
		err(c, -1, "dtb-corrupt", "corrupt device tree: %s", fdt_strerror(rc));
		return -1;
	}
	/* The specification's alignment (every token on 4 bytes, reservation
	 * entries on 8): libfdt 1.6.1 does not check it, and a struct read at
	 * an odd offset is undefined behaviour (the fuzzer). */
	if (fdt_off_dt_struct(fdt) % 4 || fdt_off_mem_rsvmap(fdt) % 8) {
		bool st = fdt_off_dt_struct(fdt) % 4;
		err(c, -1, "dtb-corrupt", "corrupt device tree: its %s block at offset %" PRIu32 " is not aligned to %d bytes",
		    st ? "structure" : "memory reservation", st ? fdt_off_dt_struct(fdt) : fdt_off_mem_rsvmap(fdt), st ? 4 : 8);
		return -1;
	}
	if (check_tags(c) < 0)
		return -1;
	rc = fdt_check_full(fdt, size);
	if (!rc)
		rc = tree_index(&c->t, fdt);
	if (rc) {
		err(c, -1, "dtb-corrupt", "corrupt device tree: %s", fdt_strerror(rc));
		return -1;
	}
	if (c->t.depth > MAX_DEPTH) {
		err(c, -1, "dtb-corrupt", "the tree nests %d levels deep, more than %d", c->t.depth, MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* --- memory ----------------------------------------------------------- */

/* The top-level node names with a role of their own, unit address aside,
 * or NULL: what the tree's readers (this file, dts-split) find by name. */
static const char *role_name(const char *name)
{
	static const char *const names[] = {"cpus", "chosen", "aliases", "reserved-memory", "psci"};
	size_t base = strcspn(name, "@");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (base == strlen(names[i]) && !strncmp(name, names[i], base))
			return names[i];
	return NULL;
}

static void parse_memory(struct ctx *c)
{
	struct platform *p = c->p;
	int ac = ncells(c, 0, "#address-cells", 2, "dtb-memory");
	int sc = ncells(c, 0, "#size-cells", 1, "dtb-memory");
	bool any = false, bad = false;
	int node;

	fdt_for_each_subnode(node, c->fdt, 0) {
		const char *type = prop_str(c->fdt, node, "device_type");
		if (!type || strcmp(type, "memory") || is_disabled(c->fdt, node) ||
		    !has_prop(c->fdt, node, "reg"))
			continue;
		any = true;
		/* dts-split keeps such a node for its role, and its RAM with it:
		 * every node's tree would show all of it. */
		const char *name = fdt_get_name(c->fdt, node, NULL);
		const char *role = name ? role_name(name) : NULL;
		if (role) {
			err(c, node, "dtb-memory", "a memory node (device_type = \"memory\") cannot also be /%s", role);
			bad = true;
			continue;
		}
		if (ac < 0 || sc < 0)
			return;
		if (!cells_ok(ac, sc)) {
			err(c, 0, "dtb-memory", "cannot decode /memory 'reg' with #address-cells %d, #size-cells %d",
			    ac, sc);
			return;
		}
		if (reg_append(c, node, ac, sc, "dtb-memory", &p->ram, &p->n_ram) < 0)
			bad = true;
	}
	p->n_ram = ranges_normalize(p->ram, p->n_ram);
	if (!any)
		p->no_ram = "no /memory node with a 'reg'";
	else if (!p->n_ram && !bad)
		p->no_ram = "its /memory nodes hold no RAM: every size is 0";
}

static void parse_reserved(struct ctx *c)
{
	struct platform *p = c->p;
	int rm = fdt_path_offset(c->fdt, "/reserved-memory");
	if (rm >= 0) {
		int ac = ncells(c, rm, "#address-cells", 2, "dtb-memory");
		int sc = ncells(c, rm, "#size-cells", 1, "dtb-memory");
		int node;
		fdt_for_each_subnode(node, c->fdt, rm) {
			/* Regions without `reg` (size + alloc-ranges) are placed
			 * by the OS at boot; nothing to subtract here. */
			if (is_disabled(c->fdt, node) || !has_prop(c->fdt, node, "reg"))
				continue;
			if (ac < 0 || sc < 0)
				break;
			if (!cells_ok(ac, sc)) {
				err(c, rm, "dtb-memory", "cannot decode 'reg' with #address-cells %d, #size-cells %d",
				    ac, sc);
				break;
			}
			reg_append(c, node, ac, sc, "dtb-memory", &p->reserved, &p->n_reserved);
		}
	}

	int n = fdt_num_mem_rsv(c->fdt);
	if (n < 0)
		err(c, -1, "dtb-corrupt", "corrupt memory reservation block: %s", fdt_strerror(n));
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(c->fdt, i, &base, &size) < 0)
			break;
		if (!fits64(base, size)) {
			err(c, -1, "dtb-memory", "/memreserve/ entry %d (base 0x%" PRIx64 ", size 0x%" PRIx64 ") overflows 64 bits",
			    i, base, size);
			continue;
		}
		*VEC_PUSH(p->reserved, p->n_reserved) = (struct mk_range){base, size};
	}
	p->n_reserved = ranges_normalize(p->reserved, p->n_reserved);
	p->n_usable = ranges_subtract(p->ram, p->n_ram, p->reserved, p->n_reserved, &p->usable);
}

/* --- PSCI and CPUs ---------------------------------------------------- */

static const char *const psci_compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};

static void find_psci(struct ctx *c)
{
	int node = fdt_path_offset(c->fdt, "/psci");
	for (size_t i = 0; node < 0 && i < sizeof(psci_compat) / sizeof(psci_compat[0]); i++)
		node = fdt_node_offset_by_compatible(c->fdt, -1, psci_compat[i]);
	if (node < 0)
		return;
	c->psci = node;
	const char *m = prop_str(c->fdt, node, "method");
	if (m && !strcmp(m, "smc"))
		c->p->psci = PF_PSCI_SMC;
	else if (m && !strcmp(m, "hvc"))
		c->p->psci = PF_PSCI_HVC;
	else
		c->psci_method = m ? m : "";
}

static void parse_cpu(struct ctx *c, int node, int ac)
{
	struct platform *p = c->p;
	struct pf_cpu *cpu = VEC_PUSH(p->cpus, p->n_cpus);
	cpu->index = (unsigned)(p->n_cpus - 1);
	cpu->path = node_path(c, node);
	c->problem = &cpu->problem; /* only a node on this cpu fails for what follows */
	if (is_disabled(c->fdt, node))
		cpu->status = prop_str(c->fdt, node, "status"); /* in the blob, which the platform owns */

	int len;
	const fdt32_t *reg = fdt_getprop(c->fdt, node, "reg", &len);
	if (ac > 0) {
		/* SMT cores list one id per thread; the first is the core's. */
		if (!reg || len < ac * 4 || len % (ac * 4)) {
			err(c, node, "dtb-cpus", "'reg' must hold the MPIDR in %d cell%s", ac, ac > 1 ? "s" : "");
		} else {
			cpu->mpidr = cells_get(reg, ac);
			if (cpu->mpidr & ~MPIDR_AFF_MASK)
				err(c, node, "dtb-cpus", "'reg' 0x%" PRIx64 " has bits outside the MPIDR affinity fields",
				    cpu->mpidr);
			for (size_t i = 0; i + 1 < p->n_cpus; i++)
				if (p->cpus[i].mpidr == cpu->mpidr)
					err(c, node, "dtb-cpus", "MPIDR 0x%" PRIx64 " is also the one of '%s'",
					    cpu->mpidr, p->cpus[i].path);
		}
	}

	const char *m = prop_str(c->fdt, node, "enable-method");
	if (!m) {
		cpu->enable = PF_ENABLE_NONE;
	} else if (!strcmp(m, "psci")) {
		cpu->enable = PF_ENABLE_PSCI;
	} else if (!strcmp(m, "spin-table")) {
		cpu->enable = PF_ENABLE_SPIN_TABLE;
		const fdt32_t *ra = fdt_getprop(c->fdt, node, "cpu-release-addr", &len);
		if (!ra || len != 8)
			err(c, node, "dtb-cpus", "enable-method \"spin-table\" needs a 64-bit 'cpu-release-addr'");
		else
			cpu->release_addr = cells_get(ra, 2);
	} else {
		/* Not fatal: a core mkimg never has to start may boot any way. */
		warn(c, node, "dtb-cpus", "unknown enable-method \"%s\"; the core cannot be started", m);
	}
	c->problem = NULL;
}

static void parse_cpus(struct ctx *c)
{
	struct platform *p = c->p;
	int cpus = fdt_path_offset(c->fdt, "/cpus");
	if (cpus < 0) {
		err(c, -1, "dtb-cpus", "no /cpus node");
		return;
	}
	int ac = ncells(c, cpus, "#address-cells", 2, "dtb-cpus");
	if (ac == 0 || ac > 2) {
		err(c, cpus, "dtb-cpus", "#address-cells is %d, expected 1 or 2", ac);
		ac = -1;
	}
	int node;
	fdt_for_each_subnode(node, c->fdt, cpus) {
		const char *type = prop_str(c->fdt, node, "device_type");
		if (type && !strcmp(type, "cpu"))
			parse_cpu(c, node, ac);
	}
	if (!p->n_cpus) {
		err(c, cpus, "dtb-cpus", "no cpu nodes (device_type = \"cpu\") under /cpus");
		return;
	}

	/* PSCI cpus PSCI cannot start: a warning; the plan refuses a node on
	 * one that must be started [cpu-enable] (the loader's cpu 0 never is) */
	for (size_t i = 1; i < p->n_cpus; i++) {
		if (p->cpus[i].enable != PF_ENABLE_PSCI || p->psci != PF_PSCI_NONE)
			continue;
		if (c->psci < 0)
			warn(c, fdt_path_offset(c->fdt, p->cpus[i].path), "dtb-cpus",
			     "enable-method is \"psci\" but the tree has no /psci node");
		break;
	}
	if (c->psci >= 0 && p->psci == PF_PSCI_NONE)
		warn(c, c->psci, "dtb-psci", "'method' is \"%s\", expected \"smc\" or \"hvc\"", c->psci_method);
}

/* --- GIC -------------------------------------------------------------- */

static const struct {
	const char *compat;
	unsigned version;
} gic_compat[] = {
	{"arm,gic-400", 2},       {"arm,cortex-a15-gic", 2}, {"arm,cortex-a9-gic", 2},
	{"arm,cortex-a7-gic", 2}, {"arm,gic-v2", 2},         {"arm,pl390", 2},
	{"arm,arm11mp-gic", 2},   {"qcom,msm-qgic2", 2},     {"arm,gic-v3", 3},
};

static unsigned gic_version(const void *fdt, int node)
{
	if (!has_prop(fdt, node, "interrupt-controller"))
		return 0;
	for (size_t i = 0; i < sizeof(gic_compat) / sizeof(gic_compat[0]); i++)
		if (is_compatible(fdt, node, gic_compat[i].compat))
			return gic_compat[i].version;
	return 0;
}

static void find_gic(struct ctx *c)
{
	struct pf_gic *g = &c->p->gic;
	for (size_t i = 0; i < c->t.n; i++) {
		int node = c->t.v[i].node;
		unsigned v = gic_version(c->fdt, node);
		if (!v)
			continue;
		if (c->gic >= 0) {
			warn(c, node, "dtb-gic", "a second GIC; only '%s' is used", g->path);
			continue;
		}
		c->gic = node;
		g->version = v;
		g->path = node_path(c, node);
		g->phandle = fdt_get_phandle(c->fdt, node);
		/* type, number, flags; GICv3 may add a fourth (PPI partition) */
		int cells = ncells(c, node, "#interrupt-cells", 0, "dtb-gic");
		if (cells >= 3)
			c->gic_irqs = true;
		else if (cells >= 0)
			err(c, node, "dtb-gic", "#interrupt-cells must be at least 3");
	}
	if (c->gic < 0)
		err(c, -1, "dtb-gic", "no GIC: no interrupt-controller compatible with \"arm,gic-400\", \"arm,gic-v3\" or a kin");
}

/* --- devices: reg ----------------------------------------------------- */

/* Map v[] from the child address space of `bus` into its parent's through
 * `bus`'s `ranges`. Returns 1, 0 if the bus is not memory-mapped (no
 * `ranges`, or addresses mkimg does not decode such as PCI's), -1 (reported)
 * on a malformed property. Entries no range covers are dropped with a
 * warning, as an OS would fail to map them. */
static int through_ranges(struct ctx *c, int node, int bus, int cac, int csc, int pac,
			  struct mk_range *v, size_t *n)
{
	int len;
	const fdt32_t *r = fdt_getprop(c->fdt, bus, "ranges", &len);
	if (!r)
		return 0;
	if (len == 0)
		return 1;
	if (!cells_ok(cac, csc) || pac < 1 || pac > 2)
		return 0;
	size_t stride = (size_t)(cac + pac + csc);
	if ((size_t)len % (stride * 4)) {
		err(c, bus, "dtb-reg", "'ranges' is %d bytes, not a multiple of %zu", len, stride * 4);
		return -1;
	}
	size_t nr = (size_t)len / (stride * 4), out = 0;
	for (size_t i = 0; i < *n; i++) {
		struct mk_range x = v[i];
		bool found = false;
		for (size_t j = 0; j < nr && !found; j++) {
			const fdt32_t *e = r + j * stride;
			uint64_t cb = cells_get(e, cac), pb = cells_get(e + cac, pac);
			uint64_t rs = cells_get(e + cac + pac, csc);
			if (x.base < cb || x.base - cb >= rs || x.size > rs - (x.base - cb))
				continue;
			uint64_t off = x.base - cb;
			if (!fits64(pb, off) || !fits64(pb + off, x.size)) {
				err(c, bus, "dtb-reg", "'ranges' entry %zu maps 0x%" PRIx64 " beyond 64 bits", j, x.base);
				return -1;
			}
			x.base = pb + off;
			found = true;
		}
		if (found)
			v[out++] = x;
		else
			warn(c, node, "dtb-reg", "'reg' at 0x%" PRIx64 " is outside every 'ranges' entry of the parent bus",
			     x.base);
	}
	*n = out;
	return 1;
}

/* `node`'s `reg` as CPU physical addresses. Leaves n = 0 when some bus on
 * the way up is not memory-mapped. Returns -1 (reported) on a malformed tree. */
static int device_regs(struct ctx *c, int node, struct mk_range **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	int bus = parent_of(c, node);
	if (bus < 0 || !has_prop(c->fdt, node, "reg"))
		return 0;
	int ac = ncells(c, bus, "#address-cells", 2, "dtb-reg");
	int sc = ncells(c, bus, "#size-cells", 1, "dtb-reg");
	if (ac < 0 || sc < 0)
		return -1;
	if (!cells_ok(ac, sc))
		return 0; /* i2c, spi, pci...: not CPU addresses */
	if (reg_append(c, node, ac, sc, "dtb-reg", v, n) < 0)
		goto fail;

	while (bus != 0) {
		int up = parent_of(c, bus);
		if (up < 0)
			goto fail; /* not in the index: cannot happen */
		int pac = ncells(c, up, "#address-cells", 2, "dtb-reg");
		int psc = ncells(c, up, "#size-cells", 1, "dtb-reg");
		if (pac < 0 || psc < 0)
			goto fail;
		int rc = through_ranges(c, node, bus, ac, sc, pac, *v, n);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			goto unmapped;
		bus = up;
		ac = pac;
		sc = psc;
	}
	return 0;
fail:
	free(*v);
	*v = NULL;
	*n = 0;
	return -1;
unmapped:
	free(*v);
	*v = NULL;
	*n = 0;
	return 0;
}

/* --- devices: interrupts ---------------------------------------------- */

/* The controller `node`'s `interrupts` go to: follow `interrupt-parent`,
 * else the tree parent, until a node with #interrupt-cells (as Linux's
 * of_irq_find_parent does). Returns its offset or -1 (reported). */
static int irq_parent(struct ctx *c, int node)
{
	int cur = node, hops = 0;
	for (;;) {
		int len, next;
		const fdt32_t *ip = fdt_getprop(c->fdt, cur, "interrupt-parent", &len);
		if (ip) {
			if (len != 4) {
				err(c, cur, "dtb-irq", "'interrupt-parent' must be one phandle");
				return -1;
			}
			/* Only these jumps can loop; the climb to the root cannot. */
			if (++hops > MAX_IRQ_HOPS) {
				err(c, node, "dtb-irq", "interrupt-parent chain longer than %d hops (a cycle?)",
				    MAX_IRQ_HOPS);
				return -1;
			}
			next = by_phandle(c, fdt32_ld(ip));
			if (next < 0) {
				err(c, node, "dtb-irq", "interrupt-parent <0x%" PRIx32 "> does not resolve to a node",
				    fdt32_ld(ip));
				return -1;
			}
			if (!has_prop(c->fdt, next, "#interrupt-cells") &&
			    !has_prop(c->fdt, next, "interrupt-parent")) {
				char *path = node_path(c, next);
				err(c, node, "dtb-irq", "interrupt parent '%s' is not an interrupt controller", path);
				free(path);
				return -1;
			}
		} else {
			if (cur == 0) {
				err(c, node, "dtb-irq", "no interrupt parent: no 'interrupt-parent' here or above");
				return -1;
			}
			next = parent_of(c, cur);
			if (next < 0)
				return -1; /* not in the index: cannot happen */
		}
		if (has_prop(c->fdt, next, "#interrupt-cells"))
			return next;
		cur = next;
	}
}

/* One GIC specifier (type, number, flags). Returns -1 (reported). */
static int add_gic_irq(struct ctx *c, int node, const fdt32_t *spec, struct pf_device *dev)
{
	uint32_t type = fdt32_ld(&spec[0]), num = fdt32_ld(&spec[1]), flags = fdt32_ld(&spec[2]);
	struct pf_irq irq = {.flags = flags};
	switch (type) {
	case 0:
		if (num >= GIC_NR_SPI) {
			err(c, node, "dtb-irq", "SPI %" PRIu32 " is out of range (0..%d)", num, GIC_NR_SPI - 1);
			return -1;
		}
		irq.type = PF_IRQ_SPI;
		irq.irq = 32 + num;
		break;
	case 1:
		if (num >= GIC_NR_PPI) {
			err(c, node, "dtb-irq", "PPI %" PRIu32 " is out of range (0..%d)", num, GIC_NR_PPI - 1);
			return -1;
		}
		irq.type = PF_IRQ_PPI;
		irq.irq = 16 + num;
		break;
	case 2:
	case 3:
		warn(c, node, "dtb-irq", "extended %s %" PRIu32 " (GICv3.1) is not supported; ignored",
		     type == 2 ? "SPI" : "PPI", num);
		return 0;
	default:
		err(c, node, "dtb-irq", "unknown GIC interrupt type %" PRIu32, type);
		return -1;
	}
	*VEC_PUSH(dev->irqs, dev->n_irqs) = irq;
	return 0;
}

/* #interrupt-cells of a controller; -1 (reported) if absent or bad. */
static int ctrl_cells(struct ctx *c, int node, int ctrl)
{
	int n = ncells(c, ctrl, "#interrupt-cells", -1, "dtb-irq");
	if (n < 0 && !has_prop(c->fdt, ctrl, "#interrupt-cells")) {
		char *path = node_path(c, ctrl);
		err(c, node, "dtb-irq", "interrupt controller '%s' has no #interrupt-cells", path);
		free(path);
	}
	return n;
}

static int irqs_extended(struct ctx *c, int node, const fdt32_t *v, int len, struct pf_device *dev)
{
	if (len % 4) {
		err(c, node, "dtb-irq", "'interrupts-extended' is %d bytes, not whole cells", len);
		return -1;
	}
	size_t n = (size_t)len / 4, i = 0;
	int rc = 0;
	while (i < n) {
		uint32_t ph = fdt32_ld(&v[i]);
		int ctrl = by_phandle(c, ph);
		if (ctrl < 0) {
			err(c, node, "dtb-irq", "phandle <0x%" PRIx32 "> in 'interrupts-extended' does not resolve", ph);
			return -1;
		}
		int cells = ctrl_cells(c, node, ctrl);
		if (cells < 0)
			return -1;
		if ((size_t)cells > n - i - 1) {
			err(c, node, "dtb-irq", "'interrupts-extended' ends inside a specifier");
			return -1;
		}
		if (ctrl == c->gic && c->gic_irqs && add_gic_irq(c, node, &v[i + 1], dev) < 0)
			rc = -1;
		i += 1 + (size_t)cells;
	}
	return rc;
}

/* An interrupt nexus (a PCIe host bridge's INTx): the GIC interrupts its
 * 'interrupt-map' routes to belong to the device, once each. Entries that
 * lead to another controller are not the GIC's to hand out. */
static int map_irqs(struct ctx *c, int node, struct pf_device *dev)
{
	int len;
	const fdt32_t *v = fdt_getprop(c->fdt, node, "interrupt-map", &len);
	if (!v)
		return 0;
	int child_addr = ncells(c, node, "#address-cells", 2, "dtb-irq");
	int child_irq = ncells(c, node, "#interrupt-cells", -1, "dtb-irq");
	if (child_addr < 0 || child_irq < 0 || len % 4) {
		err(c, node, "dtb-irq", "cannot decode 'interrupt-map' (%d bytes, #address-cells %d, #interrupt-cells %d)",
		    len, child_addr, child_irq);
		return -1;
	}
	size_t n = (size_t)len / 4, i = 0;
	while (i < n) {
		i += (size_t)child_addr + (size_t)child_irq;
		if (i >= n) {
			err(c, node, "dtb-irq", "'interrupt-map' ends inside an entry");
			return -1;
		}
		uint32_t ph = fdt32_ld(&v[i++]);
		int ctrl = by_phandle(c, ph);
		if (ctrl < 0) {
			err(c, node, "dtb-irq", "phandle <0x%" PRIx32 "> in 'interrupt-map' does not resolve", ph);
			return -1;
		}
		int parent_addr = ncells(c, ctrl, "#address-cells", 0, "dtb-irq");
		int cells = ctrl_cells(c, node, ctrl);
		if (parent_addr < 0 || cells < 0)
			return -1;
		if ((size_t)parent_addr + (size_t)cells > n - i) {
			err(c, node, "dtb-irq", "'interrupt-map' ends inside an entry");
			return -1;
		}
		i += (size_t)parent_addr;
		if (ctrl == c->gic && c->gic_irqs) {
			size_t had = dev->n_irqs;
			if (add_gic_irq(c, node, &v[i], dev) < 0)
				return -1;
			for (size_t k = 0; k < had && dev->n_irqs > had; k++)
				if (dev->irqs[k].irq == dev->irqs[had].irq)
					dev->n_irqs--; /* routed to more than once: listed once */
		}
		i += (size_t)cells;
	}
	return 0;
}

static int device_irqs(struct ctx *c, int node, struct pf_device *dev)
{
	int len;
	if (map_irqs(c, node, dev) < 0)
		return -1;
	const fdt32_t *v = fdt_getprop(c->fdt, node, "interrupts-extended", &len);
	if (v)
		return irqs_extended(c, node, v, len, dev);
	v = fdt_getprop(c->fdt, node, "interrupts", &len);
	if (!v)
		return 0;
	int ctrl = irq_parent(c, node);
	if (ctrl < 0)
		return -1;
	int cells = ctrl_cells(c, node, ctrl);
	if (cells < 0)
		return -1;
	if (cells == 0 || len == 0)
		return 0;
	if ((size_t)len % ((size_t)cells * 4)) {
		err(c, node, "dtb-irq", "'interrupts' is %d bytes, not a multiple of %d (#interrupt-cells %d)", len,
		    cells * 4, cells);
		return -1;
	}
	/* Interrupts routed elsewhere (a GPIO controller, a PCI nexus) are not
	 * the GIC's to hand out. */
	if (ctrl != c->gic || !c->gic_irqs)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < (size_t)len / 4; i += (size_t)cells)
		if (add_gic_irq(c, node, &v[i], dev) < 0)
			rc = -1;
	return rc;
}

/* --- devices ---------------------------------------------------------- */

/* Top-level nodes whose subtrees are not devices. */
static bool skip_top(struct ctx *c, int node)
{
	int len;
	const char *name = fdt_get_name(c->fdt, node, &len);
	if (!name || role_name(name))
		return true;
	const char *type = prop_str(c->fdt, node, "device_type");
	return (type && !strcmp(type, "memory")) || !strncmp(name, "__", 2);
}

static void add_device(struct ctx *c, int node)
{
	struct platform *p = c->p;
	struct pf_device *dev = VEC_PUSH(p->devices, p->n_devices);
	dev->path = node_path(c, node);
	const char *compat = prop_str(c->fdt, node, "compatible");
	dev->compatible = compat ? xstrdup(compat) : NULL;
	dev->disabled = is_disabled(c->fdt, node);
	dev->phandle = fdt_get_phandle(c->fdt, node);
	dev->essential = node == c->gic || is_compatible(c->fdt, node, "arm,armv8-timer") ||
			 is_compatible(c->fdt, node, "arm,armv7-timer");
	c->problem = dev->essential ? NULL : &dev->problem; /* every node keeps the essential ones */
	device_regs(c, node, &dev->regs, &dev->n_regs);
	device_irqs(c, node, dev);
	c->problem = NULL;

	if (node == c->gic && dev->n_regs >= 2) {
		p->gic.dist = dev->regs[0];
		p->gic.cpuif = dev->regs[1];
		c->gic_regs = true;
	}
}

static void parse_devices(struct ctx *c)
{
	bool skipping = false;
	int depth = 0, node;
	for (node = fdt_next_node(c->fdt, 0, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(c->fdt, node, &depth)) {
		if (depth == 1)
			skipping = skip_top(c, node);
		if (skipping || node == c->psci)
			continue;
		if (has_prop(c->fdt, node, "reg") || has_prop(c->fdt, node, "interrupts") ||
		    has_prop(c->fdt, node, "interrupts-extended"))
			add_device(c, node);
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		err(c, -1, "dtb-corrupt", "corrupt device tree: %s", fdt_strerror(node));

	if (c->gic >= 0 && !c->gic_regs)
		err(c, c->gic, "dtb-gic", "'reg' must give the distributor and the %s as CPU addresses",
		    c->p->gic.version == 3 ? "redistributors" : "CPU interface");
}

/* --- entry points ----------------------------------------------------- */

int platform_parse(struct platform *p, const char *path, void *fdt, size_t size, struct diags *d)
{
	*p = (struct platform){0};
	p->path = xstrdup(path);
	p->fdt = fdt;
	unsigned errors = d->errors;
	struct ctx c = {.p = p, .fdt = fdt, .file = path, .d = d, .d_start = d->n,
			.gic = -1, .psci = -1};
	if (!fdt || check_blob(&c, size) < 0)
		goto fail;
	p->fdt_size = fdt_totalsize(fdt);

	const char *model = prop_str(fdt, 0, "model");
	p->model = model ? xstrdup(model) : NULL;
	parse_memory(&c);
	parse_reserved(&c);
	find_psci(&c);
	parse_cpus(&c);
	find_gic(&c);
	parse_devices(&c);
	if (d->errors == errors) {
		tree_free(&c.t);
		return 0;
	}
fail:
	tree_free(&c.t);
	platform_free(p);
	return -1;
}

/* Run dtc on `path` into `out`; its stderr is kept in *errs. Returns the
 * wait status, or -errno if dtc could not be started. */
static int run_dtc(const char *path, const char *out, char **errs)
{
	/* A path starting with '-' would read as an option. */
	char *in = path[0] == '-' ? xasprintf("./%s", path) : xstrdup(path);
	char *argv[] = {MKIMG_DTC, "-q", "-I", "dts", "-O", "dtb", "-o", (char *)out, in, NULL};
	int st = run_tool(argv, NULL, errs);
	free(in);
	return st;
}

static int compile_dts(const char *path, void **buf, size_t *len, const struct mk_loc *loc, struct diags *d)
{
	const char *dir = getenv("TMPDIR");
	char *tmp = xasprintf("%s/mkimg-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_error(d, loc, NULL, "cannot create a temporary file '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);

	char *errs = NULL;
	int st = run_dtc(path, tmp, &errs);
	int rc = -1;
	bool empty = !errs || !*tool_first_line(errs);
	if (st == -ENOENT || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127 && empty))
		diag_error(d, loc, NULL, "cannot compile '%s': '%s' not found (install the package device-tree-compiler)",
			   path, MKIMG_DTC);
	else if (st < 0)
		diag_error(d, loc, NULL, "cannot run '%s': %s", MKIMG_DTC, strerror(-st));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (!empty)
			diag_error(d, loc, NULL, "cannot compile '%s' with dtc: %s", path, tool_first_line(errs));
		else if (WIFEXITED(st))
			diag_error(d, loc, NULL, "cannot compile '%s' with dtc: exit status %d", path, WEXITSTATUS(st));
		else
			diag_error(d, loc, NULL, "cannot compile '%s' with dtc: killed by signal %d", path,
				   WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	} else {
		rc = input_read(tmp, IN_DTC_OUTPUT, loc, (uint8_t **)buf, len, d);
	}
	unlink(tmp);
	free(tmp);
	free(errs);
	return rc;
}

int platform_load_dtb(struct platform *p, const char *path, struct diags *d)
{
	struct mk_loc loc = {.file = path};
	void *buf;
	size_t len;
	*p = (struct platform){0};
	if (input_read(path, IN_BOARD_DTB, &loc, (uint8_t **)&buf, &len, d) < 0)
		return -1;
	return platform_parse(p, path, buf, len, d);
}

int platform_load(struct platform *p, const char *path, struct diags *d)
{
	*p = (struct platform){0};
	struct mk_loc loc = {.file = path};
	void *buf;
	size_t len;
	if (input_read(path, IN_BOARD_DTS, &loc, (uint8_t **)&buf, &len, d) < 0)
		return -1;
	if (len < 4 || fdt_magic(buf) != FDT_MAGIC) {
		free(buf);
		if (compile_dts(path, &buf, &len, &loc, d) < 0)
			return -1;
	}
	return platform_parse(p, path, buf, len, d);
}

void platform_free(struct platform *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->model);
	free(p->ram);
	free(p->reserved);
	free(p->usable);
	for (size_t i = 0; i < p->n_cpus; i++) {
		free(p->cpus[i].path);
		free(p->cpus[i].problem);
	}
	free(p->cpus);
	free(p->gic.path);
	for (size_t i = 0; i < p->n_devices; i++) {
		free(p->devices[i].problem);
		free(p->devices[i].path);
		free(p->devices[i].compatible);
		free(p->devices[i].regs);
		free(p->devices[i].irqs);
	}
	free(p->devices);
	free(p->fdt);
	*p = (struct platform){0};
}

const struct pf_device *platform_find_device(const struct platform *p, const char *path)
{
	for (size_t i = 0; p && path && i < p->n_devices; i++)
		if (!strcmp(p->devices[i].path, path))
			return &p->devices[i];
	return NULL;
}

const char *pf_psci_name(enum pf_psci m)
{
	switch (m) {
	case PF_PSCI_NONE:
		return "none";
	case PF_PSCI_SMC:
		return "smc";
	case PF_PSCI_HVC:
		return "hvc";
	}
	return "?";
}

const char *pf_enable_name(enum pf_enable e)
{
	switch (e) {
	case PF_ENABLE_NONE:
		return "none";
	case PF_ENABLE_PSCI:
		return "psci";
	case PF_ENABLE_SPIN_TABLE:
		return "spin-table";
	}
	return "?";
}
