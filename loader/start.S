/* SPDX-License-Identifier: BSD-2-Clause */
/* start.S - what the loader must say in assembly: its header, the entry of
 * the primary cpu and of every started cpu, MMU and cache switches, the
 * PSCI call, the exception vectors, and the jump into a kernel.
 *
 * Position independent: every address is taken relative to the pc (adr,
 * adrp), so the unchanged loader runs wherever the packer placed it.
 */
#include "bootplan.h"
#include "par.h"

#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)
#define SPSR_EL1H_MASKED 0x3c5 /* EL1 with SP_EL1; D, A, I, F masked */
#define ICC_SRE_EL2 S3_4_C12_C9_5

/* x\reg = the bytes in a data cache line (CTR_EL0.DminLine is log2 words). */
.macro dcache_line reg, tmp
	mrs	\tmp, ctr_el0
	ubfx	\tmp, \tmp, #16, #4
	mov	\reg, #4
	lsl	\reg, \reg, \tmp
.endm

/* x\out = ID_AA64MMFR0_EL1.PARange, at most 5 (48 bits): with a 4 KiB
 * granule and no LPA2 the tables cannot name more. */
.macro pa_range out, tmp
	mrs	\out, id_aa64mmfr0_el1
	and	\out, \out, #0xf
	mov	\tmp, #5
	cmp	\out, \tmp
	csel	\out, \out, \tmp, ls
.endm

/* VBAR of the current exception level = our vectors (no stack needed). */
.macro set_vectors tmp, tmp2
	adr	\tmp, vectors
	mrs	\tmp2, CurrentEL
	cmp	\tmp2, #(2 << 2)
	b.ne	1f
	msr	vbar_el2, \tmp
	b	2f
1:	msr	vbar_el1, \tmp
2:	isb
.endm

	.section .text.head, "ax"
	.global _head
/* The arm64 Linux Image header (Linux's Documentation/arch/arm64/booting.rst),
 * so that U-Boot's booti and QEMU's -kernel take the raw image, with mkimg's
 * own fields in its reserved words. The packer fills text_offset, image_size
 * and flags for the plan's loader base (see LDR_HDR_* in bootplan.h). */
_head:
	b	_start				/* code0 */
	.word	0				/* code1 */
	.quad	0				/* LDR_HDR_TEXT_OFFSET */
	.quad	0				/* LDR_HDR_IMAGE_SIZE */
	.quad	0				/* LDR_HDR_FLAGS */
	.quad	LDR_MAGIC			/* LDR_HDR_MAGIC */
	.quad	__loader_end - _head		/* LDR_HDR_SIZE: the payload starts here */
	.word	BP_VERSION			/* LDR_HDR_VERSION */
	.word	0
	.ascii	"ARM\x64"			/* LDR_HDR_ARM64_MAGIC */
	.word	0				/* no PE/COFF header */

/* The primary cpu, as firmware or QEMU enters the image: MMU off, EL2 or
 * EL1. Zero the BSS (the stack lives there), then C. */
_start:
	msr	daifset, #0xf
	set_vectors x0, x1
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __loader_end
	add	x1, x1, :lo12:__loader_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	bl	loader_main			/* (current EL); does not return */
	b	halt

	.text
/* node_of_cpu: the boot plan's node for this cpu, by its MPIDR's
 * affinity fields, in x0 (0: none) and its index in x20. A leaf without a
 * stack (the started cpus have none yet); uses x1..x6. */
node_of_cpu:
	mrs	x1, mpidr_el1
	mov	x2, #0xffffff			/* the affinity fields: Aff2..Aff0 */
	movk	x2, #0xff, lsl #32		/* and Aff3 */
	and	x1, x1, x2
	adrp	x3, boot_plan
	ldr	x3, [x3, :lo12:boot_plan]
	ldr	w4, [x3, #BP_HDR_NODES_OFF]
	ldr	w5, [x3, #BP_HDR_NODES_COUNT]
	add	x0, x3, x4
	mov	x20, #0
1:	cmp	x20, x5
	b.hs	2f
	ldr	x6, [x0, #BP_NODE_MPIDR]
	cmp	x6, x1
	b.eq	3f
	add	x0, x0, #BP_NODE_BYTES
	add	x20, x20, #1
	b	1b
2:	mov	x0, #0
3:	ret

/* Every other cpu, started by PSCI CPU_ON or released from a spin table:
 * MMU off, EL2 or EL1, no stack. It finds its node by its MPIDR in the
 * boot plan the primary verified (boot_plan was written with the MMU off,
 * so it is in memory) and enters it. */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	set_vectors x0, x1
	bl	node_of_cpu
	cbz	x0, halt			/* no node for this cpu: stay here */
enter_found:					/* x0 = the node */
	adrp	x3, entered_node		/* tell the primary (MMU off: in memory) */
	str	x0, [x3, :lo12:entered_node]
	dsb	sy
	b	enter_node

/* A cpu that loads its own node (README.md, "Loading in parallel"),
 * started by PSCI CPU_ON while the primary runs with its MMU on: MMU off,
 * the primary's EL. Finds its node k as secondary_entry does, turns its
 * MMU on with the copy phase's settings (par_mmu, cleaned to PoC by the
 * primary; mmu_on needs no stack), takes par_stacks[k], verifies and
 * places its node (par_load), cleans its stack and turns the MMU off
 * (mmu_off), then waits with wfe for par_go[k] (written by the primary
 * with its MMU off; invalidated before each read, so no stale line can
 * hide it) and goes in like secondary_entry. Anything unexpected (a cpu
 * with no node or at another EL): it stays here, and the primary warns
 * that it did not come up. */
	.if PAR_STACK != (1 << 10)
	.error "secondary_load takes par_stacks[k] as k << 10"
	.endif
	.global secondary_load
secondary_load:
	msr	daifset, #0xf
	set_vectors x0, x1
	bl	node_of_cpu
	cbz	x0, halt
	cmp	x20, #PAR_MAX
	b.hs	halt
	mov	x19, x0
	adrp	x9, par_mmu
	add	x9, x9, :lo12:par_mmu
	ldr	x0, [x9]			/* the primary's EL */
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x0, x1
	b.ne	halt
	ldp	x1, x2, [x9, #8]		/* root, mair */
	ldp	x3, x4, [x9, #24]		/* tcr, sctlr */
	bl	mmu_on
	adrp	x21, par_stacks
	add	x21, x21, :lo12:par_stacks
	add	x21, x21, x20, lsl #10		/* par_stacks[k] (PAR_STACK = 2^10) */
	add	x22, x21, #PAR_STACK
	mov	sp, x22
	mov	x0, x19
	mov	x1, x20
	bl	par_load
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	mov	x1, x21
	mov	x2, x22
	bl	mmu_off				/* no store after its clean */
	adrp	x9, par_go
	add	x9, x9, :lo12:par_go
	add	x9, x9, x20, lsl #3
3:	dc	ivac, x9
	dsb	sy
	ldr	x10, [x9]
	cbnz	x10, 4f
	wfe
	b	3b
4:	mov	x0, x19
	b	enter_found

/* enter_node(const struct bp_node *n): MMU off, EL2 or EL1; never returns.
 * Sets up EL1 for the node's kernel (its tables, MAIR, TCR, SCTLR with the
 * MMU and caches on, TPIDR_EL1 = 0) and jumps to the kernel's virtual entry
 * with x0..x5 from the node. At EL2 it first opens EL1 up (AArch64, no
 * traps, timer and counter usable, its own MIDR and MPIDR, GIC system
 * registers for GICv3) and then erets straight into the kernel. */
	.global enter_node
enter_node:
	ldr	w9, [x0, #BP_NODE_BOOT]
	cmp	w9, #BP_BOOT_LINUX
	b.eq	enter_linux
	mov	x19, x0
	pa_range x1, x2
	ldr	x2, [x19, #BP_NODE_TCR]
	bfi	x2, x1, #32, #3			/* TCR_EL1.IPS */
	ldr	x3, [x19, #BP_NODE_MAIR]
	ldr	x4, [x19, #BP_NODE_TTBR0]
	ldr	x5, [x19, #BP_NODE_TTBR1]
	ldr	x6, [x19, #BP_NODE_SCTLR]
	ldr	x7, [x19, #BP_NODE_ENTRY]
	mrs	x8, CurrentEL
	cmp	x8, #(2 << 2)
	b.ne	1f
	ldr	x9, [x19, #BP_NODE_HCR]
	msr	hcr_el2, x9
	ldr	x9, [x19, #BP_NODE_CNTHCTL]
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	ldr	x9, [x19, #BP_NODE_CPTR]
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	mrs	x9, midr_el1			/* EL1 reads MIDR and MPIDR from these: */
	msr	vpidr_el2, x9			/* make them the real ones (seL4 routes */
	mrs	x9, mpidr_el1			/* GICv3 interrupts by its MPIDR) */
	msr	vmpidr_el2, x9
	ldr	x9, [x19, #BP_NODE_ICC_SRE]
	cbz	x9, 1f
	msr	ICC_SRE_EL2, x9
1:	isb
	msr	mair_el1, x3
	msr	tcr_el1, x2
	msr	ttbr0_el1, x4
	msr	ttbr1_el1, x5
	msr	tpidr_el1, xzr
	isb
	tlbi	vmalle1				/* nothing stale from before */
	ic	iallu				/* the kernel's code was written as data */
	dsb	nsh
	isb
	cmp	x8, #(2 << 2)
	b.ne	2f
	msr	sctlr_el1, x6			/* takes effect at the eret */
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	msr	elr_el2, x7
	ldp	x0, x1, [x19, #BP_NODE_REGS]
	ldp	x2, x3, [x19, #BP_NODE_REGS + 16]
	ldp	x4, x5, [x19, #BP_NODE_REGS + 32]
	eret
2:	msr	sctlr_el1, x6			/* on from here: TTBR0 maps this code */
	isb
	ldp	x0, x1, [x19, #BP_NODE_REGS]
	ldp	x2, x3, [x19, #BP_NODE_REGS + 16]
	ldp	x4, x5, [x19, #BP_NODE_REGS + 32]
	br	x7

/* mmu_on(el, root, mair, tcr, sctlr): the copy phase's MMU, at EL2 or EL1;
 * IPS (EL1) or PS (EL2) from PARange. The caller has invalidated whatever
 * it wrote with the MMU off and will read through the cache. */
	.global mmu_on
mmu_on:
	pa_range x5, x6
	cmp	x0, #2
	b.ne	1f
	bfi	x3, x5, #16, #3			/* TCR_EL2.PS */
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x4
	isb
	ret
1:	bfi	x3, x5, #32, #3			/* TCR_EL1.IPS */
	msr	mair_el1, x2
	msr	tcr_el1, x3
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x4
	isb
	ret

/* A Linux node (arm64 booting.rst): at this EL (EL2 when the loader has
 * it: Linux sets EL2 up itself), MMU and D-cache off (the loader's cpu
 * turned them off in mmu_off, a started cpu comes out of reset so), its
 * Image, initrd and DTB cleaned to PoC by the loader, interrupts masked;
 * x0 = the DTB, x1..x3 = 0, at the Image's first byte. */
enter_linux:
	ic	iallu				/* the Image was written as data */
	dsb	nsh
	isb
	ldr	x9, [x0, #BP_NODE_ENTRY]
	ldr	x0, [x0, #BP_NODE_REGS + 32]
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x9

/* mmu_off(el, lo, hi): clean and invalidate [lo, hi) (the loader's own
 * data and stack) to the point of coherency, then turn the MMU and caches
 * off. No store happens between the two, so nothing the caller wrote is
 * left behind in the cache. */
	.global mmu_off
mmu_off:
	dcache_line x3, x4
	sub	x4, x3, #1
	bic	x1, x1, x4
1:	cmp	x1, x2
	b.hs	2f
	dc	civac, x1
	add	x1, x1, x3
	b	1b
2:	dsb	sy
	cmp	x0, #2
	b.ne	3f
	mrs	x5, sctlr_el2
	bic	x5, x5, #SCTLR_M
	bic	x5, x5, #SCTLR_C
	bic	x5, x5, #SCTLR_I
	msr	sctlr_el2, x5
	b	4f
3:	mrs	x5, sctlr_el1
	bic	x5, x5, #SCTLR_M
	bic	x5, x5, #SCTLR_C
	bic	x5, x5, #SCTLR_I
	msr	sctlr_el1, x5
4:	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* dcache_civac(lo, hi) and dcache_ivac(lo, hi): clean and invalidate, or
 * only invalidate, [lo, hi) by address to the point of coherency. */
	.global dcache_civac
dcache_civac:
	dcache_line x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

	.global dcache_ivac
dcache_ivac:
	dcache_line x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

/* psci_call(fn, a1, a2, a3, conduit): x0 = the PSCI result. */
	.global psci_call
psci_call:
	cmp	w4, #BP_PSCI_HVC
	b.eq	1f
	smc	#0
	ret
1:	hvc	#0
	ret

/* sev_release(): make a spin table write visible, then wake the cpus that
 * wait in wfe. */
	.global sev_release
sev_release:
	dsb	sy
	sev
	ret

	.global read_mpidr
read_mpidr:
	mrs	x0, mpidr_el1
	ret

/* read_sctlr(el): SCTLR of EL2, or of EL1 otherwise. */
	.global read_sctlr
read_sctlr:
	cmp	x0, #2
	b.ne	1f
	mrs	x0, sctlr_el2
	ret
1:	mrs	x0, sctlr_el1
	ret

/* exception_regs(el, out[3]): ESR, ELR and FAR of the current EL. */
	.global exception_regs
exception_regs:
	cmp	x0, #2
	b.ne	1f
	mrs	x2, esr_el2
	mrs	x3, elr_el2
	mrs	x4, far_el2
	b	2f
1:	mrs	x2, esr_el1
	mrs	x3, elr_el1
	mrs	x4, far_el1
2:	stp	x2, x3, [x1]
	str	x4, [x1, #16]
	ret

/* fp_on(el): FP/SIMD untrapped at the current EL (EL2: CPTR_EL2.TFP, or
 * CPTR_EL2.FPEN under HCR_EL2.E2H; EL1: CPACR_EL1.FPEN); returns the old
 * value for fp_restore(el, old), which puts it back. */
	.global fp_on
fp_on:
	cmp	x0, #2
	b.ne	1f
	mrs	x0, cptr_el2
	mrs	x1, hcr_el2
	tbnz	x1, #34, 2f
	bic	x1, x0, #(1 << 10)
	b	3f
2:	orr	x1, x0, #(3 << 20)
3:	msr	cptr_el2, x1
	isb
	ret
1:	mrs	x0, cpacr_el1
	orr	x1, x0, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	ret

	.global fp_restore
fp_restore:
	cmp	x0, #2
	b.ne	1f
	msr	cptr_el2, x1
	isb
	ret
1:	msr	cpacr_el1, x1
	isb
	ret

/* read_counter(&freq): the virtual count (readable at EL2 and EL1), and
 * its frequency in *freq. */
	.global read_counter
read_counter:
	mrs	x1, cntfrq_el0
	str	x1, [x0]
	isb
	mrs	x0, cntvct_el0
	ret

/* cpu_sha256(): 1 if the cpu has the SHA-256 instructions
 * (ID_AA64ISAR0_EL1.SHA2), else 0. */
	.global cpu_sha256
cpu_sha256:
	mrs	x0, id_aa64isar0_el1
	ubfx	x0, x0, #12, #4
	cmp	x0, #0
	cset	x0, ne
	ret

	.global halt
halt:
	wfe
	b	halt

/* Any exception in the loader is a bug or a bad plan: report and stop.
 * Each entry passes its index, 0..15, to loader_exception. */
	.section .text.vectors, "ax"
	.balign	2048
vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	mov	x0, #\n
	b	loader_exception
	.endr
