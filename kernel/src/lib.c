/* SPDX-License-Identifier: BSD-2-Clause */
/* lib.c - the two functions a C compiler may call on its own even in a
 * freestanding program (to copy or clear a struct). */
#include <stddef.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}
