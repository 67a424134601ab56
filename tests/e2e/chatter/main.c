/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - CHATTER_LINES lines as fast as the console takes them, each
 * naming its node and number and carrying a text that depends on both,
 * then one last line:
 *   chatter: node N line I TEXT
 *   chatter: node N done
 * tests/e2e/console_lock.py computes TEXT again and checks every line whole
 * (the same rule: TEXT_LEN letters, letter k is 'a' + (7N + 3I + k) mod 26). */
#include "mk_connect.h"

#define CHATTER_LINES 100
#define TEXT_LEN 120

int main(void)
{
	uint32_t n = mk_node_id();
	for (uint32_t i = 0; i < CHATTER_LINES; i++) {
		struct mk_line l = {0};
		char text[TEXT_LEN + 1];
		for (uint32_t k = 0; k < TEXT_LEN; k++)
			text[k] = (char)('a' + (7 * n + 3 * i + k) % 26);
		text[TEXT_LEN] = '\0';
		mk_str(&l, "chatter: node ");
		mk_dec(&l, n);
		mk_str(&l, " line ");
		mk_dec(&l, i);
		mk_str(&l, " ");
		mk_str(&l, text);
		mk_print(&l);
	}
	struct mk_line l = {0};
	mk_str(&l, "chatter: node ");
	mk_dec(&l, n);
	mk_str(&l, " done");
	mk_print(&l);
	return 0;
}
