/* SPDX-License-Identifier: BSD-2-Clause */
/* mk_connect.h - cross-kernel connectors for a node's root task: the shared
 * pools and SGI channels mkimg planned for this node, found by name and
 * peer at run time, and one console line at a time.
 *
 * One API, two back ends, chosen when the root task is built (mkimg tells
 * its build which kernel the node runs):
 *   - the demo kernel (kernel/): its boot info page and system calls;
 *   - seL4: the node's device tree that seL4 hands its root task in the
 *     extra boot info (/chosen/mkimg), IRQControl_Get + IRQHandler for the
 *     SGIs it receives, IRQControl_IssueSGISignal for those it sends, and the
 *     pools' device untypeds retyped to frames and mapped uncached.
 * Nothing about the system is compiled in: SGI numbers, targets, pool
 * addresses and the node's id are read at run time.
 *
 * The library owns the entry: it sets up a stack, calls mk_start() with
 * what the kernel passed, then main(), then mk_exit(main's result).
 * Before main() runs every receive channel of the node is bound and the
 * node is marked ready in the planner's sync pool (see connect/README.md);
 * mk_signal() waits until the receiving node is ready, so a signal is
 * never lost (seL4 drops an SGI that arrives before its handler is bound).
 *
 * Shared pools are mapped uncached (Device-nGnRnE): use them through
 * volatile pointers, aligned, without atomics. Everything written to a
 * pool before mk_signal() is visible to the peer once it wakes from it.
 */
#ifndef MK_CONNECT_H
#define MK_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The root task's own code. */
int main(void);

/* Errors, all negative. */
#define MK_E_INVAL (-1)   /* no such channel, or the wrong direction */
#define MK_E_PEER (-2)    /* the peer's node never became ready */
#define MK_E_KERNEL (-3)  /* the kernel refused (the line printed says why) */

/* A channel's direction, as the node's device tree says it. */
#define MK_SEND 1
#define MK_RECEIVE 2
#define MK_ANY_PEER UINT32_MAX

#define MK_NAME_MAX 32

struct mk_pool {
	char name[MK_NAME_MAX]; /* the manifest's name, NUL-terminated */
	volatile void *base;    /* where this root task finds it */
	uint64_t paddr, size;
};

struct mk_channel {
	uint32_t sgi;       /* 0..15 */
	uint32_t direction; /* MK_SEND or MK_RECEIVE */
	uint32_t peer;      /* the node id at the other end */
};

/* This node's id (the manifest's). */
uint32_t mk_node_id(void);

/* The first channel in `direction` whose peer is `peer` (MK_ANY_PEER: any):
 * its number, or -1. Channel numbers are 0..mk_channels()-1. */
int mk_channel(uint32_t direction, uint32_t peer);
unsigned mk_channels(void);
const struct mk_channel *mk_channel_info(int ch); /* NULL if no such */

/* The pool named `name`, or NULL when this node is not one of its members. */
const struct mk_pool *mk_pool(const char *name);
/* The same with a number appended: ("inbox", 3) -> "inbox3". */
const struct mk_pool *mk_pool_n(const char *name, uint32_t n);
/* Every pool of the node, in its tree's order: numbers 0..mk_pools()-1. */
unsigned mk_pools(void);
const struct mk_pool *mk_pool_info(int i); /* NULL if no such */

/* Signal send channel `ch`'s peer: 0 or MK_E_*. */
int mk_signal(int ch);
/* Block until one of the receive channels in `mask` (bit ch) has been
 * signalled since it was last returned; return (and clear) every signalled
 * one of them: a binary notification per channel. Negative: MK_E_*. */
int64_t mk_wait(uint64_t mask);

/* A line of output, built in place and printed whole: lines of different
 * nodes never mix on the shared console. Text beyond the buffer is dropped. */
struct mk_line {
	char buf[200];
	size_t len;
};
void mk_str(struct mk_line *l, const char *s);
void mk_dec(struct mk_line *l, uint64_t v);
void mk_hex(struct mk_line *l, uint64_t v); /* 0x... */
void mk_print(struct mk_line *l);           /* adds the newline, prints, empties */
void mk_puts(const char *s);                /* one whole line */

_Noreturn void mk_exit(int status);

/* The back end's part, called once by the entry code: reads what the
 * kernel passed (x0), binds receive channels, maps pools, marks the node
 * ready. On failure it prints one line saying what is wrong and returns
 * false; the root task then exits with status 1 without running main(). */
bool mk_start(uintptr_t boot_arg);

/* The compiler may call these even in freestanding code. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

#endif
