/* SPDX-License-Identifier: BSD-2-Clause */
/* rt.h - the little a root task of the demo kernel needs: its system calls
 * (demo_abi.h), finding its channels and pools in the boot info, and
 * printing a line without printf.
 */
#ifndef RT_H
#define RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "demo_abi.h"

/* The root task's entry (start.S calls it): its result is the exit status. */
int main(const struct demo_bootinfo *bi);

/* The system calls, one `svc #0` each (number in x7, result in x0). */
static inline int64_t rt_syscall(uint64_t n, uint64_t a0, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x7 __asm__("x7") = n;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x7) : "memory");
	return (int64_t)x0;
}

static inline int64_t rt_signal(unsigned channel)
{
	return rt_syscall(DEMO_SYS_SIGNAL, channel, 0);
}

/* Blocks; returns the channels of `mask` that were signalled. */
static inline int64_t rt_wait(uint64_t mask)
{
	return rt_syscall(DEMO_SYS_WAIT, mask, 0);
}

static inline _Noreturn void rt_exit(int status)
{
	rt_syscall(DEMO_SYS_EXIT, (uint64_t)status, 0);
	for (;;)
		;
}

/* The first channel in `direction` (DEMO_SEND or DEMO_RECEIVE) whose peer
 * is `peer` (RT_ANY_PEER: any): its index, or -1. */
#define RT_ANY_PEER UINT32_MAX
int rt_channel(const struct demo_bootinfo *bi, uint32_t direction, uint32_t peer);
/* The pool labelled `label` (the manifest's name), or NULL. */
const struct demo_pool *rt_pool(const struct demo_bootinfo *bi, const char *label);
/* The same with a number appended to the label: "inbox" 3 -> "inbox3". */
const struct demo_pool *rt_pool_n(const struct demo_bootinfo *bi, const char *label, uint32_t n);

/* A line of output, built in place and sent whole (the kernel prints it in
 * this node's console slot). Text beyond the buffer is dropped. */
struct rt_line {
	char buf[200];
	size_t len;
};
void rt_str(struct rt_line *l, const char *s);
void rt_dec(struct rt_line *l, uint64_t v);
void rt_print(struct rt_line *l); /* adds the newline, sends, empties */
/* One line, at once. */
void rt_puts(const char *s);

/* The compiler may call these even in freestanding code. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

#endif
