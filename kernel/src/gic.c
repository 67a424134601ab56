/* SPDX-License-Identifier: BSD-2-Clause */
/* gic.c - see gic.h. Register offsets and bits are the Arm GIC
 * architecture specification's (GICv2: IHI 0048, GICv3: IHI 0069). */
#include "gic.h"

#include "arch.h"
#include "mmu.h"

/* Distributor (both versions, first 4 KiB). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER0 0x100 /* banked per core for ids 0..31 (v2) */
#define GICD_IPRIORITYR0 0x400
#define GICD_SGIR 0xf00       /* v2 */
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)  /* v3: affinity routing (ARE_NS seen from Non-secure) */
#define GICD_CTLR_GRP1 (1u << 1) /* v3: Group 1 (EnableGrp1A seen from Non-secure) */
#define GICD_TYPER_SECURITY (1u << 10) /* v2: Security Extensions */

/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* GICv3 redistributor: RD_base frame, then the SGI_base frame 64 KiB on. */
#define GICR_WAKER 0x0014
#define GICR_TYPER 0x0008
#define GICR_SGI_OFFSET 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR0 0x0400
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_FRAME 0x20000 /* RD_base + SGI_base; twice that with VLPIs */

#define SGI_PRIORITY 0xa0 /* below the priority mask, so it is signalled */
#define PRIORITY_MASK 0xf0
#define SPURIOUS 1020 /* ids 1020..1023 are special: nothing to take */
#define MAX_GIC_REGS 8

#define PEER_WAIT_MS 2000

struct gic_dt {
	unsigned version, n_regs;
	struct mem_range regs[MAX_GIC_REGS];
	uint64_t n_redist;      /* v3: #redistributor-regions */
};

/* A peer core seen taking these SGIs in Group 1 (GICv3). */
struct peer {
	uint64_t mpidr;
	uint32_t sgis;
};

static struct {
	unsigned version;
	uint64_t dist, cpu;     /* kernel virtual addresses */
	uint64_t rd, sgi;       /* v3: this core's redistributor frames */
	struct gic_dt dt;       /* v3: where every core's redistributor is */
	unsigned n_peers;       /* v3: one per peer, at most one per channel */
	struct peer peers[DEMO_MAX_CHANNELS];
} gic;

static uint32_t rd32(uint64_t va, uint32_t off)
{
	return *(volatile uint32_t *)(va + off);
}

static void wr32(uint64_t va, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(va + off) = v;
}

/* Wait up to `ms` for a register's `bits` to become `want`. */
static bool wait_bits(uint64_t va, uint32_t off, uint32_t bits, uint32_t want, uint64_t ms)
{
	uint64_t freq = read_cntfrq_el0(), t0 = read_cntvct();
	for (uint64_t spins = 0; (rd32(va, off) & bits) != want; spins++) {
		if (freq ? read_cntvct() - t0 > freq / 1000 * ms : spins > 100000 * ms)
			return false;
		cpu_relax(); /* `yield`: lets a single-threaded QEMU run the other cores */
	}
	return true;
}

static bool wait_clear(uint64_t va, uint32_t off, uint32_t bits)
{
	return wait_bits(va, off, bits, 0, 10);
}

/* ---- Finding it in the tree ----------------------------------------- */

static unsigned gic_kind(const struct fdt *f, int n)
{
	static const char *const v2[] = {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
					 "arm,cortex-a7-gic", "arm,arm11mp-gic", 0};
	struct fdt_prop p;
	if (!fdt_prop(f, n, "interrupt-controller", &p))
		return 0;
	if (fdt_prop_has_string(f, n, "compatible", "arm,gic-v3"))
		return 3;
	for (unsigned i = 0; v2[i]; i++)
		if (fdt_prop_has_string(f, n, "compatible", v2[i]))
			return 2;
	return 0;
}

/* Depth first below `parent`, whose cells give the children's reg. Bus
 * `ranges` are taken as identity (QEMU's virt has its GIC at the root). */
static bool find_gic(const struct fdt *f, int parent, unsigned depth, struct gic_dt *g)
{
	uint32_t ac, sc;
	fdt_cells(f, parent, &ac, &sc);
	for (int n = fdt_first_child(f, parent); n >= 0; n = fdt_next_sibling(f, n)) {
		struct fdt_prop reg;
		g->version = gic_kind(f, n);
		if (g->version && fdt_prop(f, n, "reg", &reg)) {
			for (g->n_regs = 0; g->n_regs < MAX_GIC_REGS && fdt_reg(&reg, ac, sc, g->n_regs, &g->regs[g->n_regs]);)
				g->n_regs++;
			if (!fdt_prop_cells(f, n, "#redistributor-regions", 1, &g->n_redist))
				g->n_redist = 1;
			return true;
		}
		if (depth < 4 && find_gic(f, n, depth + 1, g))
			return true;
	}
	return false;
}

/* ---- GICv2 ------------------------------------------------------------ */

static void set_priorities(uint64_t va, uint32_t base, uint32_t sgis)
{
	for (unsigned i = 0; i < 16; i++) {
		if (!(sgis & (1u << i)))
			continue;
		uint32_t off = base + (i & ~3u), shift = 8 * (i & 3);
		wr32(va, off, (rd32(va, off) & ~(0xffu << shift)) | (uint32_t)SGI_PRIORITY << shift);
	}
}

static bool setup_v2(const struct gic_dt *g, uint32_t receive)
{
	if (g->n_regs < 2)
		return false;
	gic.dist = mmu_map_device(KDEV_GICD, g->regs[0].base);
	gic.cpu = mmu_map_device(KDEV_GICC, g->regs[1].base);
	/* With Security Extensions, Non-secure software sees one enable bit
	 * (Group 1, bit 0); without them there are two groups, bits 0 and 1. */
	uint32_t enable = rd32(gic.dist, GICD_TYPER) & GICD_TYPER_SECURITY ? 1 : 3;
	uint32_t ctlr = rd32(gic.dist, GICD_CTLR);
	if ((ctlr & enable) != enable)
		wr32(gic.dist, GICD_CTLR, ctlr | enable); /* the shared part: only ever set */
	set_priorities(gic.dist, GICD_IPRIORITYR0, receive); /* banked: this core's */
	wr32(gic.dist, GICD_ISENABLER0, receive);            /* banked; often RAO for SGIs */
	wr32(gic.cpu, GICC_PMR, PRIORITY_MASK);
	wr32(gic.cpu, GICC_CTLR, rd32(gic.cpu, GICC_CTLR) | enable);
	return true;
}

/* ---- GICv3 ------------------------------------------------------------ */

/* MPIDR's affinity as GICR_TYPER[63:32] holds it: Aff3.Aff2.Aff1.Aff0. */
static uint64_t typer_affinity(uint64_t mpidr)
{
	return (mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff);
}

/* The physical address of the redistributor frame whose GICR_TYPER names
 * the core `mpidr`, or 0: a walk of the regions, reading each frame's
 * first page through the scratch slot. */
static uint64_t redistributor_of(uint64_t mpidr)
{
	const struct gic_dt *g = &gic.dt;
	uint64_t want = typer_affinity(mpidr);
	for (unsigned r = 1; r <= g->n_redist && r < g->n_regs; r++) {
		uint64_t stride = GICR_FRAME;
		for (uint64_t off = 0; off + GICR_FRAME <= g->regs[r].size; off += stride) {
			uint64_t pa = g->regs[r].base + off;
			uint64_t typer = *(volatile uint64_t *)(mmu_map_device(KDEV_SCRATCH, pa) + GICR_TYPER);
			if (typer >> 32 == want)
				return pa;
			stride = typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAME : GICR_FRAME;
			if (typer & GICR_TYPER_LAST)
				break;
		}
	}
	return 0;
}

/* The shared distributor: affinity routing and Group 1 on, never off. ARE
 * may only change while the groups are disabled, so a distributor someone
 * runs without it is left alone, and this kernel gives up. */
static bool distributor_v3(void)
{
	uint32_t ctlr = rd32(gic.dist, GICD_CTLR);
	if (!(ctlr & GICD_CTLR_ARE)) {
		if (ctlr & 3)
			return false;
		wr32(gic.dist, GICD_CTLR, ctlr | GICD_CTLR_ARE);
		if (!wait_clear(gic.dist, GICD_CTLR, GICD_CTLR_RWP))
			return false;
		ctlr = rd32(gic.dist, GICD_CTLR);
	}
	if (!(ctlr & GICD_CTLR_GRP1)) {
		wr32(gic.dist, GICD_CTLR, ctlr | GICD_CTLR_GRP1);
		return wait_clear(gic.dist, GICD_CTLR, GICD_CTLR_RWP);
	}
	return true;
}

static bool setup_v3(const struct gic_dt *g, uint32_t receive)
{
	/* The loader set ICC_SRE_EL2.Enable, so EL1 may turn its own on. */
	if (!(read_icc_sre_el1() & 1)) {
		write_icc_sre_el1(read_icc_sre_el1() | 7); /* SRE, and no IRQ/FIQ bypass */
		isb();
		if (!(read_icc_sre_el1() & 1))
			return false;
	}
	if (g->n_regs < 2)
		return false;
	gic.dt = *g;
	gic.dist = mmu_map_device(KDEV_GICD, g->regs[0].base);
	uint64_t rd = redistributor_of(read_mpidr_el1());
	if (!distributor_v3() || !rd)
		return false;
	gic.rd = mmu_map_device(KDEV_GICR, rd);
	gic.sgi = mmu_map_device(KDEV_GICR_SGI, rd + GICR_SGI_OFFSET);
	/* Wake this core's redistributor (QEMU leaves it asleep). */
	wr32(gic.rd, GICR_WAKER, rd32(gic.rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(gic.rd, GICR_WAKER, GICR_WAKER_ASLEEP))
		return false;
	/* Its own SGIs: Non-secure Group 1, a priority, enabled. Pending
	 * state is left alone: a peer may have signalled already. */
	wr32(gic.sgi, GICR_IGROUPR0, rd32(gic.sgi, GICR_IGROUPR0) | receive);
	set_priorities(gic.sgi, GICR_IPRIORITYR0, receive);
	wr32(gic.sgi, GICR_ISENABLER0, receive);
	write_icc_pmr_el1(PRIORITY_MASK);
	write_icc_bpr1_el1(0);
	write_icc_igrpen1_el1(1);
	isb();
	return true;
}

/* ---- The interface ---------------------------------------------------- */

bool gic_setup(const struct fdt *f, uint32_t receive)
{
	struct gic_dt g = {0};
	bool ok = false;
	if (find_gic(f, fdt_root(f), 0, &g))
		ok = g.version == 3 ? setup_v3(&g, receive) : setup_v2(&g, receive);
	gic.version = ok ? g.version : 0;
	return ok;
}

/* ICC_SGI1R_EL1: INTID 27:24, Aff3 55:48, Aff2 39:32, Aff1 23:16, range
 * selector 47:44 and target list 15:0 for Aff0 (one bit per Aff0 % 16). */
static uint64_t sgi1r(uint32_t sgi, uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff;
	return (mpidr >> 32 & 0xff) << 48 | (mpidr >> 16 & 0xff) << 32 | (aff0 >> 4) << 44 |
	       (uint64_t)sgi << 24 | (mpidr >> 8 & 0xff) << 16 | 1ull << (aff0 & 15);
}

/* GICv3 makes a Group 1 SGI pending at its target only if the target's
 * redistributor has that SGI in Group 1, else drops it; and the target's
 * kernel sets that at its boot, maybe after this one's root task signals.
 * (GICv2 keeps an SGI pending whatever the target's state.) So before the
 * first signal to a peer, wait until the peer's GICR_IGROUPR0 shows it,
 * reading that register only; then remember the peer. */
static struct peer *peer(uint64_t mpidr)
{
	for (unsigned i = 0; i < gic.n_peers; i++)
		if (gic.peers[i].mpidr == mpidr)
			return &gic.peers[i];
	if (gic.n_peers == DEMO_MAX_CHANNELS)
		return 0;
	gic.peers[gic.n_peers] = (struct peer){mpidr, 0};
	return &gic.peers[gic.n_peers++];
}

static bool peer_ready(uint32_t sgi, uint64_t mpidr)
{
	struct peer *p = peer(mpidr);
	if (p && p->sgis & (1u << sgi))
		return true;
	uint64_t rd = redistributor_of(mpidr);
	if (!rd || !wait_bits(mmu_map_device(KDEV_SCRATCH, rd + GICR_SGI_OFFSET), GICR_IGROUPR0, 1u << sgi,
			      1u << sgi, PEER_WAIT_MS))
		return false;
	if (p)
		p->sgis |= 1u << sgi;
	return true;
}

enum gic_send gic_send(const struct channel *c)
{
	enum gic_send r = GIC_SENT;
	if (gic.version != 2 && gic.version != 3)
		return GIC_NO_TARGET;
	if (gic.version == 2 && c->peer_cpu >= 8)
		return GIC_NO_TARGET;
	if (gic.version == 3 && !peer_ready(c->sgi, c->peer_mpidr))
		r = GIC_PEER_NOT_READY; /* send anyway: it may yet be taken */
	/* The peer reads what we wrote (the pools, Device memory) once it
	 * takes the SGI: complete every access before the SGI goes out. */
	dsb_sy();
	if (gic.version == 2) {
		/* Target list filter 0: the cpu interfaces in bits 23:16. */
		wr32(gic.dist, GICD_SGIR, 1u << (16 + c->peer_cpu) | c->sgi);
	} else {
		write_icc_sgi1r_el1(sgi1r(c->sgi, c->peer_mpidr));
		isb();
	}
	return r;
}

int gic_take(uint32_t *ack)
{
	if (gic.version == 2)
		*ack = rd32(gic.cpu, GICC_IAR); /* bits 12:10: the sending cpu, for EOIR */
	else if (gic.version == 3)
		*ack = (uint32_t)read_icc_iar1_el1();
	else
		return -1;
	uint32_t id = *ack & (gic.version == 2 ? 0x3ff : 0xffffff);
	return id >= SPURIOUS && id <= 1023 ? -1 : (int)id;
}

void gic_done(uint32_t ack)
{
	if (gic.version == 2) {
		wr32(gic.cpu, GICC_EOIR, ack);
	} else if (gic.version == 3) {
		write_icc_eoir1_el1(ack);
		isb();
	}
}
