/* SPDX-License-Identifier: BSD-2-Clause */
/* demo.c - the connector library's back end for the demo kernel (kernel/):
 * its boot info page (x0 at entry) fills the tables, its four system calls
 * (kernel/include/demo_abi.h) do the rest. The kernel itself makes a
 * signal safe to send before the peer is up (it waits for the peer's
 * GICv3 redistributor, or the SGI stays pending on a GICv2), so here
 * nothing marks the node ready.
 */
#include "connect_internal.h"
#include "demo_abi.h"

/* One `svc #0`: number in x7, arguments in x0 and x1, result in x0. */
static int64_t demo_call(uint64_t n, uint64_t a0, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x7 __asm__("x7") = n;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x7) : "memory");
	return (int64_t)x0;
}

void mk__write_line(const char *s, size_t n)
{
	/* The kernel takes at most DEMO_PUTS_MAX bytes a call and collects
	 * them into lines itself, so a longer line may go in pieces. */
	while (n > 0) {
		size_t k = n < DEMO_PUTS_MAX ? n : DEMO_PUTS_MAX;
		if (demo_call(DEMO_SYS_PUTS, (uint64_t)s, k) < 0)
			return;
		s += k, n -= k;
	}
}

/* Says why the page at `at` is not a boot info this back end reads, in
 * one line: "connect: no demo kernel boot info at 0x...: magic 0x..., not
 * 0x49424b44". `rule` is ", not " or ", at most ". False, for mk_start()
 * to return. */
static bool bad_bootinfo(uintptr_t at, const char *what, uint64_t got, const char *rule, uint64_t want)
{
	struct mk_line l = {0};
	mk_str(&l, "connect: no demo kernel boot info at ");
	mk_hex(&l, at);
	mk_str(&l, ": ");
	mk_str(&l, what);
	mk_str(&l, " ");
	mk_hex(&l, got);
	mk_str(&l, rule);
	mk_hex(&l, want);
	mk_print(&l);
	return false;
}

static void take_channels(const struct demo_bootinfo *bi)
{
	for (uint32_t i = 0; i < bi->n_channels; i++) {
		mk__ch[i].sgi = bi->channels[i].sgi;
		mk__ch[i].direction = bi->channels[i].direction == DEMO_SEND ? MK_SEND : MK_RECEIVE;
		mk__ch[i].peer = bi->channels[i].peer;
	}
	mk__n_ch = bi->n_channels;
}

static void take_pools(const struct demo_bootinfo *bi)
{
	for (uint32_t i = 0; i < bi->n_pools; i++) {
		const struct demo_pool *p = &bi->pools[i];
		/* The kernel NUL-terminates labels; this copy does not rely on it. */
		char label[DEMO_LABEL_MAX + 1];
		memcpy(label, p->label, DEMO_LABEL_MAX);
		label[DEMO_LABEL_MAX] = '\0';
		mk__set_name(mk__pool[i].name, label);
		mk__pool[i].base = (volatile void *)(uintptr_t)p->vaddr;
		mk__pool[i].paddr = p->paddr;
		mk__pool[i].size = p->size;
	}
	mk__n_pool = bi->n_pools;
}

bool mk_start(uintptr_t boot_arg)
{
	const struct demo_bootinfo *bi = (const struct demo_bootinfo *)boot_arg;
	if (!bi) {
		mk_puts("connect: no boot info (x0 is 0): not started by the demo kernel?");
		return false;
	}
	if (bi->magic != DEMO_BOOTINFO_MAGIC)
		return bad_bootinfo(boot_arg, "magic", bi->magic, ", not ", DEMO_BOOTINFO_MAGIC);
	if (bi->version != DEMO_BOOTINFO_VERSION)
		return bad_bootinfo(boot_arg, "version", bi->version, ", not ", DEMO_BOOTINFO_VERSION);
	/* Both limits are below the library's (MK_MAX_*): only a damaged
	 * page has more. */
	if (bi->n_channels > DEMO_MAX_CHANNELS)
		return bad_bootinfo(boot_arg, "channel count", bi->n_channels, ", at most ", DEMO_MAX_CHANNELS);
	if (bi->n_pools > DEMO_MAX_POOLS)
		return bad_bootinfo(boot_arg, "pool count", bi->n_pools, ", at most ", DEMO_MAX_POOLS);
	mk__node_id = bi->node_id;
	take_channels(bi);
	take_pools(bi);
	return true;
}

/* The kernel's errors as the API's; one it has no name for is printed. */
static int64_t from_demo(const char *call, int64_t r)
{
	if (r >= 0)
		return r;
	if (r == DEMO_E_INVAL)
		return MK_E_INVAL;
	if (r == DEMO_E_PEER)
		return MK_E_PEER;
	struct mk_line l = {0};
	mk_str(&l, "connect: the demo kernel refused ");
	mk_str(&l, call);
	mk_str(&l, r == DEMO_E_FAULT ? ": a bad address" : ": error -");
	if (r != DEMO_E_FAULT)
		mk_dec(&l, (uint64_t)-r);
	mk_print(&l);
	return MK_E_KERNEL;
}

int mk_signal(int ch)
{
	if (!mk__is_channel(ch, MK_SEND))
		return MK_E_INVAL;
	return (int)from_demo("signal", demo_call(DEMO_SYS_SIGNAL, (uint64_t)ch, 0));
}

int64_t mk_wait(uint64_t mask)
{
	if (!mk__is_receive_mask(mask))
		return MK_E_INVAL;
	return from_demo("wait", demo_call(DEMO_SYS_WAIT, mask, 0));
}

_Noreturn void mk_exit(int status)
{
	demo_call(DEMO_SYS_EXIT, (uint64_t)status, 0);
	for (;;) /* not reached: exit never returns */
		__asm__ volatile("yield");
}
