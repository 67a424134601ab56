/* SPDX-License-Identifier: BSD-2-Clause */
/* user.c - see user.h. */
#include "user.h"

#include "arch.h"
#include "console.h"
#include "gic.h"
#include "line.h"
#include "mmu.h"

#define ESR_EC_SVC64 0x15 /* ESR_EL1.EC of an `svc` from AArch64 */

/* The boot info page: in the kernel image, mapped read-only for EL0. */
static union {
	struct demo_bootinfo bi;
	uint8_t bytes[PAGE_SIZE];
} bootinfo __attribute__((aligned(PAGE_SIZE)));
_Static_assert(sizeof(struct demo_bootinfo) <= PAGE_SIZE, "the boot info must fit its page");

static uint64_t entry, bootinfo_va;
static uint32_t pending;    /* receive channels signalled and not yet returned by wait */
static struct line out;     /* the root task's console line so far */

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static uint64_t block_up(uint64_t v)
{
	return (v + BLOCK_2M - 1) & ~(BLOCK_2M - 1);
}

/* Each pool at the next 2 MiB boundary plus its own offset into a 2 MiB
 * block, so aligned pools are mapped in blocks. */
static bool map_pools(uint64_t va, const struct node_info *ni, struct demo_bootinfo *bi)
{
	for (unsigned i = 0; i < ni->n_pools; i++) {
		const struct pool *p = &ni->pools[i];
		va = block_up(va) + (p->base & (BLOCK_2M - 1));
		if (!mmu_map_user(va, p->base, p->size, USER_UNCACHED))
			return false;
		struct demo_pool *bp = &bi->pools[i];
		for (unsigned k = 0; k < DEMO_LABEL_MAX; k++)
			bp->label[k] = p->label[k];
		bp->vaddr = va, bp->paddr = p->base, bp->size = p->size;
		va += p->size;
	}
	bi->n_pools = ni->n_pools;
	return true;
}

bool user_prepare(uint64_t ui_start, uint64_t ui_end, int64_t pv_offset, uint64_t v_entry,
		  const struct node_info *ni)
{
	struct demo_bootinfo *bi = &bootinfo.bi;
	uint64_t v_start = ui_start - (uint64_t)pv_offset, size = page_up(ui_end) - ui_start;

	mmu_user_reset();
	/* Like seL4: the whole image, read-write-execute, in one piece. */
	if (!mmu_map_user(v_start, ui_start, size, USER_IMAGE))
		return false;
	bootinfo_va = v_start + size;
	if (!mmu_map_user(bootinfo_va, image_pa(&bootinfo), PAGE_SIZE, USER_READ_ONLY))
		return false;
	*bi = (struct demo_bootinfo){
		.magic = DEMO_BOOTINFO_MAGIC, .version = DEMO_BOOTINFO_VERSION,
		.node_id = ni->id, .n_channels = ni->n_channels,
		.image_start = v_start, .image_end = v_start + size,
	};
	for (unsigned i = 0; i < ni->n_channels; i++)
		bi->channels[i] = (struct demo_channel){ni->channels[i].sgi, ni->channels[i].direction,
							ni->channels[i].peer, 0};
	entry = v_entry;
	return map_pools(bootinfo_va + PAGE_SIZE, ni, bi);
}

_Noreturn void user_start(void)
{
	user_enter(entry, bootinfo_va, mmu_user_root());
}

/* ---- Interrupts --------------------------------------------------------- */

/* Every pending interrupt: an SGI of a receive channel marks it signalled;
 * anything else (an SGI nobody here listens to) is taken and dropped. */
static void take_interrupts(void)
{
	uint32_t ack;
	int id;
	while ((id = gic_take(&ack)) >= 0) {
		for (unsigned i = 0; i < node_info.n_channels; i++) {
			const struct channel *c = &node_info.channels[i];
			if (c->direction == DEMO_RECEIVE && (int)c->sgi == id)
				pending |= 1u << i;
		}
		gic_done(ack);
	}
}

/* Sleep until an interrupt is pending, then take it. WFI with interrupts
 * masked wakes on a pending one without taking it, so none can slip in
 * between the caller's test and the sleep; the IRQ is then taken through
 * the vector (an IRQ exception at EL1) in the moment they are unmasked. */
static void sleep_once(void)
{
	__asm__ volatile("wfi\n\t"
			 "msr daifclr, #2\n\t"
			 "isb\n\t"
			 "msr daifset, #2"
			 ::: "memory");
}

/* ---- System calls ------------------------------------------------------- */

static int64_t sys_puts(uint64_t va, uint64_t len)
{
	if (len > DEMO_PUTS_MAX || va + len < va)
		return DEMO_E_INVAL;
	for (uint64_t i = 0; i < len; i++) {
		uint64_t a = va + i;
		if ((i == 0 || !(a & (PAGE_SIZE - 1))) && !mmu_user_readable(a))
			return DEMO_E_FAULT;
		char c = *(const volatile char *)a;
		if (c == '\n' || out.len + 1 >= sizeof(out.buf)) {
			console_line(out.buf); /* under the console lock */
			out.len = 0, out.buf[0] = '\0';
		}
		if (c != '\n' && c != '\r')
			line_char(&out, c >= ' ' && c <= '~' ? c : '?');
	}
	return (int64_t)len;
}

static int64_t sys_signal(uint64_t ch)
{
	if (ch >= node_info.n_channels || node_info.channels[ch].direction != DEMO_SEND)
		return DEMO_E_INVAL;
	switch (gic_send(&node_info.channels[ch])) {
	case GIC_SENT:
		return 0;
	case GIC_PEER_NOT_READY:
		return DEMO_E_PEER;
	default:
		return DEMO_E_INVAL;
	}
}

static int64_t sys_wait(uint64_t mask)
{
	uint64_t receive = 0;
	for (unsigned i = 0; i < node_info.n_channels; i++)
		if (node_info.channels[i].direction == DEMO_RECEIVE)
			receive |= 1ull << i;
	if (!mask || (mask & ~receive))
		return DEMO_E_INVAL;
	while (!(pending & mask))
		sleep_once();
	uint32_t got = pending & (uint32_t)mask;
	pending &= ~got;
	return got;
}

static _Noreturn void sys_exit(void)
{
	if (out.len)
		console_line(out.buf);
	for (;;)
		sleep_once(); /* signals still arrive: take them, or WFI never sleeps */
}

static void syscall(struct frame *f)
{
	int64_t r;
	switch (f->x[7]) {
	case DEMO_SYS_PUTS:
		r = sys_puts(f->x[0], f->x[1]);
		break;
	case DEMO_SYS_SIGNAL:
		r = sys_signal(f->x[0]);
		break;
	case DEMO_SYS_WAIT:
		r = sys_wait(f->x[0]);
		break;
	case DEMO_SYS_EXIT:
		sys_exit();
	default:
		r = DEMO_E_INVAL;
	}
	f->x[0] = (uint64_t)r;
}

void kernel_trap(struct frame *f, uint64_t vector)
{
	if (vector == VEC_EL1_IRQ || vector == VEC_EL0_IRQ)
		take_interrupts();
	else if (vector == VEC_EL0_SYNC && read_esr_el1() >> 26 == ESR_EC_SVC64)
		syscall(f);
	else
		kernel_exception(vector); /* a fault in the root task: report it, stop */
}
