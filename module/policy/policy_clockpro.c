// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK-Pro (Song Jiang, Feng Chen and Xiaodong Zhang, "CLOCK-Pro: An
 * Effective Improvement of the CLOCK Replacement", USENIX ATC 2005): LIRS
 * on a clock. Resident pages are hot (small reuse distance) or cold; a
 * cold page is in its test period from its last reference until the
 * clock has gone past the oldest hot page, and a reference within it
 * shows a reuse distance smaller than some hot page's, so it becomes hot
 * and HAND_hot turns the oldest unreferenced hot page cold, sparing (and
 * clearing) referenced ones. HAND_cold evicts the first unreferenced
 * resident cold page; a referenced one becomes hot if in its test period,
 * else starts a new one. An evicted cold page still in its test period
 * stays in the clock as a non-resident page: if it faults again before
 * its test ends, it comes back hot. HAND_test ends the oldest test when
 * there are more than m non-resident pages. m_c, the cold pages' share,
 * adapts: +1 for a reference within a test, -1 for a test that ends
 * without one.
 *
 * Departures from the paper:
 *  - The clock is two FIFO lists, hot and resident cold, each oldest
 *    first, as in Peter Zijlstra's Linux approximation: HAND_hot is the
 *    head of the hot list and HAND_cold the head of the cold list, and a
 *    hand "passing" a page moves it to its list's tail. Each page carries
 *    the time it was last put at the clock's head (its placement, counted
 *    in evictions); both lists are in placement order. HAND_hot's position
 *    is the placement of the oldest hot page, and a cold page with an older
 *    placement has been passed by it: its test is over. A resident cold
 *    page's test is ended lazily, when HAND_cold reaches it, and only then
 *    does m_c lose 1 for it.
 *  - Non-resident cold pages are not kept: the policy allocates nothing.
 *    evicted() returns, for a page leaving in its test period, 0x80 plus
 *    its age, the evictions from its placement to its eviction, as a
 *    7-bit float (exact below 16, within 1/16 up to 245760; an older page
 *    is taken to have ended its test). The core keeps that in the page's
 *    shadow entry, and at the refault the distance D (evictions since)
 *    gives back the placement: now - D - age. The page is still in its
 *    test period, still on the clock ahead of HAND_hot and HAND_test, if
 *    that placement is not older than the boundary the two hands have
 *    reached: D + age < now - boundary, so the refault distance stands in
 *    for the clock's turning. The hands' work on the pages they pass is
 *    kept in a histogram of the non-resident pages' placements, 128
 *    buckets of 2^shift evictions covering at least 4m: when HAND_hot
 *    passes a whole bucket its pages' tests end (m_c loses their number),
 *    as the paper's HAND_hot ends the tests of the cold pages it passes;
 *    with more than m pages counted, HAND_test takes one from the oldest
 *    non-empty bucket (m_c - 1) and the boundary moves up to that bucket,
 *    so resident cold pages placed before it lose their test too. Which
 *    page of a bucket HAND_test took is not known: a refault placed in a
 *    bucket it has partly emptied is in test while the bucket is not
 *    empty. A placement older than the histogram ends its test. Pages
 *    placed between the same two evictions are not ordered: one placed
 *    with the oldest hot page is taken to be ahead of HAND_hot. The
 *    core's distance may be rounded to its stamp's quantum on large
 *    machines (shadow.c). A resize that changes the bucket size ends
 *    every non-resident test period, without adapting m_c.
 *  - The module sees reference bits, not each hit, and the fault that
 *    brings a page in sets its accessed bit: a page admitted by a fault
 *    waits on a pending list until the next victim(), which follows a
 *    harvest of the bits, and there its bit is cleared, consuming the
 *    fault's reference, and it joins its list's tail. A reference between
 *    the fault and that harvest is lost with it. HAND_hot runs in
 *    victim() too, on fresh bits: a page that faults back hot is hot at
 *    once, and the hot pages above the target are turned cold at the
 *    next victim(). Like the paper's, HAND_hot may reach and demote a page
 *    just promoted, when every older hot page was referenced.
 *  - m_c lies between mc_min_pct percent of m (at least 1 frame; the
 *    knob is 1 by default) and m less that, and starts at the lowest:
 *    until the first eviction every new page is hot while hot pages are
 *    fewer than m - m_c, then every new page is cold in test, as in the
 *    authors' code. With mc_min_pct at 0 it lies between 1 and m - 1,
 *    as in the paper.
 *    A cold page found referenced after its test ended counts as
 *    referenced in it (m_c + 1), as the authors' code counts a page
 *    marked when its test ends; with the knob mc_late_ref at 0 (1 by
 *    default) only a reference within the test raises m_c, as in the
 *    paper.
 *  - Reclaim takes victims in batches: victim() runs HAND_cold once per
 *    victim, and the non-resident page is counted at evicted(). When
 *    HAND_cold has passed as many frames as are resident without finding
 *    a victim, victim() answers %SWAPLAB_VICTIM_RESCAN if allowed and
 *    the knob rescan is 1, the default, and starts over on fresh bits;
 *    at 0 HAND_cold sweeps on with the bits it has, as the paper's hand
 *    sweeps on (its bits are never stale). With no resident cold page it
 *    first turns a hot page cold. Whatever the knob, one call past 2n + 2
 *    looks (n pages resident) evicts the page at HAND_cold whatever its
 *    bit, and HAND_hot past 2h + 1 looks (h hot) turns the page at its
 *    hand cold: only bits set during the search reach these bounds,
 *    which keep victim() finite while faults and harvests go on.
 *  - A refault in its test period is reported as predicted.
 *  - A page read ahead is cold and not in test, at HAND_cold; a page the
 *    core could not evict goes back to its list's tail (a hot one placed
 *    anew, a cold one keeping its placement); when the policy is
 *    selected, the resident pages are admitted in admission order with the
 *    bits they have, hot until the hot target is met, then cold in test.
 *
 * Knobs: mc_min_pct, 0 to 50 (default 1); mc_late_ref and rescan, 0 or 1
 * (default 1); all above. A write may come at any time: a new mc_min_pct
 * moves m_c into its new range at the next call, and hot pages over
 * their new target turn cold at the next victim(); the other two apply
 * from the next look of HAND_cold on.
 */
#include "api/policy.h"

enum {	/* the knobs */
	CP_MC_MIN_PCT,		/* m_c's least, percent of m */
	CP_MC_LATE_REF,		/* a reference after the test raises m_c */
	CP_RESCAN,		/* a lap without a victim asks for fresh bits */
};

/* swaplab_frame_priv(): status, and when the page was last placed. */
#define CP_HOT		0x1UL
#define CP_TEST		0x2UL
#define CP_PENDING	0x4UL

struct cp_frame {
	unsigned long flags;
	unsigned long placed;		/* evictions then */
};

/* The histogram of non-resident pages in test, by placement. */
#define CP_BUCKETS	128UL
/*
 * A record: in test, and its age, the evictions from its placement to
 * its eviction, as a float of 4 bits of exponent and 3 of mantissa:
 * exact below 16, to within 1/16 above, up to CP_AGE_MAX.
 */
#define CP_REC_TEST	0x80U
#define CP_REC_AGE	0x7fU
#define CP_AGE_MAX	(15UL << 14)

struct cp_state {
	struct list_head hot;		/* oldest first: HAND_hot at the head */
	struct list_head cold;		/* resident, oldest first: HAND_cold */
	struct list_head pending;	/* faulted in since the last victim() */
	unsigned long nr_hot;		/* pending ones included */
	unsigned long nr_cold;		/* resident, pending ones included */
	unsigned long m;		/* the frame budget */
	unsigned long mc;		/* target of resident cold pages */
	unsigned long mc_min;
	unsigned long mc_max;
	unsigned int mc_pct;		/* mc_min_pct that set the two */
	unsigned long evictions;	/* evicted() calls: the clock's time */
	unsigned long hot_hand;		/* oldest hot placement seen */
	unsigned long swept;		/* frames passed since the last victim */
	unsigned int shift;		/* log2 of a bucket's evictions */
	unsigned long base;		/* oldest live bucket */
	unsigned long nr_test;		/* non-resident pages in test */
	unsigned long test[CP_BUCKETS];	/* by bucket, at [b % CP_BUCKETS] */
};

static struct cp_frame *cp_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct cp_frame);
}

static void cp_mc_up(struct cp_state *s)
{
	if (s->mc < s->mc_max)
		s->mc++;
}

static void cp_mc_down(struct cp_state *s, unsigned long n)
{
	s->mc = s->mc > s->mc_min + n ? s->mc - n : s->mc_min;
}

/* m_c's range, mc_min_pct percent of m to m less that, and m_c in it. */
static void cp_mc_range(struct cp_state *s, unsigned int pct)
{
	s->mc_pct = pct;
	s->mc_min = s->m * pct / 100 ? s->m * pct / 100 : 1;
	s->mc_max = s->m > 2 * s->mc_min ? s->m - s->mc_min : s->mc_min;
	if (s->mc < s->mc_min)
		s->mc = s->mc_min;
	if (s->mc > s->mc_max)
		s->mc = s->mc_max;
}

/* A write of mc_min_pct takes effect at the next call. */
static void cp_knobs(struct cp_state *s, const struct swaplab_policy_ctx *ctx)
{
	if (ctx->knob[CP_MC_MIN_PCT] != s->mc_pct)
		cp_mc_range(s, ctx->knob[CP_MC_MIN_PCT]);
}

/* The budget's consequences: m_c's range and the histogram's buckets. */
static void cp_geometry(struct cp_state *s,
			const struct swaplab_policy_ctx *ctx, bool init)
{
	unsigned long m = ctx->nr_frames;
	unsigned int shift = 0;
	unsigned long b;

	s->m = m ? m : 1;
	cp_mc_range(s, ctx->knob[CP_MC_MIN_PCT]);
	while ((CP_BUCKETS << shift) < 4 * s->m)
		shift++;
	if (shift == s->shift && !init)
		return;
	s->shift = shift;
	for (b = 0; b < CP_BUCKETS; b++)
		s->test[b] = 0;
	s->nr_test = 0;
	s->base = s->hot_hand >> shift;
}

static int cp_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct cp_state *s = state;

	INIT_LIST_HEAD(&s->hot);
	INIT_LIST_HEAD(&s->cold);
	INIT_LIST_HEAD(&s->pending);
	cp_geometry(s, ctx, true);
	return 0;
}

/* The tests of bucket @b's non-resident pages end unreferenced. */
static void cp_expire(struct cp_state *s, unsigned long b)
{
	unsigned long *n = &s->test[b % CP_BUCKETS];

	s->nr_test -= *n;
	cp_mc_down(s, *n);
	*n = 0;
}

/* Placements before this are out of their test period. */
static unsigned long cp_boundary(struct cp_state *s)
{
	unsigned long b = s->base << s->shift;

	return max(s->hot_hand, b);
}

/* HAND_hot is at the oldest hot page: end the tests it has passed. */
static void cp_hot_hand_moved(struct cp_state *s)
{
	struct swaplab_frame *f;

	f = list_first_entry_or_null(&s->hot, struct swaplab_frame, lru);
	if (f && cp_priv(f)->placed > s->hot_hand)
		s->hot_hand = cp_priv(f)->placed;
	while ((s->base + 1) << s->shift <= s->hot_hand)
		cp_expire(s, s->base++);
}

/*
 * Run HAND_hot until it turns one hot page cold: referenced ones are
 * spared, their bits cleared, and go to the clock's head. Past two laps
 * the page at the hand is taken whatever its bit.
 */
static void cp_run_hot_hand(struct cp_state *s)
{
	unsigned long steps, limit = 2 * s->nr_hot + 1;
	struct swaplab_frame *f;
	struct cp_frame *pf;

	for (steps = 0; !list_empty(&s->hot); steps++) {
		f = list_first_entry(&s->hot, struct swaplab_frame, lru);
		pf = cp_priv(f);
		pf->placed = s->evictions;
		if (steps < limit && swaplab_frame_test_clear_referenced(f)) {
			list_move_tail(&f->lru, &s->hot);
			continue;
		}
		pf->flags = 0;
		list_move_tail(&f->lru, &s->cold);
		s->nr_hot--;
		s->nr_cold++;
		break;
	}
	cp_hot_hand_moved(s);
}

/* Turn hot pages cold until they are within their target, m - m_c. */
static void cp_balance(struct cp_state *s)
{
	while (s->nr_hot + s->mc > s->m && !list_empty(&s->hot))
		cp_run_hot_hand(s);
}

/*
 * With more than m non-resident pages in test, HAND_test ends the oldest
 * test: one page of the oldest non-empty bucket.
 */
static void cp_run_test_hand(struct cp_state *s)
{
	unsigned long i;

	for (i = 0; i < CP_BUCKETS && !s->test[s->base % CP_BUCKETS]; i++)
		s->base++;
	if (s->test[s->base % CP_BUCKETS]) {
		s->test[s->base % CP_BUCKETS]--;
		s->nr_test--;
		cp_mc_down(s, 1);
	}
}

static void cp_resize(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct cp_state *s = state;

	cp_geometry(s, ctx, false);
	while (s->nr_test > s->m)
		cp_run_test_hand(s);
}

/* An age of at most CP_AGE_MAX as a record's 7 bits, rounded. */
static unsigned int cp_age_encode(unsigned long age)
{
	unsigned int e = 0;
	unsigned long v;

	if (age < 16)
		return age;
	while (age >= (16UL << e))
		e++;
	v = (age + (1UL << (e - 1))) >> e;
	if (v == 16) {
		v = 8;
		e++;
	}
	return (e + 1) << 3 | (unsigned int)(v - 8);
}

static unsigned long cp_age_decode(unsigned int code)
{
	unsigned int e = code >> 3;

	return e ? (8UL + (code & 7)) << (e - 1) : code;
}

/* A refault: was the page a non-resident cold page still in test? */
static bool cp_refault_in_test(struct cp_state *s,
			       const struct swaplab_refault *r)
{
	unsigned long age = cp_age_decode(r->record & CP_REC_AGE), p, b;

	if (!(r->record & CP_REC_TEST) || r->distance + age > s->evictions)
		return false;
	/* Its placement: its eviction, D evictions ago, less its age. */
	p = s->evictions - r->distance - age;
	b = p >> s->shift;
	if (p < cp_boundary(s) || b >= s->base + CP_BUCKETS ||
	    !s->test[b % CP_BUCKETS])
		return false;
	s->test[b % CP_BUCKETS]--;
	s->nr_test--;
	return true;
}

static void cp_admit(void *state, struct swaplab_frame *f,
		     enum swaplab_admit_reason why,
		     struct swaplab_policy_ctx *ctx)
{
	struct cp_state *s = state;
	struct cp_frame *pf = cp_priv(f);
	bool warm;

	cp_knobs(s, ctx);
	/* Warming up: new pages are hot until the hot target is met. */
	warm = !s->evictions && s->nr_hot + s->mc < s->m;
	switch (why) {
	case SWAPLAB_ADMIT_RETURN:
		if (pf->flags & CP_HOT)
			pf->placed = s->evictions;
		break;
	case SWAPLAB_ADMIT_READAHEAD:
		/* Unused yet: cold, not in test, at HAND_cold. */
		pf->placed = s->evictions;
		s->nr_cold++;
		list_add(&f->lru, &s->cold);
		return;
	case SWAPLAB_ADMIT_SWITCH:
		pf->flags = warm ? CP_HOT : CP_TEST;
		pf->placed = s->evictions;
		break;
	case SWAPLAB_ADMIT_REFAULT:
		if (cp_refault_in_test(s, ctx->refault)) {
			cp_mc_up(s);
			ctx->predicted = true;
			warm = true;
		}
		pf->flags = (warm ? CP_HOT : CP_TEST) | CP_PENDING;
		pf->placed = s->evictions;
		break;
	default:
		pf->flags = (warm ? CP_HOT : CP_TEST) | CP_PENDING;
		pf->placed = s->evictions;
		break;
	}
	if (pf->flags & CP_HOT)
		s->nr_hot++;
	else
		s->nr_cold++;
	if (pf->flags & CP_PENDING)
		list_add_tail(&f->lru, &s->pending);
	else
		list_add_tail(&f->lru, pf->flags & CP_HOT ? &s->hot : &s->cold);
}

static void cp_remove(void *state, struct swaplab_frame *f)
{
	struct cp_state *s = state;

	if (cp_priv(f)->flags & CP_HOT)
		s->nr_hot--;
	else
		s->nr_cold--;
	list_del_init(&f->lru);
}

/*
 * The bits were just harvested: those of the pages faulted in since the
 * last call hold their faults' references, which the paper does not count.
 */
static void cp_flush(struct cp_state *s)
{
	struct swaplab_frame *f, *tmp;
	struct cp_frame *pf;

	list_for_each_entry_safe(f, tmp, &s->pending, lru) {
		pf = cp_priv(f);
		swaplab_frame_test_clear_referenced(f);
		pf->flags &= ~CP_PENDING;
		list_move_tail(&f->lru,
			       pf->flags & CP_HOT ? &s->hot : &s->cold);
	}
	cp_hot_hand_moved(s);
}

/*
 * HAND_cold found @f referenced: it turns hot, or starts a new test. One
 * whose test ended raises m_c only with @late_ref.
 */
static void cp_cold_referenced(struct cp_state *s, struct swaplab_frame *f,
			       bool late_ref)
{
	struct cp_frame *pf = cp_priv(f);
	bool in_test = pf->placed >= cp_boundary(s);

	if ((pf->flags & CP_TEST) && (in_test || late_ref))
		cp_mc_up(s);
	pf->placed = s->evictions;
	if (!(pf->flags & CP_TEST) || !in_test) {
		pf->flags = CP_TEST;
		list_move_tail(&f->lru, &s->cold);
		return;
	}
	pf->flags = CP_HOT;
	list_move_tail(&f->lru, &s->hot);
	s->nr_cold--;
	s->nr_hot++;
	cp_hot_hand_moved(s);
	cp_balance(s);
}

static struct swaplab_frame *cp_victim(void *state,
				       struct swaplab_policy_ctx *ctx)
{
	struct cp_state *s = state;
	unsigned long steps, limit;
	struct swaplab_frame *f;

	cp_knobs(s, ctx);
	cp_flush(s);
	cp_balance(s);
	limit = 2 * (s->nr_hot + s->nr_cold) + 2;
	for (steps = 0; ; steps++) {
		if (list_empty(&s->cold)) {
			if (list_empty(&s->hot))
				return NULL;
			cp_run_hot_hand(s);
			continue;
		}
		f = list_first_entry(&s->cold, struct swaplab_frame, lru);
		if (steps >= limit || !swaplab_frame_test_clear_referenced(f)) {
			s->swept = 0;
			return f;
		}
		cp_cold_referenced(s, f, ctx->knob[CP_MC_LATE_REF]);
		if (++s->swept >= s->nr_hot + s->nr_cold && ctx->may_rescan &&
		    ctx->knob[CP_RESCAN]) {
			s->swept = 0;
			return SWAPLAB_VICTIM_RESCAN;
		}
	}
}

static unsigned int cp_evicted(void *state, struct swaplab_frame *f,
			       const struct swaplab_policy_ctx *ctx)
{
	struct cp_state *s = state;
	struct cp_frame *pf = cp_priv(f);
	unsigned long age = s->evictions - pf->placed, b;

	cp_knobs(s, ctx);
	/* The histogram covers the placements of the last 128 buckets. */
	while (s->evictions >> s->shift >= s->base + CP_BUCKETS)
		cp_expire(s, s->base++);
	s->evictions++;
	if ((pf->flags & (CP_HOT | CP_TEST)) != CP_TEST)
		return 0;
	if (pf->placed < cp_boundary(s) || age > CP_AGE_MAX) {
		/* Its test ended without a reference. */
		cp_mc_down(s, 1);
		return 0;
	}
	b = pf->placed >> s->shift;
	s->test[b % CP_BUCKETS]++;
	s->nr_test++;
	while (s->nr_test > s->m)
		cp_run_test_hand(s);
	return CP_REC_TEST | cp_age_encode(age);
}

struct swaplab_policy_ops swaplab_policy_clockpro = {
	.admit		= cp_admit,
	.remove		= cp_remove,
	.victim		= cp_victim,
	.evicted	= cp_evicted,
	.init		= cp_init,
	.resize		= cp_resize,
	.state_size	= sizeof(struct cp_state),
	.knobs		= {
		[CP_MC_MIN_PCT] = { .name = "mc_min_pct", .min = 0, .max = 50,
				    .def = 1 },
		[CP_MC_LATE_REF] = { .name = "mc_late_ref", .min = 0,
				     .max = 1, .def = 1 },
		[CP_RESCAN] = { .name = "rescan", .min = 0, .max = 1,
				.def = 1 },
	},
	.name		= "clockpro",
};
