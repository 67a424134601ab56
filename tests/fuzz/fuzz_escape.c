/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_escape.c - the escaper of untrusted text (sb_escaped(), behind every
 * diagnostic, the layout report and inspect): whatever the bytes, what it
 * writes holds no control character (C0, DEL, C1), no bidirectional
 * override and no invalid UTF-8; text that is already printable UTF-8
 * comes out unchanged; every byte it refuses comes out as \xNN. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

/* The length of the printable character at `s`, or 0: decoded here
 * independently of utf8_printable() (by the count of leading one bits). */
static size_t printable(const unsigned char *s)
{
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	size_t n = 0;
	while (n < 8 && (s[0] & (0x80u >> n)))
		n++;
	if (n < 2 || n > 4)
		return 0;
	uint32_t cp = s[0] & (0xffu >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, too large, a surrogate */
	if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0; /* C1, bidirectional controls */
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0'; /* the escaper takes C strings: the input up to its first NUL */
	struct sbuf b = {0};
	sb_escaped(&b, s);

	/* every character of the output is printable, and the output is the
	 * input where the input was */
	const unsigned char *o = (const unsigned char *)b.s, *in = (const unsigned char *)s;
	while (*o) {
		size_t n = printable(o);
		if (!n)
			abort(); /* a control, an override or a bad byte got through */
		size_t k = printable(in);
		if (k) {
			if (k != n || memcmp(o, in, n))
				abort(); /* printable text was changed */
			in += k;
		} else {
			char want[5];
			snprintf(want, sizeof(want), "\\x%02x", *in);
			if (strncmp((const char *)o, want, 4))
				abort(); /* a refused byte is not its \xNN */
			in++;
			n = 4;
		}
		o += n;
	}
	if (*in)
		abort(); /* input left over */
	free(b.s);
	free(s);
	return 0;
}
