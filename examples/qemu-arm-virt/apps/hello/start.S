/* SPDX-License-Identifier: BSD-2-Clause */
/* start.S - where seL4 starts the root task, in EL0: x0 = bootinfo, and
 * no stack yet (the root task brings its own). */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	bl	rootserver_main
1:	b	1b

	.bss
	.balign	16
	.space	4096
stack_top:
