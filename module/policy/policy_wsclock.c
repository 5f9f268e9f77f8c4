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
 * pass on. The core harvests the reference bits only before a batch, so
 * the hand asks for them afresh each time it reaches the ring's start
 * (%SWAPLAB_VICTIM_RESCAN), as many times as the core allows a batch,
 * and after that passes the start. A frame reclaim could not evict keeps
 * the time it was last seen used.
 *
 * Two departures are design choices, each a knob that is 1 by default:
 *  - lap_oldest: a lap that finds no page older than tau evicts the
 *    oldest page it saw unreferenced. At 0 it evicts the page at the
 *    hand, where the lap began: the paper's claim of any clean page.
 *  - lap_restart: after each refresh of the bits the search starts over
 *    from the ring's start, with a new lap and no oldest page seen. At 0
 *    it goes on where it was, so that a search is one lap from where the
 *    hand stood, as in the paper, the refresh bringing the bits of the
 *    rest of that lap up to date.
 *
 * Knobs: tau_ms, tau in milliseconds (default 1000); lap_oldest and
 * lap_restart, 0 or 1 (default 1). Each may change at any time: a search
 * reads them as it starts, and one that asked for a refresh goes on
 * after it only if lap_restart is still 0.
 */
#include "api/policy.h"

enum {
	WSCLOCK_TAU_MS,		/* the working-set window */
	WSCLOCK_LAP_OLDEST,	/* a fruitless lap evicts the oldest seen */
	WSCLOCK_LAP_RESTART,	/* a refresh of the bits starts a new lap */
};

/*
 * @left and @oldest: without lap_restart, a search that asked for a
 * refresh, to go on with: the steps of its lap still to go (0: none) and
 * the oldest frame it saw unreferenced, if any.
 */
struct wsclock_state {
	struct list_head ring;
	struct list_head *hand;		/* next to examine; &ring when empty */
	unsigned long nr;
	unsigned long left;
	struct swaplab_frame *oldest;
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
	if (s->oldest == f)
		s->oldest = NULL;
	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *wsclock_victim(void *state,
					    struct swaplab_policy_ctx *ctx)
{
	struct wsclock_state *s = state;
	bool restart = ctx->knob[WSCLOCK_LAP_RESTART];
	struct swaplab_frame *f, *oldest = NULL;
	unsigned long steps = s->nr;

	/* A search that asked for a refresh goes on, if still wanted. */
	if (s->left && !restart) {
		steps = min(s->left, s->nr);
		oldest = s->oldest;
	}
	s->left = 0;
	s->oldest = NULL;
	for (; steps; steps--) {
		if (s->hand == &s->ring) {
			s->hand = s->ring.next;
			/* At the ring's start: have the bits refreshed. */
			if (ctx->may_rescan) {
				if (!restart) {
					s->left = steps;
					s->oldest = oldest;
				}
				return SWAPLAB_VICTIM_RESCAN;
			}
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
	if (oldest && ctx->knob[WSCLOCK_LAP_OLDEST])
		return oldest;
	/*
	 * No page older than tau: take the one at the hand, where the lap
	 * began.
	 */
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
		[WSCLOCK_LAP_OLDEST] = { .name = "lap_oldest", .min = 0,
					 .max = 1, .def = 1 },
		[WSCLOCK_LAP_RESTART] = { .name = "lap_restart", .min = 0,
					  .max = 1, .def = 1 },
	},
	.name		= "wsclock",
};
