/* SPDX-License-Identifier: BSD-2-Clause */
/* sha256_ce.S - SHA-256 blocks with the ARMv8 Cryptographic Extension
 * (SHA256H, SHA256H2, SHA256SU0, SHA256SU1), for the loader: hashing the
 * payload was most of its time, a byte at a time in C.
 *
 * void sha256_ce_blocks(uint32_t h[8], const uint8_t *p, size_t blocks)
 *
 * h[0..7] = a..h, as in struct sha256 (v0 = a,b,c,d and v1 = e,f,g,h are
 * the instructions' ABCD and EFGH). The caller checks that the cpu has the
 * instructions (ID_AA64ISAR0_EL1.SHA2) and that FP/SIMD is not trapped.
 * Each of the 16 steps does four rounds; the first 12 also extend the
 * message schedule in place, four words at a time. Position independent
 * (adr), no stack.
 */
	.arch	armv8-a+crypto
	.text
	.balign	16
k256:
	.word	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.word	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.word	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.word	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.word	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.word	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.word	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.word	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2

/* Four rounds with the schedule words in \w0 and the constants in \k;
 * with \more, \w0 becomes the words 16 further on (from \w1, \w2, \w3). */
.macro rounds4 w0, w1, w2, w3, k, more
	add	v8.4s, \w0\().4s, \k\().4s
	.if \more
	sha256su0 \w0\().4s, \w1\().4s
	.endif
	mov	v9.16b, v0.16b
	sha256h	q0, q1, v8.4s
	sha256h2 q1, q9, v8.4s
	.if \more
	sha256su1 \w0\().4s, \w2\().4s, \w3\().4s
	.endif
.endm

	.global	sha256_ce_blocks
	.type	sha256_ce_blocks, %function
sha256_ce_blocks:
	cbz	x2, 2f
	adr	x3, k256
	ld1	{v16.4s-v19.4s}, [x3], #64
	ld1	{v20.4s-v23.4s}, [x3], #64
	ld1	{v24.4s-v27.4s}, [x3], #64
	ld1	{v28.4s-v31.4s}, [x3]
	ld1	{v0.4s, v1.4s}, [x0]
1:	ld1	{v4.16b-v7.16b}, [x1], #64	/* byte loads: any alignment */
	rev32	v4.16b, v4.16b			/* big-endian words */
	rev32	v5.16b, v5.16b
	rev32	v6.16b, v6.16b
	rev32	v7.16b, v7.16b
	mov	v2.16b, v0.16b
	mov	v3.16b, v1.16b
	rounds4	v4, v5, v6, v7, v16, 1
	rounds4	v5, v6, v7, v4, v17, 1
	rounds4	v6, v7, v4, v5, v18, 1
	rounds4	v7, v4, v5, v6, v19, 1
	rounds4	v4, v5, v6, v7, v20, 1
	rounds4	v5, v6, v7, v4, v21, 1
	rounds4	v6, v7, v4, v5, v22, 1
	rounds4	v7, v4, v5, v6, v23, 1
	rounds4	v4, v5, v6, v7, v24, 1
	rounds4	v5, v6, v7, v4, v25, 1
	rounds4	v6, v7, v4, v5, v26, 1
	rounds4	v7, v4, v5, v6, v27, 1
	rounds4	v4, v5, v6, v7, v28, 0
	rounds4	v5, v6, v7, v4, v29, 0
	rounds4	v6, v7, v4, v5, v30, 0
	rounds4	v7, v4, v5, v6, v31, 0
	add	v0.4s, v0.4s, v2.4s
	add	v1.4s, v1.4s, v3.4s
	subs	x2, x2, #1
	b.ne	1b
	st1	{v0.4s, v1.4s}, [x0]
2:	ret
	.size	sha256_ce_blocks, . - sha256_ce_blocks
