/* SPDX-License-Identifier: BSD-2-Clause */
/* rt.c - see rt.h. */
#include "rt.h"

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int rt_channel(const struct demo_bootinfo *bi, uint32_t direction, uint32_t peer)
{
	for (uint32_t i = 0; i < bi->n_channels && i < DEMO_MAX_CHANNELS; i++)
		if (bi->channels[i].direction == direction && (peer == RT_ANY_PEER || bi->channels[i].peer == peer))
			return (int)i;
	return -1;
}

const struct demo_pool *rt_pool(const struct demo_bootinfo *bi, const char *label)
{
	for (uint32_t i = 0; i < bi->n_pools && i < DEMO_MAX_POOLS; i++)
		if (same(bi->pools[i].label, label))
			return &bi->pools[i];
	return NULL;
}

const struct demo_pool *rt_pool_n(const struct demo_bootinfo *bi, const char *label, uint32_t n)
{
	struct rt_line name = {0};
	rt_str(&name, label);
	rt_dec(&name, n);
	return rt_pool(bi, name.buf);
}

static void put(struct rt_line *l, char c)
{
	if (l->len + 2 < sizeof(l->buf)) /* room for the newline */
		l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

void rt_str(struct rt_line *l, const char *s)
{
	while (*s)
		put(l, *s++);
}

void rt_dec(struct rt_line *l, uint64_t v)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		put(l, d[--n]);
}

void rt_print(struct rt_line *l)
{
	l->buf[l->len++] = '\n';
	rt_syscall(DEMO_SYS_PUTS, (uint64_t)l->buf, l->len);
	l->len = 0;
	l->buf[0] = '\0';
}

void rt_puts(const char *s)
{
	struct rt_line l = {0};
	rt_str(&l, s);
	rt_print(&l);
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
