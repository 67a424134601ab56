/* loader.c - the loader: check the boot plan and the payload, copy what the
 * plan says, build the page tables it lists, start the cpus it names and
 * enter the kernels. It decides nothing the host could decide; the few
 * checks here stop a damaged or mistaken plan before it writes anywhere.
 *
 * The primary cpu runs all of this; the others only run enter_node()
 * (start.S). In order:
 *   1. find the plan (the payload's first member), check its magic,
 *      version, size and SHA-256, then that every array, op, map and table
 *      area lies where it must (MMU off);
 *   2. build the copy phase's tables and turn the MMU and caches on;
 *   3. check every member's SHA-256; refuse to boot on any mismatch;
 *   4. per node: copy and zero (the ops), build its tables, clean them all
 *      to the point of coherency;
 *   5. print the log, turn the MMU off, start the other cpus in boot order
 *      and enter the last node (ours) on this cpu.
 */
#include "bootplan.h"
#include "sha256.h"

#include <stdarg.h>
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
void exception_regs(uint64_t el, uint64_t out[3]);
void secondary_entry(void);
_Noreturn void enter_node(const struct bp_node *n);
_Noreturn void halt(void);
void loader_main(uint64_t el);
void loader_exception(uint64_t vector);

#define PSCI_CPU_ON 0xc4000003
#define SCTLR_M 1ull
#define MPIDR_AFFINITY 0xff00ffffffull
#define DESC_TABLE 3ull            /* valid table descriptor (levels 0 and 1) */
#define DESC_BLOCK 1ull            /* valid block descriptor (level 2) */
#define DESC_ADDR 0x0000fffffffff000ull
#define CPIO_HEADER 110            /* newc: "070701" and 13 eight-digit hex fields */
#define PLAN_OFFSET 120            /* CPIO_HEADER + "bootplan\0", padded to 4 */

/* Read by secondary_entry; written while the MMU is off, so it is in memory. */
const struct bp_header *boot_plan;
static uint64_t current_el;

/* ------------------------------------------------------------ console */

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static volatile uint32_t *uart;

static void put(char c)
{
	if (!uart)
		return;
	if (c == '\n')
		put('\r');
	while (uart[PL011_FR / 4] & PL011_FR_TXFF)
		;
	uart[PL011_DR / 4] = (uint8_t)c;
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
 * uint64_t in decimal, %n a NUL-padded name of up to 32 bytes. */
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
			for (int i = 0; i < 32 && s[i]; i++)
				put(s[i]);
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

/* The one way out when something is wrong: one line, then stop. No
 * kernel has been entered when this runs on the primary cpu. */
_Noreturn static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_str("LDR|ERROR: ");
	vsay(fmt, ap);
	put('\n');
	va_end(ap);
	halt();
}

void loader_exception(uint64_t vector)
{
	uint64_t r[3];
	exception_regs(current_el, r);
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

/* Copy with the widest accesses the alignment of both ends allows: the
 * payload's members start 4-aligned (CPIO), the targets are usually
 * page aligned. */
static void copy(uint64_t dst, uint64_t src, uint64_t n)
{
	if (((dst | src | n) & 7) == 0) {
		for (uint64_t i = 0; i < n; i += 8)
			*(volatile uint64_t *)(dst + i) = *(const uint64_t *)(src + i);
	} else if (((dst | src | n) & 3) == 0) {
		for (uint64_t i = 0; i < n; i += 4)
			*(volatile uint32_t *)(dst + i) = *(const uint32_t *)(src + i);
	} else {
		for (uint64_t i = 0; i < n; i++)
			*(volatile uint8_t *)(dst + i) = *(const uint8_t *)(src + i);
	}
}

static void zero(uint64_t dst, uint64_t n)
{
	uint64_t i = 0;
	for (; i < n && ((dst + i) & 7); i++)
		*(volatile uint8_t *)(dst + i) = 0;
	for (; i + 8 <= n; i += 8)
		*(volatile uint64_t *)(dst + i) = 0;
	for (; i < n; i++)
		*(volatile uint8_t *)(dst + i) = 0;
}

static int same(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* [lo, lo + size) inside [start, end), without overflow. */
static int inside(uint64_t lo, uint64_t size, uint64_t start, uint64_t end)
{
	return lo >= start && lo <= end && size <= end - lo;
}

/* ------------------------------------------------------------ the plan */

/* Eight hex digits of a CPIO header field; ~0 when one is not hex. */
static uint64_t cpio_field(const char *hdr, int index)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = hdr[6 + 8 * index + i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return ~0ull;
		v = v << 4 | (uint64_t)d;
	}
	return v;
}

/* The plan is the first member of the payload, which follows the loader.
 * Its console may be used before the hash is checked when its complement
 * agrees, so that even a damaged plan is reported. */
static const struct bp_header *find_plan(void)
{
	const char *cpio = __loader_end;
	const struct bp_header *h = (const void *)(cpio + PLAN_OFFSET);
	if (h->console && h->console == ~h->console_check)
		uart = (volatile uint32_t *)h->console;
	if (!same(cpio, "070701", 6) || cpio_field(cpio, 11) != sizeof(BP_MEMBER) ||
	    !same(cpio + CPIO_HEADER, BP_MEMBER, sizeof(BP_MEMBER)))
		fail("no boot plan: the payload after the loader does not start with a '%s' CPIO member", BP_MEMBER);
	if (h->magic != BP_MAGIC)
		fail("boot plan: bad magic %x (expected %x)", h->magic, (uint64_t)BP_MAGIC);
	if (h->version != BP_VERSION)
		fail("boot plan: version %u, but this loader reads version %u", (uint64_t)h->version,
		     (uint64_t)BP_VERSION);
	if (h->size < sizeof(*h) || h->size > cpio_field(cpio, 6))
		fail("boot plan: size %u does not fit its member (%u bytes)", (uint64_t)h->size, cpio_field(cpio, 6));
	struct sha256 s;
	uint8_t sum[SHA256_BYTES];
	sha256_init(&s);
	sha256_update(&s, h, 32);
	sha256_update(&s, (const char *)h + 64, h->size - 64);
	sha256_final(&s, sum);
	if (!same(sum, h->sha256, SHA256_BYTES))
		fail("boot plan: SHA-256 mismatch: the image is damaged; refusing to boot");
	return h;
}

/* An array the header names, checked to lie inside the plan. */
static const void *plan_array(const struct bp_header *h, uint32_t off, uint32_t count, uint32_t elem,
			      const char *what)
{
	if (off % 8 || off > h->size || count > (h->size - off) / elem)
		fail("boot plan: its %s lie outside it", what);
	return (const char *)h + off;
}

struct plan {
	const struct bp_header *h;
	const struct bp_member *members;
	const struct bp_node *nodes;
	const struct bp_op *ops;
	const struct bp_map *maps;
};

/* A table area: page aligned, in the loader's region, past the image. */
static void check_area(const struct bp_header *h, uint64_t lo, uint64_t hi, const char *what)
{
	if ((lo | hi) % BP_PAGE || hi < lo + 2 * BP_PAGE ||
	    !inside(lo, hi - lo, h->image_base + h->image_size, h->region_end))
		fail("boot plan: %s [%x, %x) is not inside the loader's free region", what, lo, hi);
}

static void check_maps(const struct plan *pl, uint32_t first, uint32_t count, const char *what)
{
	if (first > pl->h->maps_count || count > pl->h->maps_count - first)
		fail("boot plan: %s maps lie outside the map list", what);
	for (uint32_t i = first; i < first + count; i++) {
		const struct bp_map *m = &pl->maps[i];
		if ((m->va | m->pa | m->size) % BP_BLOCK || m->root > 1)
			fail("boot plan: %s map %u is not made of 2 MiB blocks", what, (uint64_t)i);
	}
}

static void check_ops(const struct plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	if (n->ops_first > h->ops_count || n->ops_count > h->ops_count - n->ops_first)
		fail("boot plan: node %u's ops lie outside the op list", (uint64_t)n->id);
	if (n->ram_end < n->ram_base || (n->ram_base < h->region_end && h->image_base < n->ram_end))
		fail("boot plan: node %u's RAM [%x, %x) overlaps the loader", (uint64_t)n->id, n->ram_base,
		     n->ram_end);
	for (uint32_t i = n->ops_first; i < n->ops_first + n->ops_count; i++) {
		const struct bp_op *op = &pl->ops[i];
		if (!inside(op->dst, op->size, n->ram_base, n->ram_end))
			fail("boot plan: node %u writes [%x, %x), outside its RAM", (uint64_t)n->id, op->dst,
			     op->dst + op->size);
		if (op->kind == BP_OP_ZERO)
			continue;
		if (op->kind != BP_OP_COPY || op->member >= h->members_count ||
		    !inside(op->src, op->size, 0, pl->members[op->member].size))
			fail("boot plan: node %u has a bad op (%u)", (uint64_t)n->id, (uint64_t)i);
	}
}

static void check_node(const struct plan *pl, uint32_t index)
{
	const struct bp_header *h = pl->h;
	const struct bp_node *n = &pl->nodes[index];
	int last = index + 1 == h->nodes_count;
	check_ops(pl, n);
	check_maps(pl, n->maps_first, n->maps_count, "a node's");
	check_area(h, n->ttbr0, n->tables_end, "a node's page-table area");
	if (n->ttbr1 != n->ttbr0 + BP_PAGE || n->el != 1)
		fail("boot plan: node %u: unsupported table layout or exception level", (uint64_t)n->id);
	if (n->start == BP_START_SELF) {
		if (!last || n->mpidr != h->primary_mpidr)
			fail("boot plan: node %u runs on the loader's cpu but is not entered last", (uint64_t)n->id);
	} else if (n->start == BP_START_PSCI) {
		if (h->psci != BP_PSCI_SMC && h->psci != BP_PSCI_HVC)
			fail("boot plan: node %u is started with PSCI, but the plan names no conduit", (uint64_t)n->id);
		if (h->psci == BP_PSCI_HVC && current_el == 2)
			fail("PSCI is called with hvc, but the loader runs at EL2 where hvc calls itself; "
			     "boot without EL2 or use a tree that says smc");
	} else if (n->start != BP_START_SPIN) {
		fail("boot plan: node %u has an unknown start method %u", (uint64_t)n->id, (uint64_t)n->start);
	}
}

/* Everything the loader will touch, checked before it touches anything. */
static void check_plan(struct plan *pl)
{
	const struct bp_header *h = pl->h;
	uint64_t here = (uint64_t)_head, loader_size = (uint64_t)(__loader_end - _head);
	if (h->image_base != here)
		fail("the image runs at %x, but its plan expects %x: load elfloader.bin at %x", here, h->image_base,
		     h->image_base);
	if (h->image_size < loader_size || h->region_end < h->image_base + h->image_size)
		fail("boot plan: the image (%u bytes) does not fit the loader's region", h->image_size);
	if ((read_mpidr() & MPIDR_AFFINITY) != h->primary_mpidr)
		fail("the loader runs on the cpu with MPIDR %x, but the plan expects %x", read_mpidr() & MPIDR_AFFINITY,
		     h->primary_mpidr);
	pl->members = plan_array(h, h->members_off, h->members_count, sizeof(*pl->members), "members");
	pl->nodes = plan_array(h, h->nodes_off, h->nodes_count, sizeof(*pl->nodes), "nodes");
	pl->ops = plan_array(h, h->ops_off, h->ops_count, sizeof(*pl->ops), "ops");
	pl->maps = plan_array(h, h->maps_off, h->maps_count, sizeof(*pl->maps), "maps");
	for (uint32_t i = 0; i < h->members_count; i++)
		if (!inside(pl->members[i].offset, pl->members[i].size, loader_size, h->image_size))
			fail("boot plan: member %n lies outside the payload", pl->members[i].name);
	for (int el = 0; el < 2; el++)
		check_maps(pl, h->copy_maps_first[el], h->copy_maps_count[el], "the copy phase's");
	check_area(h, h->copy_tables, h->copy_tables_end, "the copy phase's page-table area");
	uint64_t tables = h->copy_tables_end; /* table areas follow each other */
	for (uint32_t i = 0; i < h->nodes_count; i++) {
		check_node(pl, i);
		if (pl->nodes[i].ttbr0 < tables)
			fail("boot plan: node %u's page-table area overlaps another", (uint64_t)pl->nodes[i].id);
		tables = pl->nodes[i].tables_end;
	}
}

/* ------------------------------------------------------------ page tables */

struct pages {
	uint64_t next, end;
};

static uint64_t *new_table(struct pages *a)
{
	if (a->next >= a->end)
		fail("page tables: the area the plan gave is full");
	uint64_t *t = (uint64_t *)a->next;
	a->next += BP_PAGE;
	zero((uint64_t)t, BP_PAGE);
	return t;
}

static uint64_t *next_level(uint64_t *table, uint64_t index, struct pages *a)
{
	if (!(table[index] & 1))
		table[index] = (uint64_t)new_table(a) | DESC_TABLE;
	return (uint64_t *)(table[index] & DESC_ADDR);
}

/* Map one bp_map under `root` with 2 MiB blocks (level 2 of 4). */
static void map(uint64_t *root, const struct bp_map *m, struct pages *a)
{
	for (uint64_t off = 0; off < m->size; off += BP_BLOCK) {
		uint64_t va = m->va + off;
		uint64_t *l1 = next_level(root, (va >> 39) & 511, a);
		uint64_t *l2 = next_level(l1, (va >> 30) & 511, a);
		l2[(va >> 21) & 511] = (m->pa + off) | m->attr | DESC_BLOCK;
	}
}

/* The copy phase: an identity map of the loader's region, every node's
 * RAM and the console, in the format of the current exception level.
 * Built with the MMU off, so its lines are invalidated before the walker
 * may read them through the cache; the stack likewise. */
static void copy_phase_mmu_on(const struct plan *pl)
{
	const struct bp_header *h = pl->h;
	int el2 = current_el == 2;
	struct pages a = {h->copy_tables, h->copy_tables_end};
	uint64_t *root = new_table(&a);
	for (uint32_t i = 0; i < h->copy_maps_count[el2]; i++)
		map(root, &pl->maps[h->copy_maps_first[el2] + i], &a);
	dcache_ivac(h->copy_tables, h->copy_tables_end);
	dcache_ivac((uint64_t)__bss_start, (uint64_t)__loader_end);
	mmu_on(current_el, (uint64_t)root, h->mair, el2 ? h->tcr_el2 : h->tcr_el1, el2 ? h->sctlr_el2 : h->sctlr_el1);
}

/* A node's tables: TTBR0 and TTBR1 roots first, then the rest in order. */
static void node_tables(const struct plan *pl, const struct bp_node *n)
{
	struct pages a = {n->ttbr0, n->tables_end};
	uint64_t *roots[2];
	roots[0] = new_table(&a);
	roots[1] = new_table(&a);
	for (uint32_t i = 0; i < n->maps_count; i++) {
		const struct bp_map *m = &pl->maps[n->maps_first + i];
		map(roots[m->root], m, &a);
	}
}

/* ------------------------------------------------------------ the boot */

static void verify_members(const struct plan *pl)
{
	for (uint32_t i = 0; i < pl->h->members_count; i++) {
		const struct bp_member *m = &pl->members[i];
		uint8_t sum[SHA256_BYTES];
		sha256(_head + m->offset, m->size, sum);
		if (!same(sum, m->sha256, SHA256_BYTES))
			fail("%n: SHA-256 mismatch: the payload is damaged; refusing to boot", m->name);
	}
}

/* Copy and zero what the node's ops say, build its tables, and clean it
 * all to the point of coherency: its cpu starts with the caches off, and
 * its kernel reads through another mapping. */
static void load_node(const struct plan *pl, const struct bp_node *n)
{
	const struct bp_op *ops = &pl->ops[n->ops_first];
	for (uint32_t i = 0; i < n->ops_count; i++) {
		if (ops[i].kind == BP_OP_COPY)
			copy(ops[i].dst, (uint64_t)_head + pl->members[ops[i].member].offset + ops[i].src, ops[i].size);
		else
			zero(ops[i].dst, ops[i].size);
	}
	node_tables(pl, n);
	for (uint32_t i = 0; i < n->ops_count; i++)
		dcache_civac(ops[i].dst, ops[i].dst + ops[i].size);
	dcache_civac(n->ttbr0, n->tables_end);
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
	info("node %u kernel [%x, %x) dtb %x user [%x, %x) cpu %u via %s", (uint64_t)n->id, n->kernel_base,
	     n->kernel_end, n->regs[4], n->regs[0], n->regs[1], (uint64_t)n->cpu, start_name(h, n));
}

/* With the MMU off: a spin-table write goes straight to memory; the clean
 * drops any line a cache may still hold for it. */
static void start_cpu(const struct bp_header *h, const struct bp_node *n)
{
	uint64_t entry = (uint64_t)secondary_entry;
	if (n->start == BP_START_SPIN) {
		*(volatile uint64_t *)n->release_addr = entry;
		dcache_civac(n->release_addr, n->release_addr + 8);
		sev_release();
		return;
	}
	int64_t ret = psci_call(PSCI_CPU_ON, n->mpidr, entry, 0, h->psci);
	if (ret != 0)
		fail("node %u: PSCI CPU_ON for cpu %u (MPIDR %x) failed with %s%u", (uint64_t)n->id, (uint64_t)n->cpu,
		     n->mpidr, ret < 0 ? "-" : "", (uint64_t)(ret < 0 ? -ret : ret));
}

void loader_main(uint64_t el)
{
	struct plan pl = {0};
	current_el = el;
	pl.h = boot_plan = find_plan();
	if (el != 1 && el != 2)
		fail("entered at EL%u; the loader runs at EL2 or EL1", el);
	/* Entered like Linux: MMU off, data cache off, image cleaned to PoC. */
	if (read_sctlr(el) & SCTLR_M)
		fail("entered with the MMU on; start the image with the MMU and data cache off (a boot "
		     "loader's bootelf or booti, not go)");
	check_plan(&pl);
	const struct bp_header *h = pl.h;

	copy_phase_mmu_on(&pl);
	verify_members(&pl);
	info("boot plan '%n' at EL%u: %u node%s, %u payload members, SHA-256 verified", h->name, el,
	     (uint64_t)h->nodes_count, h->nodes_count == 1 ? "" : "s", (uint64_t)h->members_count);
	for (uint32_t i = 0; i < h->nodes_count; i++)
		load_node(&pl, &pl.nodes[i]);
	for (uint32_t i = 0; i < h->nodes_count; i++)
		log_node(h, &pl.nodes[i]);
	const struct bp_node *self = NULL;
	if (h->nodes_count && pl.nodes[h->nodes_count - 1].start == BP_START_SELF)
		self = &pl.nodes[h->nodes_count - 1];
	info(self ? "entering the kernels" : "entering the kernels; the loader's cpu runs none and stops");

	mmu_off(el, (uint64_t)__bss_start, (uint64_t)__loader_end);
	for (uint32_t i = 0; i < h->nodes_count; i++)
		if (&pl.nodes[i] != self)
			start_cpu(h, &pl.nodes[i]);
	if (self)
		enter_node(self);
	halt();
}
