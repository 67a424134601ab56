/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_manifest.c - the manifest reader (manifest_parse): any bytes are
 * refused with a message or read; a manifest it reads is planned on the
 * fixed board, reported in every format and split into node trees, so the
 * planner and dts-split meet every shape of manifest the reader lets by. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	struct plan p = {0};
	struct diags d = {0};
	if (manifest_parse(&m, "fuzz/partition.yaml", (const char *)data, size, &d) == 0 &&
	    plan_build(&p, &m, fuzz_board(), &d) == 0) {
		report_text(fuzz_sink(), &p);
		report_json(fuzz_sink(), &p);
		report_svg(fuzz_sink(), &p);
		fuzz_split(&p, &d);
	}
	plan_free(&p);
	manifest_free(&m);
	diags_free(&d);
	return 0;
}
