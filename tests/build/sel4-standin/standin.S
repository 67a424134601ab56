/* SPDX-License-Identifier: BSD-2-Clause */
/* Not seL4: just an AArch64 entry point that waits. */
	.text
	.global _start
_start:
	wfe
	b	_start
