// SPDX-License-Identifier: GPL-2.0
/*
 * CAR, Clock with Adaptive Replacement (Sorav Bansal and Dharmendra S.
 * Modha, "CAR: Clock with Adaptive Replacement", USENIX FAST 2004, Fig. 2):
 * ARC's adaptation over two clocks. T1 holds pages seen once recently, T2
 * pages seen at least twice; B1 and B2 are ghost lists of the pages last
 * evicted from T1 and from T2. The replacement takes from T1 while T1
 * holds at least max(1, p) pages, else from T2; T1's hand moves a
 * referenced page to T2, T2's hand gives a referenced page another lap. A
 * fault on a page in B1 says T1 was too small: p grows by
 * max(1, |B2|/|B1|); one in B2 shrinks it by max(1, |B1|/|B2|); either way
 * the page goes to T2. A page in neither goes to T1, after the directory
 * is trimmed: B1 loses its oldest ghost when |T1| + |B1| = c, else B2 when
 * |T1| + |T2| + |B1| + |B2| = 2c.
 *
 * Departures from the paper:
 *  - B1 and B2 are not lists: the policy allocates nothing. evicted()
 *    returns which list the page leaves for (1 for B1, 2 for B2), the
 *    core keeps it in the page's shadow entry, and the refault brings it
 *    back with the refault distance D (evictions from memory since).
 *    Every eviction pushes one ghost into B1 or B2, so the D - 1
 *    evictions after the page's are split between them; the state counts
 *    those from T1 and keeps that count at every 2^shift evictions, 128
 *    samples covering at least 4c evictions, so the number n of ghosts
 *    that entered the page's list after it is known to within one sample
 *    (interpolated between the two around it). The page is still in its
 *    ghost list if n is below the list's size: ghosts leave from the old
 *    end, so a ghost is gone once as many newer ones are in the list as
 *    the list holds. That size is bounded as the paper bounds it, |B1| by
 *    c - |T1| and |B2| by 2c - |T1| - |T2| - |B1|. Comparing D itself
 *    with the size, as if every eviction went to the page's list, misses
 *    ghost hits whenever the other list takes evictions too: on the
 *    simulator's zipf and hotcold strings through 512 frames it faults
 *    4% and 2% more than counting n. Ghost hits taking newer ghosts out
 *    of the middle are not seen, which makes n too large by their number:
 *    a page near the old end may be judged gone when the paper would
 *    still find it. Past the samples, n is extrapolated from the share of
 *    evictions the list received over them. The core's distance may be
 *    rounded to its stamp's quantum on large machines (shadow.c), and
 *    counts evictions of pages another policy chose, which reach no
 *    evicted(): n is off by as much. A resize changes the sampling
 *    interval and starts the samples over.
 *  - |B1| and |B2|, which the trimming rules and p's steps need, are
 *    running estimates: +1 at each eviction into the list, -1 at each hit
 *    judged to be in it, -1 when the trimming rule drops its oldest ghost
 *    (the expiry, which the membership test above then sees, as the
 *    oldest ghost is the one whose newer ghosts fill the list). A shadow
 *    entry the core drops (page discarded, region freed, too many
 *    shadows) is not seen: it stays counted until it would have expired.
 *  - The module sees reference bits, not each hit. The fault that brings
 *    a page in sets its accessed bit, which the paper's fresh page does
 *    not have: a page admitted by a fault waits on a pending list until
 *    the next victim(), which follows a harvest of the bits, and there
 *    its bit is cleared, consuming the fault's reference, and it joins
 *    the tail of its clock (T1 or T2). A reference between the fault and
 *    that harvest is lost with it: it cannot be told from the fault's.
 *  - Reclaim takes victims in batches: victim() runs the replacement once
 *    per victim, and the ghost list is charged at evicted(). The trimming
 *    rules are applied at each admission of a page in neither ghost list,
 *    not only when memory is full, so a batch of evictions is trimmed by
 *    the admissions that follow it.
 *  - When a hand has passed as many frames as are resident without
 *    finding a victim, victim() answers %SWAPLAB_VICTIM_RESCAN if allowed;
 *    past two such laps it evicts the page at the hand whatever its bit.
 *  - p is kept in 1/256ths of a page, as the paper's steps are ratios.
 *  - A refault judged a ghost hit is reported as predicted.
 *  - A page read ahead goes to T1's head, the next T1 victim unless it is
 *    used first; a page the core could not evict goes back to the tail of
 *    its clock; when the policy is selected, the resident pages enter T1
 *    in admission order with the bits they have, and p is 0.
 */
#include "api/policy.h"

/* Ghost records, as evicted() returns them; 0 is the core's "none". */
enum { CAR_REC_B1 = 1, CAR_REC_B2 = 2 };

/* swaplab_frame_priv(): the clock a page is on, and its fault pending. */
#define CAR_T2		0x1UL
#define CAR_PENDING	0x2UL

/* Samples of the count of evictions from T1, and p's fraction bits. */
#define CAR_SAMPLES	128UL
#define CAR_P_SHIFT	8
#define CAR_P_ONE	256UL	/* 1 << CAR_P_SHIFT */

struct car_state {
	struct list_head t1;		/* T1's clock, the hand at the head */
	struct list_head t2;		/* T2's clock, the hand at the head */
	struct list_head pending;	/* faulted in since the last victim() */
	unsigned long nr_t1;		/* on T1, pending ones included */
	unsigned long nr_t2;		/* on T2, pending ones included */
	unsigned long nr_b1;		/* estimated |B1| */
	unsigned long nr_b2;		/* estimated |B2| */
	unsigned long p;		/* T1's target, in CAR_P_ONE units */
	unsigned long c;		/* the frame budget */
	unsigned long swept;		/* frames passed since the last victim */
	unsigned long evictions;	/* evicted() calls */
	unsigned long from_t1;		/* those of pages from T1 */
	unsigned int shift;		/* log2 of evictions between samples */
	unsigned long sampled_from;	/* first eviction count sampled */
	/* from_t1 when evictions was k << shift, at [k % CAR_SAMPLES] */
	unsigned long sample[CAR_SAMPLES];
};

static unsigned long *car_flags(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, unsigned long);
}

/* Sample from now on, every 2^shift evictions, 128 samples >= 4c. */
static void car_samples_reset(struct car_state *s)
{
	unsigned long first;

	s->shift = 0;
	while ((CAR_SAMPLES << s->shift) < 4 * s->c)
		s->shift++;
	first = s->evictions >> s->shift;
	s->sampled_from = first << s->shift;
	s->sample[first % CAR_SAMPLES] = s->from_t1;
}

static int car_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct car_state *s = state;

	INIT_LIST_HEAD(&s->t1);
	INIT_LIST_HEAD(&s->t2);
	INIT_LIST_HEAD(&s->pending);
	s->c = ctx->nr_frames ? ctx->nr_frames : 1;
	car_samples_reset(s);
	return 0;
}

static void car_resize(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct car_state *s = state;

	s->c = ctx->nr_frames ? ctx->nr_frames : 1;
	if (s->p > s->c << CAR_P_SHIFT)
		s->p = s->c << CAR_P_SHIFT;
	car_samples_reset(s);
}

/* Evictions from T1 when @e evictions had been made, e within samples. */
static unsigned long car_from_t1_at(struct car_state *s, unsigned long e)
{
	unsigned long k = e >> s->shift, at = k << s->shift;
	unsigned long lo = s->sample[k % CAR_SAMPLES], hi, span;

	if (at == s->evictions)
		return s->from_t1;
	if (at + (1UL << s->shift) <= s->evictions) {
		hi = s->sample[(k + 1) % CAR_SAMPLES];
		span = 1UL << s->shift;
	} else {
		hi = s->from_t1;
		span = s->evictions - at;
	}
	return lo + (hi - lo) * (e - at) / span;
}

/*
 * Is a page evicted @dist evictions ago to B1 (@b2 false) or B2 still in
 * that ghost list? It is while fewer ghosts entered the list after it
 * than the list holds.
 */
static bool car_in_ghost(struct car_state *s, bool b2, unsigned long dist)
{
	unsigned long size = b2 ? s->nr_b2 : s->nr_b1;
	unsigned long after, oldest, e, n, span, later;

	if (!size || !dist || dist > s->evictions)
		return false;
	/* The count of evictions just after the page's own. */
	e = s->evictions - dist + 1;
	after = s->evictions - e;
	oldest = s->evictions >> s->shift;
	oldest = oldest >= CAR_SAMPLES - 1 ? oldest - (CAR_SAMPLES - 1) : 0;
	oldest <<= s->shift;
	if (oldest < s->sampled_from)
		oldest = s->sampled_from;
	if (e >= oldest) {
		n = s->from_t1 - car_from_t1_at(s, e);
		if (b2)
			n = after - n;
		return n < size;
	}
	/* Before the samples: at the share the list had over them. */
	span = s->evictions - oldest;
	if (!span)
		return true;
	later = s->from_t1 - car_from_t1_at(s, oldest);
	if (b2)
		later = span - later;
	return (u64)later * after < (u64)size * span;
}

/* The trimming of the directory before a page in neither list enters T1. */
static void car_trim(struct car_state *s)
{
	if (s->nr_t1 + s->nr_b1 >= s->c) {
		if (s->nr_b1)
			s->nr_b1--;
	} else if (s->nr_t1 + s->nr_t2 + s->nr_b1 + s->nr_b2 >= 2 * s->c) {
		if (s->nr_b2)
			s->nr_b2--;
	}
}

/* A ghost hit in B1 (@b2 false) or B2: p moves toward the list hit. */
static void car_adapt(struct car_state *s, bool b2)
{
	unsigned long hit = b2 ? s->nr_b2 : s->nr_b1;
	unsigned long other = b2 ? s->nr_b1 : s->nr_b2;
	unsigned long step = CAR_P_ONE, max = s->c << CAR_P_SHIFT;

	if (other > hit)
		step = (other << CAR_P_SHIFT) / hit;
	if (b2) {
		s->p = s->p > step ? s->p - step : 0;
		s->nr_b2--;
	} else {
		s->p = max - s->p > step ? s->p + step : max;
		s->nr_b1--;
	}
}

/* A refault on a page still in B1 or B2: adapt p, and it goes to T2. */
static bool car_ghost_hit(struct car_state *s, const struct swaplab_refault *r)
{
	bool b2 = r->record == CAR_REC_B2;

	if ((r->record != CAR_REC_B1 && !b2) ||
	    !car_in_ghost(s, b2, r->distance))
		return false;
	car_adapt(s, b2);
	return true;
}

static void car_admit(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx)
{
	struct car_state *s = state;
	unsigned long *flags = car_flags(f);

	if (why == SWAPLAB_ADMIT_READAHEAD) {
		/* Unused yet: at T1's hand, the next T1 victim unless used. */
		s->nr_t1++;
		list_add(&f->lru, &s->t1);
		return;
	}
	if (why == SWAPLAB_ADMIT_SWITCH) {
		*flags = 0;
	} else if (why == SWAPLAB_ADMIT_REFAULT &&
		   car_ghost_hit(s, ctx->refault)) {
		ctx->predicted = true;
		*flags = CAR_T2 | CAR_PENDING;
	} else if (why != SWAPLAB_ADMIT_RETURN) {
		car_trim(s);
		*flags = CAR_PENDING;
	}
	if (*flags & CAR_T2)
		s->nr_t2++;
	else
		s->nr_t1++;
	if (*flags & CAR_PENDING)
		list_add_tail(&f->lru, &s->pending);
	else
		list_add_tail(&f->lru, *flags & CAR_T2 ? &s->t2 : &s->t1);
}

static void car_remove(void *state, struct swaplab_frame *f)
{
	struct car_state *s = state;

	if (*car_flags(f) & CAR_T2)
		s->nr_t2--;
	else
		s->nr_t1--;
	list_del_init(&f->lru);
}

/*
 * The bits were just harvested: those of the pages faulted in since the
 * last call hold their faults' references, which the paper does not count.
 */
static void car_flush(struct car_state *s)
{
	struct swaplab_frame *f, *tmp;
	unsigned long *flags;

	list_for_each_entry_safe(f, tmp, &s->pending, lru) {
		flags = car_flags(f);
		swaplab_frame_test_clear_referenced(f);
		*flags &= ~CAR_PENDING;
		list_move_tail(&f->lru, *flags & CAR_T2 ? &s->t2 : &s->t1);
	}
}

static struct swaplab_frame *car_victim(void *state,
					struct swaplab_policy_ctx *ctx)
{
	struct car_state *s = state;
	unsigned long steps, limit, target;
	struct swaplab_frame *f;
	bool t1;

	car_flush(s);
	limit = 2 * (s->nr_t1 + s->nr_t2) + 2;
	for (steps = 0; ; steps++) {
		if (list_empty(&s->t1) && list_empty(&s->t2))
			return NULL;
		target = max_t(unsigned long, s->p, CAR_P_ONE);
		t1 = (s->nr_t1 << CAR_P_SHIFT) >= target;
		if (list_empty(t1 ? &s->t1 : &s->t2))
			t1 = !t1;
		f = list_first_entry(t1 ? &s->t1 : &s->t2, struct swaplab_frame,
				     lru);
		if (steps >= limit || !swaplab_frame_test_clear_referenced(f)) {
			s->swept = 0;
			return f;
		}
		/* Referenced: from T1 to T2's tail, or once more round T2. */
		if (t1) {
			*car_flags(f) |= CAR_T2;
			s->nr_t1--;
			s->nr_t2++;
		}
		list_move_tail(&f->lru, &s->t2);
		if (++s->swept >= s->nr_t1 + s->nr_t2 && ctx->may_rescan) {
			s->swept = 0;
			return SWAPLAB_VICTIM_RESCAN;
		}
	}
}

static unsigned int car_evicted(void *state, struct swaplab_frame *f,
				const struct swaplab_policy_ctx *ctx)
{
	struct car_state *s = state;
	bool b2 = *car_flags(f) & CAR_T2;

	if (b2) {
		s->nr_b2++;
	} else {
		s->nr_b1++;
		s->from_t1++;
	}
	s->evictions++;
	if (!(s->evictions & ((1UL << s->shift) - 1)))
		s->sample[(s->evictions >> s->shift) % CAR_SAMPLES] =
			s->from_t1;
	return b2 ? CAR_REC_B2 : CAR_REC_B1;
}

struct swaplab_policy_ops swaplab_policy_car = {
	.admit		= car_admit,
	.remove		= car_remove,
	.victim		= car_victim,
	.evicted	= car_evicted,
	.init		= car_init,
	.resize		= car_resize,
	.state_size	= sizeof(struct car_state),
	.name		= "car",
};
