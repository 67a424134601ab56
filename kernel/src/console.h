/* SPDX-License-Identifier: BSD-2-Clause */
/* console.h - one line at a time on the UART the node's /chosen
 * stdout-path names, shared with every other node's kernel.
 *
 * With two or more nodes the planner's pool mkimg-sync is shared by every
 * node, and each line is printed holding the Lamport bakery lock in this
 * node's slot of it (include/mkimg_sync.h, the same code a root task on
 * seL4 takes it with): whole lines, in the order the nodes asked, without
 * waiting for anything but another node's line. The kernel takes the lock
 * on behalf of its root task too (its `puts` lines come here), and the
 * root task never takes it itself, so the slot has one owner and a line is
 * never printed holding it twice. A node alone, or a kernel that could not
 * read its tree, prints at once.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mkimg_sync.h"

/* The UART's registers are at `va` from now on; its kind, a 16550's
 * reg-shift and access width as include/mkimg_uart.h names them (the node's
 * tree says, through kernel_base). An unknown kind prints nothing. */
void console_attach(uint64_t va, uint32_t kind, uint32_t shift, uint32_t width);
bool console_attached(void);
/* Take the console lock in the sync pool from now on: `s->base` is where
 * the kernel mapped the pool's first byte, uncached (Device-nGnRnE). */
void console_share(const struct mkimg_sync *s);
/* Send `s` and a line end, holding the console lock if there is one. */
void console_line(const char *s);

#endif
