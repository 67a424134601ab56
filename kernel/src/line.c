/* SPDX-License-Identifier: BSD-2-Clause */
/* line.c - see line.h. */
#include "line.h"

static void put(struct line *l, char c)
{
	if (l->len + 1 < sizeof(l->buf))
		l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

void line_char(struct line *l, char c)
{
	put(l, c);
}

void line_str(struct line *l, const char *s)
{
	while (*s)
		put(l, *s++);
}

void line_hex(struct line *l, uint64_t v)
{
	int shift = 60;
	line_str(l, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

void line_dec(struct line *l, uint64_t v)
{
	char digits[20];
	int n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		put(l, digits[--n]);
}

void line_range(struct line *l, uint64_t base, uint64_t end)
{
	line_str(l, " [");
	line_hex(l, base);
	line_str(l, ", ");
	line_hex(l, end);
	put(l, ')');
}

void line_named_hex(struct line *l, const char *name, uint64_t v)
{
	put(l, ' ');
	line_str(l, name);
	put(l, '=');
	line_hex(l, v);
}
