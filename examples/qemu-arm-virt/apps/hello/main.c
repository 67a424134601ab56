/* main.c - the hello root task: for now it only waits (see CMakeLists.txt). */
#include <stdint.h>

#define STR(x) #x
#define XSTR(x) STR(x)

/* Kept in the image, so each node's root task is visibly its own. */
const char hello_greeting[] = "hello from node " XSTR(NODE_ID);

void rootserver_main(uint64_t bootinfo);

void rootserver_main(uint64_t bootinfo)
{
	(void)bootinfo;
	for (;;)
		__asm__ volatile("yield"); /* a hint: never traps, unlike wfi/wfe */
}
