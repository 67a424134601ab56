/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_platform.c - the board-tree reader (platform_parse) on any blob; a
 * tree it reads gets a one-node plan, its report and the node's tree, so
 * the planner and dts-split meet every board the reader lets by. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct platform pf;
	struct plan p = {0};
	struct diags d = {0};
	/* platform_parse owns the copy from here, whatever it decides */
	if (platform_parse(&pf, "fuzz.dtb", fuzz_copy(data, size), size, &d) == 0) {
		if (plan_build(&p, fuzz_manifest_one(), &pf, &d) == 0) {
			report_text(fuzz_sink(), &p);
			fuzz_split(&p, &d);
		}
		plan_free(&p);
		platform_free(&pf);
	}
	diags_free(&d);
	return 0;
}
