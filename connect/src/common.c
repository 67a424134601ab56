/* SPDX-License-Identifier: BSD-2-Clause */
/* common.c - the part of the connector library that is the same on every
 * kernel: finding channels and pools in the tables the back end filled,
 * building and printing lines, and what the compiler may call.
 */
#include "connect_internal.h"

uint32_t mk__node_id;
struct mk_channel mk__ch[MK_MAX_CHANNELS];
unsigned mk__n_ch;
struct mk_pool mk__pool[MK_MAX_POOLS];
unsigned mk__n_pool;

uint32_t mk_node_id(void)
{
	return mk__node_id;
}

unsigned mk_channels(void)
{
	return mk__n_ch;
}

const struct mk_channel *mk_channel_info(int ch)
{
	if (ch < 0 || (unsigned)ch >= mk__n_ch)
		return NULL;
	return &mk__ch[ch];
}

int mk_channel(uint32_t direction, uint32_t peer)
{
	for (unsigned i = 0; i < mk__n_ch; i++)
		if (mk__ch[i].direction == direction && (peer == MK_ANY_PEER || mk__ch[i].peer == peer))
			return (int)i;
	return -1;
}

bool mk__is_channel(int ch, uint32_t direction)
{
	const struct mk_channel *c = mk_channel_info(ch);
	return c && c->direction == direction;
}

bool mk__is_receive_mask(uint64_t mask)
{
	if (!mask)
		return false;
	for (unsigned i = 0; i < 64; i++)
		if ((mask >> i & 1) && !mk__is_channel((int)i, MK_RECEIVE))
			return false;
	return true;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

void mk__set_name(char dst[MK_NAME_MAX], const char *src)
{
	size_t i = 0;
	for (; i + 1 < MK_NAME_MAX && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

unsigned mk_pools(void)
{
	return mk__n_pool;
}

const struct mk_pool *mk_pool_info(int i)
{
	if (i < 0 || (unsigned)i >= mk__n_pool)
		return NULL;
	return &mk__pool[i];
}

const struct mk_pool *mk_pool(const char *name)
{
	for (unsigned i = 0; i < mk__n_pool; i++)
		if (same(mk__pool[i].name, name))
			return &mk__pool[i];
	return NULL;
}

const struct mk_pool *mk_pool_n(const char *name, uint32_t n)
{
	struct mk_line l = {0};
	mk_str(&l, name);
	mk_dec(&l, n);
	return mk_pool(l.buf);
}

static void put(struct mk_line *l, char c)
{
	if (l->len + 2 < sizeof(l->buf)) /* room for the newline and the NUL */
		l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

void mk_str(struct mk_line *l, const char *s)
{
	while (*s)
		put(l, *s++);
}

void mk_dec(struct mk_line *l, uint64_t v)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		put(l, d[--n]);
}

/* The fewest digits: 0x0, 0x40000000. */
void mk_hex(struct mk_line *l, uint64_t v)
{
	int shift = 60;
	mk_str(l, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

void mk_print(struct mk_line *l)
{
	/* put() always leaves room for these two. */
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	mk__write_line(l->buf, l->len);
	l->len = 0;
	l->buf[0] = '\0';
}

void mk_puts(const char *s)
{
	struct mk_line l = {0};
	mk_str(&l, s);
	mk_print(&l);
}

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
