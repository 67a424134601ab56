/* SPDX-License-Identifier: BSD-2-Clause */
/* common.c - see fuzz.h. */
#include "fuzz.h"

#include "dts_split.h"

#include <libfdt.h>

#ifndef FUZZ_BOARD
#error "FUZZ_BOARD must name the board's DTS or DTB"
#endif

static struct platform board;
static struct manifest manifest;
static struct plan plan;

static void die(struct diags *d, const char *what)
{
	diag_print(stderr, d);
	fprintf(stderr, "fuzz: cannot %s\n", what);
	exit(1);
}

const struct platform *fuzz_board(void)
{
	struct diags d = {0};
	if (!board.fdt && platform_load(&board, FUZZ_BOARD, &d) < 0)
		die(&d, "read the board " FUZZ_BOARD);
	diags_free(&d);
	return &board;
}

const struct plan *fuzz_plan(void)
{
	static const char text[] = "name: fuzz\n"
				   "platform: {dts: board.dts}\n"
				   "nodes:\n"
				   "  - {id: 0, cpus: [0], memory: [{base: 0x40000000, size: 256M}]}\n"
				   "  - {id: 1, cpus: [1], memory: [{base: 0x50000000, size: 256M}]}\n";
	struct diags d = {0};
	if (plan.n_nodes)
		return &plan;
	if (manifest_parse(&manifest, "fuzz.yaml", text, sizeof(text) - 1, &d) < 0 ||
	    plan_build(&plan, &manifest, fuzz_board(), &d) < 0)
		die(&d, "plan the fixed two-node manifest");
	diags_free(&d);
	return &plan;
}

FILE *fuzz_sink(void)
{
	static FILE *f;
	if (!f && !(f = fopen("/dev/null", "w")))
		exit(1);
	return f;
}

uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
	uint8_t *p = xmalloc(size ? size : 1);
	if (size)
		memcpy(p, data, size);
	return p;
}

const struct manifest *fuzz_manifest_one(void)
{
	static struct manifest m;
	static const char text[] = "name: one\nplatform: {dtb: board.dtb}\nnodes:\n  - {id: 0, memory: 2M}\n";
	struct diags d = {0};
	if (!m.path && manifest_parse(&m, "one.yaml", text, sizeof(text) - 1, &d) < 0)
		die(&d, "read the one-node manifest");
	diags_free(&d);
	return &m;
}

/* Whether [base, base + size) lies in one of the node's memory ranges. */
static bool own_ram(const struct plan_node *n, uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < n->n_memory; i++)
		if (base >= n->memory[i].base && size <= range_end(n->memory[i]) - base)
			return true;
	return false;
}

/* The tree a node gets: a valid blob whose top-level memory nodes hold only
 * the node's own RAM. */
static void check_tree(const struct plan_node *n, const void *dtb, size_t size)
{
	if (fdt_check_full(dtb, size) != 0)
		abort();
	const fdt32_t *c = fdt_getprop(dtb, 0, "#address-cells", NULL), *s = fdt_getprop(dtb, 0, "#size-cells", NULL);
	int ac = c ? (int)fdt32_ld(c) : 2, sc = s ? (int)fdt32_ld(s) : 1, node, len;
	fdt_for_each_subnode(node, dtb, 0) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);
		const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
		if (!type || strcmp(type, "memory") || !reg)
			continue;
		for (int at = 0; at + (ac + sc) * 4 <= len; at += (ac + sc) * 4) {
			uint64_t base = 0, rsize = 0;
			for (int k = 0; k < ac; k++)
				base = base << 32 | fdt32_ld(&reg[at / 4 + k]);
			for (int k = 0; k < sc; k++)
				rsize = rsize << 32 | fdt32_ld(&reg[at / 4 + ac + k]);
			if (rsize && !own_ram(n, base, rsize))
				abort();
		}
	}
}

void fuzz_split(const struct plan *p, struct diags *d)
{
	if (dts_split_check(p, d) < 0)
		return;
	for (size_t i = 0; i < p->n_nodes; i++) {
		void *dtb;
		size_t size;
		char *text;
		if (dts_split_node(p, &p->nodes[i], &dtb, &size, d) == 0) {
			check_tree(&p->nodes[i], dtb, size);
			if (dts_split_to_dts(dtb, size, &text, d) == 0)
				free(text);
			free(dtb);
		}
		if (dts_split_overlay(p, &p->nodes[i], &text, d) == 0)
			free(text);
	}
}
