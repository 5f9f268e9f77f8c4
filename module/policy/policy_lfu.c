// SPDX-License-Identifier: GPL-2.0
/*
 * LFU with dynamic aging, LFU-DA (Arlitt, Cherkasova, Dilley, Friedrich
 * and Jin, "Evaluating content management techniques for Web proxy
 * caches", ACM SIGMETRICS Performance Evaluation Review 27(4), 2000).
 *
 * Every page has a frequency count F and a key K = F + L, where L is the
 * cache's inflation factor: the key of the last page evicted. The page
 * with the smallest key is evicted, and a hit recomputes K with the
 * current L. A page that was popular long ago thus keeps the key it had
 * then, which L overtakes as evictions go on, unless it is used again:
 * that is the aging that plain LFU lacks (the paper's cost C_i is 1 for
 * every page, as every page costs one fault).
 *
 * Departures from the paper:
 *  - The policy does not see hits. F counts how many times the page's
 *    reference bit was found set: at every tick (the core harvests the
 *    hardware accessed bits first) and when victim() looks at a
 *    candidate. Several hits between two looks count once. The fault's
 *    own access sets the bit after admission, and is not counted twice:
 *    the first look after a fault only clears a "fresh" mark.
 *  - F saturates at the knob max_count (1 to 63, 15 by default), so that
 *    every key lies in [L, L + 63]: frames sit in 64 buckets by key, a
 *    ring indexed by K mod 64, and victim() is O(buckets), not O(frames).
 *    Ties go to the frame longest in its bucket. No value is the paper's
 *    unbounded count.
 *  - With the knob second_chance at 1, the default, a candidate found
 *    referenced in victim() is counted and its key recomputed, and the
 *    search goes on (a second chance, as in a clock), instead of being
 *    evicted on a count that missed its last uses. At 0 victim() evicts
 *    the frame with the smallest key without reading its bit, as the
 *    paper evicts the smallest key; bits are then counted at ticks only.
 *  - The paper forgets a document's count when it leaves the cache
 *    ("in-cache" frequency). Here evicted() returns F as the page's
 *    shadow record, and with the knob remember at 1, the default, a
 *    refault restarts from it, halved once for every budget's worth of
 *    evictions the page spent out of memory, plus one for the fault: a
 *    hot page that was pushed out comes back with most of its standing
 *    instead of as a newcomer. The refault counts as predicted when the
 *    remembered count is at least 2. At 0 a refault starts at F = 1, as
 *    a new page does and as in the paper.
 *  - A page read ahead starts with F = 0, the key L: it goes first unless
 *    used. A page back from reclaim keeps its count, its key raised to L
 *    if L has passed it.
 *
 * Knobs: max_count, remember and second_chance, above. None keeps state
 * of its own: a write applies from the next count, refault or victim()
 * on; a smaller max_count caps a count when its page is next found
 * referenced or refaults.
 */
#include "api/policy.h"

enum { LFU_MAX_COUNT, LFU_REMEMBER, LFU_SECOND_CHANCE };	/* the knobs */

#define LFU_BUCKETS	64	/* a power of two, above the largest count */

/* A frame's private area. */
struct lfu_frame {
	unsigned long key;	/* F + L when F last changed */
	unsigned char count;	/* F */
	bool fresh;		/* the reference bit is still the fault's */
};

struct lfu_state {
	struct list_head bucket[LFU_BUCKETS];	/* by key mod LFU_BUCKETS */
	struct list_head next[LFU_BUCKETS];	/* tick's scratch */
	unsigned long inflation;		/* L */
	unsigned long nr;			/* frames held */
};

static struct lfu_frame *lfu_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct lfu_frame);
}

static struct list_head *lfu_bucket(struct lfu_state *s, unsigned long key)
{
	return &s->bucket[key & (LFU_BUCKETS - 1)];
}

static int lfu_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct lfu_state *s = state;
	int i;

	for (i = 0; i < LFU_BUCKETS; i++) {
		INIT_LIST_HEAD(&s->bucket[i]);
		INIT_LIST_HEAD(&s->next[i]);
	}
	return 0;
}

/*
 * Look at a frame's reference bit: if set (and not the fault's own), count
 * it and recompute the key with the current L. Return true if the key
 * changed, so that the caller moves the frame.
 */
static bool lfu_sample(struct lfu_state *s, struct swaplab_frame *f,
		       const struct swaplab_policy_ctx *ctx)
{
	struct lfu_frame *l = lfu_priv(f);
	unsigned int max = ctx->knob[LFU_MAX_COUNT];

	if (!swaplab_frame_test_clear_referenced(f)) {
		l->fresh = false;
		return false;
	}
	if (l->fresh)
		l->fresh = false;
	else if (l->count < max)
		l->count++;
	if (l->count > max)
		l->count = max;
	l->key = s->inflation + l->count;
	return true;
}

static void lfu_admit(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx)
{
	struct lfu_state *s = state;
	struct lfu_frame *l = lfu_priv(f);
	unsigned int max = ctx->knob[LFU_MAX_COUNT];
	unsigned int rec, halvings;

	switch (why) {
	case SWAPLAB_ADMIT_RETURN:
		if (l->key < s->inflation)
			l->key = s->inflation;
		break;
	case SWAPLAB_ADMIT_READAHEAD:
		l->count = 0;
		l->fresh = false;
		l->key = s->inflation;
		break;
	case SWAPLAB_ADMIT_REFAULT:
		rec = ctx->knob[LFU_REMEMBER] ? ctx->refault->record : 0;
		halvings = ctx->refault->distance / ctx->nr_frames;
		rec = halvings < 8 ? rec >> halvings : 0;
		if (rec >= 2)
			ctx->predicted = true;
		l->count = min(rec + 1, max);
		l->fresh = true;
		l->key = s->inflation + l->count;
		break;
	default:	/* new, or the policy was just selected */
		l->count = 1;
		l->fresh = true;
		l->key = s->inflation + 1;
		break;
	}
	list_add_tail(&f->lru, lfu_bucket(s, l->key));
	s->nr++;
}

static void lfu_remove(void *state, struct swaplab_frame *f)
{
	struct lfu_state *s = state;

	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *lfu_victim(void *state,
					struct swaplab_policy_ctx *ctx)
{
	struct lfu_state *s = state;
	unsigned long b, steps = 0;
	struct swaplab_frame *f;

	if (!s->nr)
		return NULL;
	/* Keys lie in [L, L + LFU_BUCKETS): the smallest is found first. */
	for (b = 0; b < LFU_BUCKETS; b++) {
		struct list_head *head = lfu_bucket(s, s->inflation + b);

		while (!list_empty(head)) {
			f = list_first_entry(head, struct swaplab_frame, lru);
			/*
			 * Each look clears a bit, so two looks a frame end
			 * it; the bound is for bits set meanwhile.
			 */
			if (!ctx->knob[LFU_SECOND_CHANCE] ||
			    steps++ > 2 * s->nr || !lfu_sample(s, f, ctx)) {
				s->inflation = lfu_priv(f)->key;
				return f;
			}
			list_move_tail(&f->lru, lfu_bucket(s, lfu_priv(f)->key));
			/* A smaller max_count can lower a key: look again. */
			if (lfu_priv(f)->key - s->inflation < b) {
				b = lfu_priv(f)->key - s->inflation;
				head = lfu_bucket(s, s->inflation + b);
			}
		}
	}
	return NULL;	/* not reached: s->nr frames are in the buckets */
}

static unsigned int lfu_evicted(void *state, struct swaplab_frame *f,
				const struct swaplab_policy_ctx *ctx)
{
	return lfu_priv(f)->count;
}

/* Count every frame whose bit the core has just harvested as set. */
static void lfu_tick(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct lfu_state *s = state;
	struct swaplab_frame *f, *tmp;
	int i;

	for (i = 0; i < LFU_BUCKETS; i++)
		list_for_each_entry_safe(f, tmp, &s->bucket[i], lru)
			if (lfu_sample(s, f, ctx))
				list_move_tail(&f->lru,
					       &s->next[lfu_priv(f)->key &
							(LFU_BUCKETS - 1)]);
	for (i = 0; i < LFU_BUCKETS; i++)
		list_splice_tail_init(&s->next[i], &s->bucket[i]);
}

struct swaplab_policy_ops swaplab_policy_lfu = {
	.admit		= lfu_admit,
	.remove		= lfu_remove,
	.victim		= lfu_victim,
	.evicted	= lfu_evicted,
	.tick		= lfu_tick,
	.init		= lfu_init,
	.state_size	= sizeof(struct lfu_state),
	.knobs		= {
		[LFU_MAX_COUNT] = { .name = "max_count", .min = 1,
				    .max = LFU_BUCKETS - 1, .def = 15 },
		[LFU_REMEMBER] = { .name = "remember", .min = 0, .max = 1,
				   .def = 1 },
		[LFU_SECOND_CHANCE] = { .name = "second_chance", .min = 0,
					.max = 1, .def = 1 },
	},
	.name		= "lfu",
	.flags		= SWAPLAB_POLICY_TICK,
};
