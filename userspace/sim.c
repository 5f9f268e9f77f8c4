// SPDX-License-Identifier: GPL-2.0
/*
 * The trace simulator: replays a reference string through the module's
 * own policy files (compiled here against policy_shim.h), and through
 * exact LRU, ARC (sim_arc.c) and LIRS (sim_lirs.c), driven by every
 * reference, and Belady's OPT, the lower bound no policy can beat.
 *
 * It models what swaplab does on a fault: a resident page gets its
 * reference bit set (the hardware accessed bit the module harvests); a
 * missing page is a fault, evicts @batch victims when memory is full, and
 * is admitted with its reference bit set. With a prefetcher, a fault also
 * reads the pages it names that were evicted before (whose copy is in the
 * store), into free frames only, before the faulting page is admitted:
 * they are admitted as read ahead, unreferenced, as the module's fault
 * admits them. With page buffering, an evicted page waits in a pool while
 * its frame is free, and a fault on it there is no fault: it is counted
 * apart (buffered), and the prefetcher is not asked. A change of budget
 * (--resize) is made as the module's frames knob makes it: the policy's
 * resize() hears it, and the next fault that finds memory full evicts
 * batch after batch until a frame is free.
 *
 * A string may be made by several processes (struct sim_procs), whose
 * pages are different pages, sharing the one budget and the one policy,
 * as the module's global allocation shares them. A process leaves after
 * its last reference, and its pages are freed at once, as at exit: the
 * policy's remove() hears each resident one (no evicted(): nothing is
 * written out), its shadow and any copy in page buffering's pool are
 * dropped, and its frames are free for the others. Each fault is counted
 * to the process that took it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "policy.h"
#include "prefetch.h"
#include "sim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The module's policies (policy_list.h), then the simulator's own. */
const char * const sim_policies[] = {
#define SWAPLAB_POLICY(name) (#name),
#include "policy_list.h"
#undef SWAPLAB_POLICY
	"lru", "arc", "lirs", "opt", NULL,
};

struct swaplab_policy_ops *sim_policy_ops(const char *name)
{
	static struct swaplab_policy_ops * const all[] = {
#define SWAPLAB_POLICY(name) (&swaplab_policy_##name),
#include "policy_list.h"
#undef SWAPLAB_POLICY
	};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

static const struct swaplab_prefetch_ops * const sim_prefetch_all[] = {
	&swaplab_prefetch_none, &swaplab_prefetch_window,
	&swaplab_prefetch_adaptive, &swaplab_prefetch_leap,
};

const char * const sim_prefetchers[] = {
	"none", "window", "adaptive", "leap", NULL,
};

const struct swaplab_prefetch_ops *sim_prefetch_ops(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sim_prefetch_all); i++)
		if (!strcmp(sim_prefetch_all[i]->name, name))
			return sim_prefetch_all[i];
	return NULL;
}

bool sim_resizable(const char *name)
{
	return sim_policy_ops(name) || !strcmp(name, "lru") ||
	       !strcmp(name, "opt");
}

/* ARC and LIRS have no way to free a page; the others have. */
bool sim_multiproc(const char *name)
{
	return sim_policy_ops(name) || !strcmp(name, "lru") ||
	       !strcmp(name, "opt");
}

void sim_procs_free(struct sim_procs *sp)
{
	free(sp->refs);
	free(sp->pages);
	free(sp->first);
	free(sp->page);
	free(sp->last);
	free(sp->leave);
	memset(sp, 0, sizeof(*sp));
}

int sim_procs_init(struct sim_procs *sp, const unsigned long *refs,
		   const uint16_t *of, size_t nrefs, unsigned long npages,
		   unsigned int n)
{
	unsigned char *seen = calloc(npages ? npages : 1, 1);
	size_t *fill = calloc(n, sizeof(*fill));

	memset(sp, 0, sizeof(*sp));
	sp->of = of;
	sp->n = n;
	sp->refs = calloc(n, sizeof(*sp->refs));
	sp->pages = calloc(n, sizeof(*sp->pages));
	sp->first = calloc(n + 1, sizeof(*sp->first));
	sp->last = calloc(n, sizeof(*sp->last));
	sp->leave = calloc(n, sizeof(*sp->leave));
	if (!seen || !fill || !sp->refs || !sp->pages || !sp->first ||
	    !sp->last || !sp->leave)
		goto nomem;
	for (size_t t = 0; t < nrefs; t++) {
		sp->refs[of[t]]++;
		sp->last[of[t]] = t;
		if (!seen[refs[t]]) {
			seen[refs[t]] = 1;
			sp->pages[of[t]]++;
		}
	}
	for (unsigned int p = 0; p < n; p++) {
		sp->first[p + 1] = sp->first[p] + sp->pages[p];
		fill[p] = sp->first[p];
	}
	sp->page = malloc((sp->first[n] ? sp->first[n] : 1) *
			  sizeof(*sp->page));
	if (!sp->page)
		goto nomem;
	for (size_t t = 0; t < nrefs; t++) {
		if (seen[refs[t]] == 1) {
			seen[refs[t]] = 2;
			sp->page[fill[of[t]]++] = refs[t];
		}
		/* The string's last reference ends the run: no one leaves. */
		if (t == sp->last[of[t]] && t + 1 < nrefs)
			sp->leave[sp->nleave++] = of[t];
	}
	free(fill);
	free(seen);
	return 0;
nomem:
	free(fill);
	free(seen);
	sim_procs_free(sp);
	return -ENOMEM;
}

int sim_resize_parse(struct sim_config *cfg, const char *arg)
{
	const char *s = arg;
	int n = 0;

	for (;;) {
		unsigned long at, frames;
		char *end;

		if (n == SIM_RESIZE_MAX || *s < '0' || *s > '9')
			break;
		errno = 0;
		at = strtoul(s, &end, 10);
		if (errno || *end != ':' || end[1] < '0' || end[1] > '9')
			break;
		frames = strtoul(end + 1, &end, 10);
		if (errno || !frames || frames > (unsigned long)INT_MAX ||
		    (*end && *end != ',') || (n && at <= cfg->resize[n - 1].at))
			break;
		cfg->resize[n].at = at;
		cfg->resize[n].frames = frames;
		n++;
		if (!*end) {
			cfg->nresize = n;
			return 0;
		}
		s = end + 1;
	}
	fprintf(stderr, "swaplab: --resize %s: expected AT:FRAMES[,AT:FRAMES...], AT increasing, FRAMES 1..%d, at most %d\n",
		arg, INT_MAX, SIM_RESIZE_MAX);
	return -EINVAL;
}

bool sim_is_module_policy(const char *name)
{
	return sim_policy_ops(name);
}

static uint64_t sim_seed = 1;

/*
 * policy_random.c's source of randomness: common.h's generator, seeded
 * for repeatable runs.
 */
unsigned int swaplab_policy_random_u32(void)
{
	return (unsigned int)(prng_next(&sim_seed) >> 32);
}

/* Set @ctx's knobs: the policy's defaults, then those @cfg names. */
static int sim_knobs(const struct swaplab_policy_ops *ops,
		     const struct sim_config *cfg, struct swaplab_policy_ctx *ctx)
{
	for (int i = 0; i < SWAPLAB_POLICY_KNOBS_MAX; i++)
		ctx->knob[i] = ops->knobs[i].def;
	for (int k = 0; k < cfg->nknobs; k++) {
		int i;

		for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX; i++)
			if (ops->knobs[i].name &&
			    !strcmp(ops->knobs[i].name, cfg->knobs[k].name))
				break;
		/* A knob of another policy: not this one's business. */
		if (i == SWAPLAB_POLICY_KNOBS_MAX)
			continue;
		if (cfg->knobs[k].val < ops->knobs[i].min ||
		    cfg->knobs[k].val > ops->knobs[i].max)
			return -1;
		ctx->knob[i] = cfg->knobs[k].val;
	}
	return 0;
}

static int sim_by_index(const void *a, const void *b)
{
	const struct swaplab_frame *x = *(struct swaplab_frame * const *)a;
	const struct swaplab_frame *y = *(struct swaplab_frame * const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * What the module's core keeps of each page: its frame while resident,
 * and its shadow (eviction stamp and the policy's record) once evicted;
 * and the prefetcher's misses (pages read ahead, evicted unused).
 */
struct sim_pages {
	struct swaplab_frame *f;
	bool *resident;
	bool *ahead;
	bool *shadow;
	unsigned long *stamp;
	unsigned char *record;
	unsigned long misses;
	/*
	 * Page buffering's pool (the module's pagebuf.c): evicted pages
	 * whose frames are still free, oldest first, linked by page number.
	 */
	bool pool_on;
	bool *pooled;
	unsigned long *pool_next;
	unsigned long *pool_prev;
	unsigned long pool_head;
	unsigned long pool_tail;
	size_t pool_nr;
};

#define SIM_POOL_END	(~0UL)

static void sim_pool_unlink(struct sim_pages *pg, unsigned long p)
{
	unsigned long prev = pg->pool_prev[p], next = pg->pool_next[p];

	if (prev == SIM_POOL_END)
		pg->pool_head = next;
	else
		pg->pool_next[prev] = next;
	if (next == SIM_POOL_END)
		pg->pool_tail = prev;
	else
		pg->pool_prev[next] = prev;
	pg->pooled[p] = false;
	pg->pool_nr--;
}

/* An evicted page enters the pool, as the newest. */
static void sim_pool_add(struct sim_pages *pg, unsigned long p)
{
	if (!pg->pool_on)
		return;
	pg->pool_prev[p] = pg->pool_tail;
	pg->pool_next[p] = SIM_POOL_END;
	if (pg->pool_tail == SIM_POOL_END)
		pg->pool_head = p;
	else
		pg->pool_next[pg->pool_tail] = p;
	pg->pool_tail = p;
	pg->pooled[p] = true;
	pg->pool_nr++;
}

/*
 * The fault's frame is taken, with @nres others resident of @frames: the
 * pool keeps no more pages than are still free.
 */
static void sim_pool_trim(struct sim_pages *pg, size_t frames, size_t nres)
{
	size_t keep = frames > nres ? frames - nres - 1 : 0;

	while (pg->pool_nr > keep)
		sim_pool_unlink(pg, pg->pool_head);
}

/*
 * Evict a batch as the module's reclaim does: take up to @batch victims
 * (remove() each as it is named, with up to SWAPLAB_POLICY_RESCANS
 * refreshes, which cost nothing here: every reference sets its bit at
 * once), then, in page order, tell the policy each is gone and keep its
 * shadow. A page read ahead and evicted unused is the prefetcher's miss.
 */
static size_t sim_evict(struct swaplab_policy_ops *ops, void *state,
			struct swaplab_policy_ctx *ctx, struct sim_pages *pg,
			size_t batch, unsigned long *evictions,
			struct swaplab_frame **v)
{
	size_t n = 0;
	int rescans = 0;

	while (n < batch) {
		struct swaplab_frame *f;

		ctx->may_rescan = rescans < SWAPLAB_POLICY_RESCANS;
		f = ops->victim(state, ctx);
		if (f == SWAPLAB_VICTIM_RESCAN) {
			if (!ctx->may_rescan)
				break;
			rescans++;
			continue;
		}
		if (!f)
			break;
		ops->remove(state, f);
		v[n++] = f;
	}
	qsort(v, n, sizeof(*v), sim_by_index);
	for (size_t i = 0; i < n; i++) {
		unsigned long p = v[i]->index;
		unsigned int rec = ops->evicted ?
				   ops->evicted(state, v[i], ctx) : 0;

		pg->record[p] = rec > SWAPLAB_RECORD_MAX ? SWAPLAB_RECORD_MAX :
							    rec;
		pg->stamp[p] = (*evictions)++;
		pg->shadow[p] = true;
		pg->resident[p] = false;
		pg->misses += pg->ahead[p];
		pg->ahead[p] = false;
		sim_pool_add(pg, p);
	}
	return n;
}

/*
 * A major fault at @p asks the prefetcher: the pages it names that have a
 * copy in the store (evicted before) and are not resident are read with
 * @p into the free frames, less the one @p takes, and admitted as read
 * ahead, unreferenced (the module admits them before the faulting page).
 * The prefetcher is asked even when no frame is free, as in the module.
 * Returns how many were read.
 */
static size_t sim_prefetch(struct swaplab_policy_ops *ops, void *state,
			   struct swaplab_policy_ctx *ctx, struct sim_pages *pg,
			   const struct sim_config *cfg, void *pstate,
			   struct swaplab_prefetch_fault *pf, size_t frames,
			   size_t nres)
{
	unsigned long want[SWAPLAB_PREFETCH_MAX];
	size_t free = frames > nres + 1 ? frames - nres - 1 : 0;
	size_t n = 0;
	unsigned int nr;

	/* Asked even with no frame free: it sees every major fault. */
	nr = cfg->prefetch->fault(pstate, pf, want,
				  min_t(size_t, free, SWAPLAB_PREFETCH_MAX));
	for (unsigned int i = 0; i < nr && n < free; i++) {
		unsigned long p = want[i];
		struct swaplab_frame *f = &pg->f[p];

		/* One in the pool costs no I/O at its own fault. */
		if (p >= pf->nr_pages || pg->resident[p] || !pg->shadow[p] ||
		    pg->pooled[p])
			continue;
		memset(f, 0, sizeof(*f));
		INIT_LIST_HEAD(&f->lru);
		f->index = p;
		ctx->refault = NULL;
		ops->admit(state, f, SWAPLAB_ADMIT_READAHEAD, ctx);
		pg->resident[p] = true;
		pg->ahead[p] = true;
		n++;
	}
	return n;
}

/*
 * Process @p leaves: each of its pages resident is freed (remove(), no
 * evicted(): its frame is free, nothing is written), and its shadow and
 * its copy in the pool are dropped. Returns how many frames it frees.
 */
static size_t sim_leave(struct swaplab_policy_ops *ops, void *state,
			struct sim_pages *pg, const struct sim_procs *sp,
			unsigned int p)
{
	size_t n = 0;

	for (size_t k = sp->first[p]; k < sp->first[p + 1]; k++) {
		unsigned long q = sp->page[k];

		if (pg->resident[q]) {
			ops->remove(state, &pg->f[q]);
			pg->resident[q] = false;
			pg->ahead[q] = false;
			n++;
		}
		if (pg->pooled[q])
			sim_pool_unlink(pg, q);
		pg->shadow[q] = false;
	}
	return n;
}

/* The reference after which the next process to leave does (none: -1). */
static size_t sim_next_leave(const struct sim_procs *sp, unsigned int i)
{
	return sp && i < sp->nleave ? sp->last[sp->leave[i]] : SIZE_MAX;
}

/* Replay through one of the module's policies. */
static long sim_policy(struct swaplab_policy_ops *ops,
		       const unsigned long *refs, size_t nrefs,
		       unsigned long npages, const struct sim_config *cfg)
{
	struct swaplab_policy_ctx ctx = { .nr_frames = cfg->frames };
	struct sim_pages pg = {
		.f = calloc(npages, sizeof(*pg.f)),
		.resident = calloc(npages, sizeof(bool)),
		.ahead = calloc(npages, sizeof(bool)),
		.shadow = calloc(npages, sizeof(bool)),
		.stamp = calloc(npages, sizeof(unsigned long)),
		.record = calloc(npages, 1),
		.pool_on = cfg->page_buffering,
		.pooled = calloc(npages, sizeof(bool)),
		.pool_next = calloc(npages, sizeof(unsigned long)),
		.pool_prev = calloc(npages, sizeof(unsigned long)),
		.pool_head = SIM_POOL_END,
		.pool_tail = SIM_POOL_END,
	};
	struct swaplab_frame **victims = calloc(cfg->batch, sizeof(*victims));
	void *state = calloc(1, ops->state_size ? ops->state_size : 1);
	/* The one region's prefetcher state. */
	unsigned long pstate[SWAPLAB_PREFETCH_STATE_MAX / sizeof(long)] = { 0 };
	struct swaplab_prefetch_fault pf = {
		.nr_pages = npages, .window = cfg->window,
	};
	size_t frames = cfg->frames, admitted = 0, fault_tick;
	const struct sim_procs *sp = cfg->procs;
	size_t leave_after = sim_next_leave(sp, 0);
	unsigned int left = 0;
	unsigned long evictions = 0;
	size_t nres = 0;
	long faults = -1;
	int r = 0;

	if (!pg.f || !pg.resident || !pg.ahead || !pg.shadow || !pg.stamp || !pg.record ||
	    !pg.pooled || !pg.pool_next || !pg.pool_prev || !victims || !state ||
	    sim_knobs(ops, cfg, &ctx) || (ops->init && ops->init(state, &ctx)))
		goto out;
	faults = 0;
	sim_seed = 1;
	/* The module also ticks after an eighth of the frames faulted in. */
	fault_tick = frames / 8 > 32 ? frames / 8 : 32;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long p = refs[t];
		enum swaplab_admit_reason why = SWAPLAB_ADMIT_NEW;
		struct swaplab_refault refault;
		struct swaplab_frame *f = &pg.f[p];
		bool full, rescued;

		/* Those whose last reference was the one before leave. */
		while (t > leave_after) {
			nres -= sim_leave(ops, state, &pg, sp, sp->leave[left]);
			leave_after = sim_next_leave(sp, ++left);
		}
		ctx.now_us = t * 1000ULL;
		/* The frames knob written: resize(), and the pool trimmed. */
		for (; r < cfg->nresize && cfg->resize[r].at <= t; r++) {
			frames = cfg->resize[r].frames;
			fault_tick = frames / 8 > 32 ? frames / 8 : 32;
			ctx.nr_frames = frames;
			if (ops->resize)
				ops->resize(state, &ctx);
			while (pg.pool_nr && pg.pool_nr + nres > frames)
				sim_pool_unlink(&pg, pg.pool_head);
		}
		/* The module's aging clock, which ticks while nothing reclaims. */
		if (ops->tick && cfg->tick && t && !(t % cfg->tick)) {
			ops->tick(state, &ctx);
			admitted = 0;
		}
		if (pg.resident[p]) {
			set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
			/* The first use of a page read ahead: a fault avoided. */
			if (pg.ahead[p]) {
				pg.ahead[p] = false;
				pf.hits++;
				if (cfg->prefetch->hit)
					cfg->prefetch->hit(pstate, p);
				if (cfg->stats)
					cfg->stats->prefetch_hits++;
			}
			continue;
		}
		/*
		 * Still in page buffering's pool: copied back with no I/O, a
		 * minor fault, not counted; out of the pool before the frame
		 * is taken, as in the module.
		 */
		rescued = pg.pooled[p];
		if (rescued) {
			sim_pool_unlink(&pg, p);
			if (cfg->stats)
				cfg->stats->buffered++;
		} else {
			faults++;
			if (sp && cfg->proc_faults)
				cfg->proc_faults[sp->of[t]]++;
		}
		full = nres >= frames;
		/*
		 * Reclaim ages the counters first when an eighth of the frames
		 * has been faulted in since the last tick, as the module's
		 * swaplab_reclaim_prepare() does: at a reclaim, not at
		 * the reference that made the count.
		 */
		if (full && ops->tick && admitted >= fault_tick) {
			ops->tick(state, &ctx);
			admitted = 0;
		}
		/*
		 * Memory full: evict a whole batch at once, as reclaim does,
		 * and batch after batch while none is free (a smaller budget).
		 */
		while (nres >= frames) {
			size_t n = sim_evict(ops, state, &ctx, &pg, cfg->batch,
					     &evictions, victims);

			if (!n)
				break;
			nres -= n;
		}
		/* The fault's frame: the oldest pooled pages past it go. */
		sim_pool_trim(&pg, frames, nres);
		/* A page from the pool is no read: the prefetcher is not asked. */
		if (cfg->prefetch && !rescued) {
			size_t n;

			pf.index = p;
			n = sim_prefetch(ops, state, &ctx, &pg, cfg, pstate,
					 &pf, frames, nres);
			pf.hits = 0;
			nres += n;
			if (cfg->stats)
				cfg->stats->prefetch_issued += n;
			sim_pool_trim(&pg, frames, nres);
		}
		if (pg.shadow[p]) {
			why = SWAPLAB_ADMIT_REFAULT;
			refault.distance = evictions - pg.stamp[p];
			refault.record = pg.record[p];
			if (cfg->stats)
				cfg->stats->refaults++;
		}
		memset(f, 0, sizeof(*f));
		INIT_LIST_HEAD(&f->lru);
		f->index = p;
		set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
		ctx.refault = why == SWAPLAB_ADMIT_REFAULT ? &refault : NULL;
		ctx.predicted = false;
		ops->admit(state, f, why, &ctx);
		ctx.refault = NULL;
		if (ctx.predicted && cfg->stats)
			cfg->stats->predicted++;
		/* The faulting access restarts and sets the accessed bit. */
		set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
		admitted++;
		pg.resident[p] = true;
		nres++;
	}
	if (ops->release)
		ops->release(state);
	if (cfg->stats)
		cfg->stats->prefetch_misses += pg.misses;
out:
	free(state);
	free(victims);
	free(pg.pool_prev);
	free(pg.pool_next);
	free(pg.pooled);
	free(pg.record);
	free(pg.stamp);
	free(pg.shadow);
	free(pg.ahead);
	free(pg.resident);
	free(pg.f);
	return faults;
}

/* Exact LRU (@opt false) or Belady's OPT (@opt true). */
static long sim_exact(bool opt, const unsigned long *refs, size_t nrefs,
		      unsigned long npages, const struct sim_config *cfg)
{
	size_t *next = malloc(nrefs * sizeof(*next));
	size_t *seen = malloc(npages * sizeof(*seen));
	size_t *key = calloc(npages, sizeof(*key));
	size_t frames = cfg->frames, slots = frames, nres = 0;
	const struct sim_procs *sp = cfg->procs;
	size_t leave_after = sim_next_leave(sp, 0);
	unsigned int left = 0;
	unsigned long *mem;
	bool *resident = calloc(npages, sizeof(*resident));
	long faults = -1;
	int r = 0;

	for (int i = 0; i < cfg->nresize; i++)
		if (cfg->resize[i].frames > slots)
			slots = cfg->resize[i].frames;
	/* Never more than @npages resident, however many frames. */
	if (slots > npages)
		slots = npages;
	mem = malloc((slots ? slots : 1) * sizeof(*mem));

	if (!next || !seen || !key || !mem || !resident)
		goto out;
	/* next[t]: when refs[t] is next used (nrefs: never). */
	for (unsigned long p = 0; p < npages; p++)
		seen[p] = nrefs;
	for (size_t t = nrefs; t-- > 0;) {
		next[t] = seen[refs[t]];
		seen[refs[t]] = t;
	}
	faults = 0;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long p = refs[t];

		/* A process leaves: its pages are freed, the others stay. */
		if (t > leave_after) {
			size_t kept = 0;

			for (; t > leave_after; leave_after = sim_next_leave(sp, ++left)) {
				unsigned int q = sp->leave[left];

				for (size_t k = sp->first[q]; k < sp->first[q + 1]; k++)
					resident[sp->page[k]] = false;
			}
			for (size_t i = 0; i < nres; i++)
				if (resident[mem[i]])
					mem[kept++] = mem[i];
			nres = kept;
		}
		for (; r < cfg->nresize && cfg->resize[r].at <= t; r++)
			frames = cfg->resize[r].frames;
		/* LRU evicts the smallest last use; OPT the farthest next use. */
		key[p] = opt ? nrefs - next[t] : t + 1;
		if (resident[p])
			continue;
		faults++;
		if (sp && cfg->proc_faults)
			cfg->proc_faults[sp->of[t]]++;
		/* Batch after batch while no frame is free (a smaller budget). */
		while (nres && nres >= frames) {
			for (size_t b = 0; b < cfg->batch && nres; b++) {
				size_t v = 0;

				for (size_t i = 1; i < nres; i++)
					if (key[mem[i]] < key[mem[v]])
						v = i;
				resident[mem[v]] = false;
				mem[v] = mem[--nres];
			}
		}
		mem[nres++] = p;
		resident[p] = true;
	}
out:
	free(resident);
	free(mem);
	free(key);
	free(seen);
	free(next);
	return faults;
}

long sim_run(const char *policy, const unsigned long *refs, size_t nrefs,
	     unsigned long npages, const struct sim_config *cfg)
{
	struct swaplab_policy_ops *ops = sim_policy_ops(policy);

	if (!cfg->frames || !cfg->batch ||
	    (cfg->nresize && !sim_resizable(policy)) ||
	    (cfg->procs && (!sim_multiproc(policy) || cfg->prefetch)))
		return -1;
	if (cfg->procs && cfg->proc_faults)
		memset(cfg->proc_faults, 0,
		       cfg->procs->n * sizeof(*cfg->proc_faults));
	if (ops)
		return sim_policy(ops, refs, nrefs, npages, cfg);
	if (!strcmp(policy, "arc"))
		return sim_arc(refs, nrefs, npages, cfg->frames);
	if (!strcmp(policy, "lirs"))
		return sim_lirs(refs, nrefs, npages, cfg->frames);
	if (!strcmp(policy, "lru") || !strcmp(policy, "opt"))
		return sim_exact(!strcmp(policy, "opt"), refs, nrefs, npages,
				 cfg);
	return -1;
}

unsigned long sim_distinct(const unsigned long *refs, size_t nrefs,
			   unsigned long npages)
{
	unsigned char *seen = calloc(npages ? npages : 1, 1);
	unsigned long d = 0;

	for (size_t i = 0; seen && i < nrefs; i++)
		if (!seen[refs[i]]) {
			seen[refs[i]] = 1;
			d++;
		}
	free(seen);
	return d;
}
