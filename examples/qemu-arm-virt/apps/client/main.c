/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the Client. Everything it knows about the system comes from its
 * boot info: the pool named "buf", its one send channel (to the Adder), the
 * receive channel from that same peer, and so the peer's node id. */
#include "adder.h"
#include "rt.h"

#define COUNT 10

static int lowest_bit(uint64_t v)
{
	int i = 0;
	while (!(v & 1))
		v >>= 1, i++;
	return i;
}

int main(const struct demo_bootinfo *bi)
{
	const struct demo_pool *pool = rt_pool(bi, ADDER_POOL);
	int to = rt_channel(bi, DEMO_SEND, RT_ANY_PEER);
	int from = to < 0 ? -1 : rt_channel(bi, DEMO_RECEIVE, bi->channels[to].peer);
	if (!pool || pool->size < sizeof(struct adder_buf) || to < 0 || from < 0) {
		rt_puts("client: no pool '" ADDER_POOL "' or no channels to and from a peer");
		return 1;
	}
	volatile struct adder_buf *b = (volatile struct adder_buf *)pool->vaddr;
	b->sum = 0;
	for (uint32_t i = 0; i < COUNT; i++)
		b->values[i] = i + 1;
	b->client = bi->node_id;
	b->count = COUNT;
	int64_t err = rt_signal((unsigned)to);
	if (err < 0) {
		struct rt_line l = {0};
		rt_str(&l, "client: cannot signal the adder (node ");
		rt_dec(&l, bi->channels[to].peer);
		rt_str(&l, err == DEMO_E_PEER ? "): it does not listen on that channel" : "): bad channel");
		rt_print(&l);
		return 1;
	}
	int64_t got = rt_wait(1ull << from);
	if (got <= 0) {
		rt_puts("client: wait failed");
		return 1;
	}
	struct rt_line l = {0};
	rt_str(&l, "client: sum(1..");
	rt_dec(&l, COUNT);
	rt_str(&l, ") = ");
	rt_dec(&l, b->sum);
	rt_str(&l, " from node ");
	rt_dec(&l, bi->channels[lowest_bit((uint64_t)got)].peer);
	rt_print(&l);
	return 0;
}
