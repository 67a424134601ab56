/* SPDX-License-Identifier: BSD-2-Clause */
/* report.c - the plan as a readable table, as JSON and as an SVG map.
 *
 * All three are deterministic: they walk the plan's sorted lists and print
 * paths as the manifest wrote them (relative to the manifest), never as
 * absolute paths that differ between machines.
 */
#include "plan.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

/* A path as the manifest wrote it: the manifest reader joined it to the
 * manifest's folder, so take that prefix off again. */
static const char *as_written(const struct plan *p, const char *path)
{
	size_t n = p->manifest_dir ? strlen(p->manifest_dir) : 0;
	if (path && p->manifest_dir && !strncmp(path, p->manifest_dir, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static const char *board_file(const struct plan *p)
{
	return p->board.file ? p->board.file : p->board.path;
}

/* ---------------------------------------------------------------- text */


enum row_kind { ROW_MEMORY, ROW_POOL, ROW_RESERVED };

struct row {
	struct mk_range r;
	enum row_kind kind;
	const struct plan_pool *pool;
};

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->r.base < y->r.base ? -1 : x->r.base > y->r.base;
}

static const char *irq_type(enum plan_irq_type t)
{
	return t == PLAN_IRQ_SPI ? "spi" : "ppi";
}

static const char *trigger(uint32_t flags)
{
	switch (flags & 0xf) {
	case 1: return "edge-rising";
	case 2: return "edge-falling";
	case 4: return "level-high";
	case 8: return "level-low";
	default: return "none";
	}
}

/* Whose RAM address `a` is, for a reserved row: another node's, the
 * loader's, or nobody's. */
static void owner_of(const struct plan *p, uint64_t a, char buf[64])
{
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].n_memory; j++)
			if (a >= p->nodes[i].memory[j].base && a < range_end(p->nodes[i].memory[j])) {
				snprintf(buf, 64, "reserved: node %u memory", p->nodes[i].id);
				return;
			}
	snprintf(buf, 64, "reserved: %s", a >= p->loader.base && a < range_end(p->loader) ? "loader" : "unused RAM");
}

/* One reserved range, cut where its owner changes. */
static void text_reserved(FILE *f, const struct plan *p, struct mk_range r)
{
	uint64_t *cut = NULL;
	size_t nc = 0;
	*VEC_PUSH(cut, nc) = r.base;
	*VEC_PUSH(cut, nc) = range_end(r);
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].n_memory; j++) {
			*VEC_PUSH(cut, nc) = p->nodes[i].memory[j].base;
			*VEC_PUSH(cut, nc) = range_end(p->nodes[i].memory[j]);
		}
	*VEC_PUSH(cut, nc) = p->loader.base;
	*VEC_PUSH(cut, nc) = range_end(p->loader);
	sort(cut, nc, sizeof(*cut), cmp_u64);
	uint64_t start = r.base;
	char label[64], next[64], s[32];
	owner_of(p, start, label);
	for (size_t i = 0; i < nc; i++) {
		if (cut[i] <= start || cut[i] > range_end(r))
			continue;
		if (cut[i] < range_end(r)) {
			owner_of(p, cut[i], next);
			if (!strcmp(next, label))
				continue;
		}
		fprintf(f, "  0x%016" PRIx64 "  0x%016" PRIx64 "  %10s  %s\n", start, cut[i],
			fmt_size(s, cut[i] - start), label);
		start = cut[i];
		if (start < range_end(r))
			memcpy(label, next, sizeof(label));
	}
	free(cut);
}

static void text_node(FILE *f, const struct plan *p, const struct plan_node *n)
{
	char s[32];
	fprintf(f, "node %u: cpu", n->id);
	for (size_t i = 0; i < n->n_cpus; i++)
		fprintf(f, "%s%u (mpidr 0x%" PRIx64 ")", i ? ", " : " ", n->cpus[i].index, n->cpus[i].mpidr);
	fprintf(f, "; boots %u of %zu%s\n", n->boot_index + 1, p->n_boot,
		n->n_cpus && n->cpus[0].index == 0 ? ", on the loader's cpu" : "");
	if (n->os == PLAN_OS_LINUX) {
		fputs("  runs Linux: ", f), fput_escaped(f, as_written(p, n->kernel.path));
		if (n->root_task.kind == PLAN_ART_FILE)
			fputs(", initrd ", f), fput_escaped(f, as_written(p, n->root_task.path));
		if (n->n_cpus > 1)
			fprintf(f, "; Linux starts cpus after %u itself", n->cpus[0].index);
		fputc('\n', f);
		if (n->bootargs)
			fputs("  bootargs ", f), fput_escaped(f, n->bootargs), fputc('\n', f);
	}

	size_t nrows = n->n_memory + p->n_pools + n->n_reserved, k = 0;
	struct row *rows = xcalloc(nrows, sizeof(*rows));
	for (size_t i = 0; i < n->n_memory; i++)
		rows[k++] = (struct row){n->memory[i], ROW_MEMORY, NULL};
	for (size_t i = 0; i < p->n_pools; i++)
		rows[k++] = (struct row){p->pools[i].r, ROW_POOL, &p->pools[i]};
	for (size_t i = 0; i < n->n_reserved; i++)
		rows[k++] = (struct row){n->reserved[i], ROW_RESERVED, NULL};
	sort(rows, nrows, sizeof(*rows), cmp_row);

	fprintf(f, "  %-18s  %-18s  %10s  %s\n", "base", "end", "size", "what");
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		if (r->kind == ROW_RESERVED) {
			text_reserved(f, p, r->r);
			continue;
		}
		fprintf(f, "  0x%016" PRIx64 "  0x%016" PRIx64 "  %10s  ", r->r.base, range_end(r->r),
			fmt_size(s, r->r.size));
		if (r->kind == ROW_MEMORY)
			fprintf(f, "memory%s\n", r->r.base == n->memory[0].base ? " (kernel loads here)" : "");
		else {
			bool member = false;
			fprintf(f, "shared pool '%s' (nodes", r->pool->name);
			for (size_t j = 0; j < r->pool->n_nodes; j++) {
				fprintf(f, "%s%u", j ? ", " : " ", r->pool->nodes[j]);
				member |= r->pool->nodes[j] == n->id;
			}
			fprintf(f, "%s%s%s)\n", member ? "" : "; reserved here", r->pool->keep ? "; kept across boots" : "",
				plan_pool_is_own(r->pool) ? "; mkimg's own: ready flags, console lock" : "");
		}
	}
	free(rows);

	for (size_t i = 0; i < n->n_devices; i++) {
		fputs("  device ", f);
		fput_escaped(f, n->devices[i]); /* the board's names: untrusted */
		const char *sep = ": irq ";
		for (size_t j = 0; j < n->n_irqs; j++)
			if (n->irqs[j].device == n->devices[i]) {
				fprintf(f, "%s%u (%s %s)", sep, n->irqs[j].irq, irq_type(n->irqs[j].type),
					trigger(n->irqs[j].flags));
				sep = ", ";
			}
		fputc('\n', f);
	}
	if (p->console)
		fputs("  console ", f), fput_escaped(f, p->console), fputs(" (shared, output only)\n", f);
	for (size_t i = 0; i < n->n_sgis; i++) {
		const struct plan_sgi *g = &n->sgis[i];
		if (g->from == n->id)
			fprintf(f, "  sgi %2u  sends to node %u\n", g->sgi, g->to);
		else
			fprintf(f, "  sgi %2u  receives from node %u\n", g->sgi, g->from);
	}
	fputc('\n', f);
}

void report_text(FILE *f, const struct plan *p)
{
	const struct plan_board *board = &p->board;
	char s[32];

	fprintf(f, "plan '%s' on ", p->name); /* a checked name; the rest escaped */
	fput_escaped(f, board_file(p));
	fputs(" (", f), fput_escaped(f, board->model ? board->model : "no model"), fputs(")\n", f);
	for (size_t i = 0; i < board->n_ram; i++)
		fprintf(f, "  ram     0x%016" PRIx64 "  0x%016" PRIx64 "  %10s\n", board->ram[i].base,
			range_end(board->ram[i]), fmt_size(s, board->ram[i].size));
	fprintf(f, "  loader  0x%016" PRIx64 "  0x%016" PRIx64 "  %10s  (loader and payload)\n", p->loader.base,
		range_end(p->loader), fmt_size(s, p->loader.size));
	fprintf(f, "  %zu cpus, GICv%u with %u SPIs, PSCI %s\n\n", board->n_cpus, board->gic_version, p->gic_spis,
		plan_psci_name(board->psci));

	for (size_t i = 0; i < p->n_nodes; i++)
		text_node(f, p, &p->nodes[i]);

	fprintf(f, "boot order:");
	for (size_t i = 0; i < p->n_boot; i++)
		fprintf(f, "%s node %u", i ? "," : "", p->boot_order[i]);
	fprintf(f, "\n\nwhat an unmodified seL4 kernel cannot enforce:\n");
	const struct plan_node *lx = plan_linux_node(p);
	if (lx)
		fprintf(f, "  - node %u's Linux resets the GIC distributor when its GIC driver starts, a second or so\n"
			   "    after it is entered and so after every other kernel: it disables every SPI and routes\n"
			   "    them all to its own cpu, so device interrupts reach node %u only; other nodes may use\n"
			   "    SGIs and their timers (PPIs), and Linux keeps SGIs 0-7 for itself\n"
			   "  - a 'reboot', 'poweroff' or a panic with panic=N (N > 0) in node %u resets or powers off\n"
			   "    the whole board through PSCI: stop its Linux with 'halt -f' and keep panic=0\n",
			lx->id, lx->id, lx->id);
	else if (p->n_boot)
		fprintf(f, "  - every kernel resets the GIC distributor at boot and routes all SPIs to its own core;\n"
			   "    node %u boots last, so device interrupts reach its core only (a unicore seL4 cannot reroute them)\n",
			p->boot_order[p->n_boot - 1]);
	fprintf(f, "  - a unicore kernel maps memory non-shareable: shared pools need uncached mappings\n"
		   "    or explicit cache maintenance by the components that use them\n"
		   "  - nothing stops a root task from mapping the device untyped of another node's RAM;\n"
		   "    isolation rests on each node's device tree and on the root tasks\n");
	if (p->n_channels)
		fprintf(f, "  - an SGI that reaches a node before its root task bound a notification to it is lost\n"
			   "    (seL4 acks it as inactive or undelivered): a sender must wait for the ready flag\n"
			   "    the receiver writes into its slot of '" PLAN_SYNC_POOL "' after seL4_IRQHandler_SetNotification\n");
}

/* ---------------------------------------------------------------- JSON */

/* The plan as a jansson document; report_json() prints it in a layout
 * that diffs well (json_print_lines). */

static json_t *jranges(const struct mk_range *r, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o}", "base", json_hex(r[i].base), "size", json_hex(r[i].size)));
	return a;
}

static json_t *jsgis(const struct plan_sgi *g, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I}", "sgi", (json_int_t)g[i].sgi, "from",
						   (json_int_t)g[i].from, "to", (json_int_t)g[i].to));
	return a;
}

static json_t *jartifact(const struct plan *p, const struct plan_artifact *a, const char *extra_key, uint64_t extra)
{
	json_t *o = json_object();
	if (extra_key)
		json_object_set_new(o, extra_key, json_hex(extra));
	if (a->kind == PLAN_ART_FILE) {
		json_object_set_new(o, "file", json_text(as_written(p, a->path)));
	} else if (a->kind == PLAN_ART_BUILD) {
		json_object_set_new(o, "build", json_text(a->build));
		json_object_set_new(o, "source", json_text(as_written(p, a->source)));
	}
	return o;
}

static json_t *jnode(const struct plan *p, const struct plan_node *n)
{
	json_t *o = json_object(), *a;
	json_object_set_new(o, "id", json_integer(n->id));
	json_object_set_new(o, "cpus", a = json_array());
	for (size_t j = 0; j < n->n_cpus; j++)
		json_array_append_new(a, json_pack("{s:I, s:o, s:s}", "index", (json_int_t)n->cpus[j].index, "mpidr",
						   json_hex(n->cpus[j].mpidr), "enable", plan_enable_name(n->cpus[j].enable)));
	json_object_set_new(o, "memory", jranges(n->memory, n->n_memory));
	json_object_set_new(o, "reserved", jranges(n->reserved, n->n_reserved));
	json_object_set_new(o, "shared_pools", a = json_array());
	for (size_t j = 0; j < n->n_pools; j++)
		json_array_append_new(a, json_text(p->pools[n->pools[j]].name));
	json_object_set_new(o, "devices", a = json_array());
	for (size_t j = 0; j < n->n_devices; j++)
		json_array_append_new(a, json_text(n->devices[j]));
	json_object_set_new(o, "irqs", a = json_array());
	for (size_t j = 0; j < n->n_irqs; j++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:o}", "irq", (json_int_t)n->irqs[j].irq, "type",
						   irq_type(n->irqs[j].type), "trigger", trigger(n->irqs[j].flags),
						   "device", json_text(n->irqs[j].device)));
	json_object_set_new(o, "sgis", jsgis(n->sgis, n->n_sgis));
	json_object_set_new(o, "boot_index", json_integer(n->boot_index));
	if (n->os == PLAN_OS_LINUX) { /* the manifest's keys */
		json_t *lx = json_object();
		json_object_set_new(lx, "image", json_text(as_written(p, n->kernel.path)));
		if (n->root_task.kind == PLAN_ART_FILE)
			json_object_set_new(lx, "initrd", json_text(as_written(p, n->root_task.path)));
		if (n->bootargs)
			json_object_set_new(lx, "bootargs", json_text(n->bootargs));
		json_object_set_new(o, "linux", lx);
	} else {
		json_object_set_new(o, "kernel", jartifact(p, &n->kernel, "paddr", n->n_memory ? n->memory[0].base : 0));
		json_object_set_new(o, "rootserver", jartifact(p, &n->root_task, NULL, 0));
	}
	char dtb[40];
	snprintf(dtb, sizeof(dtb), "node%u/kernel.dtb", n->id);
	json_object_set_new(o, "dtb", json_pack("{s:s}", "file", dtb));
	return o;
}

static json_t *jplan(const struct plan *p)
{
	const struct plan_board *board = &p->board;
	json_t *doc = json_object(), *a;
	json_object_set_new(doc, "name", json_text(p->name));
	json_t *pf = json_object();
	json_object_set_new(pf, board->dtb ? "dtb" : "dts", json_text(board_file(p)));
	json_object_set_new(pf, "model", json_text(board->model));
	json_object_set_new(pf, "memory", jranges(board->ram, board->n_ram));
	json_object_set_new(pf, "gic", json_pack("{s:I, s:I}", "version", (json_int_t)board->gic_version, "spis",
						 (json_int_t)p->gic_spis));
	json_object_set_new(pf, "psci", json_string(plan_psci_name(board->psci)));
	json_object_set_new(pf, "cpus", json_integer((json_int_t)board->n_cpus));
	json_object_set_new(doc, "platform", pf);
	json_object_set_new(doc, "loader", json_pack("{s:o, s:o}", "base", json_hex(p->loader.base), "size",
						     json_hex(p->loader.size)));
	json_object_set_new(doc, "console", json_text(p->console));
	json_object_set_new(doc, "shared_pools", a = json_array());
	for (size_t i = 0; i < p->n_pools; i++) {
		const struct plan_pool *pp = &p->pools[i];
		json_t *nodes = json_array();
		for (size_t j = 0; j < pp->n_nodes; j++)
			json_array_append_new(nodes, json_integer(pp->nodes[j]));
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:b}", "name", json_text(pp->name), "base",
						   json_hex(pp->r.base), "size", json_hex(pp->r.size), "nodes", nodes, "keep",
						   pp->keep));
	}
	json_object_set_new(doc, "channels", jsgis(p->channels, p->n_channels));
	json_object_set_new(doc, "boot_order", a = json_array());
	for (size_t i = 0; i < p->n_boot; i++)
		json_array_append_new(a, json_integer(p->boot_order[i]));
	json_object_set_new(doc, "nodes", a = json_array());
	for (size_t i = 0; i < p->n_nodes; i++)
		json_array_append_new(a, jnode(p, &p->nodes[i]));
	return doc;
}

/* The layout: a top-level key per line; the pools one per line; a node's
 * fields one per line. */
void report_json(FILE *f, const struct plan *p)
{
	static const char *const lines[] = {"shared_pools", NULL}, *const fields[] = {"nodes", NULL};
	json_t *doc = jplan(p);
	json_print_lines(f, doc, lines, fields);
	json_decref(doc);
}

/* ---------------------------------------------------------------- SVG */

/* The physical address space is mostly empty, so the map draws every span
 * between two interesting addresses as one band whose height grows with the
 * logarithm of its size, and squeezes the gaps between RAM banks to a
 * marked break. */

static const char *const palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
				      "#edc948", "#e15759", "#9c755f", "#ff9da7", "#bab0ac"};

enum span_kind { SPAN_GAP, SPAN_FREE, SPAN_NODE, SPAN_POOL, SPAN_LOADER, SPAN_BOARD_RESERVED };

struct span {
	struct mk_range r;
	enum span_kind kind;
	unsigned node;
	const struct plan_pool *pool;
};

static bool in_ranges(const struct mk_range *r, size_t n, uint64_t a)
{
	for (size_t i = 0; i < n; i++)
		if (a >= r[i].base && a < range_end(r[i]))
			return true;
	return false;
}

static struct span classify(const struct plan *p, struct mk_range r)
{
	struct span s = {r, SPAN_GAP, 0, NULL};
	uint64_t a = r.base;
	if (!in_ranges(p->board.ram, p->board.n_ram, a))
		return s;
	s.kind = SPAN_FREE;
	for (size_t i = 0; i < p->n_nodes; i++)
		if (in_ranges(p->nodes[i].memory, p->nodes[i].n_memory, a)) {
			s.kind = SPAN_NODE;
			s.node = (unsigned)i;
			return s;
		}
	for (size_t i = 0; i < p->n_pools; i++)
		if (in_ranges(&p->pools[i].r, 1, a)) {
			s.kind = SPAN_POOL;
			s.pool = &p->pools[i];
			return s;
		}
	if (in_ranges(&p->loader, 1, a))
		s.kind = SPAN_LOADER;
	else if (in_ranges(p->board.reserved, p->board.n_reserved, a))
		s.kind = SPAN_BOARD_RESERVED;
	return s;
}

static unsigned span_height(const struct span *s)
{
	if (s->kind == SPAN_GAP)
		return 26;
	double mib = (double)s->r.size / (1024.0 * 1024.0);
	double h = 30.0 + 18.0 * log2(mib < 1.0 ? 1.0 : mib);
	return (unsigned)(h > 200.0 ? 200.0 : h);
}

void report_svg(FILE *f, const struct plan *p)
{
	const struct plan_board *board = &p->board;
	/* every boundary of everything drawn */
	uint64_t *cut = NULL;
	size_t nc = 0;
	for (size_t i = 0; i < board->n_ram; i++) {
		*VEC_PUSH(cut, nc) = board->ram[i].base;
		*VEC_PUSH(cut, nc) = range_end(board->ram[i]);
	}
	for (size_t i = 0; i < board->n_reserved; i++) {
		*VEC_PUSH(cut, nc) = board->reserved[i].base;
		*VEC_PUSH(cut, nc) = range_end(board->reserved[i]);
	}
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].n_memory; j++) {
			*VEC_PUSH(cut, nc) = p->nodes[i].memory[j].base;
			*VEC_PUSH(cut, nc) = range_end(p->nodes[i].memory[j]);
		}
	for (size_t i = 0; i < p->n_pools; i++) {
		*VEC_PUSH(cut, nc) = p->pools[i].r.base;
		*VEC_PUSH(cut, nc) = range_end(p->pools[i].r);
	}
	*VEC_PUSH(cut, nc) = p->loader.base;
	*VEC_PUSH(cut, nc) = range_end(p->loader);
	sort(cut, nc, sizeof(*cut), cmp_u64);

	struct span *sp = NULL;
	size_t ns = 0;
	for (size_t i = 0; i + 1 < nc; i++) {
		if (cut[i] == cut[i + 1])
			continue;
		struct span s = classify(p, (struct mk_range){cut[i], cut[i + 1] - cut[i]});
		if (ns && sp[ns - 1].kind == s.kind && sp[ns - 1].node == s.node && sp[ns - 1].pool == s.pool &&
		    range_end(sp[ns - 1].r) == s.r.base)
			sp[ns - 1].r.size += s.r.size;
		else
			*VEC_PUSH(sp, ns) = s;
	}

	const unsigned x0 = 150, bar = 230, top = 70;
	unsigned h = top;
	for (size_t i = 0; i < ns; i++)
		h += span_height(&sp[i]);
	unsigned legend_y = top, width = 820, height = h + 70;
	if (legend_y + 40 + 22 * (p->n_nodes + 4) > height)
		height = legend_y + 40 + 22 * ((unsigned)p->n_nodes + 4);

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		   "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fputs("<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fff3c4\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#c9a227\" stroke-width=\"3\"/></pattern>"
	      "<pattern id=\"grey\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/><circle cx=\"3\" cy=\"3\" r=\"1\" fill=\"#999\"/></pattern></defs>\n",
	      f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\">", f);
	xml_text(f, p->name, strlen(p->name));
	fputs("</text>\n<text x=\"20\" y=\"44\" fill=\"#555\">physical address space of ", f);
	xml_text(f, board_file(p), strlen(board_file(p)));
	fputs("</text>\n<text x=\"20\" y=\"58\" fill=\"#555\" font-size=\"11\">band heights grow with the "
	      "logarithm of the size; gaps between RAM banks are cut short</text>\n", f);

	unsigned y = top;
	char s[32];
	for (size_t i = 0; i < ns; i++) {
		const struct span *x = &sp[i];
		unsigned hh = span_height(x);
		const char *fill = "#ffffff", *label = NULL;
		char buf[200];
		switch (x->kind) {
		case SPAN_GAP:
			fprintf(f, "<text x=\"%u\" y=\"%u\" fill=\"#999\">&#8942; not RAM (%s)</text>\n", x0 + 10,
				y + hh / 2 + 4, fmt_size(s, x->r.size));
			break;
		case SPAN_FREE:
			fill = "#f7f7f7";
			label = "free RAM";
			break;
		case SPAN_NODE:
			fill = palette[x->node % 10];
			snprintf(buf, sizeof(buf), "node %u", p->nodes[x->node].id);
			label = buf;
			break;
		case SPAN_POOL:
			fill = "url(#hatch)";
			snprintf(buf, sizeof(buf), "shared pool '%.100s'%s", x->pool->name,
				 plan_pool_is_own(x->pool) ? " (mkimg's own)" : "");
			label = buf;
			break;
		case SPAN_LOADER:
			fill = "url(#grey)";
			label = "loader and payload";
			break;
		case SPAN_BOARD_RESERVED:
			fill = "#d9d9d9";
			label = "board reserved-memory";
			break;
		}
		if (x->kind != SPAN_GAP) {
			fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" stroke=\"#333\"/>\n", x0,
				y, bar, hh, fill);
			fprintf(f, "<text x=\"%u\" y=\"%u\"%s>", x0 + 8, y + hh / 2 + 4,
				x->kind == SPAN_NODE ? " fill=\"white\" font-weight=\"bold\"" : "");
			xml_text(f, label, strlen(label));
			fprintf(f, " &#8212; %s</text>\n", fmt_size(s, x->r.size));
		}
		/* a pool carries a swatch of each member node's colour */
		for (size_t j = 0; x->kind == SPAN_POOL && j < x->pool->n_nodes; j++) {
			const struct plan_node *m = plan_node_by_id(p, x->pool->nodes[j]);
			fprintf(f, "<rect x=\"%zu\" y=\"%u\" width=\"12\" height=\"%u\" fill=\"%s\" stroke=\"#333\"/>\n",
				x0 + bar - 16 * (x->pool->n_nodes - j), y + 3, hh > 6 ? hh - 6 : 1,
				palette[(size_t)(m - p->nodes) % 10]);
		}
		fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\" font-family=\"monospace\">0x%" PRIx64 "</text>\n",
			x0 - 6, y + 4, x->r.base);
		y += hh;
	}
	if (ns)
		fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\" font-family=\"monospace\">0x%" PRIx64 "</text>\n",
			x0 - 6, y + 4, range_end(sp[ns - 1].r));

	/* legend: one line per node with what it owns besides RAM */
	unsigned lx = x0 + bar + 40, ly = legend_y + 10;
	fprintf(f, "<text x=\"%u\" y=\"%u\" font-weight=\"bold\">nodes</text>\n", lx, ly);
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		ly += 22;
		fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", lx, ly - 11,
			palette[i % 10]);
		fprintf(f, "<text x=\"%u\" y=\"%u\">node %u: cpu %u, %zu device%s, %zu sgi%s, boots %u of %zu</text>\n",
			lx + 20, ly, n->id, n->n_cpus ? n->cpus[0].index : 0, n->n_devices, n->n_devices == 1 ? "" : "s",
			n->n_sgis, n->n_sgis == 1 ? "" : "s", n->boot_index + 1, p->n_boot);
	}
	ly += 22;
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"url(#hatch)\" stroke=\"#333\"/>"
		   "<text x=\"%u\" y=\"%u\">shared pool, tabs in its nodes' colours</text>\n",
		lx, ly - 11, lx + 20, ly);
	ly += 22;
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"url(#grey)\" stroke=\"#333\"/>"
		   "<text x=\"%u\" y=\"%u\">loader and payload</text>\n",
		lx, ly - 11, lx + 20, ly);
	ly += 22;
	fprintf(f, "<rect x=\"%u\" y=\"%u\" width=\"14\" height=\"14\" fill=\"#f7f7f7\" stroke=\"#333\"/>"
		   "<text x=\"%u\" y=\"%u\">free RAM, reserved in every node</text>\n",
		lx, ly - 11, lx + 20, ly);
	fputs("</svg>\n", f);
	free(cut);
	free(sp);
}
