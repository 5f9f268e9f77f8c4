// SPDX-License-Identifier: GPL-2.0
/*
 * Clock (second chance): frames sit on a ring with a hand. The hand
 * passes over a referenced frame, clearing its bit, and evicts the first
 * frame it finds unreferenced. A new frame goes just behind the hand, so
 * it is the last the hand reaches (Tanenbaum, Modern Operating Systems,
 * 3.4.5). The reference bit is the page's hardware accessed bit, which
 * the core harvests from every PTE that maps the page before it asks for
 * victims, and again whenever the hand completes a lap (hardware would
 * have set it again by then): the hand answers %SWAPLAB_VICTIM_RESCAN.
 * A frame that comes back from reclaim goes behind the hand, as a new one.
 *
 * Departure from the textbook's model, which simulators such as
 * libCacheSim follow: a new frame is not admitted unreferenced. The
 * access that faulted it in sets its accessed bit, as hardware does, so
 * its first pass of the hand gives it a second chance. A simulator that
 * sees every reference twice gives this policy's counts.
 */
#include "api/policy.h"

struct clock_state {
	struct list_head ring;
	struct list_head *hand;		/* next to examine; &ring when empty */
	unsigned long nr;
};

static int clock_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct clock_state *s = state;

	INIT_LIST_HEAD(&s->ring);
	s->hand = &s->ring;
	return 0;
}

static void clock_admit(void *state, struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			struct swaplab_policy_ctx *ctx)
{
	struct clock_state *s = state;

	list_add_tail(&f->lru, s->hand);
	s->nr++;
}

static void clock_remove(void *state, struct swaplab_frame *f)
{
	struct clock_state *s = state;

	if (s->hand == &f->lru)
		s->hand = f->lru.next;
	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *clock_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct clock_state *s = state;
	unsigned long steps;
	struct swaplab_frame *f;

	if (!s->nr)
		return NULL;
	/* Two laps clear every bit; the bound also covers bits set meanwhile. */
	for (steps = 0; ; steps++) {
		if (s->hand == &s->ring) {
			s->hand = s->ring.next;
			/* A lap done: have the bits refreshed, then go on. */
			if (ctx->may_rescan)
				return SWAPLAB_VICTIM_RESCAN;
		}
		f = list_entry(s->hand, struct swaplab_frame, lru);
		if (steps > 2 * s->nr || !swaplab_frame_test_clear_referenced(f))
			return f;
		s->hand = s->hand->next;
	}
}

struct swaplab_policy_ops swaplab_policy_clock = {
	.admit		= clock_admit,
	.remove		= clock_remove,
	.victim		= clock_victim,
	.init		= clock_init,
	.state_size	= sizeof(struct clock_state),
	.name		= "clock",
};
