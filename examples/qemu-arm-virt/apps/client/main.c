/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - the Client. Everything it knows about the system it finds at run
 * time (mk_connect.h): the pool named "buf", its one send channel (to the
 * Adder), the receive channel from that same peer, and so the peer's node
 * id. */
#include "adder.h"
#include "mk_connect.h"

#define COUNT 10

static int lowest_bit(uint64_t v)
{
	int i = 0;
	while (!(v & 1))
		v >>= 1, i++;
	return i;
}

int main(void)
{
	const struct mk_pool *pool = mk_pool(ADDER_POOL);
	int to = mk_channel(MK_SEND, MK_ANY_PEER);
	int from = to < 0 ? -1 : mk_channel(MK_RECEIVE, mk_channel_info(to)->peer);
	if (!pool || pool->size < sizeof(struct adder_buf) || to < 0 || from < 0) {
		mk_puts("client: no pool '" ADDER_POOL "' or no channels to and from a peer");
		return 1;
	}
	volatile struct adder_buf *b = (volatile struct adder_buf *)pool->base;
	b->sum = 0;
	for (uint32_t i = 0; i < COUNT; i++)
		b->values[i] = i + 1;
	b->client = mk_node_id();
	b->count = COUNT;
	int err = mk_signal(to);
	if (err < 0) {
		struct mk_line l = {0};
		mk_str(&l, "client: cannot signal the adder (node ");
		mk_dec(&l, mk_channel_info(to)->peer);
		mk_str(&l, err == MK_E_PEER ? "): it does not listen on that channel" : "): bad channel");
		mk_print(&l);
		return 1;
	}
	int64_t got = mk_wait(1ull << from);
	if (got <= 0) {
		mk_puts("client: wait failed");
		return 1;
	}
	struct mk_line l = {0};
	mk_str(&l, "client: sum(1..");
	mk_dec(&l, COUNT);
	mk_str(&l, ") = ");
	mk_dec(&l, b->sum);
	mk_str(&l, " from node ");
	mk_dec(&l, mk_channel_info(lowest_bit((uint64_t)got))->peer);
	mk_print(&l);
	return 0;
}
