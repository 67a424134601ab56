/* SPDX-License-Identifier: BSD-2-Clause */
/* head.S - the demo kernel's entry, where the loader jumps (e_entry).
 *
 * The seL4 contract (AArch64, EL1 build), as the loader leaves the core:
 *   MMU and caches on, running at this image's virtual addresses through
 *   the loader's tables; MAIR and TCR as seL4 expects; interrupts masked;
 *   x0 user image physical start   x1 user image physical end
 *   x2 pv_offset (user physical - user virtual)
 *   x3 user image virtual entry    x4 DTB physical address   x5 DTB size
 *   TPIDR_EL1 = logical core id (0 for a unicore kernel).
 * seL4 never zeroes its BSS; the loader must. So the first thing done here,
 * before a byte of BSS is written (the stack lives there), is to check it.
 */
	.section .boot.text, "ax"
	.global _start
_start:
	msr	daifset, #0xf		/* no interrupts in the kernel (but see sleep_once) */

	/* x6 = address of the first non-zero doubleword of the segment's
	 * zero tail [p_filesz, p_memsz), BSS included, or 0. Only x6..x11 are
	 * used, so x0..x5 reach C untouched. */
	adrp	x9, __zero_start
	add	x9, x9, :lo12:__zero_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
	mov	x6, #0
1:	cmp	x9, x10
	b.hs	2f
	ldr	x11, [x9], #8
	cbz	x11, 1b
	sub	x6, x9, #8
2:
	adrp	x9, kernel_stack_top
	add	x9, x9, :lo12:kernel_stack_top
	mov	sp, x9
	adrp	x9, exception_vectors	/* our own, as seL4 installs its own */
	add	x9, x9, :lo12:exception_vectors
	msr	vbar_el1, x9
	isb
	bl	kernel_main		/* (x0..x5, x6) */
3:	wfe
	b	3b

/* The vector table: 16 entries of 128 bytes, in the architecture's order
 * (current EL with SP0, current EL with SPx, lower EL AArch64, lower EL
 * AArch32; each sync, IRQ, FIQ, SError). Three are expected and return:
 *   5  IRQ at EL1      only in the instant a waiting kernel unmasks them
 *   8  sync from EL0   a system call (svc), or a fault of the root task
 *   9  IRQ from EL0    an SGI while the root task runs
 * Any other means a bug or a broken entry contract: report it once, stop. */
#define FRAME_SIZE 272	/* struct frame: x0..x30, sp_el0, elr, spsr */

	.macro	unexpected n
	.balign	128
	mov	x0, #\n
	b	exception_entry
	.endm

	/* Save the interrupted context as struct frame on the kernel stack
	 * (25 instructions: it fits its 32-instruction slot). */
	.macro	trap n
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x9, sp_el0
	stp	x30, x9, [sp, #16 * 15]
	mrs	x9, elr_el1
	mrs	x10, spsr_el1
	stp	x9, x10, [sp, #16 * 16]
	mov	x0, sp
	mov	x1, #\n
	bl	kernel_trap		/* (frame, vector) */
	b	trap_return
	.endm

	.section .text.vectors, "ax"
	.balign 2048
exception_vectors:
	unexpected 0
	unexpected 1
	unexpected 2
	unexpected 3
	unexpected 4
	trap	5
	unexpected 6
	unexpected 7
	trap	8
	trap	9
	unexpected 10
	unexpected 11
	unexpected 12
	unexpected 13
	unexpected 14
	unexpected 15

exception_entry:
	adrp	x9, exception_stack_top	/* sp may be what faulted */
	add	x9, x9, :lo12:exception_stack_top
	mov	sp, x9
	bl	kernel_exception
4:	wfe
	b	4b

/* Restore the frame kernel_trap may have changed (x0: a system call's
 * result) and return to where the trap came from. */
trap_return:
	ldp	x9, x10, [sp, #16 * 16]
	msr	elr_el1, x9
	msr	spsr_el1, x10
	ldp	x30, x9, [sp, #16 * 15]
	msr	sp_el0, x9
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret

/* user_enter(entry, bootinfo, ttbr0): the root task's address space in
 * TTBR0 (forgetting the loader's identity map), then EL0 at `entry` with
 * x0 = bootinfo, every other register zero, interrupts unmasked. The
 * kernel stack starts empty again: every trap from EL0 begins at its top. */
	.text
	.global	user_enter
user_enter:
	msr	ttbr0_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	ic	iallu			/* the image was written as data by the loader */
	dsb	nsh
	isb
	adrp	x9, kernel_stack_top
	add	x9, x9, :lo12:kernel_stack_top
	mov	sp, x9
	msr	elr_el1, x0
	msr	spsr_el1, xzr		/* EL0t; D, A, I, F clear */
	msr	sp_el0, xzr
	mov	x0, x1
	.irp	r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\r, #0
	.endr
	eret

	.section .bss.stack, "aw", %nobits
	.balign	16
	.space	8192
kernel_stack_top:
	.space	1024
exception_stack_top:
