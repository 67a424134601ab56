/* SPDX-License-Identifier: BSD-2-Clause */
/* Not a real root task: it only links against the stand-in's libsel4 and
 * sees the configuration header of its node's kernel build. */
#include <autoconf.h>
#include <sel4/standin.h>

int main(void)
{
	return standin_sel4() + STANDIN_PRINTING;
}
