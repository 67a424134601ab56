/* SPDX-License-Identifier: BSD-2-Clause */
/* console.h - one line at a time on the PL011 the node's /chosen
 * stdout-path names, shared with every other node's kernel.
 *
 * Kernels share no memory, so they cannot share a lock. They share time
 * instead: the system counter (CNTVCT) is one for all cores, so its ticks
 * are cut into frames of KERNEL_PRINT_SLOTS slots of KERNEL_PRINT_SLOT_MS,
 * and node slot i only starts a line in the first quarter of slot i of a
 * frame, and only when the UART is not busy sending someone else's line.
 * A line is pushed in one tight loop, far inside its slot, so lines from
 * different cores never interleave. The cost is a wait of at most one
 * frame (2 nodes, 10 ms slots: 20 ms).
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

/* The UART's registers are at `va` from now on; its kind, a 16550's
 * reg-shift and access width as include/mkimg_uart.h names them (the node's
 * tree says, through kernel_base). An unknown kind prints nothing. */
void console_attach(uint64_t va, uint32_t kind, uint32_t shift, uint32_t width);
bool console_attached(void);
/* Wait for this node's slot, then send `s` and a line end. */
void console_line(const char *s);

#endif
