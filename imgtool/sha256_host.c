/* SPDX-License-Identifier: BSD-2-Clause */
/* sha256_host.c - see sha256_host.h. */
#include "sha256_host.h"

#include <nettle/sha2.h>

void sha256_host(const void *data, size_t n, uint8_t out[SHA256_BYTES])
{
	struct sha256_ctx ctx;
	nettle_sha256_init(&ctx);
	nettle_sha256_update(&ctx, n, data);
	nettle_sha256_digest(&ctx, SHA256_BYTES, out);
}
