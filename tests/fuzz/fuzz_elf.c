/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_elf.c - pack.c's checks of a kernel or root task ELF
 * (pack_check_elf) against the fixed two-node plan. The first byte says
 * which check and which node (bit 0: root task, bit 1: node 1); the rest is
 * the file. */
#include "fuzz.h"
#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct node_inputs in = {"fuzz/Kernel.elf", "fuzz/capdl.img", "fuzz/kernel.dtb"};
	struct diags d = {0};
	if (size < 1)
		return 0;
	/* libelf may write to its buffer: give it a copy */
	uint8_t *elf = fuzz_copy(data + 1, size - 1);
	pack_check_elf(fuzz_plan(), (data[0] >> 1) & 1, &in, !(data[0] & 1), elf, size - 1, &d);
	free(elf);
	diags_free(&d);
	return 0;
}
