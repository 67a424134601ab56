/* SPDX-License-Identifier: BSD-2-Clause */
/* Stand-in (NOT libsel4): one function a root task links against. */
int standin_sel4(void);
