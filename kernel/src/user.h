/* SPDX-License-Identifier: BSD-2-Clause */
/* user.h - the root task, run as seL4 runs it: its image mapped from the
 * user image [x0, x1) at physical - pv_offset, started in EL0 at its
 * entry with x0 = its boot info page; then its system calls and the
 * interrupts that arrive while it runs or waits (demo_abi.h is the ABI,
 * kernel/README.md explains it).
 */
#ifndef KERNEL_USER_H
#define KERNEL_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "node.h"

/* The registers a trap saved (head.S pushes and pops exactly this). */
struct frame {
	uint64_t x[31];
	uint64_t sp_el0, elr, spsr;
};

/* Build the root task's address space: its image, the boot info page
 * right after it, and every pool of `ni` from the next 2 MiB boundary on.
 * False when something cannot be mapped. */
bool user_prepare(uint64_t ui_start, uint64_t ui_end, int64_t pv_offset, uint64_t v_entry,
		  const struct node_info *ni);
/* Switch to that address space and drop to EL0: never returns. */
_Noreturn void user_start(void);

/* The vectors head.S sends here, by their index in the table. */
enum {
	VEC_EL1_IRQ = 5,  /* an IRQ while the kernel sleeps in wait */
	VEC_EL0_SYNC = 8, /* a system call, or a fault of the root task */
	VEC_EL0_IRQ = 9,  /* an IRQ while the root task runs */
};

/* Called by head.S for those three. Returns to where the trap came from
 * (a fault of the root task does not return). */
void kernel_trap(struct frame *f, uint64_t vector);

/* head.S: load TTBR0, clean the instruction cache and `eret` to EL0. */
_Noreturn void user_enter(uint64_t entry, uint64_t bootinfo, uint64_t ttbr0);
/* main.c: the one-line report of an exception nobody handles, then halt. */
_Noreturn void kernel_exception(uint64_t vector);

#endif
