// SPDX-License-Identifier: GPL-2.0
/*
 * adapt: follow whichever of several policies would fault least on the
 * current workload at the current memory size, learnt online from
 * miniature simulations of each of them.
 *
 * The experts are four of swaplab's own policies, their code run as it
 * is: clockpro (loops and re-references far apart; followed first), gen
 * (recency), s3fifo (one-hit scans) and lfu (a stable popularity). Each
 * also runs as a miniature cache: after SHARDS (Waldspurger et al., FAST
 * 2015) and its miniature simulations (ATC 2017), the pages whose hash
 * falls in a fraction R of its range are sampled, and every reference to
 * them is replayed through each expert on a cache of R times the budget,
 * mini_frames frames. The expert whose miniature faults least, by more
 * than chance and a margin, is followed: it holds the real frames and
 * names the victims.
 *
 * The references a miniature cache sees are those the core sees: a
 * fault on a sampled page (a new page or a refault, not read ahead), and
 * a sampled resident page found referenced. For the latter the core sets
 * %SWAPLAB_FRAME_SAMPLE_REF beside the reference bit of a frame the
 * policy marked %SWAPLAB_FRAME_SAMPLED, and only this policy clears it,
 * so that the expert's own reading of the reference bit is untouched.
 * victim() looks at ADAPT_POLL sampled frames a call, round the sampled
 * set, and tick() at every one, before the miniatures' own tick, and
 * each found marked replays a reference. A frame faulted in since the
 * last victim() or tick() is fresh: its mark then is the faulting
 * access's own, restarted, merged with the hits since, which the expert
 * holding it merges into the reference its admission counted; that
 * mark is cleared, not replayed (for more than ADAPT_FRESH_MAX such
 * frames, the first mark a look finds).
 *
 * Learning: all the miniatures see the same references, so each expert
 * is compared with the followed one on those where the two differ: its
 * wins (it hit, the followed one faulted) and losses (the other way
 * round), as a sign test. It is followed when its wins exceed its
 * losses by more than three standard deviations of their difference
 * (the square root of their sum), by more than margin_pct percent of
 * the followed one's faults over the same time, and by more than an
 * eighth of mini_frames: scaled to the memory, more than a switch costs
 * (the new expert starts empty); of several, the one ahead by most.
 * The counts halve every ADAPT_HALF_LIFE x mini_frames sampled
 * references, so that a new phase outweighs the old within a few such
 * periods, and start again at each switch. Until the
 * miniatures are full, their faults are every expert's and nothing is
 * counted.
 *
 * Switching: the experts' real states are kept side by side; the new
 * expert starts empty and takes every new page. Until the old one is
 * empty, victim() evicts the old one's victim and moves ADAPT_MIGRATE
 * more of the old one's frames, in its order of eviction, to the new one
 * (admitted as at a change of policy), so a switch costs a bounded
 * amount a fault and is over within budget / (ADAPT_MIGRATE + 1)
 * evictions. No switch begins before the last one is over.
 *
 * Departures from the sources:
 *  - LeCaR and Cacheus learn weights by regret over two experts that
 *    each hold every page; here each expert holds only its miniature's
 *    pages and the followed one the real frames, so the cost does not
 *    grow with memory. The choice is a hard switch (a significant lead
 *    and a margin), not a random draw by weight: the policy draws no
 *    random number, and the module and the simulator agree fault for
 *    fault.
 *  - Sampling is by page index only (the region's id is left out of the
 *    hash), so that the simulator, whose one region has another id,
 *    samples the same pages; pages of different regions at the same
 *    index are sampled together.
 *  - A miniature's evicted pages are remembered in a table of
 *    4 x mini_frames records, two ways of a hash set, the older of the
 *    two overwritten; a refault whose record is gone is a new page to
 *    it, as a page whose shadow entry the kernel dropped is.
 *  - A sampled hit is seen at the next look at its frame, not when made
 *    (within about mini_frames / ADAPT_POLL evictions, or at the next
 *    tick), and several hits between two looks are one. So a miniature
 *    of the whole budget (R = 1) faults near its expert run alone, not
 *    exactly as it: within the 6% selftests/policies/adapt.sh allows on
 *    changing sets and where frequency tells; further off on a loop
 *    longer than memory, where a hit seen late finds its page gone from
 *    the miniature.
 *  - A refault whose page another expert evicted (before the followed
 *    one took over) reaches the followed one with no record (0), as
 *    after a change of policy.
 *  - Each expert runs with its own knobs at their defaults.
 *
 * Cost: an admit(), remove() or evicted() is one call of the expert
 * holding the frame, plus, for a sampled page (a fraction R), one
 * reference replayed in each of the four miniatures. victim() adds
 * ADAPT_POLL looks and up to ADAPT_MIGRATE moves during a switch, and
 * tick() a look at each sampled frame (at most 2 x mini_frames). The
 * memory does not grow with the budget: 260 KiB a state (the frames of
 * the four miniatures, 120 bytes each for mini_frames' largest, 256,
 * their evicted pages' records, 24 bytes each for four times as many,
 * and the experts' eight states), under allocation=local one a process.
 * A frame carries no more than under any policy: the four bytes of
 * &swaplab_frame.ptag are in what was padding.
 *
 * Knobs: mini_frames, 32 to 256 (default 256): each miniature's frames
 * (at most the budget; the budget itself when smaller, R = 1); a write
 * applies at the next victim(), the miniatures keeping what they hold.
 * margin_pct, 0 to 50 (default 2): how much of the followed expert's
 * faults another must save to be followed.
 */
#include "api/policy.h"

enum {	/* the knobs */
	ADAPT_MINI_FRAMES,	/* each miniature's frames */
	ADAPT_MARGIN_PCT,	/* a switch must save this much, percent */
};

#define ADAPT_MINI_MAX		256	/* mini_frames' largest */
#define ADAPT_MINI_MIN		32
#define ADAPT_SHADOW_SETS	(2 * ADAPT_MINI_MAX)	/* of two ways each */
#define ADAPT_STATE_MAX		3072	/* bytes of an expert's state */
/*
 * The evidence kept against the followed expert halves every this many
 * times mini_frames sampled references: a new phase outweighs the old
 * within two or three such periods.
 */
#define ADAPT_HALF_LIFE		4
#define ADAPT_POLL		8	/* sampled frames looked at a victim() */
#define ADAPT_MIGRATE		16	/* frames moved a victim() in a switch */
/* A switch costs about an eighth of the memory in faults: adapt_better(). */
#define ADAPT_SWITCH_COST	8
/* The sampled frames kept track of: twice the miniatures' size. */
#define ADAPT_SAMPLED_MAX	(2 * ADAPT_MINI_MAX)
/*
 * Sampled frames faulted in since the last harvest kept track of: a
 * batch of reclaim's victims (SWAPLAB_RECLAIM_BATCH) refilled.
 */
#define ADAPT_FRESH_MAX		32

/* The experts, the first followed first; ties go to the earlier. */
enum { ADAPT_CLOCKPRO, ADAPT_GEN, ADAPT_S3FIFO, ADAPT_LFU, ADAPT_EXPERTS };
#define ADAPT_NONE	ADAPT_EXPERTS

static const struct {
	struct swaplab_policy_ops *ops;
	const char *mini_faults;	/* its miniature's faults, in stats() */
} adapt_experts[ADAPT_EXPERTS] = {
	[ADAPT_CLOCKPRO] = { &swaplab_policy_clockpro, "clockpro_mini_faults" },
	[ADAPT_GEN]	 = { &swaplab_policy_gen, "gen_mini_faults" },
	[ADAPT_S3FIFO]	 = { &swaplab_policy_s3fifo, "s3fifo_mini_faults" },
	[ADAPT_LFU]	 = { &swaplab_policy_lfu, "lfu_mini_faults" },
};

/* Expert @e's operations. */
static struct swaplab_policy_ops *adapt_expert(unsigned int e)
{
	return adapt_experts[e].ops;
}

/*
 * &swaplab_frame.ptag: the expert holding the frame (plus 1; 0: none),
 * that expert's epoch when it took it, the frame's place in the sampled
 * set (plus 1; 0: not kept track of), whether victim() took it off its
 * expert already (ADAPT_TAG_NAMED), and whether its SAMPLE_REF may still
 * be the mark of the access that faulted it in (ADAPT_TAG_FRESH).
 */
#define ADAPT_TAG_EXPERT	0xfU
#define ADAPT_TAG_EPOCH_SHIFT	4
#define ADAPT_TAG_EPOCH		0xffU
#define ADAPT_TAG_IDX_SHIFT	12
#define ADAPT_TAG_IDX		0x3ffffU
#define ADAPT_TAG_NAMED		0x80000000U
#define ADAPT_TAG_FRESH		0x40000000U

/* A miniature's record of a page it evicted. */
struct adapt_shadow {
	u64 key;			/* adapt_key(); 0: empty */
	unsigned long stamp;		/* its evictions then */
	unsigned int record;		/* what evicted() returned */
	unsigned int region;		/* the region's id, its low bits */
};

/* One expert as a miniature cache. */
struct adapt_mini {
	unsigned long state[ADAPT_STATE_MAX / sizeof(unsigned long)];
	struct swaplab_frame frame[ADAPT_MINI_MAX];
	/* resident frames by key, chained by &swaplab_frame.all */
	struct list_head bucket[ADAPT_MINI_MAX];
	struct list_head free;		/* by &swaplab_frame.lru */
	struct adapt_shadow shadow[ADAPT_SHADOW_SETS][2];
	unsigned long nr;		/* resident */
	unsigned long evictions;
	/*
	 * Against the followed expert's miniature, since the last switch
	 * (decayed): references this one hit and that one faulted on, the
	 * other way round, and that one's faults.
	 */
	unsigned long wins;
	unsigned long losses;
	unsigned long cur_faults;
	unsigned long faults;		/* every one, for stats() */
};

/* One expert on the real frames. */
struct adapt_real {
	unsigned long state[ADAPT_STATE_MAX / sizeof(unsigned long)];
	unsigned long nr;		/* frames it holds */
	unsigned int epoch;		/* +1 at each init */
	bool live;
};

struct adapt_state {
	struct adapt_real real[ADAPT_EXPERTS];
	struct adapt_mini mini[ADAPT_EXPERTS];
	struct swaplab_frame *sampled[ADAPT_SAMPLED_MAX];
	unsigned int nsampled;
	/* sampled frames faulted in since the last victim() or tick() */
	struct swaplab_frame *fresh[ADAPT_FRESH_MAX];
	unsigned int nfresh;
	unsigned int poll;		/* the next sampled frame to look at */
	unsigned int cur;		/* followed */
	unsigned int old;		/* being emptied, or ADAPT_NONE */
	unsigned long cur_evictions;	/* by cur since old emptied */
	unsigned long nr_frames;
	unsigned long mini_frames;	/* each miniature's, now */
	unsigned int mini_knob;		/* mini_frames when last sized */
	u64 limit;			/* sampled: hash below it */
	unsigned long refs;		/* sampled, since evidence halved */
	unsigned long switches;
	unsigned long sampled_refs;	/* replayed, every one */
};

/* A 64-bit mix (splitmix64's finaliser). */
static u64 adapt_mix(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Is the page at @index sampled? */
static bool adapt_sampled(const struct adapt_state *s, unsigned long index)
{
	return (adapt_mix(index + 0x9e3779b97f4a7c15ULL) >> 32) < s->limit;
}

/*
 * A page's key in the miniatures' tables, never 0: of its index alone,
 * so that where a page lands in them, and which record gives way to
 * which, does not depend on the region's id, which differs between the
 * module and the simulator. An entry also holds the region, to tell
 * pages of different regions apart.
 */
static u64 adapt_key(unsigned long index)
{
	return adapt_mix(index) | 1;
}

/*
 * The context an expert is called with: @ctx, its own knobs' defaults,
 * and no refault: the caller hands it one where there is one.
 */
static void adapt_ctx(struct swaplab_policy_ctx *out,
		      const struct swaplab_policy_ctx *ctx, unsigned int e,
		      unsigned long nr_frames)
{
	const struct swaplab_policy_ops *ops = adapt_expert(e);
	unsigned int i;

	*out = *ctx;
	out->ops = ops;
	out->nr_frames = nr_frames;
	out->refault = NULL;
	for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX && ops->knobs[i].name; i++)
		out->knob[i] = ops->knobs[i].def;
}

/* An expert's private area of @f, zeroed, as the core zeroes it. */
static void adapt_priv_clear(struct swaplab_frame *f)
{
	unsigned int i;

	for (i = 0; i < SWAPLAB_FRAME_PRIV_SIZE / sizeof(f->pdata[0]); i++)
		f->pdata[i] = 0;
}

/* Sizes and the sampling rate for a budget of @ctx->nr_frames. */
static void adapt_size(struct adapt_state *s,
		       const struct swaplab_policy_ctx *ctx)
{
	unsigned long m = ctx->knob[ADAPT_MINI_FRAMES];

	s->mini_knob = m;
	s->nr_frames = max_t(unsigned long, ctx->nr_frames, 1);
	s->mini_frames = min(m, s->nr_frames);
	s->limit = ((u64)s->mini_frames << 32) / s->nr_frames;
}

/* --- the miniatures --- */

static struct adapt_shadow *adapt_shadow_find(struct adapt_mini *m, u64 key,
					      u64 region_id)
{
	struct adapt_shadow *set = m->shadow[key % ADAPT_SHADOW_SETS];
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (set[i].key == key && set[i].region == (unsigned int)region_id)
			return &set[i];
	return NULL;
}

static void adapt_shadow_add(struct adapt_mini *m, u64 key, u64 region_id,
			     unsigned int record)
{
	struct adapt_shadow *set = m->shadow[key % ADAPT_SHADOW_SETS];
	struct adapt_shadow *w = &set[0];

	if (set[0].key && (!set[1].key || set[1].stamp < set[0].stamp))
		w = &set[1];
	w->key = key;
	w->region = (unsigned int)region_id;
	w->stamp = m->evictions;
	w->record = record;
}

/* Evict one page of miniature @e; false if it names none. */
static bool adapt_mini_evict(struct adapt_state *s, unsigned int e,
			     const struct swaplab_policy_ctx *ctx)
{
	const struct swaplab_policy_ops *ops = adapt_expert(e);
	struct adapt_mini *m = &s->mini[e];
	struct swaplab_policy_ctx c;
	struct swaplab_frame *f;
	unsigned int record = 0, i;

	adapt_ctx(&c, ctx, e, s->mini_frames);
	c.may_wait = false;
	c.nr_wanted = 1;
	/* Its bits are always fresh: a rescan changes nothing but laps. */
	for (i = 0; i <= SWAPLAB_POLICY_RESCANS; i++) {
		c.may_rescan = i < SWAPLAB_POLICY_RESCANS;
		f = ops->victim(m->state, &c);
		if (f != SWAPLAB_VICTIM_RESCAN)
			break;
	}
	if (!f || f == SWAPLAB_VICTIM_RESCAN || f == SWAPLAB_VICTIM_WAIT)
		return false;
	ops->remove(m->state, f);
	if (ops->evicted)
		record = ops->evicted(m->state, f, &c);
	adapt_shadow_add(m, adapt_key(f->index), f->region_id, record);
	m->evictions++;
	list_del_init(&f->all);
	clear_bit(SWAPLAB_FRAME_ADMITTED, &f->flags);
	list_add(&f->lru, &m->free);
	m->nr--;
	return true;
}

/*
 * A reference to a sampled page, replayed in miniature @e; @kind is the
 * page's SWAPLAB_FRAME_FILE and SWAPLAB_FRAME_EXEC bits. Return: it
 * faulted there.
 */
static bool adapt_mini_ref(struct adapt_state *s, unsigned int e,
			   u64 region_id, unsigned long index,
			   unsigned long kind,
			   const struct swaplab_policy_ctx *ctx)
{
	const struct swaplab_policy_ops *ops = adapt_expert(e);
	struct adapt_mini *m = &s->mini[e];
	u64 key = adapt_key(index);
	struct list_head *b = &m->bucket[key % ADAPT_MINI_MAX];
	enum swaplab_admit_reason why = SWAPLAB_ADMIT_NEW;
	struct swaplab_refault r = { 0 };
	struct swaplab_policy_ctx c;
	struct adapt_shadow *sh;
	struct swaplab_frame *f;

	list_for_each_entry(f, b, all) {
		if (f->region_id == region_id && f->index == index) {
			set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
			return false;
		}
	}
	m->faults++;
	while (m->nr >= s->mini_frames && adapt_mini_evict(s, e, ctx))
		;
	if (list_empty(&m->free))
		return true;
	f = list_first_entry(&m->free, struct swaplab_frame, lru);
	list_del_init(&f->lru);
	adapt_priv_clear(f);
	f->flags = kind;
	f->region_id = region_id;
	f->index = index;
	list_add(&f->all, b);
	/* The fault's own reference, as the module's fault sets it. */
	set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
	set_bit(SWAPLAB_FRAME_ADMITTED, &f->flags);
	adapt_ctx(&c, ctx, e, s->mini_frames);
	sh = adapt_shadow_find(m, key, region_id);
	if (sh) {
		r.distance = m->evictions - sh->stamp;
		r.record = sh->record;
		sh->key = 0;
		why = SWAPLAB_ADMIT_REFAULT;
		c.refault = &r;
	}
	ops->admit(m->state, f, why, &c);
	m->nr++;
	return true;
}

/* Set up the miniatures, empty, for @s->mini_frames frames each. */
static int adapt_mini_init(struct adapt_state *s,
			   const struct swaplab_policy_ctx *ctx)
{
	unsigned int e, i;

	for (e = 0; e < ADAPT_EXPERTS; e++) {
		const struct swaplab_policy_ops *ops = adapt_expert(e);
		struct adapt_mini *m = &s->mini[e];
		struct swaplab_policy_ctx c;
		int err;

		INIT_LIST_HEAD(&m->free);
		for (i = 0; i < ADAPT_MINI_MAX; i++) {
			INIT_LIST_HEAD(&m->bucket[i]);
			INIT_LIST_HEAD(&m->frame[i].all);
			list_add_tail(&m->frame[i].lru, &m->free);
		}
		adapt_ctx(&c, ctx, e, s->mini_frames);
		err = ops->init ? ops->init(m->state, &c) : 0;
		if (err)
			return err;
	}
	return 0;
}

/* A tick in every miniature, as the core gives one. */
static void adapt_mini_tick(struct adapt_state *s,
			    const struct swaplab_policy_ctx *ctx)
{
	unsigned int e, i;

	for (e = 0; e < ADAPT_EXPERTS; e++) {
		const struct swaplab_policy_ops *ops = adapt_expert(e);
		struct adapt_mini *m = &s->mini[e];
		struct swaplab_policy_ctx c;

		if (!ops->tick)
			continue;
		adapt_ctx(&c, ctx, e, s->mini_frames);
		ops->tick(m->state, &c);
		if (!ops->tick_referenced)
			continue;
		for (i = 0; i < ADAPT_MINI_MAX; i++) {
			struct swaplab_frame *f = &m->frame[i];

			if (test_bit(SWAPLAB_FRAME_ADMITTED, &f->flags) &&
			    test_bit(SWAPLAB_FRAME_REFERENCED, &f->flags))
				ops->tick_referenced(m->state, f, &c);
		}
	}
}

/* --- the real frames --- */

static unsigned int adapt_tag_expert(const struct swaplab_frame *f)
{
	return (f->ptag & ADAPT_TAG_EXPERT) - 1;
}

/* Is @f's expert's state still the one that took it? */
static bool adapt_tag_live(const struct adapt_state *s,
			   const struct swaplab_frame *f)
{
	unsigned int e = adapt_tag_expert(f);

	return e < ADAPT_EXPERTS && s->real[e].live &&
	       (e == s->cur || e == s->old) &&
	       ((f->ptag >> ADAPT_TAG_EPOCH_SHIFT) & ADAPT_TAG_EPOCH) ==
	       (s->real[e].epoch & ADAPT_TAG_EPOCH);
}

static void adapt_tag_set(const struct adapt_state *s,
			  struct swaplab_frame *f, unsigned int e)
{
	f->ptag = (f->ptag & (ADAPT_TAG_IDX << ADAPT_TAG_IDX_SHIFT)) |
		  (e + 1) |
		  (s->real[e].epoch & ADAPT_TAG_EPOCH) << ADAPT_TAG_EPOCH_SHIFT;
}

/* Keep track of sampled @f, if there is room. */
static void adapt_track(struct adapt_state *s, struct swaplab_frame *f)
{
	if (s->nsampled == ADAPT_SAMPLED_MAX ||
	    ((f->ptag >> ADAPT_TAG_IDX_SHIFT) & ADAPT_TAG_IDX))
		return;
	s->sampled[s->nsampled] = f;
	f->ptag |= (s->nsampled + 1) << ADAPT_TAG_IDX_SHIFT;
	s->nsampled++;
}

static void adapt_untrack(struct adapt_state *s, struct swaplab_frame *f)
{
	unsigned int i = (f->ptag >> ADAPT_TAG_IDX_SHIFT) & ADAPT_TAG_IDX;
	struct swaplab_frame *last;
	unsigned int j;

	if (f->ptag & ADAPT_TAG_FRESH) {
		f->ptag &= ~ADAPT_TAG_FRESH;
		for (j = 0; j < s->nfresh; j++)
			if (s->fresh[j] == f)
				s->fresh[j] = s->fresh[--s->nfresh];
	}
	if (!i--)
		return;
	f->ptag &= ~(ADAPT_TAG_IDX << ADAPT_TAG_IDX_SHIFT);
	last = s->sampled[--s->nsampled];
	if (last != f) {
		s->sampled[i] = last;
		last->ptag = (last->ptag &
			      ~(ADAPT_TAG_IDX << ADAPT_TAG_IDX_SHIFT)) |
			     (i + 1) << ADAPT_TAG_IDX_SHIFT;
	}
	if (s->poll > s->nsampled)
		s->poll = 0;
}

/* (Re)start expert @e on the real frames, empty. */
static int adapt_real_init(struct adapt_state *s, unsigned int e,
			   const struct swaplab_policy_ctx *ctx)
{
	const struct swaplab_policy_ops *ops = adapt_expert(e);
	struct adapt_real *r = &s->real[e];
	struct swaplab_policy_ctx c;
	unsigned int epoch = r->epoch + 1;
	unsigned int i;

	for (i = 0; i < ADAPT_STATE_MAX / sizeof(unsigned long); i++)
		r->state[i] = 0;
	r->nr = 0;
	r->epoch = epoch;
	adapt_ctx(&c, ctx, e, s->nr_frames);
	r->live = !(ops->init && ops->init(r->state, &c));
	return r->live ? 0 : -1;
}

/*
 * Does expert @e fault less than the followed one, by more than chance,
 * by the margin and by more than a switch costs? The two miniatures see
 * the same references, so the test is on those where they differ, a
 * sign test: the wins over the losses by more than three standard
 * deviations of their difference (the square root of their sum, as for
 * counts of rare events; squared here, so as to need no square root),
 * and by more than margin_pct percent of the followed one's faults. A
 * switch costs what the followed expert knows: the new one starts
 * empty, and refills the memory. The lead, scaled from the sample to
 * the memory (over R), is what the new expert would save if the
 * workload went on as long again as it has since the evidence began; it
 * must exceed an eighth of the memory: the lead more than an eighth of
 * the miniature's frames.
 */
static bool adapt_better(const struct adapt_mini *m, unsigned int margin_pct,
			 unsigned long mini_frames)
{
	unsigned long d = m->wins - m->losses;

	return m->wins > m->losses && d * d > 9 * (m->wins + m->losses) &&
	       d * 100 > margin_pct * m->cur_faults &&
	       d * ADAPT_SWITCH_COST > mini_frames;
}

/* Follow expert @e from now on, if it can start. */
static void adapt_switch(struct adapt_state *s, unsigned int e,
			 const struct swaplab_policy_ctx *ctx)
{
	unsigned int i;

	if (adapt_real_init(s, e, ctx))
		return;
	s->old = s->cur;
	s->cur = e;
	s->cur_evictions = 0;
	s->switches++;
	for (i = 0; i < ADAPT_EXPERTS; i++) {
		s->mini[i].wins = 0;
		s->mini[i].losses = 0;
		s->mini[i].cur_faults = 0;
	}
}

/*
 * A reference to sampled @f, in every miniature; then, once they are
 * warm and no switch is under way, the expert that beats the followed
 * one by most is followed.
 */
static void adapt_sample_ref(struct adapt_state *s, struct swaplab_frame *f,
			     const struct swaplab_policy_ctx *ctx)
{
	bool miss[ADAPT_EXPERTS];
	unsigned int e, best = ADAPT_NONE;
	unsigned long best_d = 0;

	s->sampled_refs++;
	for (e = 0; e < ADAPT_EXPERTS; e++)
		miss[e] = adapt_mini_ref(s, e, f->region_id, f->index,
					 f->flags & SWAPLAB_FRAME_KIND_MASK, ctx);
	/* Their filling is every expert's: nothing to learn from it. */
	if (!s->mini[s->cur].evictions)
		return;
	if (++s->refs >= ADAPT_HALF_LIFE * s->mini_frames) {
		s->refs = 0;
		for (e = 0; e < ADAPT_EXPERTS; e++) {
			s->mini[e].wins /= 2;
			s->mini[e].losses /= 2;
			s->mini[e].cur_faults /= 2;
		}
	}
	for (e = 0; e < ADAPT_EXPERTS; e++) {
		struct adapt_mini *m = &s->mini[e];

		if (e == s->cur)
			continue;
		m->cur_faults += miss[s->cur];
		if (miss[s->cur] == miss[e])
			continue;
		if (miss[e])
			m->losses++;
		else
			m->wins++;
		if (s->old == ADAPT_NONE &&
		    adapt_better(m, ctx->knob[ADAPT_MARGIN_PCT], s->mini_frames) &&
		    m->wins - m->losses > best_d) {
			best = e;
			best_d = m->wins - m->losses;
		}
	}
	if (best != ADAPT_NONE)
		adapt_switch(s, best, ctx);
}

/* --- the policy --- */

static int adapt_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	unsigned int e;

	for (e = 0; e < ADAPT_EXPERTS; e++)
		if (adapt_expert(e)->state_size > ADAPT_STATE_MAX)
			return -22;	/* -EINVAL: a build with a larger expert */
	adapt_size(s, ctx);
	s->old = ADAPT_NONE;
	s->cur = 0;
	if (adapt_mini_init(s, ctx))
		return -22;
	return adapt_real_init(s, s->cur, ctx) ? -22 : 0;
}

/* The budget or mini_frames changed: each expert told of its new size. */
static void adapt_resize(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	unsigned long nr = s->nr_frames, mini = s->mini_frames;
	struct swaplab_policy_ctx c;
	unsigned int e;

	adapt_size(s, ctx);
	for (e = 0; e < ADAPT_EXPERTS; e++) {
		const struct swaplab_policy_ops *ops = adapt_expert(e);

		if (!ops->resize)
			continue;
		adapt_ctx(&c, ctx, e, s->mini_frames);
		if (mini != s->mini_frames)
			ops->resize(s->mini[e].state, &c);
		c.nr_frames = s->nr_frames;
		if (nr != s->nr_frames && s->real[e].live &&
		    (e == s->cur || e == s->old))
			ops->resize(s->real[e].state, &c);
	}
}

static void adapt_admit(void *state, struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	struct swaplab_refault r;
	struct swaplab_policy_ctx c;
	unsigned int e = s->cur;

	if (why == SWAPLAB_ADMIT_RETURN && adapt_tag_live(s, f)) {
		e = adapt_tag_expert(f);
	} else {
		if (why == SWAPLAB_ADMIT_RETURN) {
			/* Its expert's state is gone: as a switch. */
			adapt_priv_clear(f);
			why = SWAPLAB_ADMIT_SWITCH;
		}
		f->ptag = 0;
		adapt_tag_set(s, f, e);
	}
	f->ptag &= ~(ADAPT_TAG_NAMED | ADAPT_TAG_FRESH);
	adapt_ctx(&c, ctx, e, s->nr_frames);
	c.refault = ctx->refault;
	/*
	 * Its record is the followed expert's only if that one evicted the
	 * page: within the evictions it made since it took over alone (the
	 * distance counts the page's own).
	 */
	if (ctx->refault && ctx->refault->distance > s->cur_evictions) {
		r = *ctx->refault;
		r.record = 0;
		c.refault = &r;
	}
	adapt_expert(e)->admit(s->real[e].state, f, why, &c);
	ctx->predicted = c.predicted;
	s->real[e].nr++;
	/* Then, sampled, a reference in every miniature. */
	if (adapt_sampled(s, f->index)) {
		set_bit(SWAPLAB_FRAME_SAMPLED, &f->flags);
		clear_bit(SWAPLAB_FRAME_SAMPLE_REF, &f->flags);
		adapt_track(s, f);
		if (why == SWAPLAB_ADMIT_NEW || why == SWAPLAB_ADMIT_REFAULT) {
			/* The fault's access, restarted, marks it again. */
			f->ptag |= ADAPT_TAG_FRESH;
			if (s->nfresh < ADAPT_FRESH_MAX)
				s->fresh[s->nfresh++] = f;
			adapt_sample_ref(s, f, ctx);
		}
	} else {
		clear_bit(SWAPLAB_FRAME_SAMPLED, &f->flags);
	}
}

static void adapt_remove(void *state, struct swaplab_frame *f)
{
	struct adapt_state *s = state;
	unsigned int e = adapt_tag_expert(f);

	adapt_untrack(s, f);
	if (f->ptag & ADAPT_TAG_NAMED) {
		/* victim() took it off its expert already. */
		f->ptag &= ~ADAPT_TAG_NAMED;
		return;
	}
	if (!adapt_tag_live(s, f))
		return;
	adapt_expert(e)->remove(s->real[e].state, f);
	s->real[e].nr--;
}

/*
 * The harvest that came before this call took the mark of each fresh
 * frame's faulting access, restarted, and the hits since, which the
 * expert holding it merged into the reference its admission counted:
 * none is a reference to replay.
 */
static void adapt_fresh_drain(struct adapt_state *s)
{
	unsigned int i;

	for (i = 0; i < s->nfresh; i++) {
		clear_bit(SWAPLAB_FRAME_SAMPLE_REF, &s->fresh[i]->flags);
		s->fresh[i]->ptag &= ~ADAPT_TAG_FRESH;
	}
	s->nfresh = 0;
}

/* Look at the next @nr sampled frames (at most all) for references. */
static void adapt_poll(struct adapt_state *s, unsigned int nr,
		       const struct swaplab_policy_ctx *ctx)
{
	unsigned int i;

	nr = min(nr, s->nsampled);
	for (i = 0; i < nr; i++) {
		struct swaplab_frame *f;

		if (s->poll >= s->nsampled)
			s->poll = 0;
		f = s->sampled[s->poll++];
		if (!test_and_clear_bit(SWAPLAB_FRAME_SAMPLE_REF, &f->flags))
			continue;
		/*
		 * The first mark after a fault is the fault's own: of a
		 * frame faulted in when ADAPT_FRESH_MAX were fresh already.
		 */
		if (f->ptag & ADAPT_TAG_FRESH)
			f->ptag &= ~ADAPT_TAG_FRESH;
		else
			adapt_sample_ref(s, f, ctx);
	}
}

/*
 * The expert being emptied names a victim, taken off it at once, and
 * ADAPT_MIGRATE frames more move to the followed expert. NULL when it
 * holds nothing more: the switch is over.
 */
static struct swaplab_frame *adapt_victim_old(struct adapt_state *s,
					      struct swaplab_policy_ctx *ctx)
{
	const struct swaplab_policy_ops *ops = adapt_expert(s->old);
	struct adapt_real *r = &s->real[s->old];
	struct swaplab_frame *v, *f;
	struct swaplab_policy_ctx c;
	unsigned int i;

	adapt_ctx(&c, ctx, s->old, s->nr_frames);
	v = r->nr ? ops->victim(r->state, &c) : NULL;
	if (v == SWAPLAB_VICTIM_RESCAN || v == SWAPLAB_VICTIM_WAIT)
		return v;
	if (!v) {
		s->old = ADAPT_NONE;
		s->cur_evictions = 0;
		return NULL;
	}
	ops->remove(r->state, v);
	r->nr--;
	v->ptag |= ADAPT_TAG_NAMED;
	c.may_rescan = false;
	c.may_wait = false;
	for (i = 0; i < ADAPT_MIGRATE && r->nr; i++) {
		struct swaplab_policy_ctx cc;

		f = ops->victim(r->state, &c);
		if (!f || f == SWAPLAB_VICTIM_RESCAN ||
		    f == SWAPLAB_VICTIM_WAIT)
			break;
		ops->remove(r->state, f);
		r->nr--;
		adapt_priv_clear(f);
		INIT_LIST_HEAD(&f->lru);
		adapt_tag_set(s, f, s->cur);
		adapt_ctx(&cc, ctx, s->cur, s->nr_frames);
		adapt_expert(s->cur)->admit(s->real[s->cur].state, f,
					    SWAPLAB_ADMIT_SWITCH, &cc);
		s->real[s->cur].nr++;
	}
	return v;
}

static struct swaplab_frame *adapt_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	struct swaplab_policy_ctx c;
	struct swaplab_frame *v;

	if (ctx->knob[ADAPT_MINI_FRAMES] != s->mini_knob)
		adapt_resize(s, ctx);
	adapt_fresh_drain(s);
	adapt_poll(s, ADAPT_POLL, ctx);
	if (s->old != ADAPT_NONE) {
		v = adapt_victim_old(s, ctx);
		if (v)
			return v;
	}
	adapt_ctx(&c, ctx, s->cur, s->nr_frames);
	v = adapt_expert(s->cur)->victim(s->real[s->cur].state, &c);
	ctx->wait_since = c.wait_since;
	ctx->wait_ms = c.wait_ms;
	return v;
}

static unsigned int adapt_evicted(void *state, struct swaplab_frame *f,
				  const struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	unsigned int e = adapt_tag_expert(f);
	struct swaplab_policy_ctx c;

	if (!adapt_tag_live(s, f) || !adapt_expert(e)->evicted)
		return 0;
	if (e == s->cur && s->old == ADAPT_NONE)
		s->cur_evictions++;
	adapt_ctx(&c, ctx, e, s->nr_frames);
	return adapt_expert(e)->evicted(s->real[e].state, f, &c);
}

static void adapt_tick(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	struct swaplab_policy_ctx c;
	unsigned int e;

	/* Every hit since the last look, before the miniatures age. */
	adapt_fresh_drain(s);
	adapt_poll(s, s->nsampled, ctx);
	for (e = 0; e < ADAPT_EXPERTS; e++) {
		if (!adapt_expert(e)->tick || !s->real[e].live ||
		    (e != s->cur && e != s->old))
			continue;
		adapt_ctx(&c, ctx, e, s->nr_frames);
		adapt_expert(e)->tick(s->real[e].state, &c);
	}
	adapt_mini_tick(s, ctx);
}

static void adapt_tick_referenced(void *state, struct swaplab_frame *f,
				  const struct swaplab_policy_ctx *ctx)
{
	struct adapt_state *s = state;
	unsigned int e = adapt_tag_expert(f);
	struct swaplab_policy_ctx c;

	if (!adapt_tag_live(s, f) || !adapt_expert(e)->tick_referenced)
		return;
	adapt_ctx(&c, ctx, e, s->nr_frames);
	adapt_expert(e)->tick_referenced(s->real[e].state, f, &c);
}

/*
 * Which expert is followed (0 clockpro, 1 gen, 2 s3fifo, 3 lfu), the
 * switches, the sampled references replayed, and each miniature's
 * faults, the evidence adapt weighs: with the budget at most
 * mini_frames (every page sampled), near its expert's faults run alone.
 */
static unsigned int adapt_stats(const void *state,
				struct swaplab_policy_stat *out,
				unsigned int max)
{
	const struct adapt_state *s = state;
	struct swaplab_policy_stat st[3 + ADAPT_EXPERTS] = {
		{ "followed", s->cur },
		{ "switches", s->switches },
		{ "sampled_refs", s->sampled_refs },
	};
	unsigned int e, n;

	for (e = 0; e < ADAPT_EXPERTS; e++)
		st[3 + e] = (struct swaplab_policy_stat){
			adapt_experts[e].mini_faults, s->mini[e].faults };
	n = min_t(unsigned int, max, 3 + ADAPT_EXPERTS);
	for (e = 0; e < n; e++)
		out[e] = st[e];
	return n;
}

static void adapt_release(void *state)
{
	struct adapt_state *s = state;
	unsigned int e;

	for (e = 0; e < ADAPT_EXPERTS; e++) {
		if (!adapt_expert(e)->release)
			continue;
		adapt_expert(e)->release(s->mini[e].state);
		if (s->real[e].live)
			adapt_expert(e)->release(s->real[e].state);
	}
}

struct swaplab_policy_ops swaplab_policy_adapt = {
	.admit		= adapt_admit,
	.remove		= adapt_remove,
	.victim		= adapt_victim,
	.evicted	= adapt_evicted,
	.tick		= adapt_tick,
	.tick_referenced = adapt_tick_referenced,
	.init		= adapt_init,
	.resize		= adapt_resize,
	.release	= adapt_release,
	.stats		= adapt_stats,
	.state_size	= sizeof(struct adapt_state),
	.knobs		= {
		[ADAPT_MINI_FRAMES] = { .name = "mini_frames",
					.min = ADAPT_MINI_MIN,
					.max = ADAPT_MINI_MAX,
					.def = ADAPT_MINI_MAX },
		[ADAPT_MARGIN_PCT] = { .name = "margin_pct", .min = 0,
				       .max = 50, .def = 2 },
	},
	.name		= "adapt",
	.flags		= SWAPLAB_POLICY_TICK,
};
