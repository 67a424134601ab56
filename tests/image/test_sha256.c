/* SPDX-License-Identifier: BSD-2-Clause */
/* test_sha256.c - the loader's SHA-256 (which the host uses for the boot
 * plan) against the FIPS 180-4 examples and sha256sum-style splits of one
 * input; the host's (nettle, for payload members) against the loader's on
 * inputs of every length around the block edges and a few large ones. */
#include "sha256.h"
#include "sha256_host.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

static int failures;

static void hex(const uint8_t *s, char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", s[i]);
}

static void expect(const char *what, const uint8_t sum[32], const char *want)
{
	char got[65];
	hex(sum, got);
	if (strcmp(got, want)) {
		printf("FAIL %s: %s, expected %s\n", what, got, want);
		failures++;
	}
}

int main(void)
{
	uint8_t sum[32];
	sha256("", 0, sum);
	expect("empty", sum, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256("abc", 3, sum);
	expect("abc", sum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256(two, strlen(two), sum);
	expect("two blocks", sum, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

	/* A million 'a's, fed in uneven pieces: the block buffer's edges. */
	static uint8_t a[1000000];
	memset(a, 'a', sizeof(a));
	struct sha256 s;
	sha256_init(&s);
	for (size_t at = 0, step = 1; at < sizeof(a); step = step % 130 + 7) {
		size_t n = step < sizeof(a) - at ? step : sizeof(a) - at;
		sha256_update(&s, a + at, n);
		at += n;
	}
	sha256_final(&s, sum);
	expect("million a", sum, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	/* The host's and the loader's hashes agree: lengths 0..300 and some
	 * large ones, over pseudo-random bytes. */
	static uint8_t r[3 << 20];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(r); i++)
		x = x * 1103515245u + 12345u, r[i] = (uint8_t)(x >> 16);
	size_t big[] = {4095, 4096, 65537, 1 << 20, sizeof(r) - 1};
	for (size_t k = 0; k < 301 + sizeof(big) / sizeof(big[0]); k++) {
		size_t n = k < 301 ? k : big[k - 301];
		uint8_t host[32];
		sha256(r + 1, n, sum); /* unaligned on purpose */
		sha256_host(r + 1, n, host);
		if (memcmp(sum, host, 32)) {
			printf("FAIL host and loader SHA-256 differ for %zu bytes\n", n);
			failures++;
		}
	}
	if (!failures)
		printf("sha256: all vectors match; the host's and the loader's agree\n");
	return failures != 0;
}
