// SPDX-License-Identifier: GPL-2.0
/*
 * WSClock (Carr and Hennessy, 1981; Tanenbaum, Modern Operating Systems,
 * 3.4.9): clock over the working set. Each frame remembers when it was
 * last seen referenced. The hand clears and passes referenced frames,
 * stamping them with the current time, and evicts the first frame not
 * referenced for longer than tau (wsclock_tau_ms).
 *
 * Departures: time is wall-clock milliseconds, not each process's virtual
 * time (pages are shared between processes). The core writes dirty
 * victims itself, in batches, so the hand does not schedule writes and
 * pass on; and when a whole lap finds no page older than tau, the oldest
 * page seen is evicted rather than any clean one.
 */
#include "policy.h"

struct wsclock_state {
	struct list_head ring;
	struct list_head *hand;		/* next to examine; &ring when empty */
	unsigned long nr;
};

static int wsclock_init(void *state)
{
	struct wsclock_state *s = state;

	INIT_LIST_HEAD(&s->ring);
	s->hand = &s->ring;
	return 0;
}

static void wsclock_admit(void *state, struct swaplab_frame *f,
			  const struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;

	f->pdata[0] = ctx->now_ms;
	list_add_tail(&f->lru, s->hand);
	s->nr++;
}

static void wsclock_forget(void *state, struct swaplab_frame *f)
{
	struct wsclock_state *s = state;

	if (s->hand == &f->lru)
		s->hand = f->lru.next;
	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *wsclock_victim(void *state,
					    const struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;
	struct swaplab_frame *f, *oldest = NULL;
	unsigned long steps;

	for (steps = 0; steps < s->nr; steps++) {
		if (s->hand == &s->ring) {
			s->hand = s->ring.next;
			if (ctx->refresh)
				ctx->refresh();
		}
		f = list_entry(s->hand, struct swaplab_frame, lru);
		if (swaplab_frame_test_clear_referenced(f)) {
			f->pdata[0] = ctx->now_ms;
		} else {
			if (ctx->now_ms - f->pdata[0] > ctx->tau_ms)
				return f;
			if (!oldest || f->pdata[0] < oldest->pdata[0])
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
	.forget		= wsclock_forget,
	.victim		= wsclock_victim,
	.init		= wsclock_init,
	.state_size	= sizeof(struct wsclock_state),
	.name		= "wsclock",
};
