/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the Adder: serves every client it has a channel pair with, for
 * ever. A request is a signal on a receive channel; the answer goes back
 * on the send channel to the same peer. */
#include "adder.h"
#include "mk_connect.h"

static uint64_t receive_mask(void)
{
	uint64_t m = 0;
	for (unsigned i = 0; i < mk_channels() && i < 64; i++)
		if (mk_channel_info((int)i)->direction == MK_RECEIVE)
			m |= 1ull << i;
	return m;
}

static void serve(volatile struct adder_buf *b, uint32_t peer)
{
	int reply = mk_channel(MK_SEND, peer);
	uint32_t n = b->count < ADDER_MAX_VALUES ? b->count : ADDER_MAX_VALUES;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++)
		sum += b->values[i];
	b->sum = sum;
	if (reply < 0) {
		mk_puts("adder: no channel back to the client");
		return;
	}
	/* Our line first, the answer after it: the client prints as soon as
	 * it has the answer, and the two kernels share one UART. */
	struct mk_line l = {0};
	mk_str(&l, "adder: added ");
	mk_dec(&l, n);
	mk_str(&l, " values for node ");
	mk_dec(&l, b->client);
	mk_print(&l);
	if (mk_signal(reply) < 0)
		mk_puts("adder: cannot answer the client");
}

int main(void)
{
	const struct mk_pool *pool = mk_pool(ADDER_POOL);
	uint64_t mask = receive_mask();
	if (!pool || pool->size < sizeof(struct adder_buf) || !mask) {
		mk_puts("adder: no pool '" ADDER_POOL "' or no receive channel");
		return 1;
	}
	for (;;) {
		int64_t got = mk_wait(mask);
		if (got <= 0)
			return 1;
		for (unsigned i = 0; i < 64; i++)
			if ((uint64_t)got >> i & 1)
				serve((volatile struct adder_buf *)pool->base, mk_channel_info((int)i)->peer);
	}
}
