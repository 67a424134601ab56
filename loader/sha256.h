/* SPDX-License-Identifier: BSD-2-Clause */
/* sha256.h - SHA-256 (FIPS 180-4), freestanding: the one implementation the
 * loader and the host share, so both compute a hash the same way.
 *
 * Needs only <stdint.h> and <stddef.h>; reads its input a byte at a time,
 * so any alignment works, even with the MMU off (-mstrict-align).
 */
#ifndef MKIMG_SHA256_H
#define MKIMG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;      /* bytes hashed so far */
	uint8_t block[64]; /* a partial block */
#ifdef SHA256_CE
	_Bool ce;          /* whole blocks through the ARMv8 instructions (sha256_use_ce) */
#endif
};

/* Contracts the proof of bootplan_check.c assumes (sha256.c is not proven). */
/*@ requires \valid(s);
  @ assigns *s; */
void sha256_init(struct sha256 *s);
/*@ requires \valid(s) && \valid_read((const uint8_t *)data + (0 .. n - 1));
  @ assigns *s; */
void sha256_update(struct sha256 *s, const void *data, size_t n);
/*@ requires \valid(s) && \valid(out + (0 .. SHA256_BYTES - 1));
  @ assigns *s, out[0 .. SHA256_BYTES - 1]; */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);
/* The hash of one buffer. */
void sha256(const void *data, size_t n, uint8_t out[SHA256_BYTES]);

#ifdef SHA256_CE
/* The loader only: from now on this hash takes whole blocks through the
 * ARMv8 SHA-256 instructions (sha256_ce.S). Turn it on only on a cpu that
 * has them, with FP/SIMD untrapped. A choice of the hash's, not a global:
 * cpus hash at once, each deciding for its own. */
void sha256_use_ce(struct sha256 *s, _Bool on);
void sha256_ce_blocks(uint32_t h[8], const uint8_t *p, size_t blocks);
#endif

#endif
