/* SPDX-License-Identifier: BSD-2-Clause */
/* shim.S - entry of the test shim (see CMakeLists.txt). Core 0 starts at
 * _start (QEMU's -device loader sets its PC); other cores arrive at
 * shim_secondary through PSCI CPU_ON with their index in x0. */
	.section .text.start, "ax"
	.global _start, shim_secondary, shim_enter
_start:
	mov	x0, #0
shim_secondary:
	msr	daifset, #0xf
	adrp	x1, shim_stacks
	add	x1, x1, :lo12:shim_stacks
	add	x2, x0, #1
	lsl	x2, x2, #12		/* 4 KiB of stack per core */
	add	sp, x1, x2
	bl	shim_main
1:	wfe
	b	1b

/* shim_enter(args[6], entry): x0..x5 = args, jump to the kernel. */
shim_enter:
	mov	x9, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x0, x1, [x0]
	br	x9

	.bss
	.balign	16
shim_stacks:
	.space	4096 * 8
