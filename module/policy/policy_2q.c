// SPDX-License-Identifier: GPL-2.0
/*
 * 2Q, the full version (Theodore Johnson and Dennis Shasha, "2Q: A Low
 * Overhead High Performance Buffer Management Replacement Algorithm",
 * VLDB 1994): a page seen for the first time enters A1in, a FIFO of Kin
 * pages (25% of memory); references while it is there are taken to be
 * correlated and change nothing. When A1in holds more than Kin pages,
 * reclaim evicts its oldest and remembers the page's id in A1out, a FIFO
 * of Kout ids (50% of memory) that holds no data. A page that faults
 * while its id is in A1out has been used again after a while: it goes to
 * Am, the LRU list of hot pages, which reclaim takes from when A1in is
 * within Kin; a page evicted from Am is forgotten. A one-time scan goes
 * through A1in and A1out and never reaches Am.
 *
 * Departures from the paper:
 *  - Am is not an exact LRU list, as the module does not see each hit: it
 *    is CLOCK (second chance) over the frames' reference bits, the
 *    hardware accessed bits that the core harvests before each batch of
 *    victims. A page enters Am just behind the hand, with the reference
 *    bit of the fault that brought it in, as in the clock policy. When the
 *    hand completes a lap, victim() answers %SWAPLAB_VICTIM_RESCAN if
 *    allowed, so that the bits are fresh for the next one; past two laps
 *    it evicts the page at the hand whatever its bit.
 *  - A1out is not a list: the core keeps each evicted page's record in
 *    its shadow entry. evicted() returns, for a page evicted from A1in, a
 *    stamp of A1out's insertion clock (ids entered so far), in quanta of
 *    1/64 of Kout (one id while Kout is 64 or less), modulo 254; a page
 *    evicted from Am gets no record. At the refault its id is still in
 *    A1out if at most Kout - 1 ids entered after it: A1out's FIFO order,
 *    exact to one quantum. The test is made when the page is admitted,
 *    after the reclaim that made room for it, whose victim from A1in is
 *    one of those ids; the paper looks in A1out before that reclaim. The
 *    core's refault distance (evictions from memory since) bounds how
 *    many ids entered, which resolves the modulo; when it is too large to
 *    (253 quanta or more), the id is taken to have left. A hit in A1out
 *    does not take the id out, so the ids in A1out with it leave one
 *    insertion sooner than in the paper. A resize changes the quantum.
 *  - A page read ahead enters A1in like any other; if it is evicted from
 *    A1in without ever having been used, it leaves no record: it was
 *    never referenced.
 *  - Reclaim takes victims in batches: victim() names a page and the core
 *    takes it out; a page the core could not evict goes back to the
 *    newest end of A1in, or just behind Am's hand.
 *  - When the policy is selected, the resident pages enter Am in the
 *    order they were admitted, with the reference bits they have: 2Q
 *    would keep pages in use, and Am's clock finds them by their bits.
 *  - Kin and Kout are the knobs kin_pct and kout_pct, percentages of the
 *    frame budget (25 and 50, the paper's recommendation); Kin is at
 *    least one frame.
 */
#include "api/policy.h"

enum { TWOQ_KIN_PCT, TWOQ_KOUT_PCT };

enum { TWOQ_A1IN, TWOQ_AM };

struct twoq_frame {
	unsigned char list;		/* TWOQ_A1IN or TWOQ_AM */
	unsigned char readahead;	/* read ahead and not yet used */
	unsigned char out;		/* a victim from A1in, for A1out */
};

struct twoq_state {
	struct list_head a1in;		/* oldest first */
	struct list_head am;		/* Am's clock ring */
	/* Am's hand, next to examine; NULL: the first; &am: a lap done. */
	struct list_head *hand;
	unsigned long nr_in;
	unsigned long nr_am;
	struct swaplab_ghost_clock a1out;	/* A1out, as a clock */
};

static struct twoq_frame *twoq_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct twoq_frame);
}

static int twoq_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct twoq_state *s = state;

	INIT_LIST_HEAD(&s->a1in);
	INIT_LIST_HEAD(&s->am);
	s->hand = NULL;
	return 0;
}

/* Kout: A1out's capacity in ids. */
static unsigned long twoq_kout(const struct swaplab_policy_ctx *ctx)
{
	return ctx->nr_frames * ctx->knob[TWOQ_KOUT_PCT] / 100;
}

/* Put @f into Am just behind the hand: the last it reaches in this lap. */
static void twoq_am_add(struct twoq_state *s, struct swaplab_frame *f)
{
	twoq_priv(f)->list = TWOQ_AM;
	list_add_tail(&f->lru, s->hand ? s->hand : &s->am);
	s->nr_am++;
}

static void twoq_admit(void *state, struct swaplab_frame *f,
		       enum swaplab_admit_reason why,
		       struct swaplab_policy_ctx *ctx)
{
	struct twoq_state *s = state;
	struct twoq_frame *p = twoq_priv(f);

	p->out = 0;
	switch (why) {
	case SWAPLAB_ADMIT_SWITCH:
		twoq_am_add(s, f);
		return;
	case SWAPLAB_ADMIT_RETURN:
		if (p->list == TWOQ_AM) {
			twoq_am_add(s, f);
			return;
		}
		break;
	case SWAPLAB_ADMIT_REFAULT:
		if (swaplab_ghost_holds(&s->a1out, twoq_kout(ctx),
					ctx->refault)) {
			ctx->predicted = true;
			twoq_am_add(s, f);
			return;
		}
		break;
	case SWAPLAB_ADMIT_NEW:
		break;
	case SWAPLAB_ADMIT_READAHEAD:
		p->readahead = 1;
		break;
	}
	p->list = TWOQ_A1IN;
	list_add_tail(&f->lru, &s->a1in);
	s->nr_in++;
}

static void twoq_remove(void *state, struct swaplab_frame *f)
{
	struct twoq_state *s = state;

	if (twoq_priv(f)->list == TWOQ_A1IN) {
		list_del_init(&f->lru);
		s->nr_in--;
		return;
	}
	if (s->hand == &f->lru)
		s->hand = f->lru.next;
	list_del_init(&f->lru);
	if (!--s->nr_am)
		s->hand = NULL;
}

static struct swaplab_frame *twoq_victim(void *state,
					 struct swaplab_policy_ctx *ctx)
{
	struct twoq_state *s = state;
	unsigned long kin = ctx->nr_frames * ctx->knob[TWOQ_KIN_PCT] / 100;
	struct swaplab_frame *f;
	struct twoq_frame *p;
	unsigned long steps;

	if (!kin)
		kin = 1;
	if (s->nr_in && (s->nr_in > kin || !s->nr_am)) {
		f = list_first_entry(&s->a1in, struct swaplab_frame, lru);
		p = twoq_priv(f);
		/* Into A1out, unless it was read ahead and never used. */
		if (p->readahead && swaplab_frame_test_clear_referenced(f))
			p->readahead = 0;
		p->out = !p->readahead;
		return f;
	}
	if (!s->nr_am)
		return NULL;
	for (steps = 0; ; steps++) {
		if (!s->hand) {
			s->hand = s->am.next;
		} else if (s->hand == &s->am) {
			/* A lap done: have the bits refreshed, then go on. */
			s->hand = s->am.next;
			if (ctx->may_rescan)
				return SWAPLAB_VICTIM_RESCAN;
		}
		f = list_entry(s->hand, struct swaplab_frame, lru);
		if (!swaplab_frame_test_clear_referenced(f) ||
		    steps > 2 * s->nr_am)
			return f;
		s->hand = s->hand->next;
	}
}

/* A page evicted from A1in leaves its id in A1out: A1out's clock. */
static unsigned int twoq_evicted(void *state, struct swaplab_frame *f,
				 const struct swaplab_policy_ctx *ctx)
{
	struct twoq_state *s = state;
	struct twoq_frame *p = twoq_priv(f);
	unsigned long kout = twoq_kout(ctx);

	if (!p->out || !kout)
		return 0;
	p->out = 0;
	return swaplab_ghost_enter(&s->a1out, kout);
}

struct swaplab_policy_ops swaplab_policy_2q = {
	.admit		= twoq_admit,
	.remove		= twoq_remove,
	.victim		= twoq_victim,
	.evicted	= twoq_evicted,
	.init		= twoq_init,
	.state_size	= sizeof(struct twoq_state),
	.knobs		= {
		[TWOQ_KIN_PCT] = { .name = "kin_pct", .min = 1, .max = 90,
				   .def = 25 },
		[TWOQ_KOUT_PCT] = { .name = "kout_pct", .min = 0, .max = 400,
				    .def = 50 },
	},
	.name		= "2q",
};
