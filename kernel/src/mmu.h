/* SPDX-License-Identifier: BSD-2-Clause */
/* mmu.h - the kernel's own page tables.
 *
 * The loader's tables are only good enough to reach the entry point: they
 * map this image (and the loader itself), nothing else. Like seL4, the
 * kernel then builds its own TTBR1 tables and switches to them:
 *   - the physical memory window, va = PPTR_BASE + pa, over the node's
 *     usable RAM in 2 MiB blocks (Normal write-back, MAIR index 4);
 *     with seL4's older layout the image lies inside it;
 *   - the image at KERNEL_VBASE, when that is outside the window (seL4
 *     master's fixed KERNEL_ELF_BASE);
 *   - the console UART, one 4 KiB Device-nGnRnE page (MAIR index 0) at
 *     KDEV_BASE, as seL4 maps its kernel devices; later the GIC's pages
 *     and the sync pool's (the console lock) beside it (mmu_map_device).
 * TTBR0 (the loader's identity map) is left alone until, as seL4 does, the
 * kernel replaces it with its root task's address space (mmu_map_user).
 */
#ifndef KERNEL_MMU_H
#define KERNEL_MMU_H

#include <stdbool.h>
#include <stdint.h>

/* Physical address of a byte of this image (a link-time constant offset). */
uint64_t image_pa(const void *va);
/* The physical address the current tables translate `va` to (AT S1E1R),
 * or ~0 when it is not mapped. */
uint64_t mmu_translate(uint64_t va);

/* Build the tables and switch TTBR1 to them. */
void mmu_take_over(void);
/* Whether [pa, pa + size) lies in the window, and its address there. */
bool window_covers(uint64_t pa, uint64_t size);
const void *window_va(uint64_t pa);
/* Where the console's registers appear once mmu_take_over() ran. */
uint64_t uart_va(void);

/* The kernel's device pages, one 4 KiB slot each from KDEV_BASE; the sync
 * pool (the console lock) takes KDEV_SYNC_PAGES from KDEV_SYNC. */
#define KDEV_SYNC_PAGES 16
enum kdev_slot { KDEV_UART, KDEV_GICD, KDEV_GICC, KDEV_GICR, KDEV_GICR_SGI, KDEV_SCRATCH, KDEV_SYNC };
/* Map the page holding `pa` (Device-nGnRnE) at `slot`, replacing what was
 * there; returns the virtual address of `pa`. */
uint64_t mmu_map_device(enum kdev_slot slot, uint64_t pa);

/* The root task's address space: TTBR0 tables from a fixed pool. */
#define USER_VA_TOP (1ull << 48)
enum user_map {
	USER_IMAGE,     /* its ELF image: Normal write-back, read-write-execute at EL0 */
	USER_READ_ONLY, /* the boot info page: Normal write-back, read-only, no execute */
	USER_UNCACHED,  /* a shared pool: Device-nGnRnE, read-write, no execute */
};
/* Start an empty address space. */
void mmu_user_reset(void);
/* Map [va, va + size) to [pa, ...), page aligned, in 2 MiB blocks where
 * both are aligned; false when a page is mapped already, the range is not
 * page aligned or not below USER_VA_TOP, or the tables ran out. */
bool mmu_map_user(uint64_t va, uint64_t pa, uint64_t size, enum user_map kind);
/* The level-0 table's physical address, for TTBR0, with every table
 * cleaned to the point of coherency for the walker. */
uint64_t mmu_user_root(void);
/* Whether EL0 may read `va` through TTBR0 now (AT S1E0R). */
bool mmu_user_readable(uint64_t va);

#endif
