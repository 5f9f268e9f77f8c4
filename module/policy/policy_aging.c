// SPDX-License-Identifier: GPL-2.0
/*
 * Aging, the software approximation of LRU (Tanenbaum, Modern Operating
 * Systems, 3.4.7): every page has a counter as wide as the knob bits. On
 * every tick each counter is shifted right and the page's reference bit
 * is added at the leftmost position, then the bit is cleared. The page
 * with the smallest counter is evicted.
 *
 * Departures: a newly faulted page starts with its counter's top bit set,
 * as if the fault's reference had been shifted in at the last tick, and
 * the bit it came with is cleared (a page read ahead, unreferenced,
 * starts at zero). With the knob fault_top at 0 it starts at zero, as in
 * the book, its bit left set for the next tick to shift in, which makes
 * it the first victim until then: a working set that moves (the shift
 * workload) then faults 2.2x as often as exact LRU in the simulator,
 * against 1.06x with the top bit; zipf, loop and hotcold stay within
 * 1.01x of LRU. Frames are kept in one bucket per counter value (so bits
 * is at most 8), which makes finding the smallest O(buckets), and ties
 * are broken oldest-in-bucket first.
 *
 * Knobs: bits, the counter's width, 1 to 8 (default 8); fault_top, 1 (the
 * default) to start a faulted page at the top bit, 0 at zero. Either
 * may change at any time: a counter is masked to the width at the next
 * tick, and fault_top is read at each admission.
 */
#include "api/policy.h"

enum {
	AGING_BITS,		/* the counter's width, 1 to 8 */
	AGING_FAULT_TOP,	/* a faulted page starts at the top bit */
};

#define AGING_BUCKETS	256

struct aging_state {
	struct list_head bucket[AGING_BUCKETS];	/* by counter value */
	struct list_head next[AGING_BUCKETS];	/* tick's scratch */
};

static int aging_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct aging_state *s = state;
	int i;

	for (i = 0; i < AGING_BUCKETS; i++) {
		INIT_LIST_HEAD(&s->bucket[i]);
		INIT_LIST_HEAD(&s->next[i]);
	}
	return 0;
}

static void aging_admit(void *state, struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			struct swaplab_policy_ctx *ctx)
{
	struct aging_state *s = state;
	unsigned long *counter = swaplab_frame_priv(f, unsigned long);
	unsigned long top = 1UL << (ctx->knob[AGING_BITS] - 1);

	/*
	 * A fault is a reference: with fault_top, count it as if shifted
	 * in already, and clear the bit it came with. The faulting access,
	 * restarted once the page is mapped, sets the bit again, and the
	 * next tick counts it as any access of that interval. Without, the
	 * page starts at zero, as in the book, and its bit waits for the
	 * next tick. A page read ahead comes in unreferenced and starts at
	 * zero; one back from reclaim keeps its counter.
	 */
	if (why != SWAPLAB_ADMIT_RETURN)
		*counter = ctx->knob[AGING_FAULT_TOP] &&
			   swaplab_frame_test_clear_referenced(f) ? top : 0;
	list_add_tail(&f->lru, &s->bucket[*counter]);
}

static void aging_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
}

static struct swaplab_frame *aging_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct aging_state *s = state;
	int i;

	for (i = 0; i < AGING_BUCKETS; i++)
		if (!list_empty(&s->bucket[i]))
			return list_first_entry(&s->bucket[i],
						struct swaplab_frame, lru);
	return NULL;
}

static void aging_tick(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct aging_state *s = state;
	unsigned long top = 1UL << (ctx->knob[AGING_BITS] - 1);
	unsigned long mask = (top << 1) - 1;
	struct swaplab_frame *f, *tmp;
	int i;

	for (i = 0; i < AGING_BUCKETS; i++) {
		list_for_each_entry_safe(f, tmp, &s->bucket[i], lru) {
			unsigned long *counter =
				swaplab_frame_priv(f, unsigned long);
			unsigned long c = (*counter & mask) >> 1;

			if (swaplab_frame_test_clear_referenced(f))
				c |= top;
			*counter = c;
			list_move_tail(&f->lru, &s->next[c]);
		}
	}
	for (i = 0; i < AGING_BUCKETS; i++)
		list_splice_tail_init(&s->next[i], &s->bucket[i]);
}

struct swaplab_policy_ops swaplab_policy_aging = {
	.admit		= aging_admit,
	.remove		= aging_remove,
	.victim		= aging_victim,
	.tick		= aging_tick,
	.init		= aging_init,
	.state_size	= sizeof(struct aging_state),
	.knobs		= {
		[AGING_BITS] = { .name = "bits", .min = 1, .max = 8,
				 .def = 8 },
		[AGING_FAULT_TOP] = { .name = "fault_top", .min = 0,
				      .max = 1, .def = 1 },
	},
	.name		= "aging",
	.flags		= SWAPLAB_POLICY_TICK | SWAPLAB_POLICY_REFS_AT_TICK,
};
