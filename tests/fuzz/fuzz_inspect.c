/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_inspect.c - `mkimg inspect` (image.c: find the plan, list it as
 * text and as JSON, verify every hash, the CPIO headers and the loader's own
 * checks) on any file.
 *
 * Each input is inspected twice: as it is, and with every member's SHA-256
 * and then the plan's own made right. A damaged hash stops inspect before
 * the CPIO headers and the loader's checks (a damaged plan's offsets mean
 * nothing), so without the second pass almost no mutation would reach
 * them; the hashes stop accidents, not a buggy host. */
#include "fuzz.h"
#include "image.h"
#include "bootplan_check.h"
#include "sha256_host.h"

#include <string.h>

static void inspect(const uint8_t *buf, size_t size)
{
	struct diags d = {0};
	for (int json = 0; json < 2; json++)
		image_inspect_buffer(fuzz_sink(), "fuzz.img", fuzz_copy(buf, size), size, json, &d);
	diags_free(&d);
}

/* The input with its hashes made right, or NULL where no plan is found. */
static uint8_t *rehashed(const uint8_t *data, size_t size)
{
	struct diags d = {0};
	struct image im;
	uint8_t *out = NULL;
	if (image_parse(&im, "fuzz.img", fuzz_copy(data, size), size, &d) == 0) {
		out = fuzz_copy(data, size);
		struct bp_header *h = (struct bp_header *)(out + ((const uint8_t *)im.pl.h - im.file));
		struct bp_member *m = (struct bp_member *)(out + ((const uint8_t *)im.pl.members - im.file));
		const uint8_t *bytes = out + (im.bytes - im.file);
		/* the count parse checked (the members lie past the header, so
		 * the sums written cannot change it or the plan's size) */
		uint32_t count = h->members_count;
		for (uint32_t i = 0; i < count; i++)
			if (m[i].offset <= im.size && m[i].size <= im.size - m[i].offset)
				sha256_host(bytes + m[i].offset, m[i].size, m[i].sha256);
		bp_plan_sum(h, h->sha256);
	}
	image_close(&im);
	diags_free(&d);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	inspect(data, size);
	uint8_t *buf = rehashed(data, size);
	if (buf && memcmp(buf, data, size))
		inspect(buf, size);
	free(buf);
	return 0;
}
