/* SPDX-License-Identifier: BSD-2-Clause */
/* pack.c - see pack.h.
 *
 * Every address the loader will use is decided here: where each segment,
 * DTB and root task goes, what the page tables map, the system register
 * values, which cpu starts how. The result is one boot plan (bootplan.h)
 * that the loader checks and obeys.
 *
 * Placement in a node's first RAM region, ascending (seL4's expectation):
 * the kernel at its ELF physical address (the region's base), the DTB on
 * the next page, the root task on the page after the DTB.
 */
#include "pack.h"

#define UART_HOST_TABLE
#include "mkimg_uart.h"

#include "bootplan.h"
#include "image.h"
#include "output.h"
#include "sha256_host.h"

#include <elf.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <libfdt.h>
#include <zlib.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the boot plan is written as the host lays out its structs: a little-endian host is needed"
#endif

#define PAGE BP_PAGE
#define BLOCK BP_BLOCK
#define WINDOW_MAX (1ull << 30) /* the kernel window: at most 1 GiB */
#define VA_UPPER 0xffff000000000000ull
#define ELF_DATA_OFFSET 0x1000  /* the image inside elfloader.elf */
#define CPIO_HEADER 110
#define MAX_SEGMENTS 64 /* seL4's kernel has one, a root task a few: more is not a sane input */
#define CPIO_ALIGN(n) (((n) + 3) & ~(size_t)3)

/* MAIR: seL4's list; index 4 is the Normal write-back memory seL4 assumes. */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL 4
#define MAIR_VALUE 0x0000aaff440c0400ull /* 0:00 1:04 2:0c 3:44 4:ff 5:aa */

/* Block descriptor bits. */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP1 (1ull << 6)       /* RES1 in the EL2 regime; EL0 access at EL1 */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)      /* RES0 in the EL2 regime */
#define PTE_UXN (1ull << 54)      /* XN in the EL2 regime */

/* TCR: 48-bit VAs in both halves, 4 KiB granules, walks write-back and
 * inner shareable, 16-bit ASIDs; IPS / PS come from the cpu at run time. */
#define TCR_EL1_VALUE (16ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 16ull << 16 | 1ull << 24 | \
		       1ull << 26 | 3ull << 28 | 2ull << 30 | 1ull << 36)
#define TCR_EL2_VALUE (16ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | 1ull << 31)
/* SCTLR: the RES1 bits of Armv8.0, then M, C, I. */
#define SCTLR_MCI (1ull << 0 | 1ull << 2 | 1ull << 12)
#define SCTLR_EL1_VALUE (0x30d00800ull | SCTLR_MCI)
#define SCTLR_EL2_VALUE (0x30c50830ull | SCTLR_MCI)
#define HCR_EL2_VALUE (1ull << 31)  /* RW: EL1 is AArch64; nothing trapped, no stage 2 */
#define CNTHCTL_EL2_VALUE 3ull      /* EL1 may read the physical counter and use its timer */
#define CPTR_EL2_VALUE 0x33ffull    /* RES1 bits only: FP/SIMD not trapped */
#define ICC_SRE_EL2_VALUE 0x9ull    /* SRE | Enable: EL1 may use the GICv3 system registers */

struct seg {
	uint64_t off, vaddr, paddr, filesz, memsz;
};

struct elf_file {
	const char *path;
	uint8_t *buf;
	size_t size;
	uint64_t entry;
	bool dynamic; /* PT_INTERP or PT_DYNAMIC */
	struct seg *segs; /* PT_LOAD with memsz > 0 */
	size_t n_segs;
};

/* One node: its files and where everything goes. */
struct node_pack {
	const struct plan_node *n;
	const struct node_inputs *in;
	struct mk_range mem; /* memory[0] */
	struct elf_file kernel, root_task;
	uint8_t *dtb;
	size_t dtb_file_size;
	uint8_t *dtb_own; /* a Linux node's tree with its initrd in /chosen (what is packed), or NULL */
	uint64_t dtb_size;
	uint64_t kbase, kend, voff;     /* physical range; virtual - physical */
	uint64_t win_va, win_size;      /* the kernel window (TTBR1) */
	uint64_t dtb_addr;
	uint64_t rt_vmin, rt_vmax, rt_p, rt_end, pv;
	char name[3][32];               /* Kernel.N.elf, capdl.N.img, kernel.N.dtb (Linux: Image.N, initrd.N) */
};

struct packer {
	const struct plan *p;
	struct diags *d;
	struct node_pack *np; /* by position in p->nodes */
	uint8_t *loader;      /* the loader block */
	uint64_t loader_size;
	struct bp_member *members;
	size_t n_members;
	struct bp_op *ops;
	size_t n_ops;
	struct bp_map *maps;
	size_t n_maps;
	uint64_t console;
	uint32_t console_kind, console_shift, console_width;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* ---------------------------------------------------------------- ELF files */

/* An error in an input file: `path: error: WHAT: message [image-input]`,
 * WHAT being the payload name it would have (Kernel.1.elf). Returns -1. */
static int input_error(struct diags *d, const char *path, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int input_error(struct diags *d, const char *path, const char *what, const char *fmt, ...)
{
	struct mk_loc loc = {.file = path};
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(d, &loc, "image-input", "%s: %s", what, msg);
	free(msg);
	return -1;
}

/* The name of an ELF machine, for messages: the ones a wrong build most
 * likely made, else its number. */
static const char *machine_name(char buf[24], unsigned m)
{
	static const struct {
		unsigned id;
		const char *name;
	} names[] = {
		{EM_386, "x86 (32-bit)"}, {EM_X86_64, "x86-64"}, {EM_ARM, "32-bit ARM"}, {EM_AARCH64, "AArch64"},
		{EM_RISCV, "RISC-V"}, {EM_MIPS, "MIPS"}, {EM_PPC, "PowerPC"}, {EM_PPC64, "PowerPC64"},
		{EM_S390, "s390"}, {EM_SPARCV9, "SPARC V9"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == m)
			return names[i].name;
	snprintf(buf, 24, "ELF machine %u", m);
	return buf;
}

/* libelf reads nothing until told which ELF version its caller knows. */
static int libelf_ready(struct diags *d)
{
	if (elf_version(EV_CURRENT) != EV_NONE)
		return 0;
	diag_error(d, NULL, NULL, "libelf is too old: %s", elf_errmsg(-1));
	return -1;
}

/* Read an AArch64 executable's header and loadable segments with libelf. */
static int elf_read(struct elf_file *e, const char *what, struct diags *d)
{
	Elf *elf = elf_memory((char *)e->buf, e->size);
	GElf_Ehdr eh;
	size_t nph = 0;
	int ret = -1;
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		input_error(d, e->path, what, "not an ELF file");
		goto out;
	}
	if (gelf_getclass(elf) != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		input_error(d, e->path, what, "not a 64-bit little-endian ELF file");
		goto out;
	}
	if (eh.e_machine != EM_AARCH64) {
		char m[24];
		input_error(d, e->path, what, "built for %s (ELF machine %u), not AArch64: build it with an AArch64 "
			    "compiler (aarch64-linux-gnu-gcc)", machine_name(m, eh.e_machine), eh.e_machine);
		goto out;
	}
	if (eh.e_type != ET_EXEC) {
		input_error(d, e->path, what, "not an executable (ELF type %u)", eh.e_type);
		goto out;
	}
	/* A table cut short by the end of the file: libelf reads it as no
	 * headers or as invalid data; say what it is instead. */
	if (eh.e_phnum && eh.e_phnum != PN_XNUM &&
	    (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > e->size ||
	     eh.e_phnum > (e->size - eh.e_phoff) / sizeof(Elf64_Phdr))) {
		input_error(d, e->path, what, "its %u program headers do not fit in the file (%zu bytes): is it truncated?",
			    eh.e_phnum, e->size);
		goto out;
	}
	if (elf_getphdrnum(elf, &nph) != 0) {
		input_error(d, e->path, what, "unreadable program headers: %s", elf_errmsg(-1));
		goto out;
	}
	e->entry = eh.e_entry;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph)) {
			input_error(d, e->path, what, "unreadable program header %zu", i);
			goto out;
		}
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			e->dynamic = true;
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > e->size || ph.p_filesz > e->size - ph.p_offset) {
			input_error(d, e->path, what, "segment %zu lies outside the file or is larger than its memory", i);
			goto out;
		}
		/* Every sum of an address and a size below stays in 64 bits,
		 * page rounding included. */
		if (ph.p_memsz > UINT64_MAX - PAGE || ph.p_vaddr > UINT64_MAX - PAGE - ph.p_memsz ||
		    ph.p_paddr > UINT64_MAX - PAGE - ph.p_memsz) {
			input_error(d, e->path, what, "segment %zu wraps around the top of the address space", i);
			goto out;
		}
		if (e->n_segs == MAX_SEGMENTS) {
			input_error(d, e->path, what, "has more than %d loadable segments", MAX_SEGMENTS);
			goto out;
		}
		*VEC_PUSH(e->segs, e->n_segs) = (struct seg){ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz};
	}
	if (e->n_segs == 0) {
		input_error(d, e->path, what, "has no loadable segment");
		goto out;
	}
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	return ret;
}

static int seg_by_paddr(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int seg_by_vaddr(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* ---------------------------------------------------------------- checks */

static const struct plan_node *ram_owner(const struct plan *p, uint64_t a)
{
	for (size_t i = 0; i < p->n_nodes; i++)
		for (size_t j = 0; j < p->nodes[i].n_memory; j++)
			if (a >= p->nodes[i].memory[j].base && a < range_end(p->nodes[i].memory[j]))
				return &p->nodes[i];
	return NULL;
}

/* The kernel: one physical range that starts at the node's kernel base
 * and ends inside the node's first RAM region; one virtual offset; linked
 * in the upper half. A kernel for another node says whose it is. */
static int check_kernel(struct packer *pk, struct node_pack *np)
{
	struct elf_file *k = &np->kernel;
	const struct plan_node *n = np->n;
	char what[64];
	snprintf(what, sizeof(what), "%s", np->name[0]);
	if (elf_read(k, what, pk->d) < 0)
		return -1;
	sort(k->segs, k->n_segs, sizeof(*k->segs), seg_by_paddr);
	np->kbase = k->segs[0].paddr;
	np->voff = k->segs[0].vaddr - k->segs[0].paddr;
	np->kend = 0;
	for (size_t i = 0; i < k->n_segs; i++) {
		const struct seg *s = &k->segs[i];
		if (s->vaddr - s->paddr != np->voff)
			return input_error(pk->d, k->path, what, "its segments have different virtual-physical offsets");
		if (s->paddr < np->kend)
			return input_error(pk->d, k->path, what, "its segments overlap at 0x%" PRIx64, s->paddr);
		np->kend = s->paddr + s->memsz;
	}
	const char *dtb = np->in->dtb;
	if (np->kbase != np->mem.base || np->kend > range_end(np->mem)) {
		const struct plan_node *owner = ram_owner(pk->p, np->kbase);
		if (owner && owner != n)
			return input_error(pk->d, k->path, what,
					 "physical range [0x%" PRIx64 ", 0x%" PRIx64 ") is node %u's RAM, not node %u's "
					 "[0x%" PRIx64 ", 0x%" PRIx64 "): rebuild it against %s",
					 np->kbase, np->kend, owner->id, n->id, np->mem.base, range_end(np->mem), dtb);
		if (!owner)
			return input_error(pk->d, k->path, what,
					 "physical range [0x%" PRIx64 ", 0x%" PRIx64 ") is outside node %u's RAM "
					 "[0x%" PRIx64 ", 0x%" PRIx64 "): rebuild it against %s",
					 np->kbase, np->kend, n->id, np->mem.base, range_end(np->mem), dtb);
		if (np->kbase != np->mem.base)
			return input_error(pk->d, k->path, what,
					 "starts at 0x%" PRIx64 ", not at node %u's kernel base 0x%" PRIx64
					 " where its RAM starts: rebuild it against %s",
					 np->kbase, n->id, np->mem.base, dtb);
		return input_error(pk->d, k->path, what,
				 "physical range [0x%" PRIx64 ", 0x%" PRIx64 ") does not fit node %u's RAM "
				 "[0x%" PRIx64 ", 0x%" PRIx64 ")",
				 np->kbase, np->kend, n->id, np->mem.base, range_end(np->mem));
	}
	np->win_va = np->kbase + np->voff;
	if (np->win_va < VA_UPPER || np->win_va % BLOCK)
		return input_error(pk->d, k->path, what,
				 "linked at 0x%" PRIx64 ": an EL1 seL4 kernel runs in the upper half, 2 MiB aligned",
				 np->win_va);
	if (k->entry < np->win_va || k->entry >= np->kend + np->voff)
		return input_error(pk->d, k->path, what, "its entry point 0x%" PRIx64 " is outside its image", k->entry);
	/* From the kernel's base to the end of the node's region, at most
	 * 1 GiB, and never past the top of the address space. */
	np->win_size = range_end(np->mem) - np->kbase;
	if (np->win_size > WINDOW_MAX)
		np->win_size = WINDOW_MAX;
	if (np->win_size > -np->win_va)
		np->win_size = -np->win_va;
	return 0;
}

/* The node's tree is a whole blob; its size in np->dtb_size. */
static int check_dtb_blob(struct packer *pk, struct node_pack *np)
{
	const char *path = np->in->dtb;
	if (np->dtb_file_size < sizeof(struct fdt_header) || fdt_check_header(np->dtb) != 0)
		return input_error(pk->d, path, np->name[2], "not a device tree blob");
	np->dtb_size = fdt_totalsize(np->dtb);
	if (np->dtb_size > np->dtb_file_size)
		return input_error(pk->d, path, np->name[2], "truncated: the header says %" PRIu64 " bytes, the file has %zu",
				 np->dtb_size, np->dtb_file_size);
	return 0;
}

static int check_dtb(struct packer *pk, struct node_pack *np)
{
	const char *path = np->in->dtb;
	if (check_dtb_blob(pk, np) < 0)
		return -1;
	np->dtb_addr = align_up(np->kend, PAGE);
	if (np->dtb_addr + np->dtb_size > np->kbase + np->win_size)
		return input_error(pk->d, path, np->name[2], "would lie at [0x%" PRIx64 ", 0x%" PRIx64 "), outside node %u's "
				 "kernel window (its RAM or the first GiB from the kernel)",
				 np->dtb_addr, np->dtb_addr + np->dtb_size, np->n->id);
	return 0;
}

/* The root task: a static AArch64 executable with disjoint segments and
 * its entry inside them. */
static int check_root_task(struct packer *pk, struct node_pack *np)
{
	struct elf_file *rt = &np->root_task;
	const char *what = np->name[1];
	if (elf_read(rt, what, pk->d) < 0)
		return -1;
	if (rt->dynamic)
		return input_error(pk->d, rt->path, what, "not a static executable (it has PT_INTERP or PT_DYNAMIC)");
	sort(rt->segs, rt->n_segs, sizeof(*rt->segs), seg_by_vaddr);
	uint64_t end = 0;
	for (size_t i = 0; i < rt->n_segs; i++) {
		if (rt->segs[i].vaddr < end)
			return input_error(pk->d, rt->path, what, "its segments overlap at 0x%" PRIx64, rt->segs[i].vaddr);
		end = rt->segs[i].vaddr + rt->segs[i].memsz;
	}
	np->rt_vmin = align_down(rt->segs[0].vaddr, PAGE);
	np->rt_vmax = align_up(end, PAGE);
	if (np->rt_vmax > PACK_USER_TOP || end < rt->segs[0].vaddr)
		return input_error(pk->d, rt->path, what, "linked at [0x%" PRIx64 ", 0x%" PRIx64 "): a root task runs in "
				 "the lower half, below 0x%llx (seL4_UserTop of an EL1 kernel); relink it lower", np->rt_vmin,
				 end, (unsigned long long)PACK_USER_TOP);
	if (rt->entry < np->rt_vmin || rt->entry >= np->rt_vmax)
		return input_error(pk->d, rt->path, what, "its entry point 0x%" PRIx64 " is outside its image", rt->entry);
	return 0;
}

/* The root task unpacked on the page after the DTB as one contiguous
 * region, phys = virt + pv_offset, inside the node's RAM. */
static int place_root_task(struct packer *pk, struct node_pack *np)
{
	np->rt_p = align_up(np->dtb_addr + np->dtb_size, PAGE);
	if (np->rt_vmax - np->rt_vmin > range_end(np->mem) - np->rt_p) {
		char s[32];
		return input_error(pk->d, np->root_task.path, np->name[1],
				 "needs %s at 0x%" PRIx64 ", past the end of node %u's RAM [0x%" PRIx64 ", 0x%" PRIx64 ")",
				 fmt_size(s, np->rt_vmax - np->rt_vmin), np->rt_p, np->n->id, np->mem.base,
				 range_end(np->mem));
	}
	np->rt_end = np->rt_p + (np->rt_vmax - np->rt_vmin);
	np->pv = np->rt_p - np->rt_vmin;
	return 0;
}

/* Kernel, DTB and root task are ascending by construction; what is left
 * to prove is that none of them meets the loader. */
static int check_overlaps(struct packer *pk, const struct node_pack *np)
{
	struct mk_range all = {np->kbase, np->rt_end - np->kbase};
	if (!ranges_overlap(all, pk->p->loader))
		return 0;
	struct mk_loc loc = np->n->loc;
	diag_error(pk->d, &loc, "image-overlap",
		   "node %u: kernel, DTB and root task [0x%" PRIx64 ", 0x%" PRIx64 ") overlap the loader's region "
		   "[0x%" PRIx64 ", 0x%" PRIx64 ")",
		   np->n->id, all.base, range_end(all), pk->p->loader.base, range_end(pk->p->loader));
	return -1;
}

/* A spin-table cpu is released by a write to its cpu-release-addr: that
 * word must be nobody's RAM and not the loader's. */
static int check_release(struct packer *pk, const struct node_pack *np)
{
	const struct plan_board_cpu *cpu = &pk->p->board.cpus[np->n->cpus[0].index];
	if (cpu->index == 0 || cpu->enable != PLAN_ENABLE_SPIN_TABLE)
		return 0;
	struct mk_range word = {cpu->release_addr, 8};
	const struct plan_node *owner = ram_owner(pk->p, cpu->release_addr);
	if (!owner && !ranges_overlap(word, pk->p->loader) && cpu->release_addr % 8 == 0)
		return 0;
	diag_error(pk->d, &np->n->loc, "image-input",
		   "node %u: %s's cpu-release-addr 0x%" PRIx64 " is %s: the loader cannot release it there",
		   np->n->id, cpu->path, cpu->release_addr,
		   cpu->release_addr % 8 ? "not 8-byte aligned" : owner ? "inside a node's RAM" : "inside the loader's region");
	return -1;
}

/* ---------------------------------------------------------------- Linux */

/* A Linux node (Documentation/arch/arm64/booting.rst): its Image at the
 * node's first RAM region's base (2 MiB aligned) plus the header's
 * text_offset, image_size bytes of it (the file, then zeros); the initrd on
 * the next page; the tree on the page after that, with the initrd's range
 * in /chosen as a boot loader would put it. The Image's header is the one
 * the loader's own is (LDR_HDR_*). */
/* A gzip-compressed Image (Image.gz, or a distribution's vmlinuz that is
 * one) unpacked in memory: at most `limit` bytes, the node's RAM or the
 * input limit, whichever is less. Replaces the buffer. */
static int gunzip_image(struct packer *pk, struct node_pack *np, uint64_t limit)
{
	const char *path = np->kernel.path, *what = np->name[0];
	size_t cap = np->kernel.size * 4 < limit ? np->kernel.size * 4 : (size_t)limit, n = 0;
	uint8_t *out = xmalloc(cap + 1);
	z_stream z = {.next_in = np->kernel.buf, .avail_in = (uInt)np->kernel.size};
	int r = inflateInit2(&z, 16 + MAX_WBITS); /* gzip only */
	while (r == Z_OK) {
		if (n == cap) {
			if (cap >= limit) {
				char s[32];
				inflateEnd(&z);
				free(out);
				return input_error(pk->d, path, what, "unpacks to more than %s, more than node %u's RAM or "
						   "mkimg's limit for a Linux image", fmt_size(s, limit), np->n->id);
			}
			cap = cap * 2 < limit ? cap * 2 : (size_t)limit;
			out = xrealloc(out, cap + 1);
		}
		z.next_out = out + n;
		z.avail_out = (uInt)(cap - n);
		r = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (r == Z_BUF_ERROR && z.avail_out) /* input ended before the stream did */
			break;
		if (r == Z_BUF_ERROR)
			r = Z_OK;
	}
	const char *why = r == Z_STREAM_END ? NULL : z.msg ? z.msg : "the data ends before the stream does";
	inflateEnd(&z);
	if (why) {
		free(out);
		return input_error(pk->d, path, what, "is gzip-compressed but cannot be unpacked: %s", why);
	}
	free(np->kernel.buf);
	np->kernel.buf = out;
	np->kernel.size = n;
	return 0;
}

static int check_linux_image(struct packer *pk, struct node_pack *np)
{
	if (np->kernel.size >= 2 && np->kernel.buf[0] == 0x1f && np->kernel.buf[1] == 0x8b &&
	    gunzip_image(pk, np, np->mem.size < (256u << 20) ? np->mem.size : (256u << 20)) < 0)
		return -1;
	const uint8_t *b = np->kernel.buf;
	size_t n = np->kernel.size;
	const char *path = np->kernel.path, *what = np->name[0];
	uint32_t magic = 0;
	uint64_t text_offset = 0, image_size = 0, flags = 0;
	if (n >= LDR_HDR_BYTES)
		memcpy(&magic, b + LDR_HDR_ARM64_MAGIC, 4);
	if (magic != LDR_ARM64_MAGIC)
		return input_error(pk->d, path, what, "is not an arm64 Linux Image (no \"ARM\\x64\" magic at byte %d): "
				   "name the kernel's Image (arch/arm64/boot/Image, or Debian's /boot/vmlinuz-*-arm64)",
				   LDR_HDR_ARM64_MAGIC);
	memcpy(&text_offset, b + LDR_HDR_TEXT_OFFSET, 8);
	memcpy(&image_size, b + LDR_HDR_IMAGE_SIZE, 8);
	memcpy(&flags, b + LDR_HDR_FLAGS, 8);
	if (image_size == 0)
		return input_error(pk->d, path, what, "its header gives no image_size (a kernel older than 3.17): "
				   "mkimg cannot tell how much RAM it takes");
	if (flags & 1)
		return input_error(pk->d, path, what, "is a big-endian kernel; the loader enters kernels little-endian");
	if (n > image_size)
		return input_error(pk->d, path, what, "is %zu bytes, more than the %" PRIu64 " its header's image_size "
				   "says it takes", n, image_size);
	uint64_t room = np->mem.size;
	if (text_offset >= room || image_size > room - text_offset) {
		char s[32];
		return input_error(pk->d, path, what, "needs %s at 0x%" PRIx64 " (text_offset 0x%" PRIx64 "), more than "
				   "node %u's RAM [0x%" PRIx64 ", 0x%" PRIx64 ") holds", fmt_size(s, image_size),
				   np->mem.base + text_offset, text_offset, np->n->id, np->mem.base,
				   range_end(np->mem));
	}
	np->kbase = np->mem.base + text_offset;
	np->kend = np->kbase + image_size;
	np->kernel.entry = np->kbase;
	return 0;
}

/* The initrd after the Image, the tree after the initrd, both in the
 * node's RAM; the tree gets linux,initrd-start and -end. */
static int place_linux(struct packer *pk, struct node_pack *np)
{
	const struct plan_node *n = np->n;
	uint64_t end = range_end(np->mem);
	char s[32];
	np->rt_p = align_up(np->kend, PAGE);
	if (np->rt_p > end || np->root_task.size > end - np->rt_p)
		return input_error(pk->d, np->root_task.path, np->name[1], "needs %s at 0x%" PRIx64 ", past the end of "
				   "node %u's RAM [0x%" PRIx64 ", 0x%" PRIx64 "): give the node more memory",
				   fmt_size(s, np->root_task.size), np->rt_p, n->id, np->mem.base, end);
	np->rt_end = np->rt_p + np->root_task.size;
	np->rt_vmin = np->rt_vmax = 0;
	np->pv = 0;

	const char *path = np->in->dtb;
	if (check_dtb_blob(pk, np) < 0)
		return -1;
	int size = (int)np->dtb_size + 256, chosen;
	np->dtb_own = xmalloc((size_t)size);
	fdt64_t range[2] = {cpu_to_fdt64(np->rt_p), cpu_to_fdt64(np->rt_end)};
	if (fdt_open_into(np->dtb, np->dtb_own, size) != 0 ||
	    ((chosen = fdt_path_offset(np->dtb_own, "/chosen")) < 0 &&
	     (chosen = fdt_add_subnode(np->dtb_own, 0, "chosen")) < 0) ||
	    (np->root_task.size && (fdt_setprop(np->dtb_own, chosen, "linux,initrd-start", &range[0], 8) != 0 ||
				    fdt_setprop(np->dtb_own, chosen, "linux,initrd-end", &range[1], 8) != 0)) ||
	    fdt_pack(np->dtb_own) != 0)
		return input_error(pk->d, path, np->name[2], "cannot add the initrd's range to its /chosen");
	np->dtb_size = fdt_totalsize(np->dtb_own);
	np->dtb_addr = align_up(np->rt_end, PAGE);
	if (np->dtb_size > BLOCK) /* booting.rst: at most 2 MiB */
		return input_error(pk->d, path, np->name[2], "is %s; Linux takes a tree of at most 2 MiB",
				   fmt_size(s, np->dtb_size));
	if (np->dtb_addr > end || np->dtb_size > end - np->dtb_addr)
		return input_error(pk->d, path, np->name[2], "would lie at 0x%" PRIx64 ", past the end of node %u's RAM "
				   "[0x%" PRIx64 ", 0x%" PRIx64 "): give the node more memory",
				   np->dtb_addr, n->id, np->mem.base, end);
	/* check_overlaps' end: everything the node's files take (the initrd is
	 * [rt_p, rt_p + its size)) */
	np->rt_end = np->dtb_addr + np->dtb_size;
	return 0;
}

/* ---------------------------------------------------------------- inputs */

/* The node's payload names and its first RAM region, where it all goes. */
static int node_init(struct packer *pk, struct node_pack *np)
{
	unsigned id = np->n->id;
	bool lx = np->n->os == PLAN_OS_LINUX;
	snprintf(np->name[0], sizeof(np->name[0]), lx ? "Image.%u" : "Kernel.%u.elf", id);
	snprintf(np->name[1], sizeof(np->name[1]), lx ? "initrd.%u" : "capdl.%u.img", id);
	snprintf(np->name[2], sizeof(np->name[2]), "kernel.%u.dtb", id);
	if (np->n->n_memory == 0 || np->n->n_cpus == 0) {
		diag_error(pk->d, &np->n->loc, "image-input", "node %u has no RAM or no cpu", id);
		return -1;
	}
	np->mem = np->n->memory[0];
	if (np->mem.base % BLOCK || np->mem.size % BLOCK) {
		diag_error(pk->d, &np->n->loc, "image-input", "node %u: its RAM [0x%" PRIx64 ", 0x%" PRIx64
			   ") is not 2 MiB aligned", id, np->mem.base, range_end(np->mem));
		return -1;
	}
	return 0;
}

/* Every check of a node's kernel, tree and root task, read into np. */
static int check_node(struct packer *pk, struct node_pack *np)
{
	if (np->n->os == PLAN_OS_LINUX) {
		if (check_linux_image(pk, np) < 0)
			return -1;
		if (!np->dtb) /* checked before its tree exists: the Image alone */
			return 0;
		return place_linux(pk, np) < 0 || check_overlaps(pk, np) < 0 || check_release(pk, np) < 0 ? -1 : 0;
	}
	if (check_kernel(pk, np) < 0 || check_dtb(pk, np) < 0 || check_root_task(pk, np) < 0 ||
	    place_root_task(pk, np) < 0)
		return -1;
	return check_overlaps(pk, np) < 0 || check_release(pk, np) < 0 ? -1 : 0;
}

/* After errors in a node's files, which name the files: the manifest line
 * that named them, where the manifest did. */
static void note_named(struct diags *d, const struct plan_node *n)
{
	bool kernel = n->kernel.kind == PLAN_ART_FILE, root_task = n->root_task.kind == PLAN_ART_FILE;
	bool lx = n->os == PLAN_OS_LINUX;
	if (kernel || root_task)
		diag_add(d, DIAG_NOTE, kernel ? &n->kernel.path_loc : &n->root_task.path_loc, NULL,
			 "node %u's %s named here", n->id,
			 kernel && root_task ? (lx ? "Linux image and initrd are" : "kernel and root task are")
			 : kernel ? (lx ? "Linux image is" : "kernel is") : lx ? "initrd is" : "root task is");
}

static int load_node(struct packer *pk, struct node_pack *np)
{
	const struct node_inputs *in = np->in;
	if (node_init(pk, np) < 0)
		return -1;
	np->kernel.path = in->kernel;
	np->root_task.path = in->root_task;
	bool lx = np->n->os == PLAN_OS_LINUX; /* its initrd may be left out */
	if (!in->kernel || (!in->root_task && !lx) || !in->dtb) {
		diag_error(pk->d, &np->n->loc, "image-input", "node %u has no %s to pack", np->n->id,
			   !in->kernel ? "kernel" : !in->root_task ? "root task" : "device tree");
		return -1;
	}
	unsigned before = pk->d->errors;
	if (input_read(in->kernel, lx ? IN_LINUX : IN_KERNEL, NULL, &np->kernel.buf, &np->kernel.size, pk->d) < 0 ||
	    (in->root_task && input_read(in->root_task, lx ? IN_INITRD : IN_ROOT_TASK, NULL, &np->root_task.buf,
					 &np->root_task.size, pk->d) < 0) ||
	    input_read(in->dtb, IN_NODE_DTB, NULL, &np->dtb, &np->dtb_file_size, pk->d) < 0 || check_node(pk, np) < 0) {
		if (pk->d->errors > before)
			note_named(pk->d, np->n);
		return -1;
	}
	return 0;
}

int pack_check_elf(const struct plan *p, size_t i, const struct node_inputs *in, bool kernel, const uint8_t *buf,
		   size_t size, struct diags *d)
{
	struct packer pk = {.p = p, .d = d};
	struct node_pack np = {.n = &p->nodes[i], .in = in};
	struct elf_file *e = kernel ? &np.kernel : &np.root_task;
	if (libelf_ready(d) < 0 || node_init(&pk, &np) < 0)
		return -1;
	*e = (struct elf_file){.path = kernel ? in->kernel : in->root_task, .buf = (uint8_t *)buf, .size = size};
	int ret = kernel ? check_kernel(&pk, &np) : check_root_task(&pk, &np);
	free(e->segs);
	return ret;
}

/* A node whose kernel and root task are both files: every check pack_image()
 * makes, with its tree from memory. */
static void check_files_node(const struct plan *p, size_t i, const struct node_inputs *in,
			     const struct pack_tree *tree, struct diags *d)
{
	struct packer pk = {.p = p, .d = d};
	struct node_pack np = {.n = &p->nodes[i], .in = in, .dtb = (uint8_t *)tree->dtb, .dtb_file_size = tree->size};
	np.kernel.path = in->kernel;
	np.root_task.path = in->root_task;
	bool lx = np.n->os == PLAN_OS_LINUX;
	if (libelf_ready(d) == 0 && node_init(&pk, &np) == 0 &&
	    input_read(in->kernel, lx ? IN_LINUX : IN_KERNEL, NULL, &np.kernel.buf, &np.kernel.size, d) == 0 &&
	    (!in->root_task ||
	     input_read(in->root_task, lx ? IN_INITRD : IN_ROOT_TASK, NULL, &np.root_task.buf, &np.root_task.size, d) == 0))
		check_node(&pk, &np);
	free(np.dtb_own);
	free(np.kernel.buf);
	free(np.kernel.segs);
	free(np.root_task.buf);
	free(np.root_task.segs);
}

/* One file of a node whose other input is built later. */
static void check_file(const struct plan *p, size_t i, const struct node_inputs *in, bool kernel, struct diags *d)
{
	uint8_t *buf;
	size_t size;
	if (input_read(kernel ? in->kernel : in->root_task, kernel ? IN_KERNEL : IN_ROOT_TASK, NULL, &buf, &size,
		       d) < 0)
		return;
	pack_check_elf(p, i, in, kernel, buf, size, d);
	free(buf);
}

int pack_check_files(const struct plan *p, const char *outdir, const struct pack_tree *trees, struct diags *d)
{
	struct node_inputs *in = pack_default_inputs(p, outdir);
	unsigned errors = d->errors;
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		bool kernel = n->kernel.kind == PLAN_ART_FILE, root_task = n->root_task.kind == PLAN_ART_FILE;
		unsigned before = d->errors;
		if (n->os == PLAN_OS_LINUX) {
			/* files only; without its tree, the Image's header alone */
			struct pack_tree none = {NULL, 0};
			check_files_node(p, i, &in[i], trees ? &trees[i] : &none, d);
		} else if (kernel && root_task && trees) {
			check_files_node(p, i, &in[i], &trees[i], d);
		} else {
			if (kernel)
				check_file(p, i, &in[i], true, d);
			if (root_task)
				check_file(p, i, &in[i], false, d);
		}
		if (d->errors > before)
			note_named(d, n);
	}
	pack_inputs_free(in, p->n_nodes);
	return d->errors > errors ? -1 : 0;
}

/* The loader block: loader.elf's segments laid out from address 0 (it is
 * linked there), BSS included as zeros, up to the size its header names. */
static int load_loader(struct packer *pk, const char *path)
{
	struct elf_file e = {.path = path};
	int ret = -1;
	if (input_read(path, IN_LOADER, NULL, &e.buf, &e.size, pk->d) < 0)
		return -1;
	Elf *elf = elf_memory((char *)e.buf, e.size);
	GElf_Ehdr eh;
	if (!elf || !gelf_getehdr(elf, &eh) || gelf_getclass(elf) != ELFCLASS64 || eh.e_machine != EM_AARCH64) {
		input_error(pk->d, path, "loader", "not an AArch64 ELF file");
		goto out;
	}
	/* Position independent and never relocated: no relocation may remain. */
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) && sh.sh_size) {
			input_error(pk->d, path, "loader", "has dynamic relocations: it would not run unchanged at 0x%" PRIx64,
				  pk->p->loader.base);
			goto out;
		}
	}
	size_t nph = 0;
	elf_getphdrnum(elf, &nph);
	uint64_t end = 0;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_vaddr + ph.p_memsz > end)
			end = ph.p_vaddr + ph.p_memsz;
	}
	if (end < LDR_HDR_BYTES || end > 1u << 20) {
		input_error(pk->d, path, "loader", "its loadable segments end at 0x%" PRIx64 ", not a loader", end);
		goto out;
	}
	uint8_t *block = xcalloc(align_up(end, PAGE), 1);
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > e.size || ph.p_filesz > e.size - ph.p_offset || ph.p_filesz > ph.p_memsz) {
			input_error(pk->d, path, "loader", "segment %zu lies outside the file", i);
			free(block);
			goto out;
		}
		memcpy(block + ph.p_vaddr, e.buf + ph.p_offset, ph.p_filesz);
	}
	uint64_t magic, size;
	uint32_t version;
	memcpy(&magic, block + LDR_HDR_MAGIC, 8);
	memcpy(&size, block + LDR_HDR_SIZE, 8);
	memcpy(&version, block + LDR_HDR_VERSION, 4);
	uint32_t arm64;
	memcpy(&arm64, block + LDR_HDR_ARM64_MAGIC, 4);
	if (magic != LDR_MAGIC || arm64 != LDR_ARM64_MAGIC || size < end || size % PAGE || size != align_up(end, PAGE)) {
		input_error(pk->d, path, "loader", "no mkimg loader header at its first byte");
		free(block);
		goto out;
	}
	if (version != BP_VERSION) {
		input_error(pk->d, path, "loader", "reads boot plan version %u, but this mkimg writes version %u: rebuild it",
			  version, BP_VERSION);
		free(block);
		goto out;
	}
	pk->loader = block;
	pk->loader_size = size;
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	free(e.buf);
	return ret;
}

/* ---------------------------------------------------------------- the plan */

static void op_copy(struct packer *pk, size_t member, uint64_t src, uint64_t dst, uint64_t size)
{
	if (size)
		*VEC_PUSH(pk->ops, pk->n_ops) = (struct bp_op){BP_OP_COPY, (uint32_t)member, src, dst, size};
}

static void op_zero(struct packer *pk, uint64_t dst, uint64_t size)
{
	if (size)
		*VEC_PUSH(pk->ops, pk->n_ops) = (struct bp_op){BP_OP_ZERO, 0, 0, dst, size};
}

/* Members 3i, 3i + 1, 3i + 2 are node i's kernel, root task and DTB. Every
 * byte of [kernel base, kernel end) and of the root task's region is
 * written: file bytes copied, the rest zeroed. */
static void node_ops(struct packer *pk, size_t i, struct bp_node *bn)
{
	const struct node_pack *np = &pk->np[i];
	bn->ops_first = (uint32_t)pk->n_ops;
	if (np->n->os == PLAN_OS_LINUX) {
		op_copy(pk, 3 * i, 0, np->kbase, np->kernel.size);
		op_zero(pk, np->kbase + np->kernel.size, np->kend - np->kbase - np->kernel.size);
		op_copy(pk, 3 * i + 1, 0, np->rt_p, np->root_task.size);
		op_copy(pk, 3 * i + 2, 0, np->dtb_addr, np->dtb_size);
		bn->ops_count = (uint32_t)(pk->n_ops - bn->ops_first);
		return;
	}
	for (size_t j = 0; j < np->kernel.n_segs; j++) {
		const struct seg *s = &np->kernel.segs[j];
		op_copy(pk, 3 * i, s->off, s->paddr, s->filesz);
		op_zero(pk, s->paddr + s->filesz, s->memsz - s->filesz);
	}
	op_copy(pk, 3 * i + 2, 0, np->dtb_addr, np->dtb_size);
	uint64_t cur = np->rt_vmin;
	for (size_t j = 0; j < np->root_task.n_segs; j++) {
		const struct seg *s = &np->root_task.segs[j];
		op_zero(pk, cur + np->pv, s->vaddr - cur);
		op_copy(pk, 3 * i + 1, s->off, s->vaddr + np->pv, s->filesz);
		op_zero(pk, s->vaddr + s->filesz + np->pv, s->memsz - s->filesz);
		cur = s->vaddr + s->memsz;
	}
	op_zero(pk, cur + np->pv, np->rt_vmax - cur);
	bn->ops_count = (uint32_t)(pk->n_ops - bn->ops_first);
}

enum attr_kind { ATTR_CODE, ATTR_DATA, ATTR_DEVICE };

/* Descriptor bits for the EL1&0 regime, or for EL2 (one VA range: AP[1] is
 * RES1 and bit 54 is the only XN). */
static uint64_t attr(enum attr_kind k, bool el2)
{
	uint64_t a = PTE_AF | (el2 ? PTE_AP1 : 0);
	switch (k) {
	case ATTR_CODE:
		return a | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | (el2 ? 0 : PTE_UXN);
	case ATTR_DATA:
		return a | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_UXN | (el2 ? 0 : PTE_PXN);
	default:
		return a | PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_UXN | (el2 ? 0 : PTE_PXN);
	}
}

static void add_map(struct packer *pk, uint64_t va, uint64_t pa, uint64_t size, uint64_t a, uint32_t root)
{
	*VEC_PUSH(pk->maps, pk->n_maps) = (struct bp_map){va, pa, size, a, root, 0};
}

/* The copy phase's identity map, once per regime: the loader's region
 * (code), every node's first RAM region and the 2 MiB blocks around every
 * pool it zeroes (data), the console (device). Loader and node RAM are
 * whole blocks and pools lie outside them, so no pool's block is theirs. */
static void copy_maps(struct packer *pk, bool el2, uint32_t *first, uint32_t *count)
{
	const struct plan *p = pk->p;
	*first = (uint32_t)pk->n_maps;
	add_map(pk, p->loader.base, p->loader.base, p->loader.size, attr(ATTR_CODE, el2), 0);
	for (size_t i = 0; i < p->n_nodes; i++)
		add_map(pk, pk->np[i].mem.base, pk->np[i].mem.base, pk->np[i].mem.size, attr(ATTR_DATA, el2), 0);
	for (size_t i = 0; i < p->n_pools; i++) {
		uint64_t lo = align_down(p->pools[i].r.base, BLOCK), hi = align_up(range_end(p->pools[i].r), BLOCK);
		if (!p->pools[i].keep)
			add_map(pk, lo, lo, hi - lo, attr(ATTR_DATA, el2), 0);
	}
	if (pk->console)
		add_map(pk, align_down(pk->console, BLOCK), align_down(pk->console, BLOCK), BLOCK,
			attr(ATTR_DEVICE, el2), 0);
	*count = (uint32_t)(pk->n_maps - *first);
}

/* A node's tables: TTBR0 maps the loader's region onto itself, TTBR1 the
 * kernel window onto the kernel's physical base. */
static void node_maps(struct packer *pk, const struct node_pack *np, struct bp_node *bn)
{
	bn->maps_first = (uint32_t)pk->n_maps;
	if (np->n->os == PLAN_OS_LINUX)
		return; /* entered with the MMU off: its tables stay empty */
	add_map(pk, pk->p->loader.base, pk->p->loader.base, pk->p->loader.size, attr(ATTR_CODE, false), 0);
	add_map(pk, np->win_va, np->kbase, np->win_size, attr(ATTR_CODE, false), 1);
	bn->maps_count = (uint32_t)(pk->n_maps - bn->maps_first);
}

/* How many 4 KiB tables the loader's map() needs for these maps: a root
 * per TTBR, one level-1 table per level-0 slot used, one level-2 table per
 * level-1 slot used. */
static uint64_t count_tables(const struct bp_map *m, size_t n, unsigned roots)
{
	uint64_t *keys = NULL;
	size_t nk = 0;
	for (size_t i = 0; i < n; i++)
		for (uint64_t off = 0; off < m[i].size; off += BLOCK) {
			uint64_t va = m[i].va + off;
			uint64_t k[2] = {(uint64_t)m[i].root << 62 | 1ull << 61 | va >> 39,
					 (uint64_t)m[i].root << 62 | va >> 30};
			for (int j = 0; j < 2; j++) {
				size_t x = 0;
				while (x < nk && keys[x] != k[j])
					x++;
				if (x == nk)
					*VEC_PUSH(keys, nk) = k[j];
			}
		}
	free(keys);
	return roots + nk;
}

/* The kind of UART a board's device node is, by the first of its
 * compatibles the table knows, with a 16550's reg-shift and reg-io-width
 * (as Linux reads them: 0 and 1 when absent). */
static struct uart uart_of(const void *fdt, const char *path, uint64_t base)
{
	int node = fdt ? fdt_path_offset(fdt, path) : -1, len = 0;
	const char *c = node >= 0 ? fdt_getprop(fdt, node, "compatible", &len) : NULL;
	uint32_t kind = uart_kind_of(c, len), shift = 0, width = 4;
	if (kind == UART_NS16550) {
		const fdt32_t *v = fdt_getprop(fdt, node, "reg-shift", &len);
		shift = v && len == 4 ? fdt32_to_cpu(*v) : 0;
		v = fdt_getprop(fdt, node, "reg-io-width", &len);
		width = v && len == 4 ? fdt32_to_cpu(*v) : 1;
	}
	return (struct uart){(uintptr_t)base, kind, shift, width};
}

/* The console the loader prints on: the plan's shared console, else the
 * tree's /chosen stdout-path; a UART of include/mkimg_uart.h, or nothing. */
static struct uart find_console(const struct plan *p, struct diags *d)
{
	const struct plan_board *board = &p->board;
	const char *path = p->console;
	char buf[256];
	if (!path && board->fdt) {
		int chosen = fdt_path_offset(board->fdt, "/chosen");
		const char *s = chosen >= 0 ? fdt_getprop(board->fdt, chosen, "stdout-path", NULL) : NULL;
		if (s) {
			snprintf(buf, sizeof(buf), "%s", s);
			buf[strcspn(buf, ":")] = '\0';
			const char *alias = buf[0] != '/' ? fdt_get_alias(board->fdt, buf) : NULL;
			path = alias ? alias : buf;
		}
	}
	const struct plan_device *dev = path ? plan_find_device(board, path) : NULL;
	struct mk_loc loc = {.file = board->path};
	struct uart none = {0};
	if (!dev || !dev->n_regs) {
		diag_warn(d, &loc, "console-none", "no console for the loader's log%s%s: it boots silently",
			  path ? " at " : "", path ? path : "");
		return none;
	}
	struct uart u = uart_of(board->fdt, dev->path, dev->regs[0].base);
	if (u.kind != UART_NONE && uart_make(u.base, u.kind, u.shift, u.width).kind == UART_NONE) {
		diag_warn(d, &loc, "console-unknown", "the console %s is a 16550 with reg-shift %u and reg-io-width %u, "
			  "which the loader does not drive (reg-shift 0..3, width 1 or 4): it boots silently", path,
			  u.shift, u.width);
		return none;
	}
	if (u.kind == UART_NONE) {
		diag_warn(d, &loc, "console-unknown", "the console %s is a UART mkimg has no driver for (%s): "
			  "the loader and the demo kernel boot silently; the known ones are PL011, 16550/8250, "
			  "Amlogic meson, i.MX, Cadence and BCM2835 aux", path, dev->compatible ? dev->compatible : "no compatible");
		return none;
	}
	return u;
}

static void copy_name(char *dst, size_t n, const char *src)
{
	memset(dst, 0, n);
	if (src)
		strncpy(dst, src, n - 1);
}

/* Facts `mkimg run` needs: which QEMU machine and cpu, and whether EL2 is
 * there (QEMU's virt says smc only with virtualization=on). */
static void board_facts(const struct plan *p, struct bp_header *h)
{
	const struct plan_board *board = &p->board;
	h->cpus = (uint32_t)board->n_cpus;
	if (board->n_ram) { /* the banks are sorted and apart */
		h->ram_base = board->ram[0].base;
		h->ram_size = range_end(board->ram[board->n_ram - 1]) - h->ram_base;
	}
	if (board->fdt && fdt_node_check_compatible(board->fdt, 0, "linux,dummy-virt") == 0) {
		copy_name(h->machine, sizeof(h->machine), "virt");
		if (board->psci == PLAN_PSCI_SMC)
			h->flags |= BP_FLAG_VIRT;
	} else if (board->fdt && fdt_node_check_compatible(board->fdt, 0, "xlnx,zynqmp-zcu102") == 0) {
		/* QEMU answers PSCI's smc at EL1 and EL2 alike; EL2, as the
		 * board's firmware enters U-Boot. */
		copy_name(h->machine, sizeof(h->machine), "xlnx-zcu102");
		h->flags |= BP_FLAG_VIRT;
	}
	const char *compat = NULL;
	if (board->fdt && board->n_cpus) {
		int off = fdt_path_offset(board->fdt, board->cpus[0].path);
		compat = off >= 0 ? fdt_getprop(board->fdt, off, "compatible", NULL) : NULL;
	}
	if (compat && strchr(compat, ','))
		compat = strchr(compat, ',') + 1;
	copy_name(h->cpu, sizeof(h->cpu), compat ? compat : "cortex-a53");
}

/* The pools the loader zeroes: every one the manifest does not keep. */
static struct bp_pool *zero_pools(const struct plan *p, uint32_t *count)
{
	struct bp_pool *v = xcalloc(p->n_pools ? p->n_pools : 1, sizeof(*v));
	*count = 0;
	for (size_t i = 0; i < p->n_pools; i++) {
		if (p->pools[i].keep)
			continue;
		v[*count].base = p->pools[i].r.base;
		v[*count].size = p->pools[i].r.size;
		copy_name(v[*count].name, sizeof(v[*count].name), p->pools[i].name);
		(*count)++;
	}
	return v;
}

static void fill_node(struct packer *pk, size_t i, struct bp_node *bn)
{
	const struct node_pack *np = &pk->np[i];
	const struct plan_node *n = np->n;
	const struct plan_board_cpu *cpu = &pk->p->board.cpus[n->cpus[0].index];
	bn->id = n->id;
	bn->cpu = n->cpus[0].index;
	bn->start = cpu->index == 0 ? BP_START_SELF
		    : cpu->enable == PLAN_ENABLE_SPIN_TABLE ? BP_START_SPIN : BP_START_PSCI;
	bn->el = 1;
	bn->mpidr = n->cpus[0].mpidr;
	bn->release_addr = cpu->enable == PLAN_ENABLE_SPIN_TABLE ? cpu->release_addr : 0;
	bn->ram_base = np->mem.base;
	bn->ram_end = range_end(np->mem);
	bn->kernel_base = np->kbase;
	bn->kernel_end = np->kend;
	bn->entry = np->kernel.entry;
	uint64_t regs[6] = {np->rt_p, np->rt_end, np->pv, np->root_task.entry, np->dtb_addr, np->dtb_size};
	if (n->os == PLAN_OS_LINUX) {
		uint64_t lx[6] = {np->rt_p, np->rt_p + np->root_task.size, 0, 0, np->dtb_addr, np->dtb_size};
		memcpy(regs, lx, sizeof(regs));
		bn->boot = BP_BOOT_LINUX;
		bn->el = 2; /* EL2 when the loader runs there */
	}
	memcpy(bn->regs, regs, sizeof(regs));
	bn->mair_el1 = MAIR_VALUE;
	bn->tcr_el1 = TCR_EL1_VALUE;
	bn->sctlr_el1 = SCTLR_EL1_VALUE;
	bn->hcr_el2 = HCR_EL2_VALUE;
	bn->cnthctl_el2 = CNTHCTL_EL2_VALUE;
	bn->cptr_el2 = CPTR_EL2_VALUE;
	bn->icc_sre_el2 = pk->p->board.gic_version == 3 ? ICC_SRE_EL2_VALUE : 0;
	node_ops(pk, i, bn);
	node_maps(pk, np, bn);
}

/* ---------------------------------------------------------------- bytes */

/* The image as a list of pieces: what mkimg makes (the loader, CPIO
 * headers, padding, the plan) is kept in `own`; the members' bytes stay in
 * the buffers they were read into. Payloads are hashed and written from
 * where they are, never copied in memory. */
struct piece {
	const uint8_t *p; /* borrowed bytes, or NULL: `own` from `off` */
	size_t off, n;
};

struct img {
	uint8_t *own;
	size_t own_n, own_cap;
	struct piece *v;
	size_t n_v, cap_v;
	size_t size; /* bytes in all */
};

static void img_put(struct img *im, const void *data, size_t n, bool borrow)
{
	if (!n)
		return;
	struct piece *last = im->n_v ? &im->v[im->n_v - 1] : NULL;
	if (borrow) {
		*VEC_PUSH(im->v, im->n_v) = (struct piece){data, 0, n};
	} else {
		if (im->own_n + n > im->own_cap) {
			while (im->own_n + n > im->own_cap)
				im->own_cap = im->own_cap ? im->own_cap * 2 : 1 << 16;
			im->own = xrealloc(im->own, im->own_cap);
		}
		if (data)
			memcpy(im->own + im->own_n, data, n);
		else
			memset(im->own + im->own_n, 0, n);
		if (last && !last->p && last->off + last->n == im->own_n)
			last->n += n;
		else
			*VEC_PUSH(im->v, im->n_v) = (struct piece){NULL, im->own_n, n};
		im->own_n += n;
	}
	im->size += n;
}

/* One newc member; returns the offset of its data in the image. Data given
 * is borrowed; without data, `size` zero bytes are made in `own`. */
static size_t cpio_member(struct img *im, const char *name, const void *data, size_t size, unsigned ino,
			  uint32_t mtime)
{
	char hdr[CPIO_HEADER + 1];
	size_t namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino,
		 ino ? 0100644u : 0u, 0u, 0u, 1u, mtime, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)namesize, 0u);
	img_put(im, hdr, CPIO_HEADER, false);
	img_put(im, name, namesize, false);
	img_put(im, NULL, CPIO_ALIGN(im->size) - im->size, false);
	size_t at = im->size;
	img_put(im, data, size, data != NULL);
	img_put(im, NULL, CPIO_ALIGN(im->size) - im->size, false);
	return at;
}

/* The image's bytes from offset `from` on. */
static void img_write(FILE *f, const struct img *im, size_t from)
{
	for (size_t i = 0, at = 0; i < im->n_v; at += im->v[i].n, i++) {
		const struct piece *pc = &im->v[i];
		if (at + pc->n <= from)
			continue;
		size_t skip = from > at ? from - at : 0;
		fwrite((pc->p ? pc->p : im->own + pc->off) + skip, pc->n - skip, 1, f);
	}
}

static void img_free(struct img *im)
{
	free(im->own);
	free(im->v);
}

static uint32_t source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	unsigned long long v = s ? strtoull(s, &end, 10) : 0;
	return s && *s && !*end && v <= UINT32_MAX ? (uint32_t)v : 0;
}

/* U-Boot's legacy image header (include/image.h's struct legacy_img_hdr,
 * big-endian): magic, header CRC, time, data size, load address, entry,
 * data CRC, then os Linux (5), arch ARM64 (22), type kernel (2), no
 * compression (0), and the name. The time is SOURCE_DATE_EPOCH (else 0),
 * so that the same inputs give the same bytes, as mkimage's do. */
static void write_uimage(FILE *f, const struct img *im, uint64_t base, const char *name)
{
	uint8_t h[UIMAGE_HEADER] = {0};
	uint32_t dcrc = 0;
	for (size_t i = 0; i < im->n_v; i++)
		dcrc = crc32_ieee(dcrc, im->v[i].p ? im->v[i].p : im->own + im->v[i].off, im->v[i].n);
	fdt32_st(h, UIMAGE_MAGIC);
	fdt32_st(h + 8, source_date_epoch());
	fdt32_st(h + 12, (uint32_t)im->size);
	fdt32_st(h + 16, (uint32_t)base);
	fdt32_st(h + 20, (uint32_t)base);
	fdt32_st(h + 24, dcrc);
	h[28] = 5, h[29] = 22, h[30] = 2, h[31] = 0;
	strncpy((char *)h + 32, name ? name : "", 32);
	fdt32_st(h + 4, crc32_ieee(0, h, sizeof(h)));
	fwrite(h, sizeof(h), 1, f);
	img_write(f, im, 0);
}

/* One FIT image node: its data, type, addresses and a SHA-256 hash. */
static void fit_image(void *fit, const char *name, const char *desc, const char *type, const struct img *im,
		      const void *blob, size_t size, uint64_t base, bool wide)
{
	uint8_t sum[SHA256_BYTES];
	void *data;
	fdt_begin_node(fit, name);
	fdt_property_string(fit, "description", desc);
	fdt_property_placeholder(fit, "data", (int)size, &data);
	if (im)
		for (size_t i = 0, at = 0; i < im->n_v; at += im->v[i].n, i++)
			memcpy((uint8_t *)data + at, im->v[i].p ? im->v[i].p : im->own + im->v[i].off, im->v[i].n);
	else
		memcpy(data, blob, size);
	sha256_host(data, size, sum);
	fdt_property_string(fit, "type", type);
	fdt_property_string(fit, "arch", "arm64");
	if (im) {
		fdt_property_string(fit, "os", "linux");
		fdt32_t addr[2] = {cpu_to_fdt32((uint32_t)(base >> 32)), cpu_to_fdt32((uint32_t)base)};
		fdt_property(fit, "load", wide ? addr : addr + 1, wide ? 8 : 4);
		fdt_property(fit, "entry", wide ? addr : addr + 1, wide ? 8 : 4);
	}
	fdt_property_string(fit, "compression", "none");
	fdt_begin_node(fit, "hash-1");
	fdt_property(fit, "value", sum, sizeof(sum));
	fdt_property_string(fit, "algo", "sha256");
	fdt_end_node(fit);
	fdt_end_node(fit);
}

/* U-Boot's FIT (pack.h), made with libfdt's sequential writer: the loader
 * image and the board's tree, hashed, in one configuration, so that `bootm
 * ADDR` needs no other argument. Addresses take two cells where the loader
 * lies above 4 GiB. The timestamp is SOURCE_DATE_EPOCH (else 0). */
static int write_fit(FILE *f, const struct img *im, const struct plan *p)
{
	size_t dtb = p->board.fdt ? p->board.fdt_size : 0;
	size_t cap = im->size + dtb + 4096;
	if (cap > INT32_MAX)
		return -1;
	void *fit = xcalloc(cap, 1);
	bool wide = range_end(p->loader) > UINT32_MAX;
	fdt_create(fit, (int)cap);
	fdt_finish_reservemap(fit);
	fdt_begin_node(fit, "");
	fdt_property_u32(fit, "timestamp", source_date_epoch());
	fdt_property_string(fit, "description", p->name);
	fdt_property_u32(fit, "#address-cells", wide ? 2 : 1);
	fdt_begin_node(fit, "images");
	fit_image(fit, FIT_LOADER, "the mkimg loader and its payload", "kernel", im, NULL, im->size, p->loader.base, wide);
	if (dtb)
		fit_image(fit, FIT_FDT, "the board's device tree, for U-Boot to pass on", "flat_dt", NULL, p->board.fdt,
			  dtb, 0, wide);
	fdt_end_node(fit);
	fdt_begin_node(fit, "configurations");
	fdt_property_string(fit, "default", FIT_CONF);
	fdt_begin_node(fit, FIT_CONF);
	fdt_property_string(fit, "description", "the loader, given the board's tree");
	fdt_property_string(fit, "kernel", FIT_LOADER);
	if (dtb)
		fdt_property_string(fit, "fdt", FIT_FDT);
	if (p->fit_key) { /* what mkimage -F signs (sign_fit): the key's NAME of DIR/NAME.key */
		const char *name = strrchr(p->fit_key, '/');
		name = name ? name + 1 : p->fit_key;
		char *hint = xasprintf("%.*s", (int)(strlen(name) - 4), name);
		static const char images[] = "kernel\0fdt";
		fdt_begin_node(fit, FIT_SIGNATURE);
		fdt_property_string(fit, "algo", p->fit_algo);
		fdt_property_string(fit, "key-name-hint", hint);
		fdt_property(fit, "sign-images", images, dtb ? sizeof(images) : sizeof("kernel"));
		fdt_end_node(fit);
		free(hint);
	}
	fdt_end_node(fit);
	fdt_end_node(fit);
	fdt_end_node(fit);
	int r = fdt_finish(fit);
	if (r == 0)
		fwrite(fit, fdt_totalsize(fit), 1, f);
	free(fit);
	return r == 0 ? 0 : -1;
}

/* Sign elfloader.itb's configuration in place at `path` with the manifest's
 * key: Debian's mkimage -F, U-Boot's own implementation of what a signature
 * covers (the regions of the configuration and its images, their hashes,
 * not their data), which U-Boot checks against the public key in its
 * device tree. SOURCE_DATE_EPOCH is 0 unless set, so the same inputs give
 * the same bytes. mkimage may exit 0 without signing (a key it cannot
 * open): the result is read back, and its length must be the algorithm's
 * key size. That the key can be read is checked before anything is built
 * (main.c, check_outputs). */
static int sign_fit(struct packer *pk, const char *path)
{
	const struct plan *p = pk->p;
	const struct mk_loc *loc = &p->fit_key_loc;
	const char *slash = strrchr(p->fit_key, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - p->fit_key) + (slash == p->fit_key), p->fit_key)
			  : xstrdup(".");
	const char *env_mkimage = getenv("MKIMG_MKIMAGE");
	char *mkimage = xstrdup(env_mkimage && *env_mkimage ? env_mkimage : "mkimage");
	char *file = path[0] == '-' ? xasprintf("./%s", path) : xstrdup(path);
	char *argv[] = {mkimage, "-q", "-F", "-k", dir, file, NULL};
	size_t n_env = 0;
	while (environ[n_env])
		n_env++;
	char **envp = xcalloc(n_env + 2, sizeof(*envp));
	memcpy(envp, environ, n_env * sizeof(*envp));
	if (!getenv("SOURCE_DATE_EPOCH"))
		envp[n_env] = "SOURCE_DATE_EPOCH=0";
	char *errs = NULL;
	int st = run_tool(argv, envp, &errs), ret = -1;
	const char *why = errs ? tool_first_line(errs) : "";
	if (st == -ENOENT || (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127 && !*why))
		diag_error(pk->d, loc, "fit-key", "cannot sign %s: '%s' not found (install the package u-boot-tools, or "
			   "name it in MKIMG_MKIMAGE)", PACK_FIT, mkimage);
	else if (st < 0)
		diag_error(pk->d, loc, "fit-key", "cannot run '%s': %s", mkimage, strerror(-st));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		diag_error(pk->d, loc, "fit-key", "mkimage could not sign %s with '%s': %s", PACK_FIT, p->fit_key,
			   *why ? why : "no reason given");
	else {
		uint8_t *fit = NULL;
		size_t size = 0;
		struct mk_loc at = {.file = path};
		if (input_read(path, IN_SIGNED_FIT, &at, &fit, &size, pk->d) == 0) {
			int conf = fdt_check_header(fit) ? -1 : fdt_path_offset(fit, "/configurations/" FIT_CONF);
			int sig = conf >= 0 ? fdt_subnode_offset(fit, conf, FIT_SIGNATURE) : -1, len = 0;
			unsigned bits = (unsigned)strtoul(strstr(p->fit_algo, "rsa") + 3, NULL, 10);
			if (sig < 0 || !fdt_getprop(fit, sig, "value", &len))
				diag_error(pk->d, loc, "fit-key", "mkimage did not sign %s with '%s': %s", PACK_FIT, p->fit_key,
					   *why ? why : "it left no signature");
			else if ((unsigned)len * 8 != bits)
				diag_error(pk->d, loc, "fit-key", "'%s' is an RSA-%d key, but the algorithm is %s, which U-Boot "
					   "would refuse: set 'fit: {algo: sha256,rsa%d}' or use a %u-bit key", p->fit_key,
					   len * 8, p->fit_algo, len * 8, bits);
			else
				ret = 0;
		}
		free(fit);
	}
	free(errs), free(envp), free(file), free(mkimage), free(dir);
	return ret;
}

/* The ELF: one header, one PT_LOAD at the loader base covering the image
 * and the page-table room after it (memsz), the image at ELF_DATA_OFFSET. */
static void write_elf(FILE *f, const struct img *img, uint64_t base, uint64_t memsz)
{
	Elf64_Ehdr eh = {0};
	Elf64_Phdr ph = {0};
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = base;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	ph.p_type = PT_LOAD;
	ph.p_flags = PF_R | PF_W | PF_X;
	ph.p_offset = ELF_DATA_OFFSET;
	ph.p_vaddr = ph.p_paddr = base;
	ph.p_filesz = img->size;
	ph.p_memsz = memsz;
	ph.p_align = PAGE;
	static const uint8_t zeros[ELF_DATA_OFFSET];
	fwrite(&eh, sizeof(eh), 1, f);
	fwrite(&ph, sizeof(ph), 1, f);
	fwrite(zeros, ELF_DATA_OFFSET - sizeof(eh) - sizeof(ph), 1, f);
	img_write(f, img, 0);
}

const char *const pack_outputs[PACK_OUTPUTS] = {PACK_ELF, PACK_BIN, PACK_CPIO, PACK_FIT, PACK_UIMAGE};

static int write_outputs(struct packer *pk, const char *outdir, const struct img *img, uint64_t memsz)
{
	struct output o = {0};
	struct mk_loc loc = {.file = outdir};
	uint64_t base = pk->p->loader.base;
	/* A uImage holds 32-bit addresses and size. */
	bool uimage = base + img->size <= UINT32_MAX;
	if (!uimage)
		diag_warn(pk->d, &loc, "uimage", "no %s: the loader's region [0x%" PRIx64 ", ...) lies above 4 GiB, "
			  "which a U-Boot legacy image cannot name; boot elfloader.bin with booti-less 'go' or move the "
			  "loader ('loader: {base: ...}')", PACK_UIMAGE, base);
	if (make_dirs(outdir) < 0) {
		diag_error(pk->d, &loc, NULL, "cannot create '%s': %s", outdir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < (uimage ? PACK_OUTPUTS : PACK_OUT_UIMAGE); i++) {
		char *path = xasprintf("%s/%s", outdir, pack_outputs[i]);
		FILE *f = output_open(&o, path);
		if (!f) {
			diag_error(pk->d, &loc, NULL, "cannot create '%s': %s", path, strerror(errno));
			free(path);
			output_abort(&o);
			return -1;
		}
		free(path);
		if (i == PACK_OUT_ELF)
			write_elf(f, img, base, memsz);
		else if (i == PACK_OUT_FIT && write_fit(f, img, pk->p) < 0) {
			diag_error(pk->d, &loc, NULL, "cannot make %s: the image is too large for a FIT", PACK_FIT);
			output_abort(&o);
			return -1;
		} else if (i == PACK_OUT_UIMAGE)
			write_uimage(f, img, base, pk->p->name);
		else
			img_write(f, img, i == PACK_OUT_BIN ? 0 : pk->loader_size);
	}
	if (pk->p->fit_key) {
		struct output_file *fit = &o.v[PACK_OUT_FIT];
		if ((fit->f && fflush(fit->f)) || sign_fit(pk, fit->tmp) < 0) {
			output_abort(&o);
			return -1;
		}
	}
	int r = output_commit(&o, pk->d);
	if (r == 0 && !uimage) { /* an earlier run's, of another plan */
		char *path = xasprintf("%s/%s", outdir, PACK_UIMAGE);
		unlink(path);
		free(path);
	}
	return r;
}

/* The loader's own checks of the plan just made, as the loader will run
 * them at the loader base on the primary cpu: a refusal here is a bug in
 * this file, caught before an image that cannot boot is written. */
static int self_check(struct packer *pk, const struct img *img)
{
	const uint8_t *payload = img->own + pk->loader_size; /* made here, so in `own` */
	const struct bp_header *h = (const void *)(payload + BP_PLAN_OFFSET);
	struct bp_env env = {
		.image_base = h->image_base,
		.loader_size = pk->loader_size,
		.payload_avail = img->size - pk->loader_size,
		.mpidr = h->primary_mpidr,
	};
	return image_check_plan(payload, &env, pk->p->manifest,
				"mkimg made a boot plan its loader would refuse (a bug in mkimg): ", pk->d);
}

/* The Image header's fields (bootplan.h, LDR_HDR_*) for this plan: booti
 * puts the image at the first RAM bank's start rounded up to 2 MiB plus
 * text_offset, so text_offset names the loader base, wherever U-Boot
 * loaded the file; image_size is the image, page aligned: what booti moves
 * (declaring the page-table room too would make booti refuse a ramdisk
 * address inside it, as U-Boot's qfw boot passes one even without a
 * ramdisk; nothing U-Boot places after booti goes that low). */
static void arm64_header(const struct plan *p, uint8_t *loader, size_t image_size)
{
	/* The planner keeps the loader's region in RAM and 2 MiB aligned, so
	 * its base is never below the first bank's start rounded up. */
	uint64_t ram0 = LDR_BOOTI_RAM(p->board.ram[0].base);
	if (p->loader.base < ram0)
		abort();
	uint64_t text_offset = p->loader.base - ram0;
	uint64_t size = align_up(image_size, PAGE), flags = LDR_IMAGE_FLAGS;
	memcpy(loader + LDR_HDR_TEXT_OFFSET, &text_offset, 8);
	memcpy(loader + LDR_HDR_IMAGE_SIZE, &size, 8);
	memcpy(loader + LDR_HDR_FLAGS, &flags, 8);
}

/* Lay out the image: loader block, then the payload with the plan first
 * (its bytes are filled in last, once every offset is known). */
static int build_image(struct packer *pk, const char *outdir, struct pack_result *res)
{
	const struct plan *p = pk->p;
	size_t nn = p->n_nodes;
	struct bp_header h = {0};
	struct bp_node *nodes = xcalloc(nn ? nn : 1, sizeof(*nodes));
	uint32_t n_pools;
	struct bp_pool *pools = zero_pools(p, &n_pools);
	int ret = -1;

	/* Nodes in boot order, with their ops and maps. */
	for (size_t k = 0; k < p->n_boot; k++) {
		size_t i = (size_t)(plan_node_by_id(p, p->boot_order[k]) - p->nodes);
		fill_node(pk, i, &nodes[k]);
	}
	copy_maps(pk, false, &h.copy_maps_first[0], &h.copy_maps_count[0]);
	copy_maps(pk, true, &h.copy_maps_first[1], &h.copy_maps_count[1]);

	uint32_t off = (uint32_t)sizeof(h);
	h.members_off = off, h.members_count = (uint32_t)(3 * nn), off += h.members_count * sizeof(struct bp_member);
	h.nodes_off = off, h.nodes_count = (uint32_t)nn, off += h.nodes_count * sizeof(struct bp_node);
	h.ops_off = off, h.ops_count = (uint32_t)pk->n_ops, off += h.ops_count * sizeof(struct bp_op);
	h.maps_off = off, h.maps_count = (uint32_t)pk->n_maps, off += h.maps_count * sizeof(struct bp_map);
	h.pools_off = off, h.pools_count = n_pools, off += h.pools_count * sizeof(struct bp_pool);
	h.size = off;

	struct img img = {0};
	uint32_t mtime = source_date_epoch();
	img_put(&img, pk->loader, pk->loader_size, false);
	size_t plan_at = cpio_member(&img, BP_MEMBER, NULL, h.size, 1, mtime);
	if (plan_at != pk->loader_size + BP_PLAN_OFFSET || plan_at % 8 || img.own_n != img.size)
		abort(); /* the loader finds the plan at this fixed place (in `own`) */
	struct bp_member *mem = xcalloc(nn ? 3 * nn : 1, sizeof(*mem));
	for (size_t i = 0; i < nn; i++) {
		const struct node_pack *np = &pk->np[i];
		const void *data[3] = {np->kernel.buf, np->root_task.buf, np->dtb_own ? np->dtb_own : np->dtb};
		size_t size[3] = {np->kernel.size, np->root_task.size, np->dtb_own ? np->dtb_size : np->dtb_file_size};
		for (int j = 0; j < 3; j++) {
			struct bp_member *m = &mem[3 * i + j];
			m->offset = cpio_member(&img, np->name[j], data[j], size[j], (unsigned)(2 + 3 * i + j), mtime);
			m->size = size[j];
			sha256_host(data[j], size[j], m->sha256);
			copy_name(m->name, sizeof(m->name), np->name[j]);
		}
	}
	cpio_member(&img, "TRAILER!!!", NULL, 0, 0, 0);
	arm64_header(p, img.own, img.size);

	/* The page-table room after the image. */
	uint64_t base = p->loader.base;
	uint64_t tables = align_up(base + img.size, PAGE);
	h.copy_tables = tables;
	tables += PAGE * count_tables(&pk->maps[h.copy_maps_first[1]], h.copy_maps_count[1], 1);
	h.copy_tables_end = tables;
	for (size_t k = 0; k < nn; k++) {
		nodes[k].ttbr0 = tables;
		nodes[k].ttbr1 = tables + PAGE;
		tables += PAGE * count_tables(&pk->maps[nodes[k].maps_first], nodes[k].maps_count, 2);
		nodes[k].tables_end = tables;
	}
	if (tables > range_end(p->loader)) {
		char s1[32], s2[32], s3[32];
		struct mk_loc loc = {.file = p->manifest};
		diag_error(pk->d, &loc, "loader-room",
			   "the loader's region holds %s of image and %s of page tables, more than its %s: "
			   "give it more room with 'loader: {size: ...}'",
			   fmt_size(s1, img.size), fmt_size(s2, tables - align_up(base + img.size, PAGE)),
			   fmt_size(s3, p->loader.size));
		goto out;
	}

	h.magic = BP_MAGIC;
	h.version = BP_VERSION;
	h.console = pk->console;
	h.console_check = ~pk->console;
	h.console_kind = pk->console_kind;
	h.console_shift = (uint8_t)pk->console_shift;
	h.console_width = (uint8_t)pk->console_width;
	h.image_base = base;
	h.image_size = img.size;
	h.region_end = range_end(p->loader);
	h.primary_mpidr = p->board.n_cpus ? p->board.cpus[0].mpidr : 0;
	h.mair = MAIR_VALUE;
	h.tcr_el1 = TCR_EL1_VALUE;
	h.tcr_el2 = TCR_EL2_VALUE;
	h.sctlr_el1 = SCTLR_EL1_VALUE;
	h.sctlr_el2 = SCTLR_EL2_VALUE;
	h.psci = p->board.psci == PLAN_PSCI_SMC ? BP_PSCI_SMC : p->board.psci == PLAN_PSCI_HVC ? BP_PSCI_HVC : BP_PSCI_NONE;
	h.gic_version = p->board.gic_version;
	copy_name(h.name, sizeof(h.name), p->name);
	board_facts(p, &h);

	uint8_t *plan = img.own + plan_at;
	memcpy(plan, &h, sizeof(h));
	memcpy(plan + h.members_off, mem, h.members_count * sizeof(*mem));
	memcpy(plan + h.nodes_off, nodes, h.nodes_count * sizeof(*nodes));
	memcpy(plan + h.ops_off, pk->ops, h.ops_count * sizeof(*pk->ops));
	memcpy(plan + h.maps_off, pk->maps, h.maps_count * sizeof(*pk->maps));
	memcpy(plan + h.pools_off, pools, h.pools_count * sizeof(*pools));
	bp_plan_sum((const struct bp_header *)plan, ((struct bp_header *)plan)->sha256);
	if (self_check(pk, &img) < 0)
		goto out;

	ret = write_outputs(pk, outdir, &img, tables - base);
	if (ret == 0 && res)
		*res = (struct pack_result){pk->loader_size, img.size - pk->loader_size, img.size, ELF_DATA_OFFSET + img.size,
					    tables - align_up(base + img.size, PAGE)};
out:
	img_free(&img);
	free(mem);
	free(nodes);
	free(pools);
	return ret;
}

int pack_image(const struct plan *p, const struct node_inputs *in, const char *loader_elf, const char *outdir,
	       struct pack_result *res, struct diags *d)
{
	struct packer pk = {.p = p, .d = d};
	int ret = -1;
	if (libelf_ready(d) < 0)
		return -1;
	pk.np = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*pk.np));
	if (load_loader(&pk, loader_elf) < 0)
		goto out;
	bool ok = true;
	for (size_t i = 0; i < p->n_nodes; i++) {
		pk.np[i].n = &p->nodes[i];
		pk.np[i].in = &in[i];
		ok &= load_node(&pk, &pk.np[i]) == 0;
	}
	if (!ok || p->n_boot != p->n_nodes)
		goto out;
	struct uart con = find_console(p, d);
	pk.console = con.kind != UART_NONE ? con.base : 0;
	pk.console_kind = con.kind, pk.console_shift = con.shift, pk.console_width = con.width;
	ret = build_image(&pk, outdir, res);
out:
	for (size_t i = 0; i < p->n_nodes; i++) {
		free(pk.np[i].kernel.buf);
		free(pk.np[i].kernel.segs);
		free(pk.np[i].root_task.buf);
		free(pk.np[i].root_task.segs);
		free(pk.np[i].dtb);
		free(pk.np[i].dtb_own);
	}
	free(pk.np);
	free(pk.loader);
	free(pk.ops);
	free(pk.maps);
	return ret;
}

struct node_inputs *pack_default_inputs(const struct plan *p, const char *outdir)
{
	struct node_inputs *in = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof(*in));
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		const struct plan_artifact *k = &n->kernel, *r = &n->root_task;
		in[i].kernel = k->kind == PLAN_ART_FILE ? xstrdup(k->path)
							: xasprintf("%s/node%u/Kernel.%u.elf", outdir, n->id, n->id);
		in[i].root_task = r->kind == PLAN_ART_FILE ? xstrdup(r->path)
				  : n->os == PLAN_OS_LINUX ? NULL /* no initrd */
							  : xasprintf("%s/node%u/capdl.%u.img", outdir, n->id, n->id);
		in[i].dtb = xasprintf("%s/node%u/kernel.dtb", outdir, n->id);
	}
	return in;
}

void pack_inputs_free(struct node_inputs *in, size_t n)
{
	for (size_t i = 0; in && i < n; i++) {
		free((char *)in[i].kernel);
		free((char *)in[i].root_task);
		free((char *)in[i].dtb);
	}
	free(in);
}
