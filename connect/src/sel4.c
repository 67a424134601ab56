/* SPDX-License-Identifier: BSD-2-Clause */
/* sel4.c - the connector library's seL4 back end (connect/README.md).
 *
 * What a unicore seL4 gives its root task, and what this does with it
 * (kernel/README.md, "SGI channels and pools with real seL4"):
 *   - the node's device tree, which seL4 copies into the extra boot info
 *     (SEL4_BOOTINFO_HEADER_FDT): /chosen/mkimg names the node's channels
 *     and pools, /chosen mkimg,node-id the node;
 *   - a pool's RAM lies outside the kernel's own RAM, so it comes as a
 *     device untyped: retyped to frames (after filler untypeds up to the
 *     pool's base, since an untyped is handed out in order) and mapped
 *     uncached, so that both kernels' cores see the same bytes;
 *   - a receive channel: IRQControl_Get(SGI) and one notification, badged
 *     with the channel's bit; a send channel: IRQControl_IssueSGISignal;
 *   - the planner's pool "mkimg-sync": one 64-byte slot per node (by the
 *     node's index): a ready word written once every receive channel is
 *     bound (seL4 drops an SGI that arrives before), and a Lamport bakery
 *     lock that lets one node at a time print a whole line.
 * Nothing of the system is compiled in.
 */
#include "connect_internal.h"
#include "mkimg_sync.h"

#include <sel4/sel4.h>

/* Where the pools are mapped in the root task: far above its image. */
#define POOL_VADDR 0x400000000ul
/* Polls of a peer's ready word before mk_signal() gives up. */
#define READY_POLLS 400000000ul

static seL4_BootInfo *bi;
static seL4_CPtr next_slot;
static seL4_CPtr ntfn;                    /* receive channels' notification */
static seL4_CPtr cap[MK_MAX_CHANNELS];    /* IRQ handler or SGI signal cap */
static uint32_t sgi_target[MK_MAX_CHANNELS], peer_index[MK_MAX_CHANNELS];
static bool ready_seen[MK_MAX_CHANNELS];
/* How far into each device untyped this library has retyped: an untyped
 * hands out its memory in order, so a second pool in the same untyped
 * starts where the first ended. 0: not used yet. */
static uint64_t device_next[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
static uint64_t pending;                  /* signalled, not yet returned */
static struct mkimg_sync sync_pool;       /* base NULL: no sync pool */

/* --- output before the tables exist -------------------------------------- */

static void put_raw(const char *s)
{
#ifdef CONFIG_PRINTING
	while (*s)
		seL4_DebugPutChar(*s++);
#else
	(void)s;
#endif
}

static bool fail(const char *what)
{
	struct mk_line l = {0};
	mk_str(&l, "connect: ");
	mk_str(&l, what);
	mk_print(&l);
	return false;
}

static bool fail_err(const char *what, seL4_Error e)
{
	struct mk_line l = {0};
	mk_str(&l, "connect: ");
	mk_str(&l, what);
	mk_str(&l, ": seL4 error ");
	mk_dec(&l, (uint64_t)e);
	mk_print(&l);
	return false;
}

/* --- the node's device tree ------------------------------------------------ */

struct tree {
	const uint8_t *base;
	uint32_t size, off_struct, size_struct, off_strings, size_strings;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool tree_open(struct tree *t, const uint8_t *p, size_t avail)
{
	if (avail < 40 || be32(p) != 0xd00dfeedu)
		return false;
	*t = (struct tree){.base = p, .size = be32(p + 4), .off_struct = be32(p + 8), .off_strings = be32(p + 12),
			   .size_strings = be32(p + 32), .size_struct = be32(p + 36)};
	return t->size <= avail && t->off_struct <= t->size && t->size_struct <= t->size - t->off_struct &&
	       t->off_strings <= t->size && t->size_strings <= t->size - t->off_strings;
}

static bool same_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool same(const char *a, const char *b)
{
	while (*b)
		if (*a++ != *b++)
			return false;
	return *a == '\0';
}

static bool has_nul(const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

/* A property's value as one cell (0 if it is not one). */
static uint32_t cell(const uint8_t *v, uint32_t len)
{
	return len == 4 ? be32(v) : 0;
}

static uint64_t cells(const uint8_t *v, uint32_t n)
{
	uint64_t x = 0;
	for (uint32_t i = 0; i < n; i++)
		x = x << 32 | be32(v + 4 * i);
	return x;
}

struct pool_reg {
	const uint8_t *reg;
	uint32_t len;
};

/* /chosen/mkimg into the tables: channels in the tree's order, pools. */
static bool read_tree(const struct tree *t)
{
	static struct pool_reg regs[MK_MAX_POOLS];
	const uint8_t *p = t->base + t->off_struct, *end = p + t->size_struct;
	const char *name[8] = {0};
	unsigned depth = 0;
	uint32_t ac = 2, sc = 1;
	bool have_id = false;

	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == 1) { /* begin node */
			const char *n = (const char *)p;
			while (p < end && *p)
				p++;
			if (p == end)
				return fail("a broken device tree (a node name without its end)");
			p = t->base + ((p + 1 - t->base + 3) & ~3u);
			if (depth < 8)
				name[depth] = n;
			depth++;
			bool in_mkimg = depth == 4 && same(name[1], "chosen") && same(name[2], "mkimg");
			if (in_mkimg && same_prefix(n, "channel-")) {
				if (mk__n_ch == MK_MAX_CHANNELS)
					return fail("more channels than the library holds");
				peer_index[mk__n_ch] = UINT32_MAX; /* until the tree says */
				mk__ch[mk__n_ch++].sgi = UINT32_MAX;
			} else if (in_mkimg && same_prefix(n, "pool@")) {
				if (mk__n_pool == MK_MAX_POOLS)
					return fail("more pools than the library holds");
				mk__n_pool++;
			}
		} else if (tok == 2) { /* end node */
			if (!depth--)
				return fail("a broken device tree");
		} else if (tok == 3) { /* property */
			if (p + 8 > end)
				break;
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *v = p + 8;
			if (len > (uint32_t)(end - v) || nameoff >= t->size_strings)
				return fail("a broken device tree");
			const char *pn = (const char *)t->base + t->off_strings + nameoff;
			if (!has_nul(pn, t->size_strings - nameoff))
				return fail("a broken device tree (a property name without its end)");
			p = t->base + ((v + len - t->base + 3) & ~3u);
			bool chosen = depth >= 2 && same(name[1], "chosen");
			bool mkimg = chosen && depth >= 3 && same(name[2], "mkimg");
			if (depth == 2 && chosen && same(pn, "mkimg,node-id") && len == 4) {
				mk__node_id = cell(v, len), have_id = true;
			} else if (depth == 3 && mkimg) {
				if (same(pn, "node-index"))
					sync_pool.index = cell(v, len);
				else if (same(pn, "node-count"))
					sync_pool.count = cell(v, len);
				else if (same(pn, "#address-cells"))
					ac = cell(v, len);
				else if (same(pn, "#size-cells"))
					sc = cell(v, len);
			} else if (depth == 4 && mkimg && same_prefix(name[3], "channel-")) {
				unsigned i = mk__n_ch - 1;
				if (same(pn, "sgi"))
					mk__ch[i].sgi = cell(v, len);
				else if (same(pn, "peer"))
					mk__ch[i].peer = cell(v, len);
				else if (same(pn, "peer-index"))
					peer_index[i] = cell(v, len);
				else if (same(pn, "sgi-target"))
					sgi_target[i] = cell(v, len);
				else if (same(pn, "direction") && len == 5 && !v[4])
					mk__ch[i].direction = same((const char *)v, "send") ? MK_SEND : 0;
				else if (same(pn, "direction") && len == 8 && !v[7])
					mk__ch[i].direction = same((const char *)v, "receive") ? MK_RECEIVE : 0;
			} else if (depth == 4 && mkimg && same_prefix(name[3], "pool@")) {
				unsigned i = mk__n_pool - 1;
				if (same(pn, "label") && len && v[len - 1] == '\0')
					mk__set_name(mk__pool[i].name, (const char *)v);
				else if (same(pn, "reg"))
					regs[i] = (struct pool_reg){v, len};
			}
		} else if (tok == 9) { /* end */
			break;
		} else if (tok != 4) { /* not a nop */
			return fail("a broken device tree");
		}
	}
	if (!have_id)
		return fail("the node's device tree has no /chosen mkimg,node-id: was it written by dts-split?");
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return fail("/chosen/mkimg has #address-cells or #size-cells mkimg does not write");
	for (unsigned i = 0; i < mk__n_pool; i++) {
		if (regs[i].len != 4 * (ac + sc))
			return fail("a pool without a 'reg' of one region");
		mk__pool[i].paddr = cells(regs[i].reg, ac);
		mk__pool[i].size = cells(regs[i].reg + 4 * ac, sc);
		uint64_t page = (1ull << seL4_PageBits) - 1;
		if (!mk__pool[i].size || (mk__pool[i].paddr & page) || (mk__pool[i].size & page) ||
		    mk__pool[i].paddr + mk__pool[i].size < mk__pool[i].paddr)
			return fail("a pool that is empty, not whole pages, or past the end of memory");
	}
	for (unsigned i = 0; i < mk__n_ch; i++)
		if (mk__ch[i].sgi > 15 || !mk__ch[i].direction || peer_index[i] == UINT32_MAX)
			return fail("a channel without an SGI 0..15, a direction or a peer-index");
	return true;
}

/* seL4 copies the node's tree after the boot info frame. */
static bool find_tree(struct tree *t)
{
	const uint8_t *p = (const uint8_t *)bi + seL4_BootInfoFrameSize, *end = p + bi->extraLen;
	while (p + sizeof(seL4_BootInfoHeader) <= end) {
		const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
		if (h->len < sizeof(*h) || h->len > (seL4_Word)(end - p))
			break;
		if (h->id == SEL4_BOOTINFO_HEADER_FDT)
			return tree_open(t, p + sizeof(*h), h->len - sizeof(*h));
		p += h->len;
	}
	return false;
}

/* --- capabilities ---------------------------------------------------------- */

static bool slot(seL4_CPtr *out)
{
	if (next_slot >= bi->empty.end)
		return fail("no free capability slot left in the root CNode");
	*out = next_slot++;
	return true;
}

/* One object from `ut` into a new slot; the slot is given back when the
 * retype fails. */
static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
	if (!slot(out))
		return seL4_NotEnoughMemory;
	seL4_Error e = seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, *out, 1);
	if (e != seL4_NoError)
		next_slot--;
	return e;
}

/* An object from the first RAM (not device) untyped that has room. */
static seL4_Error retype_ram(seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
	seL4_Error e = seL4_NotEnoughMemory;
	for (seL4_CPtr ut = bi->untyped.start; ut < bi->untyped.end; ut++) {
		const seL4_UntypedDesc *d = &bi->untypedList[ut - bi->untyped.start];
		if (d->isDevice || d->sizeBits < bits)
			continue;
		if ((e = retype(ut, type, bits, out)) == seL4_NoError || next_slot >= bi->empty.end)
			return e;
	}
	return e;
}

/* Map `frame` at `vaddr`, adding page tables as seL4 asks for them. */
static bool map(seL4_CPtr frame, seL4_Word vaddr)
{
	for (int level = 0; level < 4; level++) {
		seL4_Error e = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite,
						 seL4_ARM_ExecuteNever); /* not PageCacheable: uncached */
		if (e != seL4_FailedLookup)
			return e == seL4_NoError || fail_err("cannot map a pool frame", e);
		seL4_CPtr pt;
		if ((e = retype_ram(seL4_ARM_PageTableObject, seL4_PageTableBits, &pt)) != seL4_NoError)
			return fail_err("no RAM for a page table", e);
		if ((e = seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, vaddr, seL4_ARM_Default_VMAttributes)))
			return fail_err("cannot map a page table", e);
	}
	return fail("cannot map a pool frame: page tables keep missing");
}

/* The device untyped that holds physical address `pa`, or 0. */
static seL4_CPtr device_untyped_at(uint64_t pa)
{
	for (seL4_CPtr ut = bi->untyped.start; ut < bi->untyped.end; ut++) {
		const seL4_UntypedDesc *d = &bi->untypedList[ut - bi->untyped.start];
		if (d->isDevice && pa >= d->paddr && pa - d->paddr < (1ull << d->sizeBits))
			return ut;
	}
	return 0;
}

/* The pool's frames, from the device untypeds that cover it: seL4 cuts
 * device memory into naturally aligned blocks, so a pool may span several.
 * In each, memory is handed out in order: filler untypeds (the largest
 * aligned ones that fit) up to where the pool starts in it, then frames. */
static bool map_pool(struct mk_pool *pool, seL4_Word vaddr)
{
	uint64_t base = pool->paddr, end = pool->paddr + pool->size;
	for (uint64_t at = base; at < end;) {
		seL4_CPtr ut = device_untyped_at(at);
		if (!ut) {
			struct mk_line l = {0};
			mk_str(&l, "connect: pool '");
			mk_str(&l, pool->name);
			mk_str(&l, "': no device untyped holds ");
			mk_hex(&l, at);
			mk_str(&l, " (seL4 gave that memory to this kernel, or to no one)");
			mk_print(&l);
			return false;
		}
		const seL4_UntypedDesc *d = &bi->untypedList[ut - bi->untyped.start];
		uint64_t ue = d->paddr + (1ull << d->sizeBits), stop = end < ue ? end : ue;
		uint64_t *next = &device_next[ut - bi->untyped.start];
		if (!*next)
			*next = d->paddr;
		if (*next > at)
			return fail("a pool's device untyped was used past the pool's start (pools out of order?)");
		while (*next < at) {
			unsigned b = 4;
			while (b + 1 < d->sizeBits && !(*next & ((1ull << (b + 1)) - 1)) && *next + (1ull << (b + 1)) <= at)
				b++;
			seL4_CPtr filler;
			seL4_Error e = retype(ut, seL4_UntypedObject, b, &filler);
			if (e != seL4_NoError)
				return fail_err("cannot reach a pool's start in its device untyped", e);
			*next += 1ull << b;
		}
		while (at < stop) {
			uint64_t large_size = 1ull << seL4_LargePageBits;
			bool large = !(at & (large_size - 1)) && stop - at >= large_size &&
				     !((vaddr + (at - base)) & (large_size - 1));
			seL4_Word type = large ? seL4_ARM_LargePageObject : seL4_ARM_SmallPageObject;
			seL4_Word bits = large ? seL4_LargePageBits : seL4_PageBits;
			seL4_CPtr frame;
			seL4_Error e = retype(ut, type, bits, &frame);
			if (e != seL4_NoError)
				return fail_err("cannot retype a pool frame", e);
			if (!map(frame, vaddr + (at - base)))
				return false;
			at += 1ull << bits;
			*next = at;
		}
	}
	pool->base = (volatile void *)vaddr;
	return true;
}

static bool bind_channels(void)
{
	seL4_Error e = retype_ram(seL4_NotificationObject, seL4_NotificationBits, &ntfn);
	if (e != seL4_NoError)
		return fail_err("no RAM for a notification", e);
	for (unsigned i = 0; i < mk__n_ch; i++) {
		seL4_CPtr c, badged;
		if (!slot(&c))
			return false;
		if (mk__ch[i].direction == MK_SEND) {
			e = seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, mk__ch[i].sgi, sgi_target[i],
							   seL4_CapInitThreadCNode, c, seL4_WordBits);
			if (e != seL4_NoError)
				return fail_err("IRQControl_IssueSGISignal failed (a non-SMP seL4 is needed)", e);
		} else {
			if ((e = seL4_IRQControl_Get(seL4_CapIRQControl, mk__ch[i].sgi, seL4_CapInitThreadCNode, c,
						     seL4_WordBits)) != seL4_NoError)
				return fail_err("IRQControl_Get for a received SGI failed", e);
			if (!slot(&badged))
				return false;
			if ((e = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits, seL4_CapInitThreadCNode,
						 ntfn, seL4_WordBits, seL4_AllRights, 1ull << i)) != seL4_NoError)
				return fail_err("cannot badge the notification", e);
			if ((e = seL4_IRQHandler_SetNotification(c, badged)) != seL4_NoError)
				return fail_err("IRQHandler_SetNotification failed", e);
		}
		cap[i] = c;
	}
	return true;
}

/* --- the sync pool: ready words and the console lock ----------------------- */

/* This node's ready word, or a peer's. */
static volatile uint32_t *ready_word(uint32_t index)
{
	return mkimg_sync_word(&sync_pool, index, MKIMG_SYNC_READY_OFF);
}

static bool find_sync(void)
{
	const struct mk_pool *p = mk_pool(MKIMG_SYNC_POOL);
	if (!p)
		return true; /* one node alone: nothing to wait for, no one to share the console with */
	if (!sync_pool.count || sync_pool.index >= sync_pool.count ||
	    (uint64_t)sync_pool.count * MKIMG_SYNC_SLOT > p->size)
		return fail("the sync pool does not fit /chosen/mkimg's node-index and node-count");
	sync_pool.base = (volatile uint32_t *)p->base;
	return true;
}

/* --- the API ---------------------------------------------------------------- */

bool mk_start(uintptr_t boot_arg)
{
	struct tree t;
	bi = (seL4_BootInfo *)boot_arg;
	seL4_SetIPCBuffer(bi->ipcBuffer);
	next_slot = bi->empty.start;
	if (!find_tree(&t)) {
		put_raw("connect: seL4 passed no device tree in the extra boot info\n");
		return false;
	}
	if (!read_tree(&t))
		return false;
	/* In ascending address order, as each device untyped is handed out. */
	seL4_Word vaddr = POOL_VADDR;
	for (unsigned done = 0; done < mk__n_pool; done++) {
		struct mk_pool *p = NULL;
		for (unsigned i = 0; i < mk__n_pool; i++)
			if (!mk__pool[i].base && (!p || mk__pool[i].paddr < p->paddr))
				p = &mk__pool[i];
		if (!map_pool(p, vaddr))
			return false;
		vaddr += (p->size + (1ull << seL4_LargePageBits) - 1) & ~((1ull << seL4_LargePageBits) - 1);
	}
	if (!find_sync() || !bind_channels())
		return false;
	if (sync_pool.base) {
		mkimg_sync_barrier();
		*ready_word(sync_pool.index) = MKIMG_SYNC_READY;
		mkimg_sync_barrier();
	}
	return true;
}

int mk_signal(int ch)
{
	if (!mk__is_channel(ch, MK_SEND))
		return MK_E_INVAL;
	if (sync_pool.base && !ready_seen[ch]) {
		if (peer_index[ch] >= sync_pool.count)
			return MK_E_INVAL;
		unsigned long polls = 0;
		while (*ready_word(peer_index[ch]) != MKIMG_SYNC_READY) {
			if (++polls == READY_POLLS)
				return MK_E_PEER;
			mkimg_sync_barrier();
		}
		ready_seen[ch] = true;
	}
	/* The pool's bytes before the signal: a DSB, since on GICv3 seL4 raises
	 * the SGI with a system register write, which a DMB does not order. */
	__asm__ volatile("dsb sy" ::: "memory");
	seL4_Signal(cap[ch]);
	return 0;
}

int64_t mk_wait(uint64_t mask)
{
	if (!mk__is_receive_mask(mask))
		return MK_E_INVAL;
	while (!(pending & mask)) {
		seL4_Word badge = 0;
		seL4_Wait(ntfn, &badge);
		for (unsigned i = 0; i < mk__n_ch; i++)
			if (badge & (1ull << i))
				seL4_IRQHandler_Ack(cap[i]);
		pending |= badge;
	}
	uint64_t got = pending & mask;
	pending &= ~got;
	mkimg_sync_barrier(); /* the pool's bytes after the signal */
	return (int64_t)got;
}

void mk__write_line(const char *s, size_t n)
{
	mkimg_sync_lock(&sync_pool);
#ifdef CONFIG_PRINTING
	for (size_t i = 0; i < n; i++)
		seL4_DebugPutChar(s[i]);
#else
	(void)s, (void)n;
#endif
	mkimg_sync_unlock(&sync_pool);
}

_Noreturn void mk_exit(int status)
{
	(void)status;
	seL4_TCB_Suspend(seL4_CapInitThreadTCB);
	for (;;)
		seL4_Yield();
}
