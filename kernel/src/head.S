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
	msr	daifset, #0xf		/* no interrupts, ever */

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

/* Any exception means a bug or a broken entry contract: report it once
 * and stop. Each entry passes its index (0..15) to kernel_exception. */
	.section .text.vectors, "ax"
	.balign 2048
exception_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	mov	x0, #\n
	b	exception_entry
	.endr

exception_entry:
	adrp	x9, exception_stack_top	/* sp may be what faulted */
	add	x9, x9, :lo12:exception_stack_top
	mov	sp, x9
	bl	kernel_exception
4:	wfe
	b	4b

	.section .bss.stack, "aw", %nobits
	.balign	16
	.space	8192
kernel_stack_top:
	.space	1024
exception_stack_top:
