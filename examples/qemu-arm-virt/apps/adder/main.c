/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the Adder: serves every client it has a channel pair with, for
 * ever. A request is a signal on a receive channel; the answer goes back
 * on the send channel to the same peer. */
#include "adder.h"
#include "rt.h"

static uint64_t receive_mask(const struct demo_bootinfo *bi)
{
	uint64_t m = 0;
	for (uint32_t i = 0; i < bi->n_channels && i < DEMO_MAX_CHANNELS; i++)
		if (bi->channels[i].direction == DEMO_RECEIVE)
			m |= 1ull << i;
	return m;
}

static void serve(const struct demo_bootinfo *bi, volatile struct adder_buf *b, uint32_t peer)
{
	int reply = rt_channel(bi, DEMO_SEND, peer);
	uint32_t n = b->count < ADDER_MAX_VALUES ? b->count : ADDER_MAX_VALUES;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++)
		sum += b->values[i];
	b->sum = sum;
	if (reply < 0) {
		rt_puts("adder: no channel back to the client");
		return;
	}
	/* Our line first, the answer after it: the client prints as soon as
	 * it has the answer, and the two kernels share one UART. */
	struct rt_line l = {0};
	rt_str(&l, "adder: added ");
	rt_dec(&l, n);
	rt_str(&l, " values for node ");
	rt_dec(&l, b->client);
	rt_print(&l);
	if (rt_signal((unsigned)reply) < 0)
		rt_puts("adder: cannot answer the client");
}

int main(const struct demo_bootinfo *bi)
{
	const struct demo_pool *pool = rt_pool(bi, ADDER_POOL);
	uint64_t mask = receive_mask(bi);
	if (!pool || pool->size < sizeof(struct adder_buf) || !mask) {
		rt_puts("adder: no pool '" ADDER_POOL "' or no receive channel");
		return 1;
	}
	for (;;) {
		int64_t got = rt_wait(mask);
		if (got <= 0)
			return 1;
		for (uint32_t i = 0; i < DEMO_MAX_CHANNELS; i++)
			if (got & (1ll << i))
				serve(bi, (volatile struct adder_buf *)pool->vaddr, bi->channels[i].peer);
	}
}
