/* fuzz_inspect.c - `mkimg inspect` (image.c: find the plan, list it as
 * text and as JSON, verify every hash, the CPIO headers and the loader's own
 * checks) on any file. */
#include "fuzz.h"
#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = {0};
	for (int json = 0; json < 2; json++)
		image_inspect_buffer(fuzz_sink(), "fuzz.img", fuzz_copy(data, size), size, json, &d);
	diags_free(&d);
	return 0;
}
