/* SPDX-License-Identifier: BSD-2-Clause */
/* split_overlay.c - one node's kernel-overlay.dts (README.md: Reading the
 * overlay): text to append to the board's DTS that gives the node's tree.
 */
#include "split_internal.h"
#include "dts_text.h"

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
	/* anything else dropped (thermal maps of the other nodes' cpus) */
	for (size_t i = 1; i < b->n; i++) {
		const struct bnode *x = &b->v[i];
		if (s->act[i] != ACT_DROP || x->kind == BK_MEMORY || x->kind == BK_CPU_MAP || x->kind == BK_CPU ||
		    x->kind == BK_CHOSEN_MKIMG || ends_dropped(s, x->parent))
			continue;
		sb_printf(f, "\n&{%s} {\n\t/delete-node/ %s;\n};\n", x->parent ? b->v[x->parent].path : "/", x->name);
	}
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
		if (!b->v[i].phandle || ends_dropped(s, (int)i))
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

void build_overlay(const struct split *s, char **text)
{
	struct sbuf b = {0};
	overlay_header(s, &b);
	overlay_body(s, &b);
	*text = b.s;
}
