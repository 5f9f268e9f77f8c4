// SPDX-License-Identifier: GPL-2.0
/*
 * S3-FIFO (Juncheng Yang, Yazhuo Zhang, Ziyue Qiu, Yao Yue and Rashmi
 * Vinayak, "FIFO queues are all you need for cache eviction", SOSP 2023):
 * three FIFO queues. A new page enters a small queue S (10% of memory);
 * one that has been used again by the time it reaches the tail of S moves
 * to the main queue M, the others leave memory and their ids enter the
 * ghost queue G. A page that faults again while its id is in G goes
 * straight to M. M is a FIFO with reinsertion: each page has a frequency
 * counter of two bits, raised on use; the page at the tail of M is put
 * back at its head with the counter lowered by one if it is not zero, and
 * evicted if it is. Most pages are used once in a short window: S drops
 * them quickly, so a one-time scan passes through S and G and never
 * reaches M.
 *
 * Eviction takes from M when M is over its share of memory (or S is
 * empty), else from S, as the authors' code for the paper does.
 *
 * Departures from the paper:
 *  - Use is the frame's reference bit, "accessed since last looked": the
 *    hardware accessed bits that the core harvests before each batch of
 *    victims, not a count of hits. The counter is raised by one (up to 3)
 *    when the bit is consumed, that is when the page reaches the tail of
 *    S or M and, if tick_refs is on, at each aging tick (the core's
 *    aging_interval_ms, or a reclaim after an eighth of memory has faulted
 *    in). Without ticks a page is seen once a pass, so the counter of a
 *    page in M never climbs above what it had when it entered M and M is
 *    one-bit CLOCK; with them it counts the ticks in which the page was
 *    used, up to 3, as the paper's counts hits.
 *  - A page moves from S to M when its counter is at least the knob
 *    move_uses (1 to 3): at 1, the default, once it has been used after
 *    its insertion, the threshold the authors' blog post illustrates; at
 *    2, once used more than once, as the paper's pseudocode and the code
 *    its results came from ask, which only tick_refs lets a page reach
 *    (without ticks its bit is read once in S, at the tail). Its counter
 *    starts again at 0 in M, as in that code, with the knob move_keeps
 *    at 0, the default; at 1 it keeps its count there, as the paper's
 *    pseudocode does.
 *  - The fault that brings a page in sets its reference bit too (the
 *    access restarts once the page is mapped), where the paper inserts at
 *    frequency 0. So a new page waits on a pending list until the next
 *    victim() call (or tick, with tick_refs), which clears its bit (the
 *    fault's reference) and only then puts it in S, or in M: a use
 *    between the fault and then is lost, as one bit cannot tell one
 *    reference from two.
 *  - G is not a list: the core keeps each evicted page's record in its
 *    shadow entry. evicted() returns, for a page dropped from S, a stamp
 *    of G's insertion clock (ids entered so far), in quanta of 1/64 of
 *    G's capacity (one id while it is 64 or less), modulo 254; a page
 *    dropped from M gets no record, as in the paper. G's capacity is the
 *    knob ghost_pct of memory: 90, the size of M, as in the paper. At the
 *    refault the page's id is still in G if at most capacity - 1 ids
 *    entered after it, counting those of the reclaim that made room for
 *    the page, as the paper evicts before it looks in G: G's FIFO order,
 *    exact to one quantum. The core's refault distance (evictions from
 *    memory since) bounds how many ids entered, which resolves the
 *    modulo; when it is too large to (253 quanta or more), the id is
 *    taken to have left G. A hit in G does not take the id out, so the
 *    ids in G with it leave one insertion sooner than in the paper. A
 *    resize changes the quantum.
 *  - A page read ahead comes in unreferenced, at counter 0. Its first use
 *    counts as its insertion, not as a hit, and one dropped from S unused
 *    leaves no record: it was never referenced.
 *  - Reclaim takes victims in batches: victim() names a page and the core
 *    takes it out; a page the core could not evict goes back to the head
 *    of its queue with its counter. Each time as many pages have been
 *    passed over (moved to M or reinserted) as there are in memory,
 *    victim() answers %SWAPLAB_VICTIM_RESCAN if allowed, so that the bits
 *    it reads are fresh. One call that has passed over four times as many
 *    pages as there are in memory evicts the page at the tail whatever
 *    its counter (faults may set bits meanwhile).
 *  - When the policy is selected, the resident pages enter M in the order
 *    they were admitted, at counter 0, with the reference bits they have.
 *  - small_pct sets S's share of memory (10 in the paper), at least one
 *    frame.
 *
 * Knobs: small_pct, ghost_pct, tick_refs, move_uses and move_keeps,
 * above. move_uses and move_keeps keep no state: a write applies from the
 * next page at S's tail on.
 */
#include "api/policy.h"

enum {	/* the knobs */
	S3FIFO_SMALL_PCT,
	S3FIFO_GHOST_PCT,
	S3FIFO_TICK_REFS,
	S3FIFO_MOVE_USES,
	S3FIFO_MOVE_KEEPS,
};

#define S3FIFO_FREQ_MAX		3

enum { S3FIFO_SMALL, S3FIFO_MAIN };

struct s3fifo_frame {
	unsigned char queue;		/* S3FIFO_SMALL or S3FIFO_MAIN */
	unsigned char freq;		/* 0 to S3FIFO_FREQ_MAX */
	unsigned char pending;		/* not yet in @queue */
	unsigned char readahead;	/* read ahead, first use not seen */
	unsigned char ghost;		/* a victim from S, for G */
};

struct s3fifo_state {
	struct list_head small;		/* S, oldest first */
	struct list_head main;		/* M, oldest first */
	struct list_head pending;	/* admitted since the last victim() */
	unsigned long nr_small;		/* in S, or pending for it */
	unsigned long nr_main;		/* in M, or pending for it */
	unsigned long passed;		/* passed over since the last rescan */
	struct swaplab_ghost_clock ghost;	/* G, as a clock */
};

static struct s3fifo_frame *s3fifo_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct s3fifo_frame);
}

static int s3fifo_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct s3fifo_state *s = state;

	INIT_LIST_HEAD(&s->small);
	INIT_LIST_HEAD(&s->main);
	INIT_LIST_HEAD(&s->pending);
	return 0;
}

/* G's capacity in pages. */
static unsigned long s3fifo_ghost_size(const struct swaplab_policy_ctx *ctx)
{
	return ctx->nr_frames * ctx->knob[S3FIFO_GHOST_PCT] / 100;
}

static void s3fifo_admit(void *state, struct swaplab_frame *f,
			 enum swaplab_admit_reason why,
			 struct swaplab_policy_ctx *ctx)
{
	struct s3fifo_state *s = state;
	struct s3fifo_frame *p = s3fifo_priv(f);

	p->ghost = 0;
	if (why == SWAPLAB_ADMIT_SWITCH) {
		p->queue = S3FIFO_MAIN;
		list_add_tail(&f->lru, &s->main);
		s->nr_main++;
		return;
	}
	if (why == SWAPLAB_ADMIT_RETURN && !p->pending) {
		list_add_tail(&f->lru, p->queue == S3FIFO_MAIN ? &s->main :
								 &s->small);
	} else {
		if (why != SWAPLAB_ADMIT_RETURN) {
			p->queue = S3FIFO_SMALL;
			if (why == SWAPLAB_ADMIT_REFAULT &&
			    swaplab_ghost_holds(&s->ghost,
						s3fifo_ghost_size(ctx),
						ctx->refault)) {
				p->queue = S3FIFO_MAIN;
				ctx->predicted = true;
			}
			p->readahead = why == SWAPLAB_ADMIT_READAHEAD;
			p->pending = 1;
		}
		list_add_tail(&f->lru, &s->pending);
	}
	if (p->queue == S3FIFO_MAIN)
		s->nr_main++;
	else
		s->nr_small++;
}

static void s3fifo_remove(void *state, struct swaplab_frame *f)
{
	struct s3fifo_state *s = state;
	struct s3fifo_frame *p = s3fifo_priv(f);

	list_del_init(&f->lru);
	if (p->queue == S3FIFO_MAIN)
		s->nr_main--;
	else
		s->nr_small--;
}

/* Consume @f's reference bit into its counter. */
static void s3fifo_look(struct swaplab_frame *f)
{
	struct s3fifo_frame *p = s3fifo_priv(f);

	if (!swaplab_frame_test_clear_referenced(f))
		return;
	if (p->readahead)
		p->readahead = 0;	/* its first use: its insertion */
	else if (p->freq < S3FIFO_FREQ_MAX)
		p->freq++;
}

/*
 * Put the pages admitted since the last call in their queues, in order, at
 * counter 0: the fault's reference, or a page read ahead's first use, is
 * the insertion.
 */
static void s3fifo_drain(struct s3fifo_state *s)
{
	struct swaplab_frame *f, *tmp;

	list_for_each_entry_safe(f, tmp, &s->pending, lru) {
		struct s3fifo_frame *p = s3fifo_priv(f);

		if (swaplab_frame_test_clear_referenced(f))
			p->readahead = 0;
		p->pending = 0;
		list_move_tail(&f->lru, p->queue == S3FIFO_MAIN ? &s->main :
								  &s->small);
	}
}

static struct swaplab_frame *s3fifo_victim(void *state,
					   struct swaplab_policy_ctx *ctx)
{
	struct s3fifo_state *s = state;
	unsigned long small = ctx->nr_frames * ctx->knob[S3FIFO_SMALL_PCT] / 100;
	unsigned long main, total, steps;
	struct swaplab_frame *f;
	struct s3fifo_frame *p;

	s3fifo_drain(s);
	if (!small)
		small = 1;
	main = ctx->nr_frames > small ? ctx->nr_frames - small : 0;
	total = s->nr_small + s->nr_main;
	if (!total)
		return NULL;
	for (steps = 0; ; steps++) {
		bool force = steps > 4 * total;

		/* A lap's worth passed over: have the bits refreshed. */
		if (s->passed >= total && ctx->may_rescan) {
			s->passed = 0;
			return SWAPLAB_VICTIM_RESCAN;
		}
		if (s->nr_small && (s->nr_main <= main || !s->nr_main)) {
			f = list_first_entry(&s->small, struct swaplab_frame,
					     lru);
			p = s3fifo_priv(f);
			s3fifo_look(f);
			if (p->freq < ctx->knob[S3FIFO_MOVE_USES] || force) {
				/* Out, into G unless it was never used. */
				p->ghost = !p->readahead;
				return f;
			}
			if (!ctx->knob[S3FIFO_MOVE_KEEPS])
				p->freq = 0;
			p->queue = S3FIFO_MAIN;
			list_move_tail(&f->lru, &s->main);
			s->nr_small--;
			s->nr_main++;
		} else {
			f = list_first_entry(&s->main, struct swaplab_frame,
					     lru);
			p = s3fifo_priv(f);
			s3fifo_look(f);
			if (!p->freq || force)
				return f;
			p->freq--;
			list_move_tail(&f->lru, &s->main);
		}
		s->passed++;
	}
}

/* A page dropped from S enters G: its record is G's clock, stamped. */
static unsigned int s3fifo_evicted(void *state, struct swaplab_frame *f,
				   const struct swaplab_policy_ctx *ctx)
{
	struct s3fifo_state *s = state;
	struct s3fifo_frame *p = s3fifo_priv(f);
	unsigned long size = s3fifo_ghost_size(ctx);

	if (!p->ghost || !size)
		return 0;
	p->ghost = 0;
	return swaplab_ghost_enter(&s->ghost, size);
}

/*
 * With tick_refs: count the ticks in which each page was used. The core
 * harvested the bits just before, so the pending pages' bits hold their
 * faults' references: they join their queues now, and the core then
 * hands s3fifo_tick_referenced() each page whose bit is still set.
 */
static void s3fifo_tick(void *state, const struct swaplab_policy_ctx *ctx)
{
	if (ctx->knob[S3FIFO_TICK_REFS])
		s3fifo_drain(state);
}

/*
 * What a tick does to a page depends on its bit alone: the core visits
 * the pages whose bit is set, not every one in S and M.
 */
static void s3fifo_tick_referenced(void *state, struct swaplab_frame *f,
				   const struct swaplab_policy_ctx *ctx)
{
	if (ctx->knob[S3FIFO_TICK_REFS])
		s3fifo_look(f);
}

struct swaplab_policy_ops swaplab_policy_s3fifo = {
	.admit		= s3fifo_admit,
	.remove		= s3fifo_remove,
	.victim		= s3fifo_victim,
	.evicted	= s3fifo_evicted,
	.tick		= s3fifo_tick,
	.tick_referenced = s3fifo_tick_referenced,
	.init		= s3fifo_init,
	.state_size	= sizeof(struct s3fifo_state),
	.knobs		= {
		[S3FIFO_SMALL_PCT] = { .name = "small_pct", .min = 1,
				       .max = 50, .def = 10 },
		[S3FIFO_GHOST_PCT] = { .name = "ghost_pct", .min = 0,
				       .max = 400, .def = 90 },
		[S3FIFO_TICK_REFS] = { .name = "tick_refs", .min = 0,
				       .max = 1, .def = 1 },
		[S3FIFO_MOVE_USES] = { .name = "move_uses", .min = 1,
				       .max = S3FIFO_FREQ_MAX, .def = 1 },
		[S3FIFO_MOVE_KEEPS] = { .name = "move_keeps", .min = 0,
					.max = 1, .def = 0 },
	},
	.name		= "s3fifo",
	.flags		= SWAPLAB_POLICY_TICK,
};
