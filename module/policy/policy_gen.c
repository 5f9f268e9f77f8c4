// SPDX-License-Identifier: GPL-2.0
/*
 * Generations, in the manner of Linux's multi-gen LRU (MGLRU: Yu Zhao,
 * mm/vmscan.c, Linux 6.1; Documentation/admin-guide/mm/multigen_lru.rst
 * and Documentation/mm/multigen_lru.rst), balanced by the adaptive target
 * of ARC (Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead
 * Replacement Cache", USENIX FAST 2003).
 *
 * As in MGLRU, frames live in generations numbered by sequence: the
 * youngest is max_seq; each type of page has its own oldest, min_seq, and
 * at most nr_gens (2 to 4) generations. Aging creates a new youngest
 * generation and moves into it every frame whose reference bit is set
 * (MGLRU's aging walk over the page tables); when a type already has
 * nr_gens generations, its oldest is first merged into the next
 * (inc_min_seq()). Eviction takes the head of a type's oldest generation;
 * a frame found referenced there is promoted to the youngest instead
 * (MGLRU's eviction sorting out, in sort_folio(), pages the aging has not
 * moved yet), and min_seq advances over generations left empty.
 *
 * MGLRU's two types are anon and file pages, and here they are too: the
 * kinds of page (api/policy.h; an executable page is of its kind, with no
 * more protection). Within each kind are the two lists of ARC: probation
 * (T1: pages used once since they came in) and
 * protected (T2: pages used again while resident, or that refaulted
 * soon after their eviction). Like mm/vmscan.c's folio_check_references()
 * ("all mapped folios start out with page table references from the
 * instantiating fault, so we need to look twice"), the first reference
 * bit found on a probation frame is taken as its fault's, which marks it
 * seen; a second one promotes it to the youngest protected generation.
 * Which kind to evict from is MGLRU's choice (get_type_to_scan()) in a
 * simpler form: the kind whose close refaults over its evictions, times
 * the cost of its refault, is the lower. The cost is the knob swappiness,
 * as vm.swappiness gives it: a file refault costs swappiness, an
 * anonymous one 200 - swappiness; so at 0 anonymous pages go only when
 * no file page is resident, at 200 file pages only when no anonymous one
 * is. GEN_KIND_PRIOR (32) evictions are added to each kind's, so that a
 * kind with no history looks cheap; both counts are halved with the
 * others. Which type to evict from within the kind is ARC's rule:
 * probation while its share of the kind's frames is over p's share of
 * the budget, else protected; with one kind resident, while probation
 * holds more than the target p. p moves as in ARC with ghost hits,
 * which the core's shadow entries stand in for: a page that refaults
 * within the budget (distance below nr_frames, knob close_pct percent of
 * it) was evicted too early. If it left from probation, p grows by
 * max(1, (protected evictions + 1) / (probation evictions + 1)), rounded
 * down, else it shrinks by the inverse, one added to both counts alike
 * so that neither is ever 0; those eviction counts, halved every
 * nr_frames evictions, stand in for ARC's ghost list sizes. A page used
 * once and never again (a scan) stays in probation and goes first; a hot
 * set stays protected.
 *
 * Tiers, as MGLRU's tiers by refs: a page's tier counts its close
 * refaults (0 to 3). A close refault raises it and admits the page to
 * the youngest protected generation (workingset_refault() activating a
 * page that was in the working set). The tier raises protection with
 * MGLRU's feedback (get_tier_idx(), 1:2 gain): an unreferenced frame at
 * the head of an oldest generation whose tier refaults more than twice
 * as often as tier 0 (refaults over evictions and protections, halved
 * with the eviction counts) is moved to its type's next generation
 * instead of being evicted, but only within the first nr looks of a
 * victim() call, nr the frames resident: past them the tier protects no
 * frame, so that protection cannot keep the search going.
 *
 * The shadow record (8 bits) keeps: bit 7, a record of this policy; bit
 * 6, evicted from protected; bits 4-5, the tier; bits 0-3, the low bits
 * of the type's min_seq at eviction. At the refault the generation gap,
 * min_seq's advance since, says whether the page's generation has long
 * gone: a page refaulting from far whose gap is nr_gens or more starts
 * again at tier 0, one with a smaller gap keeps its tier.
 *
 * Departures from MGLRU and ARC:
 *  - Reference bits, harvested by the core before each batch of victims
 *    and at ticks, not per-access updates; several uses between two looks
 *    count once.
 *  - MGLRU places a faulted page in the youngest generation; here a new
 *    page, or one refaulting from far, goes to the youngest probation
 *    generation, which is reclaimed before any protected one while
 *    probation is over its target: that is the scan resistance.
 *  - Each kind holds ARC's pair (probation and protected) where MGLRU's
 *    types hold generations alone; the choice between probation and
 *    protected is ARC's target, one for both kinds, not MGLRU's
 *    refault-rate controller (which survives here for tiers and, in the
 *    simpler form above, for kinds). A kind's oldest frames are the head
 *    of its oldest non-empty generation of the type; the kinds share a
 *    type's min_seq.
 *  - ARC's ghost lists are the core's shadow entries; "in the ghost list"
 *    is a refault distance below the budget, for either list.
 *  - p starts at p_init_pct percent of the budget, 50 by default, which
 *    fits the workloads tried better; at 0 it starts at 0, as in ARC.
 *    The knob is read when the state is set up (the policy selected, or
 *    under allocation=local a process's state made): a write applies to
 *    the states set up after it, and leaves the running p alone.
 *  - Aging runs at the core's tick (SWAPLAB_POLICY_TICK) only when a type
 *    has fewer than nr_gens generations (MGLRU's aging is lazy too); it
 *    never runs inside victim(), which, with no tick at all, works as a
 *    clock over the oldest generation. The aging walk costs one pass over
 *    the frames, as aging's tick does.
 *  - Pages read ahead go to the oldest probation generation; a frame back
 *    from reclaim goes back to its generation (or the oldest left); when
 *    the policy is selected every frame is admitted, in admission order,
 *    to the youngest probation generation, marked seen.
 *  - victim() gives up searching after four looks a frame (bits set
 *    meanwhile) and names the head of the oldest generation. With three
 *    frames or more resident only bits set during the search reach that
 *    bound (each frame's bit is cleared at its first look, and tiers
 *    protect within the first nr looks only), so it is no choice of
 *    order: it keeps victim() finite while faults and harvests go on.
 *
 * Knobs: nr_gens, 2 to 4 (default 4); close_pct, 1 to 1000 (default
 * 100); p_init_pct, 0 to 100 (default 50); all above. nr_gens and
 * close_pct apply from the next aging or refault on.
 */
#include "api/policy.h"

enum { GEN_NR_GENS, GEN_CLOSE_PCT, GEN_P_INIT_PCT };	/* the knobs */

#define GEN_MAX		4	/* generations a type can have */
#define GEN_TIERS	4
#define GEN_SEEN	0x1	/* a reference bit was found since admission */

enum { GEN_PROBATION, GEN_PROTECTED, GEN_TYPES };
enum { GEN_ANON, GEN_FILE, GEN_KINDS };

/* Evictions of a kind that weigh as one refault, when none is seen. */
#define GEN_KIND_PRIOR		32

#define GEN_REC_VALID		0x80
#define GEN_REC_PROTECTED	0x40
#define GEN_REC_TIER_SHIFT	4
#define GEN_REC_SEQ_MASK	0x0f

/* A frame's private area. */
struct gen_frame {
	unsigned long seq;	/* its generation (or older: see gen_seq()) */
	unsigned char type;
	unsigned char kind;	/* GEN_ANON or GEN_FILE */
	unsigned char tier;
	unsigned char flags;
};

/* Feedback counts, halved every nr_frames evictions. */
struct gen_tier_stats {
	unsigned long evicted;
	unsigned long protected;
	unsigned long refaulted;
};

/* A kind's feedback counts, halved with the tiers'. */
struct gen_kind_stats {
	unsigned long evicted;
	unsigned long refaulted;
};

struct gen_state {
	/* By type, kind and seq mod GEN_MAX. */
	struct list_head list[GEN_TYPES][GEN_KINDS][GEN_MAX];
	unsigned long nr[GEN_TYPES][GEN_MAX];
	unsigned long nr_type[GEN_TYPES];
	unsigned long nr_kind[GEN_TYPES][GEN_KINDS];
	unsigned long min_seq[GEN_TYPES];
	unsigned long max_seq;
	unsigned long target;		/* ARC's p: probation's share */
	unsigned long evictions[GEN_TYPES];
	unsigned long since_decay;
	struct gen_tier_stats tier[GEN_TIERS];
	struct gen_kind_stats kind[GEN_KINDS];
};

static struct gen_frame *gen_priv(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct gen_frame);
}

/*
 * A frame's generation: a merge (gen_age()) moves the frames of a type's
 * oldest generation into the next without renumbering them, so a
 * sequence below min_seq means min_seq.
 */
static unsigned long gen_seq(struct gen_state *s, struct gen_frame *g)
{
	return g->seq < s->min_seq[g->type] ? s->min_seq[g->type] : g->seq;
}

static void gen_add(struct gen_state *s, struct swaplab_frame *f, int type,
		    unsigned long seq)
{
	struct gen_frame *g = gen_priv(f);

	g->seq = seq;
	g->type = type;
	list_add_tail(&f->lru, &s->list[type][g->kind][seq % GEN_MAX]);
	s->nr[type][seq % GEN_MAX]++;
	s->nr_type[type]++;
	s->nr_kind[type][g->kind]++;
}

static void gen_del(struct gen_state *s, struct swaplab_frame *f)
{
	struct gen_frame *g = gen_priv(f);
	unsigned long seq = gen_seq(s, g);

	list_del_init(&f->lru);
	s->nr[g->type][seq % GEN_MAX]--;
	s->nr_type[g->type]--;
	s->nr_kind[g->type][g->kind]--;
}

static void gen_move(struct gen_state *s, struct swaplab_frame *f, int type,
		     unsigned long seq)
{
	gen_del(s, f);
	gen_add(s, f, type, seq);
}

/* The generation after a frame's (its own if it is the youngest). */
static unsigned long gen_next(struct gen_state *s, struct gen_frame *g)
{
	unsigned long seq = gen_seq(s, g);

	return seq < s->max_seq ? seq + 1 : s->max_seq;
}

static int gen_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;
	int t, k, i;

	for (t = 0; t < GEN_TYPES; t++)
		for (k = 0; k < GEN_KINDS; k++)
			for (i = 0; i < GEN_MAX; i++)
				INIT_LIST_HEAD(&s->list[t][k][i]);
	s->target = ctx->nr_frames * ctx->knob[GEN_P_INIT_PCT] / 100;
	return 0;
}

static void gen_resize(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;

	if (s->target > ctx->nr_frames)
		s->target = ctx->nr_frames;
}

/*
 * A frame found referenced. A probation frame's first one is its fault's:
 * it is marked seen, and moved on to the next generation when eviction
 * found it (@evicting). Any other promotes it to the youngest protected
 * generation.
 */
static void gen_referenced(struct gen_state *s, struct swaplab_frame *f,
			   bool evicting)
{
	struct gen_frame *g = gen_priv(f);

	if (g->type == GEN_PROBATION && !(g->flags & GEN_SEEN)) {
		g->flags |= GEN_SEEN;
		if (evicting)
			gen_move(s, f, GEN_PROBATION, gen_next(s, g));
		return;
	}
	gen_move(s, f, GEN_PROTECTED, s->max_seq);
}

/* Aging's walk over one list: each referenced frame older than @young. */
static void gen_age_list(struct gen_state *s, struct list_head *list,
			 unsigned long young)
{
	struct swaplab_frame *f, *tmp;

	list_for_each_entry_safe(f, tmp, list, lru)
		if (gen_priv(f)->seq < young &&
		    swaplab_frame_test_clear_referenced(f))
			gen_referenced(s, f, false);
}

/*
 * Aging: merge each type's oldest generation into the next while it has
 * nr_gens, open a new youngest one and move every referenced frame in.
 */
static void gen_age(struct gen_state *s, const struct swaplab_policy_ctx *ctx)
{
	unsigned long seq, young;
	int t, k;

	for (t = 0; t < GEN_TYPES; t++) {
		while (s->max_seq - s->min_seq[t] + 1 >=
		       ctx->knob[GEN_NR_GENS]) {
			int o = s->min_seq[t] % GEN_MAX;
			int n = (s->min_seq[t] + 1) % GEN_MAX;

			/* The oldest frames go in front: they stay older. */
			for (k = 0; k < GEN_KINDS; k++) {
				list_splice_tail_init(&s->list[t][k][n],
						      &s->list[t][k][o]);
				list_splice_tail_init(&s->list[t][k][o],
						      &s->list[t][k][n]);
			}
			s->nr[t][n] += s->nr[t][o];
			s->nr[t][o] = 0;
			s->min_seq[t]++;
		}
	}
	young = ++s->max_seq;
	for (t = 0; t < GEN_TYPES; t++)
		for (k = 0; k < GEN_KINDS; k++)
			for (seq = s->min_seq[t]; seq < young; seq++)
				gen_age_list(s, &s->list[t][k][seq % GEN_MAX],
					     young);
}

/* Does tier @t refault more than twice as often as tier 0? */
static bool gen_tier_protected(struct gen_state *s, unsigned int t)
{
	struct gen_tier_stats *sp = &s->tier[0], *pv = &s->tier[t];

	return t && pv->refaulted * (sp->evicted + sp->protected + 1) >
		    2 * (sp->refaulted + 1) *
		    (pv->evicted + pv->protected + 1);
}

static void gen_admit(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;
	struct gen_frame *g = gen_priv(f);
	unsigned long seq, d, e0, e1, delta;
	unsigned int rec, gap;

	/* The kind never changes while the page is resident. */
	g->kind = swaplab_frame_is_file(f) ? GEN_FILE : GEN_ANON;
	switch (why) {
	case SWAPLAB_ADMIT_RETURN:
		seq = gen_seq(s, g);
		gen_add(s, f, g->type, min(seq, s->max_seq));
		return;
	case SWAPLAB_ADMIT_READAHEAD:
		gen_add(s, f, GEN_PROBATION, s->min_seq[GEN_PROBATION]);
		return;
	case SWAPLAB_ADMIT_SWITCH:
		g->flags = GEN_SEEN;
		gen_add(s, f, GEN_PROBATION, s->max_seq);
		return;
	case SWAPLAB_ADMIT_REFAULT:
		break;
	default:
		gen_add(s, f, GEN_PROBATION, s->max_seq);
		return;
	}

	rec = ctx->refault->record;
	d = ctx->refault->distance;
	if (!(rec & GEN_REC_VALID)) {
		gen_add(s, f, GEN_PROBATION, s->max_seq);
		return;
	}
	g->tier = (rec >> GEN_REC_TIER_SHIFT) & (GEN_TIERS - 1);
	if (d * 100 >= (u64)ctx->nr_frames * ctx->knob[GEN_CLOSE_PCT]) {
		/* From far: a newcomer again, its tier kept for a while. */
		gap = (s->min_seq[!!(rec & GEN_REC_PROTECTED)] - rec) &
		      GEN_REC_SEQ_MASK;
		if (gap >= ctx->knob[GEN_NR_GENS])
			g->tier = 0;
		gen_add(s, f, GEN_PROBATION, s->max_seq);
		return;
	}

	/* A ghost hit: move ARC's target toward the list it left. */
	e0 = s->evictions[GEN_PROBATION] + 1;
	e1 = s->evictions[GEN_PROTECTED] + 1;
	if (rec & GEN_REC_PROTECTED) {
		delta = e0 > e1 ? e0 / e1 : 1;
		s->target = s->target > delta ? s->target - delta : 0;
	} else {
		delta = e1 > e0 ? e1 / e0 : 1;
		s->target = min(s->target + delta, ctx->nr_frames);
	}
	s->tier[g->tier].refaulted++;
	s->kind[g->kind].refaulted++;
	if (g->tier < GEN_TIERS - 1)
		g->tier++;
	ctx->predicted = true;
	g->flags = GEN_SEEN;
	gen_add(s, f, GEN_PROTECTED, s->max_seq);
}

static void gen_remove(void *state, struct swaplab_frame *f)
{
	gen_del(state, f);
}

/*
 * The kind to evict from: the one whose pages come back least, for what
 * a refault of the kind costs (swappiness: a file refault costs it, an
 * anonymous one 200 less it). A kind's rate is its close refaults over
 * its evictions, GEN_KIND_PRIOR evictions added, so that a kind not
 * tried yet looks cheap, not dear. Only the kind that holds frames when
 * the other holds none.
 */
static int gen_kind_to_evict(struct gen_state *s,
			     const struct swaplab_policy_ctx *ctx)
{
	struct gen_kind_stats *a = &s->kind[GEN_ANON], *fl = &s->kind[GEN_FILE];
	u64 anon_cost = SWAPLAB_SWAPPINESS_MAX - ctx->swappiness;
	u64 file_cost = ctx->swappiness;

	if (!s->nr_kind[GEN_PROBATION][GEN_FILE] &&
	    !s->nr_kind[GEN_PROTECTED][GEN_FILE])
		return GEN_ANON;
	if (!s->nr_kind[GEN_PROBATION][GEN_ANON] &&
	    !s->nr_kind[GEN_PROTECTED][GEN_ANON])
		return GEN_FILE;
	return (u64)(a->refaulted + 1) * (fl->evicted + GEN_KIND_PRIOR) *
	       anon_cost <
	       (u64)(fl->refaulted + 1) * (a->evicted + GEN_KIND_PRIOR) *
	       file_cost ?
	       GEN_ANON : GEN_FILE;
}

/*
 * ARC's rule, within kind @k: probation while its share of the kind's
 * frames is over the target's share of the budget's.
 */
static int gen_type_to_evict(struct gen_state *s, int k)
{
	u64 prob = s->nr_kind[GEN_PROBATION][k];
	u64 prot = s->nr_kind[GEN_PROTECTED][k];

	if (!prot)
		return GEN_PROBATION;
	if (!prob)
		return GEN_PROTECTED;
	return prob * (s->nr_type[GEN_PROBATION] + s->nr_type[GEN_PROTECTED]) >
	       (u64)s->target * (prob + prot) ? GEN_PROBATION : GEN_PROTECTED;
}

/*
 * The head of kind @k's oldest generation of type @t, which holds frames
 * of @k; NULL, min_seq advanced, when no frame of the type is in the
 * oldest generation.
 */
static struct swaplab_frame *gen_oldest(struct gen_state *s, int t, int k)
{
	unsigned long seq = s->min_seq[t];

	if (list_empty(&s->list[t][GEN_ANON][seq % GEN_MAX]) &&
	    list_empty(&s->list[t][GEN_FILE][seq % GEN_MAX])) {
		s->min_seq[t]++;
		return NULL;
	}
	while (list_empty(&s->list[t][k][seq % GEN_MAX]))
		seq++;
	return list_first_entry(&s->list[t][k][seq % GEN_MAX],
				struct swaplab_frame, lru);
}

static struct swaplab_frame *gen_victim(void *state,
					struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;
	unsigned long nr = s->nr_type[0] + s->nr_type[1], steps;
	struct swaplab_frame *f;
	struct gen_frame *g;
	int t, k;

	if (!nr)
		return NULL;
	for (steps = 0; ; steps++) {
		k = gen_kind_to_evict(s, ctx);
		t = gen_type_to_evict(s, k);
		/* The type holds frames: a younger generation has them. */
		f = gen_oldest(s, t, k);
		if (!f)
			continue;
		if (steps > 4 * nr)
			return f;
		g = gen_priv(f);
		if (swaplab_frame_test_clear_referenced(f)) {
			gen_referenced(s, f, true);
			continue;
		}
		/* Each frame at most once a call: the tier is protected. */
		if (steps < nr && gen_tier_protected(s, g->tier)) {
			s->tier[g->tier].protected++;
			gen_move(s, f, t, gen_next(s, g));
			continue;
		}
		return f;
	}
}

static unsigned int gen_evicted(void *state, struct swaplab_frame *f,
				const struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;
	struct gen_frame *g = gen_priv(f);
	int i;

	s->evictions[g->type]++;
	s->tier[g->tier].evicted++;
	s->kind[g->kind].evicted++;
	if (++s->since_decay >= ctx->nr_frames) {
		s->since_decay = 0;
		s->evictions[GEN_PROBATION] /= 2;
		s->evictions[GEN_PROTECTED] /= 2;
		for (i = 0; i < GEN_TIERS; i++) {
			s->tier[i].evicted /= 2;
			s->tier[i].protected /= 2;
			s->tier[i].refaulted /= 2;
		}
		for (i = 0; i < GEN_KINDS; i++) {
			s->kind[i].evicted /= 2;
			s->kind[i].refaulted /= 2;
		}
	}
	return GEN_REC_VALID |
	       (g->type == GEN_PROTECTED ? GEN_REC_PROTECTED : 0) |
	       g->tier << GEN_REC_TIER_SHIFT |
	       (s->min_seq[g->type] & GEN_REC_SEQ_MASK);
}

/* Age when a type is short of generations: MGLRU's aging is lazy. */
static void gen_tick(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct gen_state *s = state;
	int t;

	for (t = 0; t < GEN_TYPES; t++) {
		if (s->max_seq - s->min_seq[t] + 1 < ctx->knob[GEN_NR_GENS]) {
			gen_age(s, ctx);
			return;
		}
	}
}

struct swaplab_policy_ops swaplab_policy_gen = {
	.admit		= gen_admit,
	.remove		= gen_remove,
	.victim		= gen_victim,
	.evicted	= gen_evicted,
	.tick		= gen_tick,
	.init		= gen_init,
	.resize		= gen_resize,
	.state_size	= sizeof(struct gen_state),
	.knobs		= {
		[GEN_NR_GENS] = { .name = "nr_gens", .min = 2, .max = GEN_MAX,
				  .def = GEN_MAX },
		[GEN_CLOSE_PCT] = { .name = "close_pct", .min = 1,
				    .max = 1000, .def = 100 },
		[GEN_P_INIT_PCT] = { .name = "p_init_pct", .min = 0,
				     .max = 100, .def = 50 },
	},
	.name		= "gen",
	.flags		= SWAPLAB_POLICY_TICK,
};
