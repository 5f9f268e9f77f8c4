// SPDX-License-Identifier: GPL-2.0
/*
 * WSClock (Carr and Hennessy, 1981; Tanenbaum, Modern Operating Systems,
 * 3.4.9): clock over the working set. Each frame remembers when it was
 * last seen referenced. The hand clears and passes referenced frames,
 * stamping them with the current time, and evicts the first frame not
 * referenced for longer than tau (the knob tau_ms).
 *
 * Departures: time is wall-clock microseconds, not each process's virtual
 * time (pages are shared between processes). The core writes dirty
 * victims itself, in batches, so the hand does not schedule writes and
 * pass on; and when a whole lap finds no page older than tau, the oldest
 * page seen is evicted rather than any clean one. At the end of each lap
 * the hand asks for the reference bits afresh (%SWAPLAB_VICTIM_RESCAN,
 * as many times as the core allows a batch), and the search starts over
 * from the ring's start, with a new lap and no oldest page seen. A frame
 * reclaim could not evict keeps the time it was last seen used.
 */
#include "policy.h"

enum { WSCLOCK_TAU_MS };	/* the knob: the working-set window */

struct wsclock_state {
	struct list_head ring;
	struct list_head *hand;		/* next to examine; &ring when empty */
	unsigned long nr;
};

/* The time the frame was last seen referenced, in microseconds. */
static u64 *wsclock_last(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, u64);
}

static int wsclock_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;

	INIT_LIST_HEAD(&s->ring);
	s->hand = &s->ring;
	return 0;
}

static void wsclock_admit(void *state, struct swaplab_frame *f,
			  enum swaplab_admit_reason why,
			  struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;

	if (why != SWAPLAB_ADMIT_RETURN)
		*wsclock_last(f) = ctx->now_us;
	list_add_tail(&f->lru, s->hand);
	s->nr++;
}

static void wsclock_remove(void *state, struct swaplab_frame *f)
{
	struct wsclock_state *s = state;

	if (s->hand == &f->lru)
		s->hand = f->lru.next;
	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *wsclock_victim(void *state,
					    struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;
	struct swaplab_frame *f, *oldest = NULL;
	unsigned long steps;

	for (steps = 0; steps < s->nr; steps++) {
		if (s->hand == &s->ring) {
			s->hand = s->ring.next;
			/* A lap done: have the bits refreshed, then go on. */
			if (ctx->may_rescan)
				return SWAPLAB_VICTIM_RESCAN;
		}
		f = list_entry(s->hand, struct swaplab_frame, lru);
		if (swaplab_frame_test_clear_referenced(f)) {
			*wsclock_last(f) = ctx->now_us;
		} else {
			if (ctx->now_us - *wsclock_last(f) >
			    ctx->knob[WSCLOCK_TAU_MS] * 1000ULL)
				return f;
			if (!oldest || *wsclock_last(f) < *wsclock_last(oldest))
				oldest = f;
		}
		s->hand = s->hand->next;
	}
	if (oldest)
		return oldest;
	/* Every frame was referenced this lap: take the one at the hand. */
	if (s->hand == &s->ring)
		s->hand = s->ring.next;
	return s->nr ? list_entry(s->hand, struct swaplab_frame, lru) : NULL;
}

struct swaplab_policy_ops swaplab_policy_wsclock = {
	.admit		= wsclock_admit,
	.remove		= wsclock_remove,
	.victim		= wsclock_victim,
	.init		= wsclock_init,
	.state_size	= sizeof(struct wsclock_state),
	.knobs		= {
		[WSCLOCK_TAU_MS] = { .name = "tau_ms", .min = 1,
				     .max = 3600000, .def = 1000 },
	},
	.name		= "wsclock",
};
