/* test_sha256.c - the SHA-256 the loader and the host share, against the
 * FIPS 180-4 examples and sha256sum-style splits of one input. */
#include "sha256.h"

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
	if (!failures)
		printf("sha256: all vectors match\n");
	return failures != 0;
}
