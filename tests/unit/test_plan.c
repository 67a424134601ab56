/* SPDX-License-Identifier: BSD-2-Clause */
/* test_plan.c - the planner on a hand-made board (no device tree, no files):
 * placement, defaults, every check, determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "manifest.h"
#include "plan.h"
#include "platform.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)

/* A QEMU-virt-like board: RAM [0x40000000, +2 GiB), `ncpus` PSCI cores, a
 * GICv2, a UART on SPI 1, a second UART sharing SPI 1, an RTC on SPI 2. */
static void board(struct platform *pf, unsigned ncpus)
{
	*pf = (struct platform){0};
	pf->path = xstrdup("board.dtb");
	*VEC_PUSH(pf->ram, pf->n_ram) = (struct mk_range){0x40000000, 2 * GiB};
	*VEC_PUSH(pf->usable, pf->n_usable) = (struct mk_range){0x40000000, 2 * GiB};
	for (unsigned i = 0; i < ncpus; i++) {
		struct pf_cpu *c = VEC_PUSH(pf->cpus, pf->n_cpus);
		c->index = i;
		c->mpidr = i;
		c->path = xasprintf("/cpus/cpu@%u", i);
		c->enable = PF_ENABLE_PSCI;
	}
	pf->psci = PF_PSCI_SMC;
	pf->gic.version = 2;
	static const struct {
		const char *path;
		unsigned irq;
		bool essential;
	} devs[] = {{"/intc@8000000", 25, true}, {"/pl011@9000000", 33, false}, {"/uart2@9100000", 33, false},
		    {"/pl031@9010000", 34, false}};
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		struct pf_device *d = VEC_PUSH(pf->devices, pf->n_devices);
		d->path = xstrdup(devs[i].path);
		d->essential = devs[i].essential;
		struct pf_irq *q = VEC_PUSH(d->irqs, d->n_irqs);
		q->irq = devs[i].irq;
		q->type = devs[i].irq >= 32 ? PF_IRQ_SPI : PF_IRQ_PPI;
		q->flags = 4;
	}
}

struct fixture {
	struct manifest m;
	struct platform pf;
	struct plan p;
	struct diags d;
};

static int plan_yaml(struct fixture *fx, unsigned ncpus, const char *yaml)
{
	board(&fx->pf, ncpus);
	assert_int_equal(manifest_parse(&fx->m, "t.yaml", yaml, strlen(yaml), &fx->d), 0);
	return plan_build(&fx->p, &fx->m, &fx->pf, &fx->d);
}

static void done(struct fixture *fx)
{
	plan_free(&fx->p);
	platform_free(&fx->pf);
	manifest_free(&fx->m);
	diags_free(&fx->d);
}

/* The first error's check name, and its line. */
static void assert_error(const struct fixture *fx, const char *check, unsigned line)
{
	for (size_t i = 0; i < fx->d.n; i++)
		if (fx->d.v[i].level == DIAG_ERROR && fx->d.v[i].loc.line != line)
			print_error("[%s] at line %u: %s\n", fx->d.v[i].check ? fx->d.v[i].check : "", fx->d.v[i].loc.line,
				    fx->d.v[i].msg);
	for (size_t i = 0; i < fx->d.n; i++) {
		if (fx->d.v[i].level != DIAG_ERROR)
			continue;
		if (!fx->d.v[i].check || strcmp(fx->d.v[i].check, check)) {
			print_error("first error is [%s] '%s', expected [%s]\n", fx->d.v[i].check ? fx->d.v[i].check : "",
				    fx->d.v[i].msg, check);
			fail();
		}
		assert_int_equal(fx->d.v[i].loc.line, line);
		return;
	}
	print_error("no error, expected [%s]\n", check);
	fail();
}

#define HEAD "name: t\nplatform: {dtb: b.dtb}\n"

/* A tree without /psci (firmware adds it at boot): the manifest's platform
 * 'psci' gives the conduit, so node 1's cpu can be started. */
static void psci_from_manifest(void **state)
{
	(void)state;
	struct fixture fx = {0};
	board(&fx.pf, 2);
	fx.pf.psci = PF_PSCI_NONE;
	static const char without[] = HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n";
	assert_int_equal(manifest_parse(&fx.m, "t.yaml", without, strlen(without), &fx.d), 0);
	assert_int_equal(plan_build(&fx.p, &fx.m, &fx.pf, &fx.d), -1);
	assert_error(&fx, "cpu-enable", 5);
	plan_free(&fx.p);
	manifest_free(&fx.m);
	diags_free(&fx.d);
	static const char with[] = "name: t\nplatform: {dtb: b.dtb, psci: hvc}\n"
				   "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n";
	assert_int_equal(manifest_parse(&fx.m, "t.yaml", with, strlen(with), &fx.d), 0);
	assert_int_equal(plan_build(&fx.p, &fx.m, &fx.pf, &fx.d), 0);
	assert_int_equal(fx.p.board.psci, PLAN_PSCI_HVC);
	done(&fx);
}

/* A cpu the tree marks disabled is no node's by default, and an error
 * when a node names it. */
static void disabled_cpus(void **state)
{
	(void)state;
	struct fixture fx = {0};
	board(&fx.pf, 3);
	fx.pf.cpus[1].status = "disabled";
	static const char yaml[] = HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n";
	assert_int_equal(manifest_parse(&fx.m, "t.yaml", yaml, strlen(yaml), &fx.d), 0);
	assert_int_equal(plan_build(&fx.p, &fx.m, &fx.pf, &fx.d), 0);
	assert_int_equal(fx.p.nodes[0].cpus[0].index, 0);
	assert_int_equal(fx.p.nodes[1].cpus[0].index, 2); /* cpu 1 skipped */
	plan_free(&fx.p);
	manifest_free(&fx.m);
	static const char named[] = HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, cpus: [1], memory: 64M}\n";
	assert_int_equal(manifest_parse(&fx.m, "t.yaml", named, strlen(named), &fx.d), 0);
	assert_int_equal(plan_build(&fx.p, &fx.m, &fx.pf, &fx.d), -1);
	assert_error(&fx, "cpu-disabled", 5);
	fx.pf.cpus[1].status = NULL;
	done(&fx);
}

static void size_only_first_fit(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 2, HEAD "shared_pools:\n  - {name: b, size: 2M, nodes: [0, 1]}\n"
					      "  - {name: a, size: 4K, nodes: [1], keep: true}\n"
					      "nodes:\n  - {id: 1, memory: 256M}\n  - {id: 0, memory: 128M}\n"),
			 0);
	struct plan *p = &fx.p;
	assert_int_equal(p->n_nodes, 2);
	/* the loader 2 MiB into RAM, 1/16 of it (2 GiB: 128 MiB); then, sorted
	 * by id, node 0 first fit above it, then node 1 */
	assert_int_equal(p->loader.base, 0x40200000);
	assert_int_equal(p->loader.size, 128 * MiB);
	assert_int_equal(p->nodes[0].id, 0);
	assert_int_equal(p->nodes[0].memory[0].base, 0x48200000);
	assert_int_equal(p->nodes[0].memory[0].size, 128 * MiB);
	assert_int_equal(p->nodes[1].memory[0].base, 0x50200000);
	/* default cpus: lowest free, in id order */
	assert_int_equal(p->nodes[0].cpus[0].index, 0);
	assert_int_equal(p->nodes[1].cpus[0].index, 1);
	/* pools by name after placement in manifest order: b (2 MiB aligned), a,
	 * then mkimg's own */
	assert_int_equal(p->n_pools, 3);
	assert_string_equal(p->pools[0].name, "a");
	assert_int_equal(p->pools[1].r.base, 0x60200000);
	assert_int_equal(p->pools[0].r.base, 0x60400000);
	assert_string_equal(p->pools[2].name, PLAN_SYNC_POOL);
	assert_int_equal(p->pools[2].r.base, 0x60401000);
	/* `keep` follows its pool; absent is false */
	assert_true(p->pools[0].keep);
	assert_false(p->pools[1].keep);
	/* reserved = RAM - own memory - pools: the first 2 MiB and the loader,
	 * node 1, and all above the pools */
	const struct plan_node *n0 = &p->nodes[0];
	assert_int_equal(n0->n_reserved, 3);
	assert_int_equal(n0->reserved[0].base, 0x40000000);
	assert_int_equal(range_end(n0->reserved[0]), 0x48200000);
	assert_int_equal(n0->reserved[1].base, 0x50200000);
	assert_int_equal(range_end(n0->reserved[1]), 0x60200000);
	assert_int_equal(n0->reserved[2].base, 0x60402000);
	assert_int_equal(range_end(n0->reserved[2]), 0xc0000000);
	assert_int_equal(n0->n_pools, 2);
	assert_int_equal(p->nodes[1].n_pools, 3);
	/* boot order: others first, the node on cpu 0 last */
	assert_int_equal(p->n_boot, 2);
	assert_int_equal(p->boot_order[0], 1);
	assert_int_equal(p->boot_order[1], 0);
	done(&fx);
}

static void explicit_talk_layout(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 2, HEAD "shared_pools:\n  - {name: buf, base: 0x60000000, size: 256M, nodes: [0, 1]}\n"
					      "nodes:\n  - {id: 0, cpus: [0], memory: [{base: 0x40000000, size: 256M}]}\n"
					      "  - {id: 1, cpus: [1], memory: [{base: 0x50000000, size: 256M}]}\n"
					      "channels:\n  - {from: 0, to: 1}\n  - {from: 1, to: 0}\n"),
			 0);
	const struct plan *p = &fx.p;
	assert_int_equal(p->nodes[1].memory[0].base, 0x50000000);
	assert_int_equal(p->pools[0].r.base, 0x60000000);
	/* node 1's reserved: node 0's RAM, the loader above the pool, and
	 * everything above mkimg-sync's page after it */
	assert_int_equal(p->loader.base, 0x70000000);
	assert_int_equal(p->nodes[1].n_reserved, 3);
	assert_int_equal(p->nodes[1].reserved[0].base, 0x40000000);
	assert_int_equal(p->nodes[1].reserved[0].size, 256 * MiB);
	assert_int_equal(p->nodes[1].reserved[1].base, 0x70000000);
	assert_int_equal(p->nodes[1].reserved[1].size, 128 * MiB);
	assert_int_equal(p->nodes[1].reserved[2].base, 0x78001000);
	/* one SGI per direction, different so each node's table reads clearly */
	assert_int_equal(p->n_channels, 2);
	assert_int_equal(p->channels[0].sgi, 0);
	assert_int_equal(p->channels[1].sgi, 1);
	assert_int_equal(p->nodes[0].n_sgis, 2);
	done(&fx);
}

static void devices_and_irqs(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 2, HEAD "nodes:\n  - {id: 0, memory: 64M, devices: [/pl031@9010000, /pl011@9000000]}\n"
					      "  - {id: 1, memory: 64M, devices: [/uart2@9100000]}\n"),
			 -1);
	/* /uart2 shares SPI 1 (irq 33) with the UART node 0 owns */
	assert_error(&fx, "irq-twice", 5);
	const struct plan_node *n0 = &fx.p.nodes[0];
	assert_int_equal(n0->n_devices, 2);
	assert_string_equal(n0->devices[0], "/pl011@9000000"); /* sorted */
	assert_int_equal(n0->n_irqs, 2);
	assert_int_equal(n0->irqs[0].irq, 33);
	assert_int_equal(n0->irqs[1].irq, 34);
	done(&fx);
}

/* Unmodified seL4 routes every SPI to the kernel started last (node 0,
 * on cpu 0): a device with an SPI anywhere else is warned about. */
static void spi_routing(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 2, HEAD "nodes:\n  - {id: 0, memory: 64M, devices: [/pl031@9010000]}\n"
					      "  - {id: 1, memory: 64M, devices: [/pl011@9000000]}\n"),
			 0);
	size_t warnings = 0;
	for (size_t i = 0; i < fx.d.n; i++) {
		if (fx.d.v[i].level != DIAG_WARNING)
			continue;
		warnings++;
		assert_int_equal(fx.d.v[i].loc.line, 5);
		assert_non_null(strstr(fx.d.v[i].msg, "node 1: device '/pl011@9000000' interrupts with SPI 1,"));
		assert_non_null(strstr(fx.d.v[i].msg, "(give the device to node 0)"));
	}
	assert_int_equal(warnings, 1);
	done(&fx);
}

static void sgi_allocation(void **state)
{
	(void)state;
	struct fixture fx = {0};
	/* a star: node 0 talks both ways with 1, 2 and 3, plus a fixed SGI */
	assert_int_equal(plan_yaml(&fx, 4, HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n"
					      "  - {id: 2, memory: 64M}\n  - {id: 3, memory: 64M}\n"
					      "channels:\n  - {from: 0, to: 1}\n  - {from: 1, to: 0}\n  - {from: 0, to: 2}\n"
					      "  - {from: 2, to: 0, sgi: 0}\n  - {from: 0, to: 3}\n  - {from: 3, to: 0}\n"),
			 0);
	const struct plan *p = &fx.p;
	/* explicit sgi 0 for 2->0 is taken first; the rest avoid every sgi either end uses */
	assert_int_equal(p->channels[3].sgi, 0);
	assert_int_equal(p->channels[0].sgi, 1);
	assert_int_equal(p->channels[1].sgi, 2);
	assert_int_equal(p->channels[2].sgi, 3);
	assert_int_equal(p->channels[4].sgi, 4);
	assert_int_equal(p->channels[5].sgi, 5);
	/* every SGI node 0 receives is distinct */
	unsigned seen = 0;
	for (size_t i = 0; i < p->nodes[0].n_sgis; i++)
		if (p->nodes[0].sgis[i].to == 0) {
			assert_false(seen & (1u << p->nodes[0].sgis[i].sgi));
			seen |= 1u << p->nodes[0].sgis[i].sgi;
		}
	done(&fx);
}

static void sgis_exhausted(void **state)
{
	(void)state;
	struct fixture fx = {0};
	/* 17 channels into node 0: the 17th has no SGI left */
	char yaml[4096];
	int k = snprintf(yaml, sizeof(yaml), HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\nchannels:\n");
	for (int i = 0; i < 17; i++)
		k += snprintf(yaml + k, sizeof(yaml) - (size_t)k, "  - {from: 1, to: 0}\n");
	assert_int_equal(plan_yaml(&fx, 2, yaml), -1);
	assert_error(&fx, "sgi-exhausted", 6 + 17);
	done(&fx);
}

static void determinism(void **state)
{
	(void)state;
	const char *yaml = HEAD "console: /pl011@9000000\nshared_pools:\n  - {name: z, size: 8M, nodes: [2, 0]}\n"
				"nodes:\n  - {id: 2, memory: 32M}\n  - {id: 0, memory: 64M}\n"
				"channels:\n  - {from: 0, to: 2}\n";
	char *out[2];
	for (int i = 0; i < 2; i++) {
		struct fixture fx = {0};
		assert_int_equal(plan_yaml(&fx, 2, yaml), 0);
		size_t len;
		FILE *f = open_memstream(&out[i], &len);
		report_json(f, &fx.p);
		report_text(f, &fx.p);
		report_svg(f, &fx.p);
		fclose(f);
		done(&fx);
	}
	assert_string_equal(out[0], out[1]);
	assert_non_null(strstr(out[0], "\"nodes\": [0, 2]"));
	free(out[0]);
	free(out[1]);
}

/* With two or more nodes the planner adds its own pool: every node a
 * member, 64 bytes a node rounded up to 4 KiB, placed after the manifest's
 * size-only pools, zeroed at boot. One node has none. */
/* The bootloader's region the manifest names: the default loader region
 * goes past it (and the nodes may use it: U-Boot is gone when they run). */
static void loader_avoids_bootloader(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 2, HEAD "loader: {size: 32M, bootloader: {base: 0x40400000, size: 4M}}\n"
					      "nodes:\n  - {id: 0, memory: 4M}\n"),
			 0);
	assert_int_equal(fx.p.loader.base, 0x40800000); /* not 0x40200000: [0x40200000, 0x42200000) overlaps it */
	assert_int_equal(fx.p.loader.size, 32 * MiB);
	assert_int_equal(fx.p.nodes[0].memory[0].base, 0x40200000);
	done(&fx);
}

static void sync_pool(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 3, HEAD "shared_pools:\n  - {name: z, size: 2M, nodes: [5]}\n"
					      "nodes:\n  - {id: 5, memory: 64M}\n  - {id: 2, memory: 64M}\n"
					      "  - {id: 9, memory: 64M}\n"),
			 0);
	const struct plan *p = &fx.p;
	assert_int_equal(p->n_pools, 2);
	const struct plan_pool *sp = &p->pools[0]; /* by name: "mkimg-sync" < "z" */
	assert_string_equal(sp->name, PLAN_SYNC_POOL);
	assert_true(plan_pool_is_own(sp));
	assert_false(plan_pool_is_own(&p->pools[1]));
	assert_int_equal(sp->r.size, 0x1000);
	assert_int_equal(sp->r.base, 0x54200000 + 2 * MiB); /* after the loader, the nodes and 'z' */
	assert_false(sp->keep);
	assert_int_equal(sp->n_nodes, 3);
	for (size_t i = 0; i < p->n_nodes; i++) {
		assert_int_equal(sp->nodes[i], p->nodes[i].id); /* slot i: the node at plan.nodes[i] */
		assert_int_equal(p->nodes[i].pools[0], 0);
	}
	done(&fx);

	/* 65 nodes: 65 * 64 bytes is more than a page */
	char yaml[8192];
	int k = snprintf(yaml, sizeof(yaml), HEAD "nodes:\n");
	for (int i = 0; i < 65; i++)
		k += snprintf(yaml + k, sizeof(yaml) - (size_t)k, "  - {id: %d, memory: 2M}\n", i);
	assert_int_equal(plan_yaml(&fx, 65, yaml), 0);
	assert_int_equal(fx.p.n_pools, 1);
	assert_int_equal(fx.p.pools[0].r.size, 0x2000);
	assert_int_equal(fx.p.pools[0].n_nodes, 65);
	done(&fx);

	assert_int_equal(plan_yaml(&fx, 2, HEAD "nodes:\n  - {id: 0, memory: 64M}\n"), 0);
	assert_int_equal(fx.p.n_pools, 0);
	assert_int_equal(fx.p.nodes[0].n_pools, 0);
	done(&fx);
}

/* 16 pools of the manifest and mkimg's own: one more than a node maps. */
static void node_pools_max(void **state)
{
	(void)state;
	struct fixture fx = {0};
	char yaml[4096];
	int k = snprintf(yaml, sizeof(yaml), HEAD "shared_pools:\n");
	for (unsigned i = 0; i < PLAN_NODE_POOLS_MAX; i++)
		k += snprintf(yaml + k, sizeof(yaml) - (size_t)k, "  - {name: p%u, size: 4K, nodes: [1]}\n", i);
	k += snprintf(yaml + k, sizeof(yaml) - (size_t)k, "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n");
	assert_int_equal(plan_yaml(&fx, 2, yaml), -1);
	assert_error(&fx, "node-pools", 3 + PLAN_NODE_POOLS_MAX + 3); /* node 1's line */
	done(&fx);
}

/* One case per check: the manifest, the check, the line it must point at. */
static const struct bad {
	const char *yaml;
	unsigned ncpus;
	const char *check;
	unsigned line;
} bad[] = {
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 256M}]}\n"
	      "  - {id: 1, memory: [{base: 0x48000000, size: 256M}]}\n",
	 2, "memory-overlap", 5},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0x40100000, size: 256M}]}\n", 2, "memory-align", 4},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 3M}]}\n", 2, "memory-align", 4},
	{HEAD "nodes:\n  - {id: 0, memory: 3M}\n", 2, "memory-align", 4},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0x20000000, size: 256M}]}\n", 2, "memory-outside-ram", 4},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0xbfe00000, size: 4M}]}\n", 2, "memory-outside-ram", 4},
	{HEAD "nodes:\n  - {id: 0, memory: 1G}\n  - {id: 1, memory: 1100M}\n", 2, "memory-exhausted", 5},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 0}]}\n", 2, "memory-size", 4},
	{HEAD "nodes:\n  - {id: 0, memory: [{base: 0xffffffffffe00000, size: 4M}]}\n", 2, "memory-size", 4},
	{HEAD "shared_pools:\n  - {name: p, base: 0x40000000, size: 2M, nodes: [0]}\n"
	      "nodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 256M}]}\n",
	 2, "pool-in-node", 4},
	{HEAD "shared_pools:\n  - {name: p, base: 0x60000000, size: 2M, nodes: [0]}\n"
	      "  - {name: q, base: 0x60100000, size: 2M, nodes: [0]}\nnodes:\n  - {id: 0, memory: 64M}\n",
	 2, "pool-overlap", 5},
	{HEAD "shared_pools:\n  - {name: p, base: 0x60000800, size: 2M, nodes: [0]}\nnodes:\n  - {id: 0, memory: 64M}\n",
	 2, "pool-align", 4},
	{HEAD "shared_pools:\n  - {name: p, base: 0x10000000, size: 2M, nodes: [0]}\nnodes:\n  - {id: 0, memory: 64M}\n",
	 2, "pool-outside-ram", 4},
	{HEAD "shared_pools:\n  - {name: p, size: 2M, nodes: [0]}\n  - {name: p, size: 2M, nodes: [0]}\n"
	  "nodes:\n  - {id: 0, memory: 64M}\n",
	 2, "pool-duplicate", 5},
	{HEAD "shared_pools:\n  - {name: p, size: 2M, nodes: [0, 7]}\nnodes:\n  - {id: 0, memory: 64M}\n", 2,
	 "pool-node-unknown", 4},
	{HEAD "shared_pools:\n  - {name: p, size: 2M, nodes: [0, 0]}\nnodes:\n  - {id: 0, memory: 64M}\n", 2,
	 "pool-node-twice", 4},
	{HEAD "shared_pools:\n  - {name: mkimg-x, size: 4K, nodes: [0]}\nnodes:\n  - {id: 0, memory: 64M}\n", 2, "name",
	 4},
	{HEAD "loader: {base: 0xbfe00000, size: 2M}\nnodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 1G}]}\n"
	 "  - {id: 1, memory: 1022M}\n", 2,
	 "memory-exhausted", 1}, /* no room for mkimg-sync: located at the manifest's top */
	{HEAD "loader: {size: 2M}\nnodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 2G}]}\n", 2, "loader-no-room", 3},
	{HEAD "loader: {base: 0xbe000000, size: 32M, bootloader: {base: 0xbdc00000, size: 36M}}\nnodes:\n  - {id: 0, memory: 64M}\n",
	 2, "loader-bootloader", 3},
	{HEAD "loader: {base: 0x40000000}\nnodes:\n  - {id: 0, memory: [{base: 0x40000000, size: 64M}]}\n", 2,
	 "loader-overlap", 3},
	{HEAD "nodes:\n  - {id: 0, cpus: [2], memory: 64M}\n", 2, "cpu-range", 4},
	{HEAD "nodes:\n  - {id: 0, cpus: [1], memory: 64M}\n  - {id: 1, cpus: [1], memory: 64M}\n", 2, "cpu-twice", 5},
	{HEAD "nodes:\n  - {id: 0, cpus: [0, 0], memory: 64M}\n", 2, "cpu-twice", 4},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\n  - {id: 2, memory: 64M}\n", 2, "cpu-none",
	 6},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 0, memory: 64M}\n", 2, "node-duplicate", 5},
	{HEAD "nodes:\n  - {id: 0, memory: 64M, devices: [/nope@0]}\n", 2, "device-unknown", 4},
	{HEAD "nodes:\n  - {id: 0, memory: 64M, devices: [/pl011@9000000]}\n"
	      "  - {id: 1, memory: 64M, devices: [/pl011@9000000]}\n",
	 2, "device-twice", 5},
	{HEAD "nodes:\n  - {id: 0, memory: 64M, devices: [/intc@8000000]}\n", 2, "device-essential", 4},
	{HEAD "console: /pl011@9000000\nnodes:\n  - {id: 0, memory: 64M, devices: [/pl011@9000000]}\n", 2,
	 "console-owned", 5},
	{HEAD "platform: {dtb: b.dtb, spis: 1}\n", 2, "duplicate-key", 3},
	{"name: t\nplatform: {dtb: b.dtb, spis: 1}\nnodes:\n  - {id: 0, memory: 64M, devices: [/pl031@9010000]}\n", 2,
	 "irq-range", 4},
	{"name: t\nplatform: {dtb: b.dtb, spis: 2000}\nnodes:\n  - {id: 0, memory: 64M}\n", 2, "gic-spis", 2},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\nchannels:\n  - {from: 0, to: 5}\n", 2, "channel-node-unknown", 6},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\nchannels:\n  - {from: 0, to: 0}\n", 2, "channel-self", 6},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\nchannels:\n  - {from: 0, to: 1, sgi: 16}\n",
	 2, "sgi-range", 7},
	{HEAD "nodes:\n  - {id: 0, memory: 64M}\n  - {id: 1, memory: 64M}\nchannels:\n  - {from: 0, to: 1, sgi: 3}\n"
	      "  - {from: 0, to: 1, sgi: 3}\n",
	 2, "sgi-twice", 8},
};

static void bad_plans(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fixture fx = {0};
		board(&fx.pf, bad[i].ncpus);
		int r = manifest_parse(&fx.m, "t.yaml", bad[i].yaml, strlen(bad[i].yaml), &fx.d);
		if (r == 0)
			r = plan_build(&fx.p, &fx.m, &fx.pf, &fx.d);
		if (r != -1)
			print_error("case %zu (%s) passed\n", i, bad[i].check);
		assert_int_equal(r, -1);
		assert_error(&fx, bad[i].check, bad[i].line);
		done(&fx);
	}
}

static void sgi_target_gicv2(void **state)
{
	(void)state;
	struct fixture fx = {0};
	assert_int_equal(plan_yaml(&fx, 10, HEAD "nodes:\n  - {id: 0, cpus: [0], memory: 64M}\n"
					       "  - {id: 1, cpus: [9], memory: 64M}\nchannels:\n  - {from: 0, to: 1}\n"),
			 -1);
	assert_error(&fx, "sgi-target", 7);
	done(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_only_first_fit), cmocka_unit_test(explicit_talk_layout),
		cmocka_unit_test(disabled_cpus),       cmocka_unit_test(psci_from_manifest),
		cmocka_unit_test(devices_and_irqs),    cmocka_unit_test(spi_routing),
		cmocka_unit_test(sgi_allocation),
		cmocka_unit_test(sgis_exhausted),      cmocka_unit_test(determinism),
		cmocka_unit_test(bad_plans),           cmocka_unit_test(sgi_target_gicv2),
		cmocka_unit_test(loader_avoids_bootloader), cmocka_unit_test(sync_pool),           cmocka_unit_test(node_pools_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
