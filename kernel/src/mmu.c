/* SPDX-License-Identifier: BSD-2-Clause */
/* mmu.c - see mmu.h. */
#include "mmu.h"

#include "arch.h"
#include "fdt.h"
#include "kernel_config.h"

#define ENTRIES 512
#define L0_INDEX(va) (((va) >> 39) & (ENTRIES - 1))
#define L1_INDEX(va) (((va) >> 30) & (ENTRIES - 1))
#define L2_INDEX(va) (((va) >> 21) & (ENTRIES - 1))
#define L3_INDEX(va) (((va) >> 12) & (ENTRIES - 1))
#define USER_TABLES 64

#define NORMAL_BLOCK (PTE_BLOCK | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define DEVICE_PAGE (PTE_PAGE | PTE_ATTR(MAIR_IDX_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN)

static const struct mem_range avail[KERNEL_AVAIL_COUNT] = KERNEL_AVAIL_INIT;

/* One level-1 table covers all of seL4's kernel space (TTBR1's last 512
 * GiB): entries 0..510 are the window, 511 holds the image (fixed layout)
 * and the device page table. kernel_base counts the window's GiB slots. */
typedef uint64_t table_t[ENTRIES] __attribute__((aligned(4096)));
static table_t l0, l1, l2_top, l3_dev;
static table_t l2_window[KERNEL_WINDOW_GIBS];
static unsigned l2_window_used;
/* The root task's tables (TTBR0), taken from a pool as they are needed. */
static table_t user_tables[USER_TABLES];
static unsigned user_tables_used;

/* What each kind of user mapping is (see mmu.h). The root task's own
 * memory is shareable like the kernel's window onto the same RAM; a pool
 * is Device-nGnRnE, seL4's uncached user mapping. Nothing a root task can
 * write is executable at EL1, and nothing but its image at EL0. */
static const uint64_t user_attrs[] = {
	[USER_IMAGE] = PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_AP_EL0_RW | PTE_PXN,
	[USER_READ_ONLY] = PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_AP_RO | PTE_PXN | PTE_UXN,
	[USER_UNCACHED] = PTE_ATTR(MAIR_IDX_DEVICE_nGnRnE) | PTE_AF | PTE_NG | PTE_AP_EL0_RW | PTE_PXN | PTE_UXN,
};

uint64_t image_pa(const void *va)
{
	return (uint64_t)va - (KERNEL_VBASE - KERNEL_PADDR);
}

uint64_t mmu_translate(uint64_t va)
{
	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va) : "memory");
	uint64_t par = read_par_el1();
	return (par & 1) ? ~0ull : (par & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
}

/* The level-2 table for `va`'s GiB, taken from the pool on first use. */
static uint64_t *l2_for(uint64_t va)
{
	uint64_t *slot = &l1[L1_INDEX(va)];
	if (L1_INDEX(va) == ENTRIES - 1)
		return l2_top;
	for (unsigned i = 0; i < l2_window_used; i++)
		if ((*slot & PTE_ADDR_MASK) == image_pa(l2_window[i]))
			return l2_window[i];
	uint64_t *t = l2_window[l2_window_used++];
	*slot = image_pa(t) | PTE_TABLE;
	return t;
}

static void map_2m(uint64_t va, uint64_t pa)
{
	l2_for(va)[L2_INDEX(va)] = pa | NORMAL_BLOCK;
}

static void clear(uint64_t *t)
{
	for (unsigned i = 0; i < ENTRIES; i++)
		t[i] = 0;
}

/* The tables may be walked without the data cache (TCR_EL1.IRGN1 is the
 * loader's choice): make them visible at the point of coherency. */
static void clean_to_poc(const void *p, uint64_t size)
{
	uint64_t line = 4ull << ((read_ctr_el0() >> 16) & 0xf);
	for (uint64_t a = (uint64_t)p & ~(line - 1); a < (uint64_t)p + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
}

static void build_tables(void)
{
	/* BSS should be zero, but that is what we are checking: never trust it. */
	clear(l0), clear(l1), clear(l2_top), clear(l3_dev);
	l2_window_used = 0;
	for (unsigned i = 0; i < KERNEL_WINDOW_GIBS; i++)
		clear(l2_window[i]);
	l0[ENTRIES - 1] = image_pa(l1) | PTE_TABLE;
	l1[ENTRIES - 1] = image_pa(l2_top) | PTE_TABLE;
	l2_top[ENTRIES - 1] = image_pa(l3_dev) | PTE_TABLE;
	l3_dev[KDEV_UART] = (KERNEL_UART_PADDR & ~(PAGE_SIZE - 1)) | DEVICE_PAGE;

	for (unsigned i = 0; i < KERNEL_AVAIL_COUNT; i++) {
		uint64_t pa = (avail[i].base + BLOCK_2M - 1) & ~(BLOCK_2M - 1);
		for (; pa + BLOCK_2M <= avail[i].base + avail[i].size; pa += BLOCK_2M)
			map_2m(PPTR_BASE + pa, pa);
	}
	if (KERNEL_VBASE != PPTR_BASE + KERNEL_PADDR)
		for (uint64_t off = 0; KERNEL_VBASE + off < (uint64_t)ki_end; off += BLOCK_2M)
			map_2m(KERNEL_VBASE + off, KERNEL_PADDR + off);
}

void mmu_take_over(void)
{
	build_tables();
	clean_to_poc(l0, sizeof(l0)), clean_to_poc(l1, sizeof(l1));
	clean_to_poc(l2_top, sizeof(l2_top)), clean_to_poc(l3_dev, sizeof(l3_dev));
	clean_to_poc(l2_window, sizeof(l2_window));
	/* The new tables map this code where the old ones did, so the switch
	 * is seamless; then forget every translation cached from the old. */
	__asm__ volatile("dsb ish\n\t"
			 "msr ttbr1_el1, %0\n\t"
			 "isb\n\t"
			 "tlbi vmalle1\n\t"
			 "dsb nsh\n\t"
			 "isb"
			 :
			 : "r"(image_pa(l0))
			 : "memory");
}

bool window_covers(uint64_t pa, uint64_t size)
{
	if (pa + size < pa)
		return false;
	for (unsigned i = 0; i < KERNEL_AVAIL_COUNT; i++) {
		uint64_t lo = (avail[i].base + BLOCK_2M - 1) & ~(BLOCK_2M - 1);
		uint64_t hi = (avail[i].base + avail[i].size) & ~(BLOCK_2M - 1);
		if (pa >= lo && pa + size <= hi)
			return true;
	}
	return false;
}

const void *window_va(uint64_t pa)
{
	return (const void *)(PPTR_BASE + pa);
}

uint64_t uart_va(void)
{
	return KDEV_BASE + KDEV_UART * PAGE_SIZE + (KERNEL_UART_PADDR & (PAGE_SIZE - 1));
}

uint64_t mmu_map_device(enum kdev_slot slot, uint64_t pa)
{
	uint64_t va = KDEV_BASE + (uint64_t)slot * PAGE_SIZE;
	l3_dev[slot] = (pa & ~(PAGE_SIZE - 1)) | DEVICE_PAGE;
	clean_to_poc(&l3_dev[slot], sizeof(l3_dev[slot]));
	/* The slot may have held another page (the scratch one does). */
	__asm__ volatile("dsb ish\n\t"
			 "tlbi vaae1, %0\n\t"
			 "dsb nsh\n\t"
			 "isb"
			 :
			 : "r"(va >> 12)
			 : "memory");
	return va + (pa & (PAGE_SIZE - 1));
}

/* ---- The root task's address space (TTBR0) ---------------------------- */

static uint64_t *table_va(uint64_t pa)
{
	return (uint64_t *)(pa + (KERNEL_VBASE - KERNEL_PADDR));
}

static uint64_t *user_table(void)
{
	if (user_tables_used == USER_TABLES)
		return 0;
	uint64_t *t = user_tables[user_tables_used++];
	clear(t);
	return t;
}

/* The table entry `i` of `t` points to, made on first use; NULL when the
 * pool is empty or the entry is a block already. */
static uint64_t *user_next(uint64_t *t, unsigned i)
{
	if (!t)
		return 0;
	if ((t[i] & 3) == PTE_TABLE)
		return table_va(t[i] & PTE_ADDR_MASK);
	if (t[i])
		return 0;
	uint64_t *next = user_table();
	if (next)
		t[i] = image_pa(next) | PTE_TABLE;
	return next;
}

void mmu_user_reset(void)
{
	user_tables_used = 0;
	user_table(); /* level 0 */
}

/* One 2 MiB block, or one 4 KiB page; false if the slot is taken. */
static bool user_map_one(uint64_t va, uint64_t pa, uint64_t attrs, bool block)
{
	uint64_t *l2 = user_next(user_next(user_tables[0], L0_INDEX(va)), L1_INDEX(va));
	if (block) {
		if (!l2 || l2[L2_INDEX(va)])
			return false;
		l2[L2_INDEX(va)] = pa | PTE_BLOCK | attrs;
		return true;
	}
	uint64_t *l3 = user_next(l2, L2_INDEX(va));
	if (!l3 || l3[L3_INDEX(va)])
		return false;
	l3[L3_INDEX(va)] = pa | PTE_PAGE | attrs;
	return true;
}

bool mmu_map_user(uint64_t va, uint64_t pa, uint64_t size, enum user_map kind)
{
	if (((va | pa | size) & (PAGE_SIZE - 1)) || va + size < va || va + size > USER_VA_TOP ||
	    !user_tables_used)
		return false;
	while (size) {
		bool block = !((va | pa) & (BLOCK_2M - 1)) && size >= BLOCK_2M;
		uint64_t step = block ? BLOCK_2M : PAGE_SIZE;
		if (!user_map_one(va, pa, user_attrs[kind], block))
			return false;
		va += step, pa += step, size -= step;
	}
	return true;
}

uint64_t mmu_user_root(void)
{
	clean_to_poc(user_tables, sizeof(user_tables[0]) * user_tables_used);
	__asm__ volatile("dsb ish" ::: "memory");
	return image_pa(user_tables[0]);
}

bool mmu_user_readable(uint64_t va)
{
	__asm__ volatile("at s1e0r, %0\n\tisb" : : "r"(va) : "memory");
	return !(read_par_el1() & 1);
}
