/* SPDX-License-Identifier: BSD-2-Clause */
/* Stand-in (NOT libsel4). */
#include <sel4/standin.h>

int standin_sel4(void)
{
	return 4;
}
