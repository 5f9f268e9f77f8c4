// SPDX-License-Identifier: GPL-2.0
/*
 * SIEVE (Yazhuo Zhang, Juncheng Yang, Yao Yue, Ymir Vigfusson and K. V.
 * Rashmi, "SIEVE is Simpler than LRU: an Efficient Turn-Key Eviction
 * Algorithm for Web Caches", NSDI 2024): one FIFO queue and a hand. A new
 * page goes in at the head, unvisited; a hit sets its visited bit. To
 * evict, the hand moves from where it stopped towards the head, clearing
 * the visited bits it passes, and evicts the first unvisited page; when it
 * passes the head it starts again at the tail. Survivors are not moved:
 * pages the hand has passed stay behind it, with the newcomers in front,
 * so a page seen once is evicted the first time the hand reaches it and a
 * one-time scan cannot push the visited pages out.
 *
 * The queue is a list whose first entry is the paper's tail (oldest) and
 * whose last is its head (newest); the hand moves from first to last.
 *
 * Departures from the paper:
 *  - The visited bit is the frame's reference bit: the hardware accessed
 *    bits that the core harvests before each batch of victims, not a bit
 *    set on every hit. When the hand passes the head and wraps to the tail
 *    (a lap done), it answers %SWAPLAB_VICTIM_RESCAN if allowed, so that
 *    the bits are fresh for the next lap.
 *  - The fault that brings a page in sets its reference bit too (the
 *    access restarts once the page is mapped), where the paper inserts a
 *    page unvisited. So a new page waits on a pending list until the next
 *    victim() call, which clears its bit (the fault's reference) and only
 *    then puts it at the head: a hit between the fault and that next
 *    reclaim is lost with it, as one bit cannot tell one reference from
 *    two. Pages admitted together keep their order.
 *  - A page read ahead comes in unreferenced, and its first use counts as
 *    its insertion, not as a hit: a use seen when it joins the queue is
 *    cleared, and a page read ahead that was unused then is evicted when
 *    the hand reaches it, whatever its bit.
 *  - Reclaim takes victims in batches: victim() names a page, the core
 *    takes it out of the queue (the hand moves on to the page after it,
 *    as the paper's does), and pages the core could not evict come back
 *    just behind the hand, with their bit as it is, to be looked at last
 *    in the hand's lap; the paper has no such return.
 *  - When the policy is selected, the resident pages join the queue in
 *    the order they were admitted, with the reference bits they have.
 *  - The hand's walk is bounded: past two laps (every bit cleared, but
 *    faults may set bits meanwhile) it evicts the page it is at.
 *  - SIEVE keeps no history of evicted pages: a refault is a new page.
 */
#include "api/policy.h"

struct sieve_frame {
	unsigned char pending;		/* not yet in the queue */
	unsigned char readahead;	/* read ahead, first use not seen */
};

struct sieve_state {
	struct list_head queue;		/* the paper's tail first */
	struct list_head pending;	/* admitted since the last victim() */
	/* Next to examine; NULL: the tail; &queue: past the head. */
	struct list_head *hand;
	unsigned long nr;		/* frames in @queue */
};

static struct sieve_frame *sieve_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct sieve_frame);
}

static int sieve_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct sieve_state *s = state;

	INIT_LIST_HEAD(&s->queue);
	INIT_LIST_HEAD(&s->pending);
	s->hand = NULL;
	return 0;
}

static void sieve_admit(void *state, struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			struct swaplab_policy_ctx *ctx)
{
	struct sieve_state *s = state;
	struct sieve_frame *p = sieve_priv(f);

	if (why == SWAPLAB_ADMIT_SWITCH) {
		/* At the head, in admission order: the oldest at the tail. */
		list_add_tail(&f->lru, &s->queue);
		s->nr++;
		return;
	}
	if (why == SWAPLAB_ADMIT_RETURN && !p->pending) {
		/* Back from reclaim: the last the hand reaches in this lap. */
		list_add_tail(&f->lru, s->hand ? s->hand : &s->queue);
		s->nr++;
		return;
	}
	if (why != SWAPLAB_ADMIT_RETURN) {
		p->readahead = why == SWAPLAB_ADMIT_READAHEAD;
		p->pending = 1;
	}
	list_add_tail(&f->lru, &s->pending);
}

static void sieve_remove(void *state, struct swaplab_frame *f)
{
	struct sieve_state *s = state;
	struct sieve_frame *p = sieve_priv(f);

	if (p->pending) {
		list_del_init(&f->lru);
		return;
	}
	/* The paper's hand moves to the evicted page's neighbour headwards. */
	if (s->hand == &f->lru)
		s->hand = f->lru.next;
	list_del_init(&f->lru);
	if (!--s->nr)
		s->hand = NULL;
}

/*
 * Put the pages admitted since the last call at the head, in order,
 * unvisited: the fault's reference, or a page read ahead's first use, is
 * its insertion.
 */
static void sieve_drain(struct sieve_state *s)
{
	struct swaplab_frame *f;

	list_for_each_entry(f, &s->pending, lru) {
		struct sieve_frame *p = sieve_priv(f);

		if (swaplab_frame_test_clear_referenced(f))
			p->readahead = 0;
		p->pending = 0;
		s->nr++;
	}
	list_splice_tail_init(&s->pending, &s->queue);
}

static struct swaplab_frame *sieve_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct sieve_state *s = state;
	struct swaplab_frame *f;
	struct sieve_frame *p;
	unsigned long steps;
	bool visited;

	sieve_drain(s);
	if (!s->nr)
		return NULL;
	for (steps = 0; ; steps++) {
		if (!s->hand) {
			s->hand = s->queue.next;
		} else if (s->hand == &s->queue) {
			/* Past the head: back to the tail, a lap done. */
			s->hand = s->queue.next;
			if (ctx->may_rescan)
				return SWAPLAB_VICTIM_RESCAN;
		}
		f = list_entry(s->hand, struct swaplab_frame, lru);
		p = sieve_priv(f);
		visited = swaplab_frame_test_clear_referenced(f);
		if (p->readahead) {
			/* A first use seen now is its insertion. */
			if (visited)
				p->readahead = 0;
			return f;
		}
		if (!visited || steps > 2 * s->nr)
			return f;
		s->hand = s->hand->next;
	}
}

struct swaplab_policy_ops swaplab_policy_sieve = {
	.admit		= sieve_admit,
	.remove		= sieve_remove,
	.victim		= sieve_victim,
	.init		= sieve_init,
	.state_size	= sizeof(struct sieve_state),
	.name		= "sieve",
};
