/* SPDX-License-Identifier: BSD-2-Clause */
/* shim.c - see CMakeLists.txt. Reads its orders from a parameter block the
 * test places at SHIM_PARAMS, one record per core. */
#include <stdint.h>

#define SHIM_PARAMS 0xbf100000ull
#define SHIM_MAGIC 0x4d494853u /* "SHIM" */
#define MAX_CORES 8

struct core {
	uint64_t mpidr;  /* target for CPU_ON */
	uint64_t entry, vbase, pbase, size; /* the kernel: virtual entry, its mapping */
	uint64_t x[6];   /* x0..x5 */
	uint64_t tpidr;
	uint64_t mair;   /* 0: seL4's */
	uint64_t tcr_t1sz; /* 0: 16 */
	uint64_t poke_pa, poke_value; /* if poke_pa: dirty the kernel's BSS there */
};

struct params {
	uint32_t magic, n_cores;
	struct core core[MAX_CORES];
};

#define SEL4_MAIR 0x0000bbff440c0400ull /* 0 nGnRnE, 1 nGnRE, 2 GRE, 3 NC, 4 WB, 5 WT */

typedef uint64_t table_t[512] __attribute__((aligned(4096)));
static table_t id_l0[MAX_CORES], id_l1[MAX_CORES], k_l0[MAX_CORES], k_l1[MAX_CORES], k_l2[MAX_CORES];

void shim_enter(const uint64_t *args, uint64_t entry);
void shim_secondary(void);

static void map(unsigned c, const struct core *k)
{
	/* TTBR0: identity, 1 GiB blocks: device below RAM, write-back above. */
	id_l0[c][0] = (uint64_t)id_l1[c] | 3;
	for (uint64_t g = 0; g < 4; g++)
		id_l1[c][g] = g << 30 | 1 | (g ? 4 << 2 | 3 << 8 : 0) | 1 << 10;
	/* TTBR1: the kernel window, 2 MiB blocks. */
	k_l0[c][(k->vbase >> 39) & 511] = (uint64_t)k_l1[c] | 3;
	k_l1[c][(k->vbase >> 30) & 511] = (uint64_t)k_l2[c] | 3;
	for (uint64_t off = 0; off < k->size || off == 0; off += 0x200000)
		k_l2[c][((k->vbase + off) >> 21) & 511] = (k->pbase + off) | 1 | 4 << 2 | 3 << 8 | 1 << 10;
}

static void mmu_on(unsigned c, const struct core *k)
{
	uint64_t pa_range, sctlr, t1sz = k->tcr_t1sz ? k->tcr_t1sz : 16;
	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(pa_range));
	uint64_t tcr = 16 | 1 << 8 | 1 << 10 | 3 << 12 | t1sz << 16 | 1 << 24 | 1 << 26 | 3 << 28 |
		       2ull << 30 | (pa_range & 7) << 32;
	__asm__ volatile("msr mair_el1, %0\n\tmsr tcr_el1, %1\n\tmsr ttbr0_el1, %2\n\tmsr ttbr1_el1, %3\n\t"
			 "isb\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::"r"(k->mair ? k->mair : SEL4_MAIR),
			 "r"(tcr), "r"(id_l0[c]), "r"(k_l0[c]) : "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= 1 | 1 << 2 | 1 << 12;
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(sctlr) : "memory");
}

static void cpu_on(uint64_t mpidr, uint64_t index)
{
	register uint64_t x0 __asm__("x0") = 0xc4000003;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = (uint64_t)shim_secondary;
	register uint64_t x3 __asm__("x3") = index;
	__asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
}

void shim_main(uint64_t c)
{
	const struct params *p = (const struct params *)SHIM_PARAMS;
	if (p->magic != SHIM_MAGIC || c >= p->n_cores || c >= MAX_CORES)
		return;
	if (c == 0)
		for (uint64_t i = 1; i < p->n_cores && i < MAX_CORES; i++)
			cpu_on(p->core[i].mpidr, i);
	map((unsigned)c, &p->core[c]);
	mmu_on((unsigned)c, &p->core[c]);
	if (p->core[c].poke_pa)
		*(volatile uint64_t *)p->core[c].poke_pa = p->core[c].poke_value; /* identity mapped */
	__asm__ volatile("msr tpidr_el1, %0" ::"r"(p->core[c].tpidr));
	shim_enter(p->core[c].x, p->core[c].entry);
}
