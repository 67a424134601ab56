/* SPDX-License-Identifier: BSD-2-Clause */
/* loader.c - the loader: check the boot plan and the payload, copy what the
 * plan says, build the page tables it lists, start the cpus it names and
 * enter the kernels. It decides nothing the host could decide; the few
 * checks here stop a damaged or mistaken plan before it writes anywhere.
 *
 * The primary cpu runs all of this, but for the nodes that load
 * themselves (par_node: the first PAR_MAX of the boot order started by
 * PSCI), whose own cpus do steps 4 and 6 for their node meanwhile
 * (secondary_load in start.S, then par_load; README.md, "Loading in
 * parallel"). In order:
 *   1. find the plan (the payload's first member), check its magic,
 *      version, size and SHA-256, then that every array, op, map and table
 *      area lies where it must and that no node reaches another's RAM
 *      (bootplan_check.c, which the host runs too; MMU off);
 *   2. build the copy phase's tables and turn the MMU and caches on;
 *   3. start the cpus of the nodes that load themselves;
 *   4. check the SHA-256 of every member it owns;
 *   5. zero every shared pool the plan lists (all but those the manifest
 *      keeps), so no node reads what a previous boot left there;
 *   6. per node: copy and zero (the ops), build its tables, clean them all
 *      to the point of coherency (the loops are place.c's, proven to write
 *      only inside the ranges the check accepted);
 *   7. the barrier: wait for every self-loading node's status word; refuse
 *      to boot on any mismatch, naming the first member that failed;
 *   8. print the log, turn the MMU off, release or start the other cpus
 *      in boot order and enter the last node (ours) on this cpu.
 */
#include "bootplan_check.h"
#include "mkimg_uart.h"
#include "par.h"
#include "place.h"
#include "sha256.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every symbol is this image's own: reach it relative to the pc, never
 * through a GOT entry that would need a run-time relocation. */
#pragma GCC visibility push(hidden)

/* start.S and the linker script */
extern char _head[], __bss_start[], __loader_end[];
void mmu_on(uint64_t el, uint64_t root, uint64_t mair, uint64_t tcr, uint64_t sctlr);
void mmu_off(uint64_t el, uint64_t lo, uint64_t hi);
void dcache_civac(uint64_t lo, uint64_t hi);
void dcache_ivac(uint64_t lo, uint64_t hi);
int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint32_t conduit);
void sev_release(void);
uint64_t read_mpidr(void);
uint64_t read_sctlr(uint64_t el);
uint64_t fp_on(uint64_t el);
void fp_restore(uint64_t el, uint64_t old);
int cpu_sha256(void);
uint64_t read_counter(uint64_t *freq);
void exception_regs(uint64_t el, uint64_t out[3]);
void secondary_entry(void);
void secondary_load(void);
void par_load(const struct bp_node *n, uint32_t k);
_Noreturn void enter_node(const struct bp_node *n);
_Noreturn void halt(void);
void loader_main(uint64_t el);
void loader_exception(uint64_t vector);

#define PSCI_CPU_ON 0xc4000003
#define SCTLR_M 1ull
#define MPIDR_AFFINITY 0xff00ffffffull

/* Read by secondary_entry; written while the MMU is off, so it is in memory. */
const struct bp_header *boot_plan;
/* Written by secondary_entry, MMU off, as a started cpu goes into its node. */
const struct bp_node *volatile entered_node;
static uint64_t current_el;

/* Parallel self-loading (README.md, "Loading in parallel"). Written by the
 * primary with the MMU on and cleaned to PoC before it starts a cpu, which
 * reads par_mmu with its MMU off: el, root, mair, tcr, sctlr of the copy
 * phase. par_plan is read with the MMU on. */
uint64_t par_mmu[5];
static struct bp_plan par_plan;
/* [k]: node k's status (PAR_*), [PAR_MAX + k]: place.c's reason; written by
 * node k's cpu with the MMU on. Lines of their own: nothing else shares a
 * cache line with them (128 bytes: the largest line of a common core). */
__attribute__((aligned(128))) volatile uint64_t par_word[2 * PAR_MAX];
/* [k] = 1: node k's cpu may enter its kernel; written by the primary with
 * its MMU off, read by that cpu with its MMU off. */
__attribute__((aligned(128))) volatile uint64_t par_go[PAR_MAX];
/* The stacks of the cpus that load themselves (start.S). */
__attribute__((aligned(128))) uint8_t par_stacks[PAR_MAX][PAR_STACK];
#define NO_MEMBER UINT64_MAX

/* In a wait loop: let another cpu run (QEMU's single-threaded TCG switches
 * vCPU at a yield, not at a spin: without it each wait costs its slice). */
static inline void relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* ------------------------------------------------------------ console */

/* The plan's console (include/mkimg_uart.h): none until the plan names one. */
static struct uart con;

static void put(char c)
{
	if (c == '\n')
		put('\r');
	uart_putc(&con, c);
}

static void put_str(const char *s)
{
	while (*s)
		put(*s++);
}

static void put_hex(uint64_t v)
{
	int shift = 60;
	put_str("0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void put_dec(uint64_t v)
{
	char buf[20];
	int n = 0;
	do
		buf[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		put(buf[--n]);
}

/* A printf for the log: %s a string, %x a uint64_t in hex (0x...), %u a
 * uint64_t in decimal, %n a NUL-padded name of up to 32 bytes from the
 * image (someone else's bytes: anything but printable ASCII as \xNN, so
 * no name can move the terminal's cursor or fake a line). */
static void vsay(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		case 'x':
			put_hex(va_arg(ap, uint64_t));
			break;
		case 'u':
			put_dec(va_arg(ap, uint64_t));
			break;
		case 'n': {
			const char *s = va_arg(ap, const char *);
			for (int i = 0; i < 32 && s[i]; i++) {
				unsigned char c = (unsigned char)s[i];
				if (c >= 0x20 && c < 0x7f) {
					put((char)c);
				} else {
					put('\\'), put('x');
					put("0123456789abcdef"[c >> 4]), put("0123456789abcdef"[c & 15]);
				}
			}
			break;
		}
		default:
			put('%');
			put(*fmt);
		}
	}
}

static void info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_str("LDR|INFO: ");
	vsay(fmt, ap);
	put('\n');
	va_end(ap);
}

static void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_str("LDR|WARN: ");
	vsay(fmt, ap);
	put('\n');
	va_end(ap);
}

/* The one way out when something is wrong: one line, then stop. No
 * kernel has been entered when this runs on the primary cpu. */
_Noreturn static void fail_v(const char *fmt, va_list ap)
{
	put_str("LDR|ERROR: ");
	vsay(fmt, ap);
	put('\n');
	halt();
}

_Noreturn static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_v(fmt, ap);
}

/* place.c's way to stop: on a cpu loading its own node, tell the primary
 * (which prints it) and stop; secondaries print nothing. */
void place_fail(const char *why)
{
	uint64_t me = read_mpidr() & MPIDR_AFFINITY;
	const struct bp_plan *pl = &par_plan;
	if (pl->h && me != pl->h->primary_mpidr)
		for (uint32_t k = 0; k < PAR_MAX && k < pl->h->nodes_count; k++)
			if (pl->nodes[k].mpidr == me) {
				par_word[PAR_MAX + k] = (uint64_t)why;
				par_word[k] = PAR_PLACE;
				halt();
			}
	fail("%s", why);
}

/* An SMC or HVC instruction (any immediate): the loader's PSCI calls. */
#define INSN_SMC 0xd4000003u
#define INSN_HVC 0xd4000002u
#define INSN_CALL_MASK 0xffe0001fu

void loader_exception(uint64_t vector)
{
	uint64_t r[3];
	exception_regs(current_el, r);
	/* A PSCI call no one answers: at EL1 an SMC with no EL3 firmware, or an
	 * HVC with no EL2, is UNDEFINED (ESR class 0, the call at ELR); at EL2
	 * an HVC comes back to the loader itself. Say so, and what to change. */
	uint32_t insn = (r[1] & 3) == 0 ? *(const volatile uint32_t *)r[1] : 0;
	bool smc = (insn & INSN_CALL_MASK) == INSN_SMC, hvc = (insn & INSN_CALL_MASK) == INSN_HVC;
	if ((smc || hvc) && ((r[0] >> 26) == 0 || hvc))
		fail("PSCI by %s trapped at EL%u: nothing above EL%u answers %s here (no %s); give the board's tree or the "
		     "manifest ('platform: psci: %s') the conduit its firmware answers, or enter the loader at %s",
		     smc ? "smc" : "hvc", current_el, current_el, smc ? "smc" : "hvc",
		     smc ? "EL3 firmware" : "hypervisor", smc ? "hvc" : "smc",
		     smc ? "EL2 (QEMU virt: virtualization=on)" : "EL1, or with smc");
	fail("unexpected exception (vector %u) at EL%u: ESR %x ELR %x FAR %x", vector, current_el, r[0], r[1], r[2]);
}

/* ------------------------------------------------------------ memory */

/* The compiler may call these for struct copies and loops. */
void *memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	char *d = dst;
	while (n--)
		*d++ = (char)c;
	return dst;
}

/* ------------------------------------------------------------ the plan */

/* The check's one way to report: fail(), which never returns. */
static void check_failed(void *ctx, const char *fmt, va_list ap)
{
	(void)ctx;
	fail_v(fmt, ap);
}

/* The plan is the first member of the payload, which follows the loader.
 * Its console may be used before the hash is checked when its complement
 * agrees, so that even a damaged plan is reported. Then every check of
 * bootplan_check.c, before anything is written. */
static void find_and_check(struct bp_plan *pl, uint64_t el)
{
	const struct bp_header *h = (const void *)(__loader_end + BP_PLAN_OFFSET);
	struct bp_env env = {
		.image_base = (uint64_t)_head,
		.loader_size = (uint64_t)(__loader_end - _head),
		.payload_avail = UINT64_MAX - (uint64_t)__loader_end,
		.mpidr = read_mpidr() & MPIDR_AFFINITY,
		.el = el,
	};
	uint8_t sum[SHA256_BYTES];
	if (h->console && h->console == ~h->console_check) {
		con = uart_make(h->console, h->console_kind, h->console_shift, h->console_width);
		uart_start(&con);
	}
	bp_find(__loader_end, &env, pl, check_failed, NULL);
	bp_plan_sum(pl->h, sum);
	if (!bp_same(sum, pl->h->sha256, SHA256_BYTES))
		fail("boot plan: SHA-256 mismatch: the image is damaged; refusing to boot");
	bp_check(pl, &env, check_failed, NULL);
}

/* ------------------------------------------------------------ page tables */

/* The copy phase: an identity map of the loader's region, every node's
 * RAM and the console, in the format of the current exception level.
 * Built with the MMU off, so its lines are invalidated before the walker
 * may read them through the cache; the stack likewise. */
static void copy_phase_mmu_on(const struct bp_plan *pl)
{
	const struct bp_header *h = pl->h;
	int el2 = current_el == 2;
	uint64_t root = place_copy_tables(pl, (uint32_t)el2);
	dcache_ivac(h->copy_tables, h->copy_tables_end);
	dcache_ivac((uint64_t)__bss_start, (uint64_t)__loader_end);
	mmu_on(current_el, root, h->mair, el2 ? h->tcr_el2 : h->tcr_el1, el2 ? h->sctlr_el2 : h->sctlr_el1);
}

/* ------------------------------------------------------------ the boot */

/* Does node k load itself? The same rule on every cpu: a node among the
 * first PAR_MAX of the boot order whose cpu is started by PSCI (a
 * spin-table release address is not in the copy phase's map). */
static bool par_node(const struct bp_plan *pl, uint32_t k)
{
	return k < PAR_MAX && k < pl->h->nodes_count && pl->nodes[k].start == BP_START_PSCI;
}

/* Who hashes member m: the first node that loads itself and copies from
 * it, else the primary (PAR_MAX). Each member is hashed once. */
static uint32_t owner(const struct bp_plan *pl, uint32_t m)
{
	for (uint32_t k = 0; k < PAR_MAX; k++) {
		if (!par_node(pl, k))
			continue;
		const struct bp_node *n = &pl->nodes[k];
		for (uint32_t i = 0; i < n->ops_count; i++)
			if (pl->ops[n->ops_first + i].kind == BP_OP_COPY && pl->ops[n->ops_first + i].member == m)
				return k;
	}
	return PAR_MAX;
}

static bool member_ok(const struct bp_plan *pl, uint32_t m, bool ce)
{
	const struct bp_member *mb = &pl->members[m];
	struct sha256 s;
	uint8_t sum[SHA256_BYTES];
	sha256_init(&s);
	sha256_use_ce(&s, ce);
	sha256_update(&s, _head + mb->offset, mb->size);
	sha256_final(&s, sum);
	return bp_same(sum, mb->sha256, SHA256_BYTES);
}

/* The members `who` hashes (a node's index, or PAR_MAX: the primary's)
 * against their hashes, with the cpu's SHA-256 instructions where it has
 * them (FP/SIMD untrapped meanwhile, then as it was: the kernels are
 * entered with the traps they were given). Returns the first that does
 * not match, or NO_MEMBER. */
static uint64_t verify(const struct bp_plan *pl, uint32_t who)
{
	uint64_t traps = 0, bad = NO_MEMBER;
	bool ce = cpu_sha256();
	if (ce)
		traps = fp_on(current_el);
	for (uint32_t m = 0; m < pl->h->members_count && bad == NO_MEMBER; m++)
		if (owner(pl, m) == who && !member_ok(pl, m, ce))
			bad = m;
	if (ce)
		fp_restore(current_el, traps);
	return bad;
}

/* Each pool the plan lists, zeroed through the copy phase's cacheable map
 * and cleaned to the point of coherency: its nodes map it uncached (seL4
 * hands it to them as device memory), and nothing of a previous boot may
 * reach them from there. */
static void zero_pools(const struct bp_plan *pl)
{
	for (uint32_t i = 0; i < pl->h->pools_count; i++) {
		const struct bp_pool *p = &pl->pools[i];
		place_pool(pl, i);
		dcache_civac(p->base, p->base + p->size);
	}
}

/* Copy and zero what the node's ops say, build its tables, and clean it
 * all to the point of coherency: its cpu starts with the caches off, and
 * its kernel reads through another mapping. */
static void load_node(const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_op *ops = &pl->ops[n->ops_first];
	place_ops(pl, n);
	place_node_tables(pl, n);
	for (uint32_t i = 0; i < n->ops_count; i++)
		dcache_civac(ops[i].dst, ops[i].dst + ops[i].size);
	dcache_civac(n->ttbr0, n->tables_end);
}

/* A node's own cpu, from secondary_load (start.S: MMU on with the copy
 * phase's tables, its own stack): verify the members it owns and, if they
 * match, place its node; then say which in its status word. Prints
 * nothing. load_node's last clean ends with a dsb, so the node is in
 * memory before the status says PAR_OK. */
void par_load(const struct bp_node *n, uint32_t k)
{
	par_word[k] = PAR_BUSY;
	uint64_t bad = verify(&par_plan, k);
	if (bad == NO_MEMBER)
		load_node(&par_plan, n);
	par_word[k] = bad == NO_MEMBER ? PAR_OK : PAR_BAD + bad;
}

static const char *start_name(const struct bp_header *h, const struct bp_node *n)
{
	if (n->start == BP_START_SPIN)
		return "spin-table";
	if (n->start == BP_START_SELF)
		return "the loader's own cpu";
	return h->psci == BP_PSCI_HVC ? "psci-hvc" : "psci-smc";
}

static void log_node(const struct bp_header *h, const struct bp_node *n)
{
	info(n->boot == BP_BOOT_LINUX ? "node %u linux [%x, %x) dtb %x initrd [%x, %x) cpu %u via %s"
				      : "node %u kernel [%x, %x) dtb %x user [%x, %x) cpu %u via %s",
	     (uint64_t)n->id, n->kernel_base, n->kernel_end, n->regs[4], n->regs[0], n->regs[1], (uint64_t)n->cpu,
	     start_name(h, n));
}

/* With the MMU off: a spin-table write goes straight to memory; the clean
 * drops any line a cache may still hold for it. */
static void start_cpu(const struct bp_plan *pl, uint32_t k, uint64_t entry)
{
	const struct bp_header *h = pl->h;
	const struct bp_node *n = &pl->nodes[k];
	if (n->start == BP_START_SPIN) {
		place_release(pl, k, entry);
		dcache_civac(n->release_addr, n->release_addr + 8);
		sev_release();
		return;
	}
	int64_t ret = psci_call(PSCI_CPU_ON, n->mpidr, entry, 0, h->psci);
	if (ret != 0)
		fail("node %u: PSCI CPU_ON for cpu %u (MPIDR %x) failed with %s%u", (uint64_t)n->id, (uint64_t)n->cpu,
		     n->mpidr, ret < 0 ? "-" : "", (uint64_t)(ret < 0 ? -ret : ret));
}

static void not_up(const struct bp_node *n)
{
	warn("node %u: cpu %u (MPIDR %x) did not come up within a second of its start; going on", (uint64_t)n->id,
	     (uint64_t)n->cpu, n->mpidr);
}

/* Wait (up to a second) until node k's cpu is on its way into the node's
 * kernel, so that the kernels are entered one after another in boot order
 * and the loader's own node really is entered last. (Each unmodified seL4
 * resets the shared GIC distributor and takes every SPI when it starts:
 * the layout report names the node entered last.) A node that loaded
 * itself is released (its go word, MMU off, then sev); any other is
 * started now. */
static void start_node(const struct bp_plan *pl, uint32_t k, bool release)
{
	const struct bp_node *n = &pl->nodes[k];
	uint64_t freq, unused, t0 = read_counter(&freq);
	if (release) {
		par_go[k] = 1;
		sev_release();
	} else {
		start_cpu(pl, k, (uint64_t)secondary_entry);
	}
	if (!freq)
		freq = 1ull << 26;
	for (; entered_node != n; relax()) {
		if (read_counter(&unused) - t0 > freq) {
			not_up(n);
			return;
		}
	}
}

/* The barrier: every node that loads itself has said how it went. A cpu
 * that is not up within a second (counted from here) is warned about like
 * a late one today, its members hashed here, its node neither placed nor
 * released (up[k] = 0). Returns the first member that does not match,
 * among all (so the one line is the one a single cpu would print). */
static uint64_t par_wait(const struct bp_plan *pl, uint64_t bad, bool up[PAR_MAX])
{
	for (uint32_t k = 0; k < PAR_MAX; k++) {
		const struct bp_node *n = &pl->nodes[k];
		uint64_t freq, unused, t0 = read_counter(&freq), st, b = NO_MEMBER;
		if (!par_node(pl, k))
			continue;
		if (!freq)
			freq = 1ull << 26;
		while ((st = par_word[k]) == PAR_NONE && read_counter(&unused) - t0 <= freq)
			relax();
		up[k] = st != PAR_NONE;
		if (!up[k]) {
			not_up(n);
			b = verify(pl, k);
		} else {
			while ((st = par_word[k]) == PAR_BUSY)
				relax();
			if (st == PAR_PLACE)
				fail("%s", (const char *)par_word[PAR_MAX + k]);
			if (st >= PAR_BAD)
				b = st - PAR_BAD;
		}
		if (b < bad)
			bad = b;
	}
	return bad;
}

void loader_main(uint64_t el)
{
	struct bp_plan pl = {0};
	current_el = el;
	find_and_check(&pl, el);
	boot_plan = pl.h;
	if (el != 1 && el != 2)
		fail("entered at EL%u; the loader runs at EL2 or EL1", el);
	/* Entered like Linux: MMU off, data cache off, image cleaned to PoC. */
	if (read_sctlr(el) & SCTLR_M)
		fail("entered with the MMU on; start the image with the MMU and data cache off (a boot "
		     "loader's bootelf or booti, not go)");
	const struct bp_header *h = pl.h;

	copy_phase_mmu_on(&pl);
	/* The nodes that load themselves: their cpus start now, with the copy
	 * phase's MMU settings in memory (they read them with the MMU off). */
	int el2 = el == 2;
	par_plan = pl;
	par_mmu[0] = el, par_mmu[1] = h->copy_tables, par_mmu[2] = h->mair;
	par_mmu[3] = el2 ? h->tcr_el2 : h->tcr_el1, par_mmu[4] = el2 ? h->sctlr_el2 : h->sctlr_el1;
	dcache_civac((uint64_t)par_mmu, (uint64_t)(par_mmu + 5));
	for (uint32_t i = 0; i < h->nodes_count; i++)
		if (par_node(&pl, i))
			start_cpu(&pl, i, (uint64_t)secondary_load);
	/* Meanwhile this cpu: its members, the pools, the other nodes. */
	bool up[PAR_MAX] = {0};
	uint64_t bad = verify(&pl, PAR_MAX);
	if (bad == NO_MEMBER) {
		zero_pools(&pl);
		for (uint32_t i = 0; i < h->nodes_count; i++)
			if (!par_node(&pl, i))
				load_node(&pl, &pl.nodes[i]);
	}
	bad = par_wait(&pl, bad, up);
	if (bad != NO_MEMBER)
		fail("%n: SHA-256 mismatch: the payload is damaged; refusing to boot", pl.members[bad].name);
	info("boot plan '%n' at EL%u: %u node%s, %u payload members, SHA-256 verified", h->name, el,
	     (uint64_t)h->nodes_count, h->nodes_count == 1 ? "" : "s", (uint64_t)h->members_count);
	for (uint32_t i = 0; i < h->pools_count; i++) {
		const struct bp_pool *p = &pl.pools[i];
		info("pool '%n' [%x, %x) zeroed", p->name, p->base, p->base + p->size);
	}
	for (uint32_t i = 0; i < h->nodes_count; i++)
		log_node(h, &pl.nodes[i]);
	const struct bp_node *self = NULL;
	if (h->nodes_count && pl.nodes[h->nodes_count - 1].start == BP_START_SELF)
		self = &pl.nodes[h->nodes_count - 1];
	info(self ? "entering the kernels" : "entering the kernels; the loader's cpu runs none and stops");

	mmu_off(el, (uint64_t)__bss_start, (uint64_t)__loader_end);
	for (uint32_t i = 0; i < h->nodes_count; i++)
		if (&pl.nodes[i] != self && (!par_node(&pl, i) || up[i]))
			start_node(&pl, i, par_node(&pl, i));
	if (self)
		enter_node(self);
	halt();
}
