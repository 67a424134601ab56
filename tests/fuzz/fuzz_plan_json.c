/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_plan_json.c - dts-split's plan reader (plan_json_parse) on the
 * fixed board; a plan it reads is split into node trees, each of which
 * must be a valid blob showing only its node's RAM as memory. */
#include "fuzz.h"
#include "plan_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan_json pj;
	struct diags d = {0};
	if (plan_json_parse(&pj, "fuzz.json", (const char *)data, size, fuzz_board(), &d) == 0)
		fuzz_split(&pj.plan, &d);
	plan_json_free(&pj);
	diags_free(&d);
	return 0;
}
