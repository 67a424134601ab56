/* SPDX-License-Identifier: BSD-2-Clause */
/* start.S - where the demo kernel starts a root task, in EL0, as seL4
 * does: x0 = the boot info page, no stack yet (the root task brings its
 * own). main() returning ends the root task with exit(its value). */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	bl	main			/* main(bootinfo) */
	mov	x7, #4			/* DEMO_SYS_EXIT */
	svc	#0
1:	b	1b

	.bss
	.balign	16
	.space	8192
stack_top:
