/* SPDX-License-Identifier: BSD-2-Clause */
/* arch.h - the few AArch64 system registers, barriers and page-table bits
 * the demo kernel uses, and the addresses of seL4's kernel virtual layout.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* seL4's AArch64 (EL1, 48-bit VA) kernel virtual address space: all in the
 * top 512 GiB, TTBR1's last level-0 entry. */
#define PPTR_BASE 0xffffff8000000000ull /* physical memory window: va = PPTR_BASE + pa */
#define PPTR_TOP 0xffffffffc0000000ull  /* end of the window; fixed KERNEL_ELF_BASE on seL4 master */
#define KDEV_BASE 0xffffffffffe00000ull /* kernel devices: one table of 4 KiB pages */

#define PAGE_SIZE 0x1000ull
#define BLOCK_2M 0x200000ull

/* MAIR attribute indices seL4 relies on: the loader sets MAIR, the kernel
 * never does (EL1 build). */
#define MAIR_IDX_DEVICE_nGnRnE 0
#define MAIR_IDX_NORMAL 4
#define MAIR_NORMAL_WB 0xffull /* inner/outer write-back, read/write-allocate */
#define MAIR_DEVICE 0x00ull

/* Translation descriptors (4 KiB granule). */
#define PTE_TABLE 3ull          /* level 0-2: next-level table */
#define PTE_BLOCK 1ull          /* level 1-2: block */
#define PTE_PAGE 3ull           /* level 3: page */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_EL0_RW (1ull << 6) /* AP[2:1] = 01: read-write at EL1 and EL0 */
#define PTE_AP_RO (3ull << 6)     /* AP[2:1] = 11: read-only at EL1 and EL0 */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)     /* access flag: without it the first access faults */
#define PTE_NG (1ull << 11)     /* not global: a root task's, tagged with its ASID */
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

/* SCTLR_EL1 bits. */
#define SCTLR_M (1ull << 0) /* MMU */
#define SCTLR_C (1ull << 2) /* data caches */

/* One reader per system register: a register name cannot be a parameter. */
#define SYSREG_READ(reg)                                                       \
	static inline uint64_t read_##reg(void)                                \
	{                                                                      \
		uint64_t v;                                                    \
		__asm__ volatile("mrs %0, " #reg : "=r"(v));                   \
		return v;                                                      \
	}
SYSREG_READ(currentel)
SYSREG_READ(sctlr_el1)
SYSREG_READ(mair_el1)
SYSREG_READ(tcr_el1)
SYSREG_READ(tpidr_el1)
SYSREG_READ(par_el1)
SYSREG_READ(ctr_el0)
SYSREG_READ(cntfrq_el0)
SYSREG_READ(esr_el1)
SYSREG_READ(elr_el1)
SYSREG_READ(far_el1)
SYSREG_READ(mpidr_el1)

/* The GICv3 CPU interface's system registers, by encoding (so any
 * assembler takes them). */
#define SYSREG_RW(name, enc)                                                   \
	static inline uint64_t read_##name(void)                               \
	{                                                                      \
		uint64_t v;                                                    \
		__asm__ volatile("mrs %0, " enc : "=r"(v));                    \
		return v;                                                      \
	}                                                                      \
	static inline void write_##name(uint64_t v)                            \
	{                                                                      \
		__asm__ volatile("msr " enc ", %0" : : "r"(v) : "memory");     \
	}
SYSREG_RW(icc_pmr_el1, "S3_0_C4_C6_0")
SYSREG_RW(icc_iar1_el1, "S3_0_C12_C12_0")
SYSREG_RW(icc_eoir1_el1, "S3_0_C12_C12_1")
SYSREG_RW(icc_bpr1_el1, "S3_0_C12_C12_3")
SYSREG_RW(icc_sre_el1, "S3_0_C12_C12_5")
SYSREG_RW(icc_igrpen1_el1, "S3_0_C12_C12_7")
SYSREG_RW(icc_sgi1r_el1, "S3_0_C12_C11_5")

static inline uint64_t read_cntvct(void)
{
	uint64_t v;
	/* isb: the counter is read in program order, not speculated early. */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/* Full system: also orders Device accesses (the shared pools, the GIC). */
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline _Noreturn void halt(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

/* Symbols of linker/kernel.ld. */
extern char _start[], __zero_start[], __bss_end[], ki_end[];

#endif
