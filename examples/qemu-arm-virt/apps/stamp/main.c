/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - stamps each of the node's shared pools (not mkimg's own, whose
 * names start with `mkimg-`) with the 32-bit word STAMP_BASE + node id at
 * its first byte, and prints one line per pool:
 *   stamp: node N wrote 0xWORD into 'NAME' at 0xPADDR
 * A peer that shares no channel with this node, such as a Linux node
 * reading the pool through /dev/mem (tests/linux/init.sh), finds the word
 * there: the loader zeroed the pool before any kernel started, so a
 * non-zero word can only be this one. */
#include "mk_connect.h"

#define STAMP_BASE 0x600d0000u

static int is_mkimg_pool(const char *name)
{
	const char *p = "mkimg-";
	while (*p && *name == *p) {
		p++;
		name++;
	}
	return *p == '\0';
}

int main(void)
{
	uint32_t word = STAMP_BASE + mk_node_id();
	unsigned stamped = 0;
	for (unsigned i = 0; i < mk_pools(); i++) {
		const struct mk_pool *p = mk_pool_info((int)i);
		if (is_mkimg_pool(p->name))
			continue;
		/* Uncached (Device-nGnRnE): one aligned volatile store. */
		*(volatile uint32_t *)p->base = word;
		struct mk_line l = {0};
		mk_str(&l, "stamp: node ");
		mk_dec(&l, mk_node_id());
		mk_str(&l, " wrote ");
		mk_hex(&l, word);
		mk_str(&l, " into '");
		mk_str(&l, p->name);
		mk_str(&l, "' at ");
		mk_hex(&l, p->paddr);
		mk_print(&l);
		stamped++;
	}
	if (stamped == 0)
		mk_puts("stamp: this node is a member of no pool to stamp");
	return 0;
}
