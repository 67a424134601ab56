/* SPDX-License-Identifier: BSD-2-Clause */
/* test_manifest.c - the manifest reader: numbers, the typed walk, every
 * error kind with its check name and line, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "manifest.h"

#define PATH "cfg/partition.yaml"
/* Two lines every small manifest below starts with. */
#define HEAD "name: t\nplatform: {dts: a.dts}\n"

static int parse(struct manifest *m, struct diags *d, const char *yaml)
{
	return manifest_parse(m, PATH, yaml, strlen(yaml), d);
}

static void dump(const struct diags *d)
{
	diag_print(stderr, d);
}

/* --- parse_u64 ------------------------------------------------------------ */

static void expect_u64(const char *s, uint64_t want)
{
	uint64_t v = 0;
	const char *why = "unset";

	if (parse_u64(s, &v, &why)) {
		print_error("parse_u64(\"%s\") failed: %s\n", s, why);
		fail();
	}
	assert_int_equal(v, want);
}

static void expect_bad(const char *s, const char *why_want)
{
	uint64_t v = 12345;
	const char *why = NULL;

	if (!parse_u64(s, &v, &why)) {
		print_error("parse_u64(\"%s\") accepted\n", s);
		fail();
	}
	assert_non_null(why);
	assert_string_equal(why, why_want);
	assert_int_equal(v, 12345); /* untouched on failure */
}

static void test_u64_good(void **state)
{
	(void)state;
	expect_u64("0", 0);
	expect_u64("4096", 4096);
	expect_u64("0x1000", 0x1000);
	expect_u64("0X1aF", 0x1af);
	expect_u64("0x0", 0);
	expect_u64("4K", 4096);
	expect_u64("256M", 256ull << 20);
	expect_u64("1G", 1ull << 30);
	expect_u64("3T", 3ull << 40);
	expect_u64("0K", 0);
	expect_u64("18446744073709551615", UINT64_MAX);
	expect_u64("0xffffffffffffffff", UINT64_MAX);
	expect_u64("0x00000000000000001", 1); /* leading zeros in hex are harmless */
	expect_u64("16777215T", 16777215ull << 40);
	expect_u64("17179869183G", 17179869183ull << 30);
}

static void test_u64_bad(void **state)
{
	(void)state;
	expect_bad("", "not a number");
	expect_bad(NULL, "not a number");
	expect_bad("+1", "not a number");
	expect_bad("-1", "not a number");
	expect_bad(" 1", "not a number");
	expect_bad("M", "not a number");
	expect_bad("1 ", "trailing characters");
	expect_bad("12Q", "trailing characters");
	expect_bad("4k", "trailing characters");
	expect_bad("4KiB", "trailing characters");
	expect_bad("4KK", "trailing characters");
	expect_bad("1_000", "trailing characters");
	expect_bad("0x4000_0000", "trailing characters");
	expect_bad("0x1g", "trailing characters");
	expect_bad("0x1G", "trailing characters"); /* no suffixes on hex */
	expect_bad("0x", "no digits after '0x'");
	expect_bad("0xg", "no digits after '0x'");
	expect_bad("010", "leading zeros are not allowed");
	expect_bad("18446744073709551616", "out of range");
	expect_bad("99999999999999999999999", "out of range");
	expect_bad("0x10000000000000000", "out of range");
	expect_bad("16777216T", "out of range");
	expect_bad("17179869184G", "out of range");
	expect_bad("18446744073709551615K", "out of range");
}

/* --- good manifests ------------------------------------------------------- */

static const char full[] = "name: demo\n"                                  /* 1 */
			   "platform:\n"                                   /* 2 */
			   "  dtb: plat/virt.dtb\n"                        /* 3 */
			   "  spis: 96\n"                                  /* 4 */
			   "console: /pl011@9000000\n"                     /* 5 */
			   "loader: {base: 0x48000000, size: 2M}\n"        /* 6 */
			   "shared_pools:\n"                               /* 7 */
			   "  - name: buf\n"                               /* 8 */
			   "    size: 2M\n"                                /* 9 */
			   "    base: 0x60000000\n"                        /* 10 */
			   "    nodes: [0, 1]\n"                           /* 11 */
			   "nodes:\n"                                      /* 12 */
			   "  - id: 0\n"                                   /* 13 */
			   "    cpus: [0, 1]\n"                            /* 14 */
			   "    memory: 256M\n"                            /* 15 */
			   "    devices: [/pl011@9000000, /virtio@a000000]\n" /* 16 */
			   "    kernel: build/k0.elf\n"                    /* 17 */
			   "    rootserver: /abs/rs0.img\n"                /* 18 */
			   "  - id: 1\n"                                   /* 19 */
			   "    memory:\n"                                 /* 20 */
			   "      - {base: 0x50000000, size: 256M}\n"      /* 21 */
			   "      - base: 0x70000000\n"                    /* 22 */
			   "        size: 0x1000\n"                        /* 23 */
			   "    kernel:\n"                                 /* 24 */
			   "      build: sel4\n"                           /* 25 */
			   "      source: ../seL4\n"                       /* 26 */
			   "      options: {KernelPlatform: qemu-arm-virt, KernelMaxNumNodes: 1, Empty: }\n"
			   "    rootserver: {build: cmake, source: app}\n" /* 28 */
			   "channels:\n"                                   /* 29 */
			   "  - {from: 0, to: 1, sgi: 5}\n"                /* 30 */
			   "  - {from: 1, to: 0}\n";                       /* 31 */

/* A macro, so that a failure names the line of the check. */
#define assert_loc(l, m, ln, c)                                                                   \
	do {                                                                                       \
		assert_ptr_equal((l).file, (m)->path);                                             \
		assert_int_equal((l).line, (ln));                                                  \
		assert_int_equal((l).col, (c));                                                    \
	} while (0)

static void test_full(void **state)
{
	struct manifest m;
	struct diags d = {0};
	(void)state;

	if (parse(&m, &d, full))
		dump(&d);
	assert_int_equal(d.n, 0);
	assert_string_equal(m.path, PATH);
	assert_string_equal(m.dir, "cfg");
	assert_loc(m.loc, &m, 1, 1);
	assert_string_equal(m.name.s, "demo");
	assert_loc(m.name.loc, &m, 1, 7);
	assert_string_equal(m.dtb.s, "cfg/plat/virt.dtb");
	assert_loc(m.dtb.loc, &m, 3, 8);
	assert_null(m.dts.s);
	assert_true(m.gic_spis.set);
	assert_int_equal(m.gic_spis.v, 96);
	assert_string_equal(m.console.s, "/pl011@9000000");
	assert_int_equal(m.loader_base.v, 0x48000000);
	assert_int_equal(m.loader_size.v, 2 << 20);
	assert_loc(m.loader_loc, &m, 6, 9);
	assert_loc(m.loader_size.loc, &m, 6, 34);

	assert_int_equal(m.n_pools, 1);
	assert_string_equal(m.pools[0].name.s, "buf");
	assert_int_equal(m.pools[0].size.v, 2 << 20);
	assert_loc(m.pools[0].size.loc, &m, 9, 11);
	assert_true(m.pools[0].base.set);
	assert_int_equal(m.pools[0].base.v, 0x60000000);
	assert_int_equal(m.pools[0].n_nodes, 2);
	assert_int_equal(m.pools[0].nodes[1].v, 1);
	assert_loc(m.pools[0].nodes[1].loc, &m, 11, 16);
	assert_loc(m.pools[0].loc, &m, 8, 5);

	assert_int_equal(m.n_nodes, 2);
	struct mf_node *n0 = &m.nodes[0], *n1 = &m.nodes[1];
	assert_loc(n0->loc, &m, 13, 5);
	assert_int_equal(n0->id.v, 0);
	assert_true(n0->id.set);
	assert_true(n0->cpus_set);
	assert_int_equal(n0->n_cpus, 2);
	assert_int_equal(n0->cpus[1].v, 1);
	assert_true(n0->mem_size.set);
	assert_int_equal(n0->mem_size.v, 256ull << 20);
	assert_loc(n0->mem_size.loc, &m, 15, 13);
	assert_loc(n0->mem_loc, &m, 15, 13);
	assert_int_equal(n0->n_mem, 0);
	assert_int_equal(n0->n_devices, 2);
	assert_string_equal(n0->devices[1].s, "/virtio@a000000"); /* DT paths are not files */
	assert_int_equal(n0->kernel.kind, MF_ART_FILE);
	assert_string_equal(n0->kernel.path.s, "cfg/build/k0.elf");
	assert_loc(n0->kernel.path.loc, &m, 17, 13);
	assert_int_equal(n0->root_task.kind, MF_ART_FILE);
	assert_string_equal(n0->root_task.path.s, "/abs/rs0.img");

	assert_int_equal(n1->id.v, 1);
	assert_false(n1->cpus_set);
	assert_false(n1->mem_size.set);
	assert_loc(n1->mem_loc, &m, 21, 7);
	assert_int_equal(n1->n_mem, 2);
	assert_int_equal(n1->mem[0].base.v, 0x50000000);
	assert_int_equal(n1->mem[0].size.v, 256ull << 20);
	assert_loc(n1->mem[0].loc, &m, 21, 9);
	assert_int_equal(n1->mem[1].base.v, 0x70000000);
	assert_int_equal(n1->mem[1].size.v, 0x1000);
	assert_loc(n1->mem[1].size.loc, &m, 23, 15);
	assert_int_equal(n1->n_devices, 0);

	struct mf_artifact *k = &n1->kernel;
	assert_int_equal(k->kind, MF_ART_BUILD);
	assert_loc(k->loc, &m, 25, 7);
	assert_string_equal(k->build.s, "sel4");
	assert_string_equal(k->source.s, "cfg/../seL4");
	assert_null(k->path.s);
	assert_int_equal(k->n_options, 3);
	assert_string_equal(k->options[0].key, "KernelPlatform");
	assert_string_equal(k->options[0].value, "qemu-arm-virt");
	assert_string_equal(k->options[1].key, "KernelMaxNumNodes");
	assert_string_equal(k->options[1].value, "1");
	assert_string_equal(k->options[2].value, "");
	assert_loc(k->options[1].loc, &m, 27, 48);
	assert_int_equal(n1->root_task.kind, MF_ART_BUILD);
	assert_string_equal(n1->root_task.build.s, "cmake");
	assert_string_equal(n1->root_task.source.s, "cfg/app");
	assert_int_equal(n1->root_task.n_options, 0);

	assert_int_equal(m.n_channels, 2);
	assert_loc(m.channels[0].loc, &m, 30, 5);
	assert_int_equal(m.channels[0].to.v, 1);
	assert_true(m.channels[0].sgi.set);
	assert_int_equal(m.channels[0].sgi.v, 5);
	assert_loc(m.channels[0].sgi.loc, &m, 30, 27);
	assert_false(m.channels[1].sgi.set);
	assert_int_equal(m.channels[1].from.v, 1);

	diags_free(&d);
	manifest_free(&m);
	assert_null(m.path);
	assert_int_equal(m.n_nodes, 0);
}

static void test_minimal(void **state)
{
	struct manifest m;
	struct diags d = {0};
	(void)state;

	assert_int_equal(manifest_parse(&m, "p.yaml", HEAD "nodes: [{id: 0, memory: 1M}]\n",
					strlen(HEAD "nodes: [{id: 0, memory: 1M}]\n"), &d),
			 0);
	assert_string_equal(m.dir, ".");
	assert_string_equal(m.dts.s, "a.dts"); /* a manifest in the working directory keeps paths as written */
	assert_null(m.dtb.s);
	assert_false(m.gic_spis.set);
	assert_null(m.console.s);
	assert_false(m.loader_base.set);
	assert_int_equal(m.n_pools + m.n_channels, 0);
	assert_int_equal(m.nodes[0].kernel.kind, MF_ART_NONE);
	manifest_free(&m);

	assert_int_equal(manifest_parse(&m, "/p.yaml", HEAD "nodes: [{id: 0, memory: 1M}]\n",
					strlen(HEAD "nodes: [{id: 0, memory: 1M}]\n"), &d),
			 0);
	assert_string_equal(m.dir, "/");
	assert_string_equal(m.dts.s, "/a.dts");
	manifest_free(&m);
	assert_int_equal(d.n, 0);
}

/* A pool's `keep`: absent is false; true and false as YAML 1.2 spells them. */
static void test_keep(void **state)
{
	static const char yaml[] = HEAD
		"shared_pools:\n"
		"  - {name: a, size: 4K, nodes: [0]}\n"
		"  - {name: b, size: 4K, nodes: [0], keep: true}\n"
		"  - {name: c, size: 4K, nodes: [0], keep: False}\n"
		"  - {name: d, size: 4K, nodes: [0], keep: TRUE}\n"
		"nodes: [{id: 0, memory: 1M}]\n";
	struct manifest m;
	struct diags d = {0};
	(void)state;

	if (parse(&m, &d, yaml))
		dump(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(m.n_pools, 4);
	assert_false(m.pools[0].keep.set);
	assert_false(m.pools[0].keep.v);
	assert_true(m.pools[1].keep.set);
	assert_true(m.pools[1].keep.v);
	assert_loc(m.pools[1].keep.loc, &m, 5, 43);
	assert_true(m.pools[2].keep.set);
	assert_false(m.pools[2].keep.v);
	assert_true(m.pools[3].keep.v);
	manifest_free(&m);
}

static void test_aliases(void **state)
{
	static const char yaml[] = HEAD
		"x-defaults: 0\n"
		"nodes:\n"
		"  - id: 0\n"
		"    memory: &m\n"
		"      - {base: 0x40000000, size: &sz 128M}\n"
		"    kernel: &k {build: sel4, source: s, options: {A: 1}}\n"
		"  - id: 1\n"
		"    memory: *m\n"
		"    kernel: *k\n"
		"  - {id: 2, memory: *sz}\n";
	struct manifest m;
	struct diags d = {0};
	(void)state;

	/* x-defaults is an unknown key; everything else resolves */
	assert_int_equal(parse(&m, &d, yaml), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].check, "unknown-key");
	assert_int_equal(m.n_nodes, 3);
	assert_int_equal(m.nodes[1].n_mem, 1);
	assert_int_equal(m.nodes[1].mem[0].size.v, 128ull << 20);
	/* an alias stands for its anchor, location included */
	assert_int_equal(m.nodes[1].mem[0].loc.line, 7);
	assert_int_equal(m.nodes[1].kernel.kind, MF_ART_BUILD);
	assert_string_equal(m.nodes[1].kernel.options[0].value, "1");
	assert_int_equal(m.nodes[2].mem_size.v, 128ull << 20);
	diags_free(&d);
	manifest_free(&m);
}

/* --- errors --------------------------------------------------------------- */

struct bad {
	const char *yaml;
	const char *check; /* of the first error */
	unsigned line;
	const char *msg; /* the whole first message, or NULL */
	unsigned errors; /* how many in all */
};

static const struct bad bad_cases[] = {
	{"name: x\nplatform: [a\n", "yaml-syntax", 3, NULL, 1},
	{"name: x\n  bad: 1\n", "yaml-syntax", 2, "mapping values are not allowed in this context",
	 1},
	{"a: *nope\n", "yaml-syntax", 1, "found undefined alias", 1},
	{"", "yaml-syntax", 0, "empty manifest", 1},
	{"# only a comment\n\n", "yaml-syntax", 0, "empty manifest", 1},
	{"---\n", "yaml-syntax", 0, "empty manifest", 1},
	{"---\n...\n", "yaml-syntax", 0, "empty manifest", 1},
	{HEAD "nodes: [{id: 0, memory: 1M}]\n---\nname: y\n", "yaml-syntax", 4,
	 "more than one document", 1},
	{HEAD "nodes: [{id: 0, memory: 1M}]\n---\n[\n", "yaml-syntax", 6, NULL, 1},
	{"name: \"a\xff\"\n", "yaml-syntax", 1, NULL, 1},
	{"name: ok\n# caf\xc3\n", "yaml-syntax", 2, NULL, 1},
	{"name: a\tb\x01\n", "yaml-syntax", 1, NULL, 1},
	{"- a\n", "type", 1, "manifest must be a mapping", 1},
	{"just text\n", "type", 1, "manifest must be a mapping", 1},
	/* unknown keys */
	{HEAD "nodes:\n  - id: 0\n    memroy: 1M\n", "unknown-key", 5,
	 "unknown key 'memroy' in node 0; did you mean 'memory'?", 2},
	{HEAD "colour: red\nnodes: [{id: 0, memory: 1M}]\n", "unknown-key", 3,
	 "unknown key 'colour' in manifest; expected one of: name, platform, console, loader, "
	 "shared_pools, nodes, channels, fit",
	 1},
	{"name: t\nplatform: {dts: a, spi: 3}\nnodes: [{id: 0, memory: 1M}]\n", "unknown-key", 2,
	 "unknown key 'spi' in platform; did you mean 'spis'?", 1},
	{HEAD "loader: {bsae: 0}\nnodes: [{id: 0, memory: 1M}]\n", "unknown-key", 3,
	 "unknown key 'bsae' in loader; did you mean 'base'?", 1},
	{HEAD "shared_pools: [{name: buf, size: 1M, nodes: [0], nodez: 1}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "unknown-key", 3, "unknown key 'nodez' in shared pool 'buf'; did you mean 'nodes'?", 1},
	{HEAD "shared_pools: [{size: 1M, nodes: [0], xx: 1}]\nnodes: [{id: 0, memory: 1M}]\n",
	 "unknown-key", 3,
	 "unknown key 'xx' in shared pool; expected one of: name, size, base, nodes, keep", 2},
	{HEAD "shared_pools: [{name: log, size: 4K, nodes: [0], kepe: true}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "unknown-key", 3, "unknown key 'kepe' in shared pool 'log'; did you mean 'keep'?", 1},
	{HEAD "nodes: [{memory: 1M, ID: 3}]\n", "unknown-key", 3,
	 "unknown key 'ID' in node; did you mean 'id'?", 2},
	{HEAD "nodes: [{id: 0, memory: 1M}]\nchannels: [{from: 0, to: 0, irq: 1}]\n", "unknown-key",
	 4, "unknown key 'irq' in channel; expected one of: from, to, sgi", 1},
	{HEAD "nodes: [{id: 0, memory: [{base: 0, size: 1, sise: 2}]}]\n", "unknown-key", 3,
	 "unknown key 'sise' in memory region; did you mean 'size'?", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: sel4, source: s, option: {}}}]\n",
	 "unknown-key", 3, "unknown key 'option' in kernel; did you mean 'options'?", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, rootserver: {build: sel4, src: s}}]\n", "unknown-key", 3,
	 "unknown key 'src' in rootserver; expected one of: build, source, options", 2},
	/* duplicate and missing keys */
	{HEAD "nodes:\n  - id: 0\n    memory: 1M\n    memory: 2M\n", "duplicate-key", 6,
	 "duplicate key 'memory' (first at line 5)", 1},
	{"name: t\nname: u\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "duplicate-key", 2,
	 "duplicate key 'name' (first at line 1)", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: sel4, source: s,\n"
	      "  options: {A: 1, B: 2, A: 3}}}]\n",
	 "duplicate-key", 4, "duplicate key 'A' (first at line 4)", 1},
	{HEAD "nodes:\n  - id: 0\n    cpus: [0]\n", "missing-key", 4, "node 0 has no 'memory'", 1},
	{"platform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "missing-key", 1,
	 "manifest has no 'name'", 1},
	{"name: t\nnodes: [{id: 0, memory: 1M}]\n", "missing-key", 1, "manifest has no 'platform'",
	 1},
	{HEAD "\n", "missing-key", 1, "manifest has no 'nodes'", 1},
	{HEAD "nodes: [{memory: 1M}]\n", "missing-key", 3, "node has no 'id'", 1},
	{HEAD "nodes: [{id: 0, memory: 1M}]\nchannels:\n  - from: 0\n", "missing-key", 5,
	 "channel has no 'to'", 1},
	{HEAD "shared_pools:\n  - {name: b, nodes: [0]}\nnodes: [{id: 0, memory: 1M}]\n",
	 "missing-key", 4, "shared pool 'b' has no 'size'", 1},
	{HEAD "nodes: [{id: 0, memory: [{size: 1M}]}]\n", "missing-key", 3,
	 "memory region has no 'base'", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {source: s}}]\n", "missing-key", 3,
	 "kernel has no 'build'", 1},
	/* types */
	{HEAD "nodes: [{id: 0, memory: 1M, cpus: 0}]\n", "type", 3,
	 "'cpus' must be a sequence of numbers", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, cpus: [[0]]}]\n", "type", 3,
	 "'cpus' entry must be a number", 1},
	{HEAD "nodes: [{id: 0, memory: \"256M\"}]\n", "type", 3,
	 "'memory' must be a number, not a quoted string", 1},
	{HEAD "nodes: [{id: 0, memory: {size: 1M}}]\n", "type", 3,
	 "'memory' must be a size or a sequence of {base, size} regions", 1},
	{HEAD "nodes: [{id: 0, memory: []}]\n", "type", 3, "'memory' has no regions", 1},
	{HEAD "nodes: [{id: 0, memory: [1M]}]\n", "type", 3, "memory region must be a mapping", 1},
	{HEAD "nodes: 3\n", "type", 3, "'nodes' must be a sequence of mappings", 1},
	{HEAD "nodes: []\n", "type", 3, "'nodes' must not be empty", 1},
	{HEAD "nodes:\n", "type", 3, "'nodes' must be a sequence of mappings", 1},
	{HEAD "nodes: [3]\n", "type", 3, "node must be a mapping", 1},
	{HEAD "nodes: [{id: 0, memory: 1M}]\nshared_pools: {name: x}\n", "type", 4,
	 "'shared_pools' must be a sequence of mappings", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, devices: /uart}]\n", "type", 3,
	 "'devices' must be a sequence of device-tree paths", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, devices: [{a: 1}]}]\n", "type", 3,
	 "'devices' entry must be a string", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: [a]}]\n", "type", 3,
	 "'kernel' must be a file path or a mapping with 'build' and 'source'", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: make, source: s}}]\n", "type", 3,
	 "'build' must be 'sel4' or 'cmake', not 'make'", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: sel4, source: s, options: [A]}}]\n",
	 "type", 3, "'options' must be a mapping of names to values", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: sel4, source: s, options: {A: [1]}}}]\n",
	 "type", 3, "option 'A' must be a single value", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, kernel: {build: sel4, source: s, options: {[A]: 1}}}]\n",
	 "type", 3, "keys in options must be strings", 1},
	{HEAD "? [a]\n: 1\nnodes: [{id: 0, memory: 1M}]\n", "type", 3,
	 "keys in manifest must be strings", 1},
	{"name:\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "type", 1,
	 "'name' has no value", 1},
	{"name: ~\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "type", 1,
	 "'name' has no value", 1},
	{"name: \"\"\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "type", 1,
	 "'name' has no value", 1},
	{"name: \"a\\0b\"\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "type", 1,
	 "'name' contains a NUL character", 1},
	{"name: [t]\nplatform: {dts: a}\nnodes: [{id: 0, memory: 1M}]\n", "type", 1,
	 "'name' must be a string", 1},
	{HEAD "nodes: [{id: 0, memory: }]\n", "type", 3, "'memory' has no value", 1},
	/* numbers */
	{HEAD "shared_pools:\n  - name: b\n    size: 12Q\n    nodes: [0]\nnodes: [{id: 0, memory: "
	      "1M}]\n",
	 "number", 5, "'size' is not a valid number '12Q': trailing characters", 1},
	{HEAD "nodes: [{id: 0, memory: 1M, cpus: [0, -1]}]\n", "number", 3,
	 "'cpus' entry is not a valid number '-1': not a number", 1},
	{HEAD "nodes: [{id: 0, memory: 99999999999T}]\n", "number", 3,
	 "'memory' is not a valid number '99999999999T': out of range", 1},
	{HEAD "nodes: [{id: 0x, memory: 1M}]\n", "number", 3,
	 "'id' is not a valid number '0x': no digits after '0x'", 1},
	{HEAD "nodes: [{id: 0, memory: 1M}]\nchannels: [{from: 0, to: 1, sgi: true}]\n", "number",
	 4, "'sgi' is not a valid number 'true': not a number", 1},
	/* booleans */
	{HEAD "shared_pools: [{name: log, size: 4K, nodes: [0], keep: yes}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "type", 3, "'keep' must be true or false, not 'yes'", 1},
	{HEAD "shared_pools: [{name: log, size: 4K, nodes: [0], keep: \"true\"}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "type", 3, "'keep' must be true or false, not 'true'", 1},
	{HEAD "shared_pools: [{name: log, size: 4K, nodes: [0], keep: [true]}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "type", 3, "'keep' must be true or false", 1},
	{HEAD "shared_pools: [{name: log, size: 4K, nodes: [0], keep: ~}]\nnodes: [{id: 0, "
	      "memory: 1M}]\n",
	 "type", 3, "'keep' has no value", 1},
	/* platform */
	{"name: t\nplatform:\n  dtb: a\n  dts: b\nnodes: [{id: 0, memory: 1M}]\n", "platform", 4,
	 "platform has both 'dtb' and 'dts'; give only one", 1},
	{"name: t\nplatform: {spis: 3}\nnodes: [{id: 0, memory: 1M}]\n", "platform", 2,
	 "platform has neither 'dtb' nor 'dts'", 1},
	{"name: t\nplatform: a.dtb\nnodes: [{id: 0, memory: 1M}]\n", "type", 2,
	 "platform must be a mapping", 1},
	/* limits */
	{HEAD "nodes: &a [*a]\n", "yaml-limits", 3,
	 "nested too deeply (an alias refers to its own anchor)", 1},
	{HEAD "nodes: [{id: 0, memory: &m {base: 0, size: *m}}]\n", "yaml-limits", 3, NULL, 1},
};

static const struct diag *first_error(const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR)
			return &d->v[i];
	return NULL;
}

static void test_bad_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *b = &bad_cases[i];
		struct manifest m;
		struct diags d = {0};
		int r = parse(&m, &d, b->yaml);
		const struct diag *e = first_error(&d);
		bool ok = r == -1 && e && e->check && !strcmp(e->check, b->check) &&
			  e->loc.line == b->line && e->loc.file && !strcmp(e->loc.file, m.path) &&
			  (!b->msg || !strcmp(e->msg, b->msg)) && d.errors == b->errors;

		if (!ok) {
			print_error("case %zu: %s\nwant %s line %u '%s' (%u errors), got:\n", i,
				    b->yaml, b->check, b->line, b->msg ? b->msg : "*", b->errors);
			dump(&d);
		}
		diags_free(&d);
		manifest_free(&m);
		assert_true(ok);
	}
}

/* --- hostile input -------------------------------------------------------- */

static char *laughs(const char *where)
{
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);

	n += (size_t)snprintf(s + n, cap - n,
			      HEAD "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i <= 9; i++) {
		n += (size_t)snprintf(s + n, cap - n, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			n += (size_t)snprintf(s + n, cap - n, "%s*l%d", j ? ", " : "", i - 1);
		n += (size_t)snprintf(s + n, cap - n, "]\n");
	}
	snprintf(s + n, cap - n, "%s", where);
	return s;
}

static void expect_limit(const char *yaml, const char *msg)
{
	struct manifest m;
	struct diags d = {0};
	clock_t t0 = clock();

	assert_int_equal(parse(&m, &d, yaml), -1);
	/* exponential work would take hours; linear takes microseconds */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	if (d.n != 1)
		dump(&d);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].check, "yaml-limits");
	assert_string_equal(d.v[0].msg, msg);
	diags_free(&d);
	manifest_free(&m);
}

static void test_billion_laughs(void **state)
{
	static const char too_large[] =
		"manifest too large (more than 100000 values after alias expansion)";
	char *s;
	(void)state;

	s = laughs("nodes: *l9\n");
	expect_limit(s, too_large);
	free(s);
	/* even where the typed walk would never look */
	s = laughs("nodes: [{id: 0, memory: 1M}]\n");
	expect_limit(s, too_large);
	free(s);
}

static void test_depth(void **state)
{
	char buf[512];
	struct manifest m;
	struct diags d = {0};
	(void)state;

	/* the root mapping is level 1, so 63 brackets reach level 64 */
	snprintf(buf, sizeof(buf), HEAD "nodes: [{id: 0, memory: 1M}]\nx: %.*s1%.*s\n", 63,
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 63,
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	assert_int_equal(parse(&m, &d, buf), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].check, "unknown-key");
	diags_free(&d);
	manifest_free(&m);

	snprintf(buf, sizeof(buf), HEAD "nodes: [{id: 0, memory: 1M}]\nx: %.*s1%.*s\n", 64,
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 64,
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	expect_limit(buf, "nested too deeply (more than 64 levels)");

	/* deep through an alias that was already measured shallower */
	snprintf(buf, sizeof(buf),
		 HEAD "nodes: [{id: 0, memory: 1M}]\na: &a %.*s1%.*s\nb: %.*s*a%.*s\n", 40,
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 40,
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 40,
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 40,
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	expect_limit(buf, "nested too deeply (more than 64 levels)");
}

static void test_many_items(void **state)
{
	size_t cap = 5000 * 3 + 256, n;
	char *s = malloc(cap);
	struct manifest m;
	struct diags d = {0};
	(void)state;

	n = (size_t)snprintf(s, cap, HEAD "nodes: [{id: 0, memory: 1M, cpus: [");
	for (int i = 0; i < 4097; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s0", i ? "," : "");
	snprintf(s + n, cap - n, "]}]\n");
	assert_int_equal(parse(&m, &d, s), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].check, "yaml-limits");
	assert_string_equal(d.v[0].msg, "too many entries in 'cpus' (more than 4096)");
	assert_int_equal(m.nodes[0].n_cpus, 0);
	diags_free(&d);
	manifest_free(&m);

	/* 4096 is fine */
	n = (size_t)snprintf(s, cap, HEAD "nodes: [{id: 0, memory: 1M, cpus: [");
	for (int i = 0; i < 4096; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s0", i ? "," : "");
	snprintf(s + n, cap - n, "]}]\n");
	assert_int_equal(parse(&m, &d, s), 0);
	assert_int_equal(m.nodes[0].n_cpus, 4096);
	manifest_free(&m);
	free(s);
}

static void test_nul_byte(void **state)
{
	static const char yaml[] = HEAD "nodes: [{id: 0, memory: 1M}]\n\0junk: 1\n";
	struct manifest m;
	struct diags d = {0};
	(void)state;

	assert_int_equal(manifest_parse(&m, PATH, yaml, sizeof(yaml) - 1, &d), -1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].check, "yaml-syntax");
	assert_int_equal(d.v[0].loc.line, 4);
	diags_free(&d);
	manifest_free(&m);
}

/* Many errors in one run, and no crash on every prefix of a manifest. */
static void test_keeps_going(void **state)
{
	static const char yaml[] = "name: t\n"
				   "platform: {dts: a, dtb: b}\n"
				   "nodes:\n"
				   "  - {id: 0, memory: 1Q}\n"
				   "  - {id: 1, memory: 1M, cpus: x}\n"
				   "channels: [{from: 0}]\n";
	struct manifest m;
	struct diags d = {0};
	(void)state;

	assert_int_equal(parse(&m, &d, yaml), -1);
	assert_int_equal(d.errors, 4);
	assert_int_equal(d.v[0].loc.line, 2);
	assert_int_equal(d.v[1].loc.line, 4);
	assert_int_equal(d.v[2].loc.line, 5);
	assert_int_equal(d.v[3].loc.line, 6);
	diags_free(&d);
	manifest_free(&m);

	for (size_t len = 0; len < sizeof(full); len++) {
		manifest_parse(&m, PATH, full, len, &d);
		manifest_free(&m);
		diags_free(&d);
	}
}

static void test_load_and_free(void **state)
{
	struct manifest m = {0};
	struct diags d = {0};
	(void)state;

	manifest_free(&m); /* zeroed: fine */
	manifest_free(&m); /* twice: fine */
	assert_int_equal(manifest_load(&m, "/nonexistent/dir/p.yaml", &d), -1);
	assert_int_equal(d.n, 1);
	assert_null(d.v[0].check);
	assert_string_equal(d.v[0].loc.file, m.path);
	assert_int_equal(d.v[0].loc.line, 0);
	assert_string_equal(d.v[0].msg,
			    "cannot open '/nonexistent/dir/p.yaml': No such file or directory");
	assert_string_equal(m.dir, "/nonexistent/dir");
	manifest_free(&m);
	diags_free(&d);

	char tmpl[] = "/tmp/test_manifest_XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(full, f);
	fclose(f);
	assert_int_equal(manifest_load(&m, tmpl, &d), 0);
	assert_string_equal(m.dir, "/tmp");
	assert_string_equal(m.dtb.s, "/tmp/plat/virt.dtb");
	assert_int_equal(m.n_nodes, 2);
	manifest_free(&m);
	remove(tmpl);
	assert_int_equal(d.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_good),       cmocka_unit_test(test_u64_bad),
		cmocka_unit_test(test_full),	       cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_keep),	       cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_bad_cases),
		cmocka_unit_test(test_billion_laughs), cmocka_unit_test(test_depth),
		cmocka_unit_test(test_many_items),     cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_keeps_going),    cmocka_unit_test(test_load_and_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
