/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the hello root task: nothing to do, so it ends at once (see
 * CMakeLists.txt). */
#include <stdint.h>

#include "demo_abi.h"

#define STR(x) #x
#define XSTR(x) STR(x)

/* Kept in the image, so each node's root task is visibly its own. */
const char hello_greeting[] = "hello from node " XSTR(NODE_ID);

void rootserver_main(uint64_t bootinfo);

void rootserver_main(uint64_t bootinfo)
{
	register uint64_t x0 __asm__("x0") = 0;
	register uint64_t x7 __asm__("x7") = DEMO_SYS_EXIT;
	(void)bootinfo;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "memory");
	for (;;)
		__asm__ volatile("yield"); /* not reached: exit never returns */
}
