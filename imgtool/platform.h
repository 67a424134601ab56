/* SPDX-License-Identifier: BSD-2-Clause */
/* platform.h - what mkimg needs to know about a board, read from its
 * flattened device tree with libfdt.
 *
 * platform_parse() only reads a blob in memory; platform_load() reads a
 * file first (a .dts, or any file that is not a DTB, is compiled with `dtc`).
 */
#ifndef MKIMG_PLATFORM_H
#define MKIMG_PLATFORM_H

#include "util.h"

enum pf_enable { PF_ENABLE_NONE, PF_ENABLE_PSCI, PF_ENABLE_SPIN_TABLE };
enum pf_psci { PF_PSCI_NONE, PF_PSCI_SMC, PF_PSCI_HVC };

struct pf_cpu {
	unsigned index;  /* position among /cpus cpu nodes, in tree order */
	uint64_t mpidr;  /* from `reg`: the affinity fields */
	char *path;      /* "/cpus/cpu@0" */
	enum pf_enable enable;
	uint64_t release_addr; /* spin-table: cpu-release-addr */
	const char *status;    /* "disabled" or "fail...": not to be used; NULL when usable */
	char *problem;         /* what the tree says wrongly of it, or NULL (then a node may not use it) */
};

/* An interrupt routed to the GIC. `irq` is the GIC interrupt id (SPI n is
 * 32 + n, PPI n is 16 + n). */
enum pf_irq_type { PF_IRQ_SPI, PF_IRQ_PPI };
struct pf_irq {
	unsigned irq;
	enum pf_irq_type type;
	uint32_t flags; /* the third cell: trigger type (1 edge rising, 4 level high, ...) */
};

struct pf_device {
	char *path;
	char *compatible; /* first string, or NULL */
	struct mk_range *regs;
	size_t n_regs;
	struct pf_irq *irqs;
	size_t n_irqs;
	bool disabled;     /* status = "disabled" */
	bool essential;    /* GIC or architected timer: every node keeps it */
	uint32_t phandle;  /* 0 if none */
	char *problem;     /* what the tree says wrongly of it, or NULL (then no node may own it) */
};

struct pf_gic {
	unsigned version;  /* 2 or 3; 0 = none found */
	char *path;
	struct mk_range dist;  /* distributor */
	struct mk_range cpuif; /* v2: CPU interface; v3: redistributors */
	uint32_t phandle;
};

struct platform {
	char *path;  /* the file as given */
	char *model; /* /model, or NULL */
	struct mk_range *ram; /* /memory banks as the tree states them, normalized */
	size_t n_ram;
	const char *no_ram;   /* why the tree states no RAM (then n_ram is 0), or NULL: not an
			       * error here, as the manifest may give the RAM (plan_build() decides) */
	struct mk_range *reserved; /* /reserved-memory children and /memreserve/, normalized */
	size_t n_reserved;
	struct mk_range *usable; /* ram minus reserved */
	size_t n_usable;
	struct pf_cpu *cpus;
	size_t n_cpus;
	enum pf_psci psci;
	struct pf_gic gic;
	struct pf_device *devices; /* every node with `reg` or interrupts, tree order */
	size_t n_devices;
	void *fdt;        /* the blob, owned */
	size_t fdt_size;
};

/* A defect of the tree in a cpu or a device (a bad 'reg', an interrupt out
 * of range, a cpu that cannot be started) is a warning here and recorded as
 * its `problem`: the plan refuses it only if a node uses it. Defects of the
 * tree as a whole, its memory, the GIC or the timer are errors.
 *
 * Read a DTB (or compile a DTS with dtc) and parse it. Errors name `path`
 * and, where the tree is at fault, the node path. */
int platform_load(struct platform *p, const char *path, struct diags *d);
/* Read a file that must be a DTB (the manifest's `dtb:`): never compiled,
 * so a damaged blob is reported as one rather than as DTS syntax. */
int platform_load_dtb(struct platform *p, const char *path, struct diags *d);
/* Parse a blob; takes ownership of `fdt` (malloc'd) on success and failure. */
int platform_parse(struct platform *p, const char *path, void *fdt, size_t size, struct diags *d);
void platform_free(struct platform *p);

const struct pf_device *platform_find_device(const struct platform *p, const char *path);
const char *pf_psci_name(enum pf_psci m);
const char *pf_enable_name(enum pf_enable e);

#endif
