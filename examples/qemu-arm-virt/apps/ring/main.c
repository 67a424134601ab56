/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c - one node of the ring. Its successor is the peer of its send
 * channel. The token travels through pools named by the manifest's
 * convention "inbox<ID>": the pool node ID reads, which its predecessor
 * writes. The token counts hops: every node adds one as it passes it on,
 * so after the first lap the leader holds the number of nodes, and after
 * lap k, k times that. */
#include "mk_connect.h"

struct inbox {
	uint32_t token;
};

struct ring {
	int next, prev;                  /* send channel, receive channel */
	volatile struct inbox *in, *out; /* my inbox, my successor's */
};

static bool find_ring(struct ring *r)
{
	r->next = mk_channel(MK_SEND, MK_ANY_PEER);
	r->prev = mk_channel(MK_RECEIVE, MK_ANY_PEER);
	if (r->next < 0 || r->prev < 0)
		return false;
	const struct mk_pool *in = mk_pool_n("inbox", mk_node_id());
	const struct mk_pool *out = mk_pool_n("inbox", mk_channel_info(r->next)->peer);
	if (!in || !out || in->size < sizeof(struct inbox) || out->size < sizeof(struct inbox))
		return false;
	r->in = (volatile struct inbox *)in->base;
	r->out = (volatile struct inbox *)out->base;
	return true;
}

static void pass(const struct ring *r, uint32_t token)
{
	r->out->token = token;
	mk_signal(r->next);
}

static uint32_t receive(const struct ring *r)
{
	mk_wait(1ull << r->prev);
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
			mk_puts("ring: the token came back wrong");
			return 1;
		}
	}
	struct mk_line l = {0};
	mk_str(&l, "ring: ");
	mk_dec(&l, nodes);
	mk_str(&l, " nodes, ");
	mk_dec(&l, RING_LAPS);
	mk_str(&l, " laps, token ");
	mk_dec(&l, token);
	mk_print(&l);
	return 0;
}

int main(void)
{
	struct ring r;
	if (!find_ring(&r)) {
		mk_puts("ring: no channels to both neighbours, or no inbox pools");
		return 1;
	}
	if (mk_node_id() == RING_LEADER)
		return lead(&r);
	for (;;)
		pass(&r, receive(&r) + 1);
}
