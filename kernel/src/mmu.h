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
 *     KDEV_BASE, as seL4 maps its kernel devices.
 * TTBR0 (the loader's identity map) is left alone: seL4 replaces it with
 * its root task's address space later.
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

#endif
