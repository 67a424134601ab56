/* SPDX-License-Identifier: BSD-2-Clause */
/* entry.S - where the kernel starts a root task, in EL0, on either back
 * end: x0 = what the kernel passes (the demo kernel's boot info page,
 * seL4's seL4_BootInfo), no stack yet (the root task brings its own).
 * mk_start(x0) reads it; then main(), and its result is the exit status.
 * A root task whose mk_start() fails never runs main(): it exits with 1. */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	bl	mk_start		/* x0 is still the kernel's argument */
	tst	w0, #0xff		/* a bool: only its low byte is defined (AAPCS64) */
	b.eq	1f
	bl	main
	bl	mk_exit			/* mk_exit(main's result): no return */
1:	mov	w0, #1
	bl	mk_exit

	.bss
	.balign	16
	/* 16 KiB: the seL4 back end walks a device tree in mk_start(). */
	.space	16384
stack_top:
