/* plan.h - the partition plan: who owns which RAM, pools, CPUs, devices,
 * interrupts and SGIs, where the loader lives and the order nodes boot in.
 *
 * plan_build() is pure: no I/O, no globals; the same manifest and platform
 * give the same plan. Every problem becomes a diagnostic named after its
 * check (see plan_checks[]) and located at the manifest value that caused it.
 */
#ifndef MKIMG_PLAN_H
#define MKIMG_PLAN_H

#include "manifest.h"
#include "platform.h"

#define PLAN_RAM_ALIGN 0x200000ull /* node RAM: seL4 links its kernel at a 2 MiB boundary */
#define PLAN_POOL_ALIGN 0x1000ull  /* explicit pools: page aligned */
#define PLAN_LOADER_SIZE 0x1000000ull /* default room for loader + payload: 16 MiB */
#define PLAN_SGI_COUNT 16u         /* SGI ids 0..15 */

struct plan_cpu {
	unsigned index;
	uint64_t mpidr;
	enum pf_enable enable;
};

struct plan_irq {
	unsigned irq;
	enum pf_irq_type type;
	uint32_t flags;
	const char *device; /* the platform's device path */
};

struct plan_sgi {
	unsigned sgi;
	unsigned from, to; /* node ids */
};

struct plan_pool {
	const char *name;
	struct mk_range r;
	unsigned *nodes; /* ids, ascending */
	size_t n_nodes;
	bool keep; /* the loader leaves its contents; else it zeroes it before any kernel runs */
	struct mk_loc loc;
};

struct plan_node {
	unsigned id;
	struct mk_loc loc;
	const struct mf_node *mf;
	struct plan_cpu *cpus;
	size_t n_cpus;
	struct mk_range *memory; /* ascending; memory[0].base is the kernel's physical base */
	size_t n_memory;
	struct mk_range *reserved; /* all board RAM the node does not own, minus the pools */
	size_t n_reserved;
	size_t *pools; /* indices into plan.pools, by name */
	size_t n_pools;
	const char **devices; /* sorted */
	size_t n_devices;
	struct plan_irq *irqs; /* by irq */
	size_t n_irqs;
	struct plan_sgi *sgis; /* every SGI the node sends or receives, by sgi then from */
	size_t n_sgis;
	unsigned boot_index; /* position in plan.boot_order */
};

struct plan {
	const struct manifest *mf;
	const struct platform *pf;
	const char *name;
	unsigned gic_spis;
	const char *console; /* shared debug console path, or NULL */
	struct mk_range loader;
	struct plan_pool *pools; /* by name */
	size_t n_pools;
	struct plan_node *nodes; /* by id */
	size_t n_nodes;
	struct plan_sgi *channels; /* in manifest order */
	size_t n_channels;
	unsigned *boot_order; /* node ids, in the order the loader starts them */
	size_t n_boot;
};

struct plan_check {
	const char *name;
	const char *what;
};
/* Every check the planner can report, by name; `mkimg check --list` prints it. */
extern const struct plan_check plan_checks[];

int plan_build(struct plan *p, const struct manifest *m, const struct platform *pf, struct diags *d);
void plan_free(struct plan *p);
const struct plan_node *plan_node_by_id(const struct plan *p, unsigned id);
/* The orders the plan's lists are kept in: nodes by id, SGIs by number then
 * sender then receiver, pools by name. */
int plan_cmp_node(const void *a, const void *b);
int plan_cmp_sgi(const void *a, const void *b);
int plan_cmp_pool(const void *a, const void *b);

/* Emitters (report.c). */
void report_text(FILE *f, const struct plan *p);
void report_json(FILE *f, const struct plan *p);
void report_svg(FILE *f, const struct plan *p);

#endif
