/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - one node of the ring. Its successor is the peer of its send
 * channel. The token travels through pools named by the manifest's
 * convention "inbox<ID>": the pool node ID reads, which its predecessor
 * writes. The token counts hops: every node adds one as it passes it on,
 * so after the first lap the leader holds the number of nodes, and after
 * lap k, k times that. */
#include "rt.h"

struct inbox {
	uint32_t token;
};

struct ring {
	int next, prev;                  /* send channel, receive channel */
	volatile struct inbox *in, *out; /* my inbox, my successor's */
};

static bool find_ring(const struct demo_bootinfo *bi, struct ring *r)
{
	r->next = rt_channel(bi, DEMO_SEND, RT_ANY_PEER);
	r->prev = rt_channel(bi, DEMO_RECEIVE, RT_ANY_PEER);
	if (r->next < 0 || r->prev < 0)
		return false;
	const struct demo_pool *in = rt_pool_n(bi, "inbox", bi->node_id);
	const struct demo_pool *out = rt_pool_n(bi, "inbox", bi->channels[r->next].peer);
	if (!in || !out || in->size < sizeof(struct inbox) || out->size < sizeof(struct inbox))
		return false;
	r->in = (volatile struct inbox *)in->vaddr;
	r->out = (volatile struct inbox *)out->vaddr;
	return true;
}

static void pass(const struct ring *r, uint32_t token)
{
	r->out->token = token;
	rt_signal((unsigned)r->next);
}

static uint32_t receive(const struct ring *r)
{
	rt_wait(1ull << r->prev);
	return r->in->token;
}

static int lead(const struct ring *r)
{
	uint32_t token = 0, nodes = 0;
	for (uint32_t lap = 1; lap <= RING_LAPS; lap++) {
		pass(r, token + 1);
		token = receive(r);
		if (lap == 1)
			nodes = token;
		if (!nodes || token != lap * nodes) {
			rt_puts("ring: the token came back wrong");
			return 1;
		}
	}
	struct rt_line l = {0};
	rt_str(&l, "ring: ");
	rt_dec(&l, nodes);
	rt_str(&l, " nodes, ");
	rt_dec(&l, RING_LAPS);
	rt_str(&l, " laps, token ");
	rt_dec(&l, token);
	rt_print(&l);
	return 0;
}

int main(const struct demo_bootinfo *bi)
{
	struct ring r;
	if (!find_ring(bi, &r)) {
		rt_puts("ring: no channels to both neighbours, or no inbox pools");
		return 1;
	}
	if (bi->node_id == RING_LEADER)
		return lead(&r);
	for (;;)
		pass(&r, receive(&r) + 1);
}
