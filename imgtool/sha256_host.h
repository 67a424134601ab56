/* SPDX-License-Identifier: BSD-2-Clause */
/* sha256_host.h - SHA-256 of a whole buffer on the host, fast.
 *
 * The loader's own SHA-256 (loader/sha256.c) is portable C that reads a
 * byte at a time: right for a freestanding loader, but it made hashing the
 * payload most of `mkimg pack`'s time. The host hashes payload members
 * with nettle instead, which uses the CPU's SHA instructions where there
 * are some. Both must give the same bytes: tests/image/test_sha256.c
 * compares them on inputs of many sizes.
 */
#ifndef MKIMG_SHA256_HOST_H
#define MKIMG_SHA256_HOST_H

#include "sha256.h"

void sha256_host(const void *data, size_t n, uint8_t out[SHA256_BYTES]);

#endif
