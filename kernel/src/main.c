/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the demo kernel: entered exactly as seL4 is, it checks every part
 * of that contract and says so in one line; then, if all was well, it runs
 * its root task in EL0 with the node's channels and pools (user.c).
 *
 *   node N: ok EL1 mmu on ram [B, E) dtb D user [S, E) entry V
 *   node N: FAIL <check>[=<value>] ...; EL1 mmu on ram [B, E) dtb D user [S, E) entry V
 *
 * The checks, by the name they fail under (see kernel/README.md):
 *   el        CurrentEL is EL1 (an EL2 hypervisor build is not this kernel)
 *   sctlr     SCTLR_EL1: MMU (M) and data cache (C) on
 *   mair      MAIR_EL1: index 4 Normal write-back (0xff), index 0 Device-nGnRnE
 *   tcr       TCR_EL1: T0SZ = T1SZ = 16 (48-bit VA), 4 KiB granules
 *   tpidr     TPIDR_EL1 = 0, the logical core id of a unicore kernel
 *   bss       the loader zeroed the segment's tail [p_filesz, p_memsz), BSS
 *             included (value: the first non-zero address)
 *   image-pa  the loader mapped this image at its physical address
 *   dtb-range the DTB (x4, x5) lies in the node's RAM, after the image
 *   dtb-magic, dtb-size, dtb-version, dtb-layout   the DTB header; size = x5
 *   dtb-memory  the DTB's /memory is exactly the node's RAM (as built)
 *   user-range  the user image [x0, x1) is in the node's RAM, page aligned,
 *               above the image and the DTB
 *   entry     x3 lies inside the user image's virtual range
 *               [x0 - pv_offset, x1 - pv_offset)
 * and, once all those passed, what running the root task needs:
 *   chosen    the tree's /chosen/mkimg channels and pools are well formed
 *   node-id   /chosen mkimg,node-id is the node this kernel was built for
 *   gic       a node with channels has a GIC this kernel can drive
 *   user-map  the root task's image, boot info and pools could be mapped
 */
#include "arch.h"
#include "console.h"
#include "fdt.h"
#include "gic.h"
#include "kernel_config.h"
#include "line.h"
#include "mmu.h"
#include "node.h"
#include "user.h"

#ifndef KERNEL_NODE_ID
#error "KERNEL_NODE_ID: the node this kernel is built for (kernel/CMakeLists.txt sets it)"
#endif
#ifndef KERNEL_GIC_DELAY_MS
#define KERNEL_GIC_DELAY_MS 0
#endif

_Static_assert(NODE_SYNC_MAX * MKIMG_SYNC_SLOT <= KDEV_SYNC_PAGES * PAGE_SIZE,
	       "the sync pool's slots of NODE_SYNC_MAX nodes fit its kernel device pages");

/* The node's RAM as its device tree said at build time (seL4 compiles its
 * memory in just the same way). */
static const struct mem_range ram_built[KERNEL_RAM_COUNT] = KERNEL_RAM_INIT;

/* x0..x5 as the loader passed them. */
struct boot_args {
	uint64_t ui_start, ui_end;
	int64_t pv_offset;
	uint64_t v_entry, dtb, dtb_size;
};

struct report {
	struct line fails;        /* " name=value" per failed check */
	struct mem_range ram[FDT_MAX_RANGES];
	unsigned n_ram;           /* the RAM to print: the DTB's if read */
	uint64_t el, sctlr;
};

static void fail(struct report *r, const char *name)
{
	line_str(&r->fails, " ");
	line_str(&r->fails, name);
}

/* What the loader left in the system registers. */
static void check_registers(struct report *r, uint64_t bss_bad)
{
	uint64_t mair = read_mair_el1(), tcr = read_tcr_el1(), tpidr = read_tpidr_el1();

	r->el = (read_currentel() >> 2) & 3;
	r->sctlr = read_sctlr_el1();
	if (r->el != 1)
		line_named_hex(&r->fails, "el", r->el);
	if ((r->sctlr & (SCTLR_M | SCTLR_C)) != (SCTLR_M | SCTLR_C))
		line_named_hex(&r->fails, "sctlr", r->sctlr);
	if (((mair >> (8 * MAIR_IDX_NORMAL)) & 0xff) != MAIR_NORMAL_WB ||
	    ((mair >> (8 * MAIR_IDX_DEVICE_nGnRnE)) & 0xff) != MAIR_DEVICE)
		line_named_hex(&r->fails, "mair", mair);
	/* T0SZ 5:0, T1SZ 21:16, TG0 15:14 (0b00 = 4K), TG1 31:30 (0b10 = 4K). */
	if ((tcr & 0x3f) != 16 || ((tcr >> 16) & 0x3f) != 16 || ((tcr >> 14) & 3) != 0 || ((tcr >> 30) & 3) != 2)
		line_named_hex(&r->fails, "tcr", tcr);
	if (tpidr != 0)
		line_named_hex(&r->fails, "tpidr", tpidr);
	if (bss_bad)
		line_named_hex(&r->fails, "bss", bss_bad);
	uint64_t pa = mmu_translate((uint64_t)_start);
	if (pa != image_pa(_start))
		line_named_hex(&r->fails, "image-pa", pa);
}

/* x0..x5 against each other and the node's RAM; true if the DTB may be read. */
static bool check_args(struct report *r, const struct boot_args *a)
{
	uint64_t image_end = image_pa(ki_end), dtb_end = a->dtb + a->dtb_size;
	bool dtb_ok = a->dtb && a->dtb_size && a->dtb >= image_end && window_covers(a->dtb, a->dtb_size);

	if (!dtb_ok)
		fail(r, "dtb-range");
	if (a->ui_end <= a->ui_start || (a->ui_start & (PAGE_SIZE - 1)) || a->ui_start < image_end ||
	    a->ui_start < dtb_end || !window_covers(a->ui_start, a->ui_end - a->ui_start))
		fail(r, "user-range");
	/* seL4 maps the user image at physical - pv_offset. */
	if (a->v_entry < a->ui_start - (uint64_t)a->pv_offset || a->v_entry >= a->ui_end - (uint64_t)a->pv_offset)
		fail(r, "entry");
	return dtb_ok;
}

static bool same_ranges(const struct mem_range *a, unsigned na, const struct mem_range *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (a[i].base != b[i].base || a[i].size != b[i].size)
			return false;
	return true;
}

/* The DTB's header and /memory, read through the kernel's own window; true
 * if its header is sound, so that its nodes may be read. */
static bool check_dtb(struct report *r, const struct boot_args *a)
{
	const void *blob = window_va(a->dtb);
	struct mem_range built[KERNEL_RAM_COUNT];
	unsigned n_built = KERNEL_RAM_COUNT;

	switch (fdt_check(blob, a->dtb_size)) {
	case FDT_OK:
		break;
	case FDT_BAD_MAGIC:
		line_named_hex(&r->fails, "dtb-magic", a->dtb_size >= 4 ? fdt_magic(blob) : 0);
		return false;
	case FDT_BAD_SIZE:
		line_named_hex(&r->fails, "dtb-size", fdt_totalsize(blob));
		return false;
	case FDT_BAD_VERSION:
		fail(r, "dtb-version");
		return false;
	default:
		fail(r, "dtb-layout");
		return false;
	}
	if (fdt_memory(blob, r->ram, &r->n_ram) != FDT_OK) {
		r->n_ram = 0;
		fail(r, "dtb-memory");
		return true;
	}
	for (unsigned i = 0; i < n_built; i++)
		built[i] = ram_built[i];
	n_built = ranges_normalize(built, n_built);
	if (!same_ranges(r->ram, r->n_ram, built, n_built))
		fail(r, "dtb-memory");
	return true;
}

/* Print holding the console lock in this node's slot of the sync pool
 * (console.h) as soon as the tree can be read, whatever else failed, so
 * that a FAIL line is whole too. The pool is mapped Device-nGnRnE, as
 * every other node maps it: the root tasks on seL4 uncached, the loader
 * and any kernel with its MMU off through Device accesses. A tree that is
 * malformed there fails `chosen` later, and one for another node fails
 * `node-id`: both print without the lock (taking that node's slot would
 * give it two owners). */
static void share_console(const struct boot_args *a)
{
	struct fdt f;
	fdt_open(&f, window_va(a->dtb));
	if (!node_read(&f, &node_info) || !node_info.sync || (node_info.has_id && node_info.id != KERNEL_NODE_ID))
		return;
	uint64_t pa = node_info.sync->base, used = node_info.node_count * MKIMG_SYNC_SLOT;
	struct mkimg_sync s = {0, node_info.node_index, node_info.node_count};
	for (uint64_t off = 0; off < used; off += PAGE_SIZE) {
		uint64_t va = mmu_map_device(KDEV_SYNC + off / PAGE_SIZE, pa + off);
		if (!off)
			s.base = (volatile uint32_t *)va;
	}
	console_share(&s);
}


/* The SGIs this node receives, one bit each. */
static uint32_t receive_sgis(const struct node_info *ni)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < ni->n_channels; i++)
		if (ni->channels[i].direction == DEMO_RECEIVE)
			m |= 1u << ni->channels[i].sgi;
	return m;
}

/* A late kernel, on purpose (MKIMG_GIC_DELAY_MS, for tests): its peers'
 * first signals then come before it listens, and must not be lost. */
static void test_delay(void)
{
	uint64_t freq = read_cntfrq_el0(), t0 = read_cntvct();
	while (read_cntvct() - t0 < freq / 1000 * KERNEL_GIC_DELAY_MS)
		cpu_relax();
}

/* What the root task needs: the node's facts from /chosen, its own SGIs in
 * the GIC (only when it has channels: a node without touches no GIC
 * register), its address space. Only after every earlier check passed. */
static void prepare_root_task(struct report *r, const struct boot_args *a)
{
	struct fdt f;
	fdt_open(&f, window_va(a->dtb));
	if (!node_read(&f, &node_info)) {
		fail(r, "chosen");
		return;
	}
	if (node_info.has_id && node_info.id != KERNEL_NODE_ID) {
		line_named_hex(&r->fails, "node-id", node_info.id);
		return;
	}
	node_info.id = KERNEL_NODE_ID;
	if (KERNEL_GIC_DELAY_MS)
		test_delay();
	if (node_info.n_channels && !gic_setup(&f, receive_sgis(&node_info))) {
		fail(r, "gic");
		return;
	}
	if (!user_prepare(a->ui_start, a->ui_end, a->pv_offset, a->v_entry, &node_info))
		fail(r, "user-map");
}

static void print_report(const struct report *r, const struct boot_args *a)
{
	struct line out = {0};
	line_str(&out, "node ");
	line_dec(&out, KERNEL_NODE_ID);
	line_str(&out, r->fails.len ? ": FAIL" : ": ok");
	if (r->fails.len) {
		line_str(&out, r->fails.buf);
		line_str(&out, ";");
	}
	line_str(&out, " EL");
	line_dec(&out, r->el);
	line_str(&out, r->sctlr & SCTLR_M ? " mmu on ram" : " mmu off ram");
	if (r->n_ram)
		for (unsigned i = 0; i < r->n_ram; i++)
			line_range(&out, r->ram[i].base, r->ram[i].base + r->ram[i].size);
	else
		for (unsigned i = 0; i < KERNEL_RAM_COUNT; i++)
			line_range(&out, ram_built[i].base, ram_built[i].base + ram_built[i].size);
	line_str(&out, " dtb ");
	line_hex(&out, a->dtb);
	line_str(&out, " user");
	line_range(&out, a->ui_start, a->ui_end);
	line_str(&out, " entry ");
	line_hex(&out, a->v_entry);
	console_line(out.buf);
}

/* Called by head.S with x0..x5 untouched and x6 = the first non-zero BSS
 * address (0 when the loader zeroed it all). */
void kernel_main(uint64_t ui_start, uint64_t ui_end, int64_t pv_offset, uint64_t v_entry, uint64_t dtb,
		 uint64_t dtb_size, uint64_t bss_bad)
{
	/* Nothing here relies on BSS being zero: that is one of the checks. */
	struct report r = {0};
	const struct boot_args a = {ui_start, ui_end, pv_offset, v_entry, dtb, dtb_size};

	/* First what the loader left, while its tables are still in use. */
	check_registers(&r, bss_bad);
	/* Then our own tables: the window over our RAM and the console. */
	mmu_take_over();
	console_attach(uart_va(), KERNEL_UART_KIND, KERNEL_UART_SHIFT, KERNEL_UART_WIDTH);
	if (check_args(&r, &a) && check_dtb(&r, &a))
		share_console(&a);
	if (!r.fails.len)
		prepare_root_task(&r, &a);
	print_report(&r, &a);
	if (r.fails.len)
		halt();
	user_start();
}

/* Called by the exception vectors: the entry contract was broken in a way
 * the checks did not catch, the root task faulted (vector 8: esr says how)
 * or there is a bug. One line, then stop. */
void kernel_exception(uint64_t vector)
{
	/* In .data, not BSS: it must be right even if BSS was not zeroed. */
	static __attribute__((section(".data"))) int reported;
	struct line out = {0};
	if (!reported && console_attached()) {
		reported = 1;
		line_str(&out, "node ");
		line_dec(&out, KERNEL_NODE_ID);
		line_str(&out, ": FAIL");
		if (vector == VEC_EL0_SYNC)
			line_str(&out, " root-task"); /* a fault, not a system call */
		else
			line_named_hex(&out, "exception", vector);
		line_named_hex(&out, "esr", read_esr_el1());
		line_named_hex(&out, "elr", read_elr_el1());
		line_named_hex(&out, "far", read_far_el1());
		console_line(out.buf);
	}
	halt();
}
