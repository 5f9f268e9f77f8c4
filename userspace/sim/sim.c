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
 * A page of a file (struct sim_config's @kinds: a trace's word ending
 * with f or x) has SWAPLAB_FRAME_FILE on its frame, and an executable's
 * SWAPLAB_FRAME_EXEC too, from before its admit(), as the module's core
 * sets them; the policies with a notion of the kind of page weigh them
 * by the swappiness every call's context carries. Every policy, exact or
 * not, counts its faults on pages of files.
 *
 * A string may be made by several processes (struct sim_procs), whose
 * pages are different pages, sharing the one budget and the one policy,
 * as the module's global allocation shares them. A process leaves after
 * its last reference, and its pages are freed at once, as at exit: the
 * policy's remove() hears each resident one (no evicted(): nothing is
 * written out), its shadow and any copy in page buffering's pool are
 * dropped, and its frames are free for the others. Each fault is counted
 * to the process that took it.
 *
 * With an allocator (struct sim_config), the processes share the frames
 * as the module's allocation=local does (core.c, fault.c): every process
 * of the string has its region from the start, made in the order of the
 * processes' numbers, as `swaplab bench trace` makes them. Each is
 * listed with no pages mapped, so it counts in no total yet, and its
 * state of the policy is init() with one frame; its mapping then reaches
 * its size, its largest page number plus one, it gets its first share
 * from the allocator (module/alloc/alloc_*.c, compiled here) and every share
 * is set again, each state whose share changed hearing resize(). The
 * shares divide the budget less the module's default high watermark
 * (frames.c), the frames its page daemon keeps free. A fault
 * of a process that holds its share first evicts clamp(share / 8, 1,
 * batch) of its own pages, chosen by its own state (with --batch 32, the
 * module's rule), and takes a frame beyond its share if it has none to
 * evict. Then, if no frame is free, batch after batch is evicted from
 * the process furthest over its share, or with the most frames if none
 * is, the next one when one has no victim (the module's direct reclaim
 * with daemon=0). Every reclaim first ticks if a tick is due (when the
 * policy has tick() or the allocator decides at ticks, as for
 * proportional, ws and pff), as the module's does: every process's state
 * ticks, then every process's working-set estimate moves on
 * (module/alloc/alloc_ws.c, compiled here, as share.c's ws tick calls it),
 * then, if the allocator decides, every share is set again from the
 * pages each process holds, the estimates and each process's references
 * and faults of the interval. Every reference sets a page's
 * reference bits, that of the policy and that of the estimate (the
 * first since the last tick moves its process's virtual time on); each
 * eviction tells the estimate. For a policy that reads no reference bits
 * or reads them in tick() only (fifo, random, aging), the module
 * harvests the accessed bits only before a tick: a reference to a
 * resident page then sets its accessed bit, which the estimate sees at
 * the next tick, or never if the page is evicted first; the fault that
 * brings a page in is seen at once. A process that leaves frees its
 * pages and the others' shares are set again. Refault distances count
 * the evictions from the whole budget. Exact LRU and OPT replace each
 * process's pages within its share the same way, by last use and by
 * next use among its own pages; they keep no estimate, and do not run
 * with ws and pff.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/alloc.h"
#include "lib/common.h"
#include "lib/hugetab.h"
#include "sim/iheap.h"
#include "sim/ilist.h"
#include "api/loadctl_rule.h"
#include "api/policy.h"
#include "api/prefetch.h"
#include "sim/sim.h"
#include "lib/strmap.h"
#include "lib/trace.h"
#include "uapi/swaplab.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The module's policies (policy_list.h), then the simulator's own. */
const char * const sim_policies[] = {
#define SWAPLAB_POLICY(name) (#name),
#include "api/policy_list.h"
#undef SWAPLAB_POLICY
	"lru", "arc", "lirs", "opt", NULL,
};

struct swaplab_policy_ops *sim_policy_ops(const char *name)
{
	static struct swaplab_policy_ops * const all[] = {
#define SWAPLAB_POLICY(name) (&swaplab_policy_##name),
#include "api/policy_list.h"
#undef SWAPLAB_POLICY
	};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

/* The module's allocators, as alloc_list.h lists them. */
static const struct swaplab_allocator_ops * const sim_alloc_all[] = {
#define SWAPLAB_ALLOCATOR(name) (&swaplab_alloc_##name),
#include "api/alloc_list.h"
#undef SWAPLAB_ALLOCATOR
};

const char * const sim_allocators[] = {
#define SWAPLAB_ALLOCATOR(name) (#name),
#include "api/alloc_list.h"
#undef SWAPLAB_ALLOCATOR
	NULL,
};

const struct swaplab_allocator_ops *sim_allocator(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sim_alloc_all); i++)
		if (!strcmp(sim_alloc_all[i]->name, name))
			return sim_alloc_all[i];
	return NULL;
}

/*
 * The module's default watermarks (frames.c): low 1/64 of the budget,
 * high 1/32, at least 2 and twice low.
 */
unsigned long sim_local_avail(size_t frames)
{
	unsigned long low = max_t(unsigned long, frames / 64, 2);
	unsigned long high = max_t(unsigned long, frames / 32, 2 * low);

	return frames > high ? frames - high : 0;
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

/*
 * An allocator that decides at ticks needs them, and the estimates, which
 * only the module's policies have here: exact LRU and OPT do not tick.
 */
bool sim_follows(const char *name, const struct swaplab_allocator_ops *a)
{
	return !(a->flags & SWAPLAB_ALLOC_DECIDES) || sim_policy_ops(name);
}

bool sim_load_controls(const struct swaplab_allocator_ops *a)
{
	return a && swaplab_lc_judges(a);
}

void sim_procs_free(struct sim_procs *sp)
{
	free(sp->refs);
	free(sp->pages);
	free(sp->first);
	free(sp->page);
	free(sp->last);
	free(sp->leave);
	free(sp->size);
	memset(sp, 0, sizeof(*sp));
}

int sim_procs_size(struct sim_procs *sp, const unsigned long *local)
{
	free(sp->size);
	sp->size = calloc(sp->n ? sp->n : 1, sizeof(*sp->size));
	if (!sp->size)
		return -ENOMEM;
	for (unsigned int p = 0; p < sp->n; p++)
		for (size_t k = sp->first[p]; k < sp->first[p + 1]; k++)
			if (local[sp->page[k]] + 1 > sp->size[p])
				sp->size[p] = local[sp->page[k]] + 1;
	return 0;
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
	for (size_t t = 0, done = 0; t < nrefs; t++) {
		done = strmap_pass(refs, done, t * sizeof(*refs));
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
	for (size_t t = 0, done = 0; t < nrefs; t++) {
		done = strmap_pass(refs, done, t * sizeof(*refs));
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

static __thread uint64_t sim_seed = 1;

/*
 * policy_random.c's source of randomness: common.h's generator, seeded
 * for repeatable runs at the start of each, the thread's own, so that
 * replays on threads of their own (sim_jobs.c) draw as one alone does.
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

/**
 * sim_knobs_check() - are @cfg's knob values in range for every policy?
 * @cfg: the configuration
 *
 * Each knob named must be in range for every module policy that has a
 * knob of that name, as the module's sysfs refuses a value out of it.
 *
 * Return: 0, or -1 with a message on stderr.
 */
int sim_knobs_check(const struct sim_config *cfg)
{
	for (int k = 0; k < cfg->nknobs; k++) {
		for (const char *const *n = sim_policies; *n; n++) {
			const struct swaplab_policy_ops *ops = sim_policy_ops(*n);

			for (int i = 0; ops && i < SWAPLAB_POLICY_KNOBS_MAX; i++) {
				const struct swaplab_policy_knob *kn = &ops->knobs[i];

				if (!kn->name || strcmp(kn->name, cfg->knobs[k].name) ||
				    (cfg->knobs[k].val >= kn->min &&
				     cfg->knobs[k].val <= kn->max))
					continue;
				fprintf(stderr, "swaplab: --knob %s=%u: %s's %s takes %u..%u\n",
					cfg->knobs[k].name, cfg->knobs[k].val,
					ops->name, kn->name, kn->min, kn->max);
				return -1;
			}
		}
	}
	return 0;
}

/* Where @cfg's faults on pages of files are counted, or NULL. */
static unsigned long *sim_file_faults(const struct sim_config *cfg)
{
	return cfg->stats ? &cfg->stats->file_faults : NULL;
}

/* A fault on page @x: counted in @cfg's stats if it is a file's. */
static inline void sim_cfg_file_fault(const struct sim_config *cfg,
				      unsigned long x)
{
	sim_file_fault(cfg->kinds, sim_file_faults(cfg), x);
}

/*
 * The order in which the module's reclaim finishes a batch's evictions:
 * its pass over the victims in page order writes each dirty page of a
 * shared region of a file to its file (or drops it clean) there and
 * then, and the dirty anonymous pages go to the store after, together,
 * in page order. Every anonymous page is taken as dirty, as a replay
 * writes every page it references. evicted() and the eviction stamps
 * come in this order, as the module's do.
 */
static int sim_by_index(const void *a, const void *b)
{
	const struct swaplab_frame *x = *(struct swaplab_frame * const *)a;
	const struct swaplab_frame *y = *(struct swaplab_frame * const *)b;
	bool xf = swaplab_frame_is_file(x), yf = swaplab_frame_is_file(y);

	if (xf != yf)
		return xf ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * What the module's core keeps of each page: its frame while resident,
 * and its shadow (eviction stamp and the policy's record) once evicted;
 * and the prefetcher's misses (pages read ahead, evicted unused).
 *
 * Frames are descriptors of resident pages only, as the module's are:
 * a page's @slot holds its frame number plus one (0 while it is not
 * resident), and the frames come in chunks that never move (the
 * policies hold pointers to them), a number freed by an eviction being
 * taken again by the next fault. So a page costs one struct sim_page of
 * 16 bytes, its fields together so that a fault or an eviction touches
 * one line of memory for it, and the descriptors grow with the frames,
 * not with the pages.
 *
 * Of each page: @stamp, the evictions counted before its own (its
 * shadow's stamp); @slot; @record, what the policy's evicted() kept;
 * @shadow, evicted with a copy in the store; @in_ws, under local, counted
 * in the working-set estimate at its eviction; @pooled, in page
 * buffering's pool. An eviction writes the whole of it, reading nothing:
 * what it needs of the page is in its frame (the module's
 * SWAPLAB_FRAME_READAHEAD bit, the frame's number), and a store waits for
 * its line without holding the replay up, a load would not.
 */
struct sim_page {
	unsigned long stamp;
	uint32_t slot;
	unsigned char record;
	bool shadow : 1;
	bool in_ws : 1;
	bool pooled : 1;
};

/*
 * A frame descriptor on a line of its own: the fields a policy's walk
 * reads (its list links, private words and flags) are the first 40 bytes,
 * which then never straddle two lines.
 */
struct sim_frame {
	_Alignas(64) struct swaplab_frame f;
	unsigned int proc;		/* its process, under local */
	uint32_t nr;			/* its number: its page's slot - 1 */
};

/*
 * A bit of swaplab_frame.flags the simulator's own: the frame is on the
 * list of those referenced since the last tick. Not one of the module's
 * bits; it outlives the frame's page (sim_frame_take() keeps it), as the
 * frame stays on the list until the tick.
 */
#define SIM_FRAME_LISTED	(8 * (int)sizeof(unsigned long) - 1)

struct sim_pages {
	struct sim_page *page;
	struct sim_frame **chunk;
	size_t nchunk;
	uint32_t nframe;
	uint32_t *free;
	size_t nfree;
	bool oom;
	unsigned long misses;
	/*
	 * With a policy that has tick_referenced(): the frames (numbers)
	 * whose bit was set since the last tick, each once, so that a tick
	 * visits those and not every frame resident.
	 */
	bool listing;
	uint32_t *listed;
	size_t nlisted;
	/*
	 * Page buffering's pool (the module's pagebuf.c): evicted pages
	 * whose frames are still free, oldest first, linked by page number.
	 */
	bool pool_on;
	unsigned long *pool_next;
	unsigned long *pool_prev;
	unsigned long pool_head;
	unsigned long pool_tail;
	size_t pool_nr;
	/* The kind of each page (struct sim_config's), NULL: anonymous. */
	const uint8_t *kinds;
};

#define SIM_POOL_END	(~0UL)
/* Frames a chunk holds. */
#define SIM_CHUNK	4096

/*
 * Allocate the tables of @npages pages, with page buffering's pool if
 * @pool; 0, or -1 with every allocation undone by sim_pages_free().
 */
static int sim_pages_init(struct sim_pages *pg, unsigned long npages,
			  bool pool)
{
	*pg = (struct sim_pages){
		.page = hugetab_calloc(npages, sizeof(*pg->page)),
		.pool_on = pool,
		.pool_next = pool ? calloc(npages, sizeof(unsigned long)) : NULL,
		.pool_prev = pool ? calloc(npages, sizeof(unsigned long)) : NULL,
		.pool_head = SIM_POOL_END,
		.pool_tail = SIM_POOL_END,
	};
	return pg->page && (!pool || (pg->pool_next && pg->pool_prev)) ?
	       0 : -1;
}

static void sim_pages_free(struct sim_pages *pg)
{
	free(pg->pool_prev);
	free(pg->pool_next);
	for (size_t i = 0; i < pg->nchunk; i++)
		free(pg->chunk[i]);
	free(pg->chunk);
	free(pg->free);
	free(pg->listed);
	free(pg->page);
}

/* Is page @p resident? */
static inline bool sim_resident(const struct sim_pages *pg, unsigned long p)
{
	return pg->page[p].slot;
}

/* The frame of page @p, which is resident. */
static inline struct swaplab_frame *sim_frame(const struct sim_pages *pg,
					      unsigned long p)
{
	uint32_t n = pg->page[p].slot - 1;

	return &pg->chunk[n / SIM_CHUNK][n % SIM_CHUNK].f;
}

/*
 * The references to come are known: ask the cache now for what the one
 * SIM_AHEAD references on will read, the page's state and, if the page
 * is resident then, its frame. A hint, right or wrong: it changes no
 * count, only how long a reference waits for memory, which a string of
 * pages in tables larger than the cache makes most of a replay's time.
 */
#define SIM_AHEAD	16
/* Next uses OPT computes before it writes them (sim_xset_init()). */
#define SIM_STAGE	65536

/*
 * Always inline: called, a function of prefetches alone looks to GCC like
 * one without effects, whose call it drops.
 */
static __always_inline
void sim_ahead(const struct sim_pages *pg, const unsigned long *refs,
	       size_t t, size_t nrefs)
{
	if (t + SIM_AHEAD < nrefs)
		__builtin_prefetch(&pg->page[refs[t + SIM_AHEAD]]);
	if (t + SIM_AHEAD / 2 < nrefs &&
	    sim_resident(pg, refs[t + SIM_AHEAD / 2]))
		__builtin_prefetch(sim_frame(pg, refs[t + SIM_AHEAD / 2]));
}

/*
 * A frame for page @p, not resident: one an eviction freed, or a new
 * one; cleared, its list head empty, its index @p, and the kind of its
 * page in its flags, as the module's core sets them before the frame's
 * first admit(). NULL without memory (@pg->oom set: the replay fails).
 */
static struct swaplab_frame *sim_frame_take(struct sim_pages *pg,
					    unsigned long p)
{
	struct swaplab_frame *f;
	bool reused = pg->nfree, listed;
	uint32_t n;

	if (reused) {
		n = pg->free[--pg->nfree];
	} else {
		if (pg->nframe % SIM_CHUNK == 0) {
			size_t k = pg->nframe / SIM_CHUNK;
			struct sim_frame **chunk;
			uint32_t *spare;

			chunk = realloc(pg->chunk, (k + 1) * sizeof(*chunk));
			if (chunk)
				pg->chunk = chunk;
			spare = realloc(pg->free, (pg->nframe + SIM_CHUNK) *
					sizeof(*spare));
			if (spare)
				pg->free = spare;
			if (spare && pg->listing) {
				spare = realloc(pg->listed,
						(pg->nframe + SIM_CHUNK) *
						sizeof(*spare));
				if (spare)
					pg->listed = spare;
			}
			if (chunk && spare && pg->nframe <= UINT32_MAX - SIM_CHUNK)
				chunk[k] = aligned_alloc(sizeof(**chunk),
							 SIM_CHUNK * sizeof(**chunk));
			if (!chunk || !spare || pg->nframe > UINT32_MAX - SIM_CHUNK ||
			    !chunk[k]) {
				pg->oom = true;
				return NULL;
			}
			pg->nchunk = k + 1;
		}
		n = pg->nframe++;
	}
	pg->page[p].slot = n + 1;
	f = sim_frame(pg, p);
	/* A frame used before may be on the list still; a new one is not. */
	listed = reused && test_bit(SIM_FRAME_LISTED, &f->flags);
	memset(f, 0, sizeof(*f));
	if (listed)
		set_bit(SIM_FRAME_LISTED, &f->flags);
	if (pg->kinds && pg->kinds[p] != TRACE_KIND_ANON) {
		set_bit(SWAPLAB_FRAME_FILE, &f->flags);
		if (pg->kinds[p] == TRACE_KIND_EXEC)
			set_bit(SWAPLAB_FRAME_EXEC, &f->flags);
	}
	INIT_LIST_HEAD(&f->lru);
	f->index = p;
	container_of(f, struct sim_frame, f)->nr = n;
	return f;
}

/*
 * Frame @f's reference bit is set, by a reference or the fault that
 * brings its page in: the only way the simulator sets it. With
 * @pg->listing, the frame is listed for the next tick, once.
 */
static inline void sim_referenced(struct sim_pages *pg,
				  struct swaplab_frame *f)
{
	swaplab_frame_referenced(f);
	if (pg->listing && !test_bit(SIM_FRAME_LISTED, &f->flags)) {
		set_bit(SIM_FRAME_LISTED, &f->flags);
		pg->listed[pg->nlisted++] = pg->page[f->index].slot - 1;
	}
}

_Static_assert(SIM_POLICY_STATS == SWAPLAB_POLICY_STATS_MAX,
	       "a policy's counts fit sim_stats");

/* The policy's own counts at the end of a run, into @st. */
static void sim_policy_stats(const struct swaplab_policy_ops *ops,
			     const void *state, struct sim_stats *st)
{
	struct swaplab_policy_stat out[SWAPLAB_POLICY_STATS_MAX];
	unsigned int n = ops->stats(state, out, SWAPLAB_POLICY_STATS_MAX);

	st->npolicy = n < SIM_POLICY_STATS ? n : SIM_POLICY_STATS;
	for (unsigned int i = 0; i < st->npolicy; i++) {
		st->policy[i].name = out[i].name;
		st->policy[i].value = out[i].value;
	}
}

/*
 * After every state's tick(), the policy's tick_referenced() for each
 * frame resident whose bit is set, as the module's core calls it: the
 * frames listed since the last tick, with the state @state_of() gives
 * (and @ctx set for it). A frame whose bit the call leaves set stays
 * listed; the others leave the list.
 */
static void sim_tick_referenced(struct swaplab_policy_ops *ops,
				struct sim_pages *pg,
				struct swaplab_policy_ctx *ctx,
				void *(*state_of)(void *arg, unsigned int proc,
						  struct swaplab_policy_ctx *ctx),
				void *arg)
{
	size_t keep = 0;

	for (size_t i = 0; i < pg->nlisted; i++) {
		uint32_t n = pg->listed[i];
		struct sim_frame *sf = &pg->chunk[n / SIM_CHUNK][n % SIM_CHUNK];
		struct swaplab_frame *f = &sf->f;

		/* Its page may have left, the frame gone to another since. */
		if (pg->page[f->index].slot == n + 1 &&
		    test_bit(SWAPLAB_FRAME_REFERENCED, &f->flags)) {
			ops->tick_referenced(state_of(arg, sf->proc, ctx), f,
					     ctx);
			if (test_bit(SWAPLAB_FRAME_REFERENCED, &f->flags)) {
				pg->listed[keep++] = n;
				continue;
			}
		}
		clear_bit(SIM_FRAME_LISTED, &f->flags);
	}
	pg->nlisted = keep;
}

/* The one state of a replay under global. */
static void *sim_state_one(void *arg, unsigned int proc,
			   struct swaplab_policy_ctx *ctx)
{
	(void)proc;
	(void)ctx;
	return arg;
}

/* A tick: tick(), then tick_referenced() for the frames it concerns. */
static void sim_tick(struct swaplab_policy_ops *ops, void *state,
		     struct sim_pages *pg, struct swaplab_policy_ctx *ctx)
{
	ops->tick(state, ctx);
	if (ops->tick_referenced)
		sim_tick_referenced(ops, pg, ctx, sim_state_one, state);
}

/* Page @p, resident, leaves its frame, which the next fault may take. */
static void sim_frame_put(struct sim_pages *pg, unsigned long p)
{
	pg->free[pg->nfree++] = pg->page[p].slot - 1;
	pg->page[p].slot = 0;
}

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
	pg->page[p].pooled = false;
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
	pg->page[p].pooled = true;
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

/* Under local, the working-set estimate of the process evicted from. */
struct sim_ws_owner {
	struct swaplab_ws_est *est;
	unsigned long tau;
};

/*
 * Evict a batch as the module's reclaim does: take up to @batch victims
 * (remove() each as it is named, with up to SWAPLAB_POLICY_RESCANS
 * refreshes, which cost nothing here: every reference sets its bit at
 * once), then, in page order, tell the policy each is gone, tell @ws's
 * estimate if not NULL (under local, the owner's, as the module's core
 * does before it counts the eviction) and keep its shadow. A page read
 * ahead and evicted unused is the prefetcher's miss.
 */
static size_t sim_evict(struct swaplab_policy_ops *ops, void *state,
			struct swaplab_policy_ctx *ctx, struct sim_pages *pg,
			size_t batch, unsigned long *evictions,
			struct swaplab_frame **v, struct sim_ws_owner *ws)
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
		/* Its page's state, read below, comes while remove() runs. */
		__builtin_prefetch(&pg->page[f->index]);
		ops->remove(state, f);
		v[n++] = f;
	}
	qsort(v, n, sizeof(*v), sim_by_index);
	for (size_t i = 0; i < n; i++) {
		unsigned long p = v[i]->index;
		unsigned int rec = ops->evicted ?
				   ops->evicted(state, v[i], ctx) : 0;
		bool in_ws = ws && swaplab_alloc_ws_evicted(ws->est, v[i],
							    ws->tau);

		/* Not resident, so not pooled yet: the page's state whole. */
		pg->page[p] = (struct sim_page){
			.stamp = (*evictions)++,
			.record = rec > SWAPLAB_RECORD_MAX ? SWAPLAB_RECORD_MAX :
							     rec,
			.shadow = true,
			.in_ws = in_ws,
		};
		pg->free[pg->nfree++] = container_of(v[i], struct sim_frame, f)->nr;
		pg->misses += test_bit(SWAPLAB_FRAME_READAHEAD, &v[i]->flags);
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
		struct swaplab_frame *f;

		/* One in the pool costs no I/O at its own fault. */
		if (p >= pf->nr_pages || sim_resident(pg, p) || !pg->page[p].shadow ||
		    pg->page[p].pooled)
			continue;
		f = sim_frame_take(pg, p);
		if (!f)
			break;
		ctx->refault = NULL;
		ops->admit(state, f, SWAPLAB_ADMIT_READAHEAD, ctx);
		set_bit(SWAPLAB_FRAME_READAHEAD, &f->flags);
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

		if (sim_resident(pg, q)) {
			ops->remove(state, sim_frame(pg, q));
			sim_frame_put(pg, q);
			n++;
		}
		if (pg->page[q].pooled)
			sim_pool_unlink(pg, q);
		pg->page[q].shadow = false;
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
	struct swaplab_policy_ctx ctx = {
		.nr_frames = cfg->frames, .swappiness = cfg->swappiness,
	};
	struct sim_pages pg;
	int pages_err = sim_pages_init(&pg, npages, true);
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

	pg.pool_on = cfg->page_buffering;
	pg.listing = ops->tick_referenced;
	pg.kinds = cfg->kinds;
	if (pages_err || !victims || !state ||
	    sim_knobs(ops, cfg, &ctx) || (ops->init && ops->init(state, &ctx)))
		goto out;
	faults = 0;
	sim_seed = 1;
	/* The module also ticks after an eighth of the frames faulted in. */
	fault_tick = frames / 8 > 32 ? frames / 8 : 32;
	for (size_t t = 0, done = 0; t < nrefs; t++) {
		unsigned long p = refs[t];
		enum swaplab_admit_reason why = SWAPLAB_ADMIT_NEW;
		struct swaplab_refault refault;
		struct swaplab_frame *f;
		bool full, rescued;

		sim_ahead(&pg, refs, t, nrefs);
		done = strmap_pass(refs, done, t * sizeof(*refs));

		/* Those whose last reference was the one before leave. */
		while (t > leave_after) {
			nres -= sim_leave(ops, state, &pg, sp, sp->leave[left]);
			leave_after = sim_next_leave(sp, ++left);
		}
		ctx.now_us = cfg->ref_us ? (u64)(t * cfg->ref_us) :
			     t * 1000ULL;
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
			sim_tick(ops, state, &pg, &ctx);
			admitted = 0;
		}
		if (sim_resident(&pg, p)) {
			f = sim_frame(&pg, p);
			sim_referenced(&pg, f);
			/* The first use of a page read ahead: a fault avoided. */
			if (test_bit(SWAPLAB_FRAME_READAHEAD, &f->flags)) {
				clear_bit(SWAPLAB_FRAME_READAHEAD, &f->flags);
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
		rescued = pg.page[p].pooled;
		if (rescued) {
			sim_pool_unlink(&pg, p);
			if (cfg->stats)
				cfg->stats->buffered++;
		} else {
			faults++;
			sim_cfg_file_fault(cfg, p);
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
			sim_tick(ops, state, &pg, &ctx);
			admitted = 0;
		}
		/*
		 * Memory full: evict a whole batch at once, as reclaim does,
		 * and batch after batch while none is free (a smaller budget).
		 */
		while (nres >= frames) {
			size_t n = sim_evict(ops, state, &ctx, &pg, cfg->batch,
					     &evictions, victims, NULL);

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
			if (pg.oom) {
				faults = -1;
				goto out;
			}
			if (cfg->stats)
				cfg->stats->prefetch_issued += n;
			sim_pool_trim(&pg, frames, nres);
		}
		if (pg.page[p].shadow) {
			why = SWAPLAB_ADMIT_REFAULT;
			refault.distance = evictions - pg.page[p].stamp;
			refault.record = pg.page[p].record;
			if (cfg->stats)
				cfg->stats->refaults++;
		}
		f = sim_frame_take(&pg, p);
		if (!f) {
			faults = -1;
			goto out;
		}
		if (!cfg->no_fault_bit)
			sim_referenced(&pg, f);
		ctx.refault = why == SWAPLAB_ADMIT_REFAULT ? &refault : NULL;
		ctx.predicted = false;
		ops->admit(state, f, why, &ctx);
		ctx.refault = NULL;
		if (ctx.predicted && cfg->stats)
			cfg->stats->predicted++;
		/* The faulting access restarts and sets the accessed bit. */
		if (!cfg->no_fault_bit)
			sim_referenced(&pg, f);
		admitted++;
		nres++;
	}
	if (ops->stats && cfg->stats)
		sim_policy_stats(ops, state, cfg->stats);
	if (ops->release)
		ops->release(state);
	if (cfg->stats)
		cfg->stats->prefetch_misses += pg.misses;
out:
	free(state);
	free(victims);
	sim_pages_free(&pg);
	return faults;
}

/*
 * allocation=local: what the module's core keeps of each process (struct
 * swaplab_proc): its state of the policy (NULL for the exact policies),
 * its frames, its share, whether it counted at the decision that gave
 * the share (counted, the module's core_counted), its size (mapped),
 * the pages it holds (held: those it has faulted in; every page of a
 * trace is written, so each keeps a copy in the store once evicted),
 * whether it is listed, and the
 * reclaim that last found it without a victim; its working-set estimate,
 * its pages seen referenced and the faults that brought its pages in
 * since the last tick (ws_refs, ws_faults), the same of the interval that
 * tick closed (ws_last_refs, ws_last_faults), its estimate at that tick
 * (ws_pages) and the ticks it was listed at. A page back in leaves the
 * estimate's count of pages evicted at its fault, as at the module's
 * admission, if the estimate counted it at its eviction. For load
 * control: its working set as load control counts it at the last
 * decision (lc_ws), its references made, whether it has begun (made its
 * first reference, or been held at it), the reference its last fault
 * came at, whether it is deactivated, the period
 * it was last deactivated or activated at, the period it is due back
 * at, and its counts (proc.h's lc_* fields, in periods).
 */
struct sim_lproc {
	void *state;
	size_t nres;
	unsigned long alloc;
	bool counted;
	unsigned long mapped;
	unsigned long held;
	bool listed;
	unsigned long tried;
	struct swaplab_ws_est ws;
	unsigned long refs;
	unsigned long faults;
	unsigned long last_refs;
	unsigned long last_faults;
	unsigned long ws_pages;
	unsigned long lc_ws;
	unsigned long ticks;
	size_t made;
	bool begun;
	unsigned long last_fault;
	bool lc_off;
	bool lc_waited;		/* its turn came while deactivated */
	unsigned long lc_since;
	unsigned long lc_deadline;
	unsigned long lc_deacts;
	unsigned long lc_acts;
	unsigned long lc_off_periods;
	unsigned long lc_longest;
};

/*
 * The exact W(t, tau) for --ws-report: each page's virtual time, that of
 * the tick closing the interval it was last referenced in, whether it was
 * referenced in the interval now open, and whether it ever was.
 */
struct sim_exact_ws {
	unsigned int *stamp;
	bool *now;
	bool *seen;
};

/*
 * The processes of a local run: @order the listed ones, in the order
 * they were listed (the module's list, which the reclaim pick walks).
 * @over and @room: the allocator's verdict at the last decision
 * (share.c's swaplab_share_judge()). With load control, @pos: each
 * process's references' places in the string, process by process
 * (process p's from @pos_first[p]); @tail: the turns deferred past the
 * string's end, by process, @ntail of room for @tailcap.
 */
struct sim_local {
	const struct sim_config *cfg;
	const struct sim_procs *sp;
	struct swaplab_policy_ops *ops;
	struct swaplab_policy_ctx *ctx;
	struct sim_lproc *p;
	unsigned int *order;
	unsigned int nlisted;
	size_t frames;
	unsigned long stamp;
	unsigned long tau;
	unsigned int pff_upper;
	unsigned int pff_lower;
	bool decides;
	bool *young;
	unsigned long ticks;
	unsigned long clk;
	struct sim_exact_ws exact;
	bool over;
	long room;
	unsigned int working;
	size_t *pos;
	size_t *pos_first;
	uint16_t *tail;
	size_t ntail;
	size_t tailcap;
};

/* A process's size: its largest page number plus one. */
static unsigned long sim_local_size(const struct sim_procs *sp, unsigned int p)
{
	return sp->size ? sp->size[p] : sp->pages[p];
}

/* The frames a process's state may hold, as core.c's frames_of(). */
static unsigned long sim_local_frames(const struct sim_local *L,
				      unsigned int p)
{
	return min_t(unsigned long, L->p[p].alloc, L->frames);
}

/*
 * What the allocator is told of process @p, as share.c's view: no
 * allocation unless it was given while @p counted.
 */
static void sim_local_view(const struct sim_local *L, unsigned int p,
			   struct swaplab_alloc_proc *ap)
{
	const struct sim_lproc *q = &L->p[p];

	ap->size = q->mapped;
	ap->held = q->held;
	/* No trace sets a weight: every process has the default. */
	ap->weight = SWAPLAB_WEIGHT_DEFAULT;
	ap->alloc = swaplab_alloc_given(q->alloc, q->counted);
	ap->ws = swaplab_alloc_ws_estimate(&q->ws);
	ap->refs = q->last_refs;
	ap->faults = q->last_faults;
}

/*
 * The allocator's totals of the active processes that count, with @extra
 * too (-1: none), as share.c's, by alloc.h's rules: the one about to be
 * listed counts in @nr and @size only, and only if it maps a page.
 */
static void sim_local_totals(const struct sim_local *L, int extra,
			     struct swaplab_alloc_total *t)
{
	struct swaplab_alloc_proc ap;

	swaplab_alloc_total_init(t, sim_local_avail(L->frames));
	t->pff_upper = L->pff_upper;
	t->pff_lower = L->pff_lower;
	if (extra >= 0) {
		sim_local_view(L, extra, &ap);
		swaplab_alloc_total_join(t, &ap);
	}
	for (unsigned int i = 0; i < L->nlisted; i++) {
		/* One load control deactivated counts for nothing. */
		if (L->p[L->order[i]].lc_off)
			continue;
		sim_local_view(L, L->order[i], &ap);
		swaplab_alloc_total_add(t, &ap);
	}
	swaplab_alloc_total_close(t);
}

/*
 * Process @p's share: one frame while load control has it deactivated or
 * while it maps nothing; @counted set to whether it counts.
 */
static unsigned long sim_local_share(const struct sim_local *L, unsigned int p,
				     struct swaplab_alloc_total *t,
				     bool *counted)
{
	struct swaplab_alloc_proc ap;

	sim_local_view(L, p, &ap);
	*counted = swaplab_alloc_counted(&ap);
	return swaplab_alloc_share(L->cfg->allocator, &ap, t, L->p[p].lc_off);
}

/*
 * Give process @p @share, from a decision that found it counted or not,
 * with resize() if its share changed and it has a state.
 */
static void sim_local_give(struct sim_local *L, unsigned int p,
			   unsigned long share, bool counted)
{
	L->p[p].counted = counted;
	if (L->p[p].alloc == share)
		return;
	L->p[p].alloc = share;
	if (L->ops && L->ops->resize) {
		L->ctx->nr_frames = sim_local_frames(L, p);
		L->ops->resize(L->p[p].state, L->ctx);
	}
}

/*
 * Each active process that has come to count since its share was given,
 * its first share, one at a time, as core.c's count_new().
 */
static void sim_local_count_new(struct sim_local *L)
{
	struct swaplab_alloc_total t;
	unsigned long share;
	bool counted;

	for (unsigned int i = 0; i < L->nlisted; i++) {
		unsigned int p = L->order[i];

		if (L->p[p].counted || L->p[p].lc_off || !L->p[p].mapped)
			continue;
		sim_local_totals(L, -1, &t);
		share = sim_local_share(L, p, &t, &counted);
		sim_local_give(L, p, share, counted);
	}
}

/*
 * Is @q active and not faulting? As proc.h's swaplab_proc_quiet(), with
 * a period of --lc-period references for the module's 100 ms.
 */
static bool sim_lproc_quiet(const struct sim_local *L,
			    const struct sim_lproc *q)
{
	return !q->lc_off && L->clk - q->last_fault > L->cfg->lc_period;
}

/*
 * Do the active processes thrash, by the allocator's measure? As share.c's
 * swaplab_share_judge(), by loadctl_rule.h.
 */
static void sim_local_judge(struct sim_local *L,
			    const struct swaplab_alloc_total *t)
{
	const struct swaplab_allocator_ops *a = L->cfg->allocator;
	struct swaplab_lc_count c = { 0 };
	struct swaplab_alloc_proc ap;

	L->over = false;
	L->room = LONG_MAX;
	L->working = 0;
	if (!swaplab_lc_judges(a))
		return;
	for (unsigned int i = 0; i < L->nlisted; i++) {
		struct sim_lproc *q = &L->p[L->order[i]];
		bool quiet = sim_lproc_quiet(L, q);

		sim_local_view(L, L->order[i], &ap);
		q->lc_ws = swaplab_lc_ws(&ap, q->ws.vtime, L->tau,
					 t->avail, q->begun, quiet, q->nres);
		if (!q->lc_off)
			swaplab_lc_count_proc(&c, &ap, q->lc_ws, quiet, t);
	}
	L->over = swaplab_lc_verdict(a, t, &c, &L->room);
	L->working = c.working;
}

/*
 * Every listed process its share, those that have just come to count
 * their first; resize() for each whose share changed. The verdict on
 * thrashing is taken again.
 */
static void sim_local_rebalance(struct sim_local *L)
{
	struct swaplab_alloc_total t;
	unsigned long share;
	bool counted;

	sim_local_count_new(L);
	sim_local_totals(L, -1, &t);
	sim_local_judge(L, &t);
	for (unsigned int i = 0; i < L->nlisted; i++) {
		unsigned int p = L->order[i];

		share = sim_local_share(L, p, &t, &counted);
		sim_local_give(L, p, share, counted);
	}
}

/*
 * Process @p makes its region, then maps it: listed with nothing mapped,
 * its state init() with the share it gets then (core.c's proc_sync()),
 * then its size mapped (region.c's swaplab_region_map()). 0, or -1 if
 * init() fails.
 */
static int sim_local_join(struct sim_local *L, unsigned int p)
{
	struct swaplab_alloc_total t;
	unsigned long share;
	bool counted;

	sim_local_totals(L, p, &t);
	share = sim_local_share(L, p, &t, &counted);
	if (L->ops && L->ops->init) {
		L->ctx->nr_frames = min_t(unsigned long, share, L->frames);
		if (L->ops->init(L->p[p].state, L->ctx))
			return -1;
	}
	L->p[p].alloc = share;
	L->p[p].counted = counted;
	L->p[p].listed = true;
	L->order[L->nlisted++] = p;
	sim_local_rebalance(L);
	L->p[p].mapped = sim_local_size(L->sp, p);
	sim_local_rebalance(L);
	return 0;
}

/* Process @p's allocation, estimate, ticks and load control, for the table. */
static void sim_local_end(const struct sim_local *L, unsigned int p)
{
	struct sim_proc_end *e = L->cfg->proc_end ? &L->cfg->proc_end[p] : NULL;

	if (!e)
		return;
	e->alloc = L->p[p].alloc;
	e->ws = L->p[p].ws_pages;
	e->ticks = L->p[p].ticks;
	e->deacts = L->p[p].lc_deacts;
	e->acts = L->p[p].lc_acts;
	e->off = L->p[p].lc_off_periods;
	e->longest = L->p[p].lc_longest;
}

/* Process @p, whose pages are gone, leaves the list: shares set again. */
static void sim_local_unlist(struct sim_local *L, unsigned int p)
{
	unsigned int i = 0;

	sim_local_end(L, p);

	while (L->order[i] != p)
		i++;
	memmove(L->order + i, L->order + i + 1,
		(L->nlisted - i - 1) * sizeof(*L->order));
	L->nlisted--;
	L->p[p].listed = false;
	L->p[p].mapped = 0;
	L->p[p].held = 0;
	L->p[p].alloc = ULONG_MAX;
	L->p[p].counted = false;
	sim_local_rebalance(L);
}

/*
 * The process reclaim takes from, of those not found without a victim by
 * reclaim @L->stamp: one load control deactivated, else the one furthest
 * over its share, else the one with the most frames, the first listed on
 * a tie (core.c's pick). -1: none.
 */
static int sim_local_pick(const struct sim_local *L)
{
	long over, best_over = 0;
	int best = -1;

	for (unsigned int i = 0; i < L->nlisted; i++) {
		const struct sim_lproc *q = &L->p[L->order[i]];

		if (q->tried == L->stamp)
			continue;
		over = (long)q->nres -
		       (long)min_t(unsigned long, q->alloc, LONG_MAX);
		if (over <= 0)
			over = (long)q->nres - LONG_MAX;
		if (q->lc_off)
			over = LONG_MAX / 2 + (long)q->nres;
		if (best < 0 || over > best_over) {
			best = L->order[i];
			best_over = over;
		}
	}
	return best;
}

/* A fault of a process at its share evicts this many of its own pages. */
static size_t sim_local_batch(const struct sim_local *L, unsigned int p)
{
	unsigned long nr = L->p[p].alloc / 8;

	return nr < 1 ? 1 : nr > L->cfg->batch ? L->cfg->batch : nr;
}

/*
 * Allocate @L for @sp, whose pages are below @npages (the exact working
 * sets' tables, with a report); 0 or -ENOMEM.
 */
static int sim_local_init(struct sim_local *L, const struct sim_config *cfg,
			  struct swaplab_policy_ops *ops,
			  struct swaplab_policy_ctx *ctx, unsigned long npages)
{
	const struct sim_procs *sp = cfg->procs;
	bool pff = cfg->pff_upper || cfg->pff_lower;

	memset(L, 0, sizeof(*L));
	L->cfg = cfg;
	L->sp = sp;
	L->ops = ops;
	L->ctx = ctx;
	L->frames = cfg->frames;
	L->tau = cfg->ws_tau ? cfg->ws_tau : SIM_WS_TAU_DEFAULT;
	L->pff_upper = pff ? cfg->pff_upper : SIM_PFF_UPPER_DEFAULT;
	L->pff_lower = pff ? cfg->pff_lower : SIM_PFF_LOWER_DEFAULT;
	L->decides = cfg->allocator->flags & SWAPLAB_ALLOC_DECIDES;
	L->p = calloc(sp->n, sizeof(*L->p));
	L->order = calloc(sp->n, sizeof(*L->order));
	if (!L->p || !L->order)
		return -ENOMEM;
	/*
	 * A policy that reads no reference bits, or reads them in tick()
	 * only: the module harvests the accessed bits only before a tick.
	 */
	if (ops && (ops->flags & (SWAPLAB_POLICY_NO_REFS |
				  SWAPLAB_POLICY_REFS_AT_TICK))) {
		L->young = calloc(npages ? npages : 1, sizeof(bool));
		if (!L->young)
			return -ENOMEM;
	}
	if (cfg->ws_report) {
		L->exact.stamp = calloc(npages ? npages : 1,
					sizeof(*L->exact.stamp));
		L->exact.now = calloc(npages ? npages : 1, sizeof(bool));
		L->exact.seen = calloc(npages ? npages : 1, sizeof(bool));
		if (!L->exact.stamp || !L->exact.now || !L->exact.seen)
			return -ENOMEM;
	}
	for (unsigned int p = 0; ops && p < sp->n; p++) {
		L->p[p].state = calloc(1, ops->state_size ? ops->state_size : 1);
		if (!L->p[p].state)
			return -ENOMEM;
	}
	if (cfg->load_control) {
		size_t nrefs = 0, *fill;

		for (unsigned int p = 0; p < sp->n; p++)
			nrefs += sp->refs[p];
		L->pos = malloc((nrefs ? nrefs : 1) * sizeof(*L->pos));
		L->pos_first = calloc(sp->n + 1, sizeof(*L->pos_first));
		fill = calloc(sp->n, sizeof(*fill));
		if (!L->pos || !L->pos_first || !fill) {
			free(fill);
			return -ENOMEM;
		}
		for (unsigned int p = 0; p < sp->n; p++) {
			L->pos_first[p + 1] = L->pos_first[p] + sp->refs[p];
			fill[p] = L->pos_first[p];
		}
		for (size_t t = 0; t < nrefs; t++)
			L->pos[fill[sp->of[t]]++] = t;
		free(fill);
	}
	return 0;
}

/*
 * The end of a run: each listed process's allocation, estimate and ticks
 * for the table, then @L freed.
 */
static void sim_local_free(struct sim_local *L)
{
	for (unsigned int i = 0; L->order && i < L->nlisted; i++)
		sim_local_end(L, L->order[i]);
	for (unsigned int p = 0; L->p && L->ops && p < L->sp->n; p++) {
		if (L->p[p].listed && L->ops->release)
			L->ops->release(L->p[p].state);
		free(L->p[p].state);
	}
	free(L->tail);
	free(L->pos_first);
	free(L->pos);
	free(L->exact.seen);
	free(L->exact.now);
	free(L->exact.stamp);
	free(L->young);
	free(L->p);
	free(L->order);
}

/*
 * A page of process @P seen referenced: the first sighting since the last
 * tick moves its virtual time on (proc.h's swaplab_proc_referenced()).
 */
static void sim_local_referenced(struct sim_lproc *P, struct swaplab_frame *f)
{
	if (test_bit(SWAPLAB_FRAME_WS_REF, &f->flags))
		return;
	set_bit(SWAPLAB_FRAME_WS_REF, &f->flags);
	P->refs++;
}

/*
 * --ws-report: a line a listed process, its estimate against the exact
 * W(t, tau): its pages, resident or not, last referenced in an interval
 * whose closing tick's virtual time is within the window of its clock.
 */
static void sim_local_ws_report(struct sim_local *L)
{
	const struct sim_procs *sp = L->sp;
	struct sim_exact_ws *x = &L->exact;

	for (unsigned int i = 0; i < L->nlisted; i++) {
		unsigned int p = L->order[i];
		const struct swaplab_ws_est *e = &L->p[p].ws;
		unsigned int now = (unsigned int)e->vtime;
		unsigned long exact = 0;

		for (size_t k = sp->first[p]; k < sp->first[p + 1]; k++) {
			unsigned long y = sp->page[k];

			if (x->now[y]) {
				x->now[y] = false;
				x->seen[y] = true;
				x->stamp[y] = now;
			}
			exact += x->seen[y] &&
				 (unsigned int)(now - x->stamp[y]) < L->tau;
		}
		fprintf(L->cfg->ws_report, "%lu %u %lu %lu %lu\n", L->ticks, p,
			e->vtime, swaplab_alloc_ws_estimate(e), exact);
	}
}

/*
 * The estimates move on (share.c's swaplab_share_ws_tick()): each listed
 * process's clock moves on by its pages seen referenced, with the eviction
 * clock @clock for its ring, then its resident frames are counted
 * (the module walks every admitted frame; each counts to its own process
 * only, so the order it walks them in does not matter).
 */
static void sim_local_ws_tick(struct sim_local *L, const struct sim_pages *pg,
			      unsigned long clock)
{
	const struct sim_procs *sp = L->sp;

	L->ticks++;
	for (unsigned int i = 0; i < L->nlisted; i++) {
		struct sim_lproc *q = &L->p[L->order[i]];

		q->last_refs = q->refs;
		q->last_faults = q->faults;
		q->refs = 0;
		q->faults = 0;
		swaplab_alloc_ws_advance(&q->ws, q->last_refs, L->tau, clock);
		q->ticks++;
	}
	for (unsigned int i = 0; i < L->nlisted; i++) {
		unsigned int p = L->order[i];

		for (size_t k = sp->first[p]; k < sp->first[p + 1]; k++)
			if (sim_resident(pg, sp->page[k]))
				swaplab_alloc_ws_frame(&L->p[p].ws,
						       sim_frame(pg, sp->page[k]),
						       L->tau);
		L->p[p].ws_pages = swaplab_alloc_ws_estimate(&L->p[p].ws);
	}
	if (L->cfg->ws_report)
		sim_local_ws_report(L);
}

/* Process @proc's state, @ctx set for it. */
static void *sim_local_state(void *arg, unsigned int proc,
			     struct swaplab_policy_ctx *ctx)
{
	struct sim_local *L = arg;

	ctx->nr_frames = sim_local_frames(L, proc);
	return L->p[proc].state;
}

/*
 * A tick (core.c's swaplab_core_tick()), after the harvest of the
 * accessed bits if the policy left them in the page tables: every
 * listed process's state ticks, in the order of the list, if the policy
 * has tick(), then its tick_referenced() sees each frame whose bit is
 * set; the estimates move on; and if the allocator decides, every
 * process gets its share again.
 */
static void sim_local_tick(struct sim_local *L, struct sim_pages *pg,
			   unsigned long clock)
{
	const struct sim_procs *sp = L->sp;

	for (unsigned int i = 0; L->young && i < L->nlisted; i++) {
		unsigned int p = L->order[i];

		for (size_t k = sp->first[p]; k < sp->first[p + 1]; k++) {
			unsigned long y = sp->page[k];

			if (sim_resident(pg, y) && L->young[y]) {
				L->young[y] = false;
				sim_local_referenced(&L->p[p], sim_frame(pg, y));
			}
		}
	}
	for (unsigned int i = 0; L->ops->tick && i < L->nlisted; i++) {
		L->ctx->nr_frames = sim_local_frames(L, L->order[i]);
		L->ops->tick(L->p[L->order[i]].state, L->ctx);
	}
	if (L->ops->tick_referenced)
		sim_tick_referenced(L->ops, pg, L->ctx, sim_local_state, L);
	sim_local_ws_tick(L, pg, clock);
	if (L->decides)
		sim_local_rebalance(L);
}

/* Load control deactivates @q at period @now (loadctl.c's lc_off()). */
static void sim_lc_off(const struct sim_local *L, struct sim_lproc *q,
		       unsigned long now)
{
	q->lc_since = now;
	q->lc_deadline = now + L->cfg->lc_max;
	q->lc_deacts++;
	q->lc_off = true;
}

/*
 * @q's first reference, at period @now: it begins; under load control,
 * the allocator decides with it begun, and if the working sets overrun
 * while another process works it is held (loadctl.c's
 * swaplab_lc_begin()). Return: true if held.
 */
static bool sim_local_begin(struct sim_local *L, struct sim_lproc *q,
			    unsigned long now)
{
	q->begun = true;
	/* Its first reference is a fault: it is not quiet (sim_local_judge()). */
	q->last_fault = L->clk;
	if (!L->cfg->load_control)
		return false;
	sim_local_rebalance(L);
	if (swaplab_lc_admits(L->room, L->working))
		return false;
	sim_lc_off(L, q, now);
	return true;
}

/* Load control activates @q, deactivated, at period @now. */
static void sim_lc_on(struct sim_local *L, struct sim_lproc *q,
		      unsigned long now)
{
	unsigned long spell = now - q->lc_since;

	q->lc_off_periods += spell;
	q->lc_longest = max(q->lc_longest, spell);
	q->lc_since = now;
	q->lc_acts++;
	q->lc_off = false;
	/*
	 * A reference that waited is taken now: not quiet. One with none
	 * waiting stays as quiet as it was (loadctl.c's lc_on_proc()).
	 */
	if (q->lc_waited)
		q->last_fault = L->clk;
	q->lc_waited = false;
}

/*
 * A look of load control in period @now (loadctl.c's work, with
 * load_control_psi=0), @fresh after a decision of the allocator: one walk
 * of the listed processes reactivates those due back by the bound, finds
 * the one deactivated longest ago and, of the active ones with frames,
 * the victim; then loadctl_rule.h decides from the allocator's last
 * verdict (thrashing only on a fresh one, as the module acts once on each
 * decision), and one process is deactivated or reactivated, or none; and
 * again while swaplab_lc_again() says so (under ws, until the working
 * sets left active fit, or while the next one deactivated fits). Return:
 * true when a process was deactivated or let back, for which the module's
 * load control asks for a tick at once.
 */
static bool sim_local_lc(struct sim_local *L, unsigned long now, bool fresh)
{
	enum swaplab_lc_action action;
	bool thrash = fresh && L->over, changed = false;
	long room = L->room;
	unsigned long ws;

	do {
		struct swaplab_lc_choice choice = { 0 };
		struct swaplab_alloc_proc ap;
		int victim = -1, oldest = -1;
		unsigned int active = 0, running = 0;

		for (unsigned int i = 0; i < L->nlisted; i++) {
			unsigned int p = L->order[i];
			struct sim_lproc *q = &L->p[p];

			if (q->lc_off) {
				if (now >= q->lc_deadline) {
					sim_lc_on(L, q, now);
					changed = true;
				} else if (oldest < 0 ||
					   q->lc_since < L->p[oldest].lc_since) {
					oldest = p;
				}
				continue;
			}
			running++;
			if (!q->nres)
				continue;
			active++;
			sim_local_view(L, p, &ap);
			if (swaplab_lc_offer(&choice,
					     swaplab_lc_settled(q->lc_deacts, now,
								q->lc_since,
								L->cfg->lc_max),
					     sim_lproc_quiet(L, q), ap.weight,
					     (long)q->nres))
				victim = p;
		}
		action = swaplab_lc_decide(thrash, !L->over, active, running,
					   &choice, oldest >= 0,
					   oldest >= 0 ? L->p[oldest].lc_ws : 0,
					   room);
		if (action == SWAPLAB_LC_DEACTIVATE) {
			ws = L->p[victim].lc_ws;
			sim_lc_off(L, &L->p[victim], now);
		} else if (action == SWAPLAB_LC_REACTIVATE) {
			ws = L->p[oldest].lc_ws;
			sim_lc_on(L, &L->p[oldest], now);
		} else {
			break;
		}
		changed = true;
	} while (swaplab_lc_again(action, &room, ws));
	return changed;
}

/*
 * Can no reference be made before load control acts? Every listed
 * process with references left is deactivated.
 */
static bool sim_local_idle(const struct sim_local *L)
{
	for (unsigned int i = 0; i < L->nlisted; i++) {
		unsigned int p = L->order[i];

		if (!L->p[p].lc_off && L->p[p].made < L->sp->refs[p])
			return false;
	}
	return true;
}

/* A turn of process @p deferred past the string's end; 0 or -ENOMEM. */
static int sim_local_defer(struct sim_local *L, unsigned int p)
{
	if (L->ntail == L->tailcap) {
		size_t cap = L->tailcap ? 2 * L->tailcap : 1024;
		uint16_t *tail = realloc(L->tail, cap * sizeof(*tail));

		if (!tail)
			return -ENOMEM;
		L->tail = tail;
		L->tailcap = cap;
	}
	L->tail[L->ntail++] = p;
	return 0;
}

/*
 * Replay through one of the module's policies under allocation=local:
 * a state of the policy a process, as described at the head of this file.
 */
static long sim_policy_local(struct swaplab_policy_ops *ops,
			     const unsigned long *refs, size_t nrefs,
			     unsigned long npages, const struct sim_config *cfg)
{
	/* Every state here is one process's, as under the module's local. */
	struct swaplab_policy_ctx ctx = {
		.nr_frames = cfg->frames,
		.proc = true,
		.swappiness = cfg->swappiness,
	};
	struct sim_pages pg;
	int pages_err = sim_pages_init(&pg, npages, false);
	struct swaplab_frame **victims = calloc(cfg->batch, sizeof(*victims));
	const struct sim_procs *sp = cfg->procs;
	size_t frames = cfg->frames, admitted = 0, fault_tick, nres = 0;
	unsigned long evictions = 0;
	struct sim_local L;
	int done = -1;
	bool wanted, asked, decided = false;
	long faults = -1;

	pg.listing = ops->tick_referenced;
	pg.kinds = cfg->kinds;
	if (sim_local_init(&L, cfg, ops, &ctx, npages) || pages_err ||
	    !victims || sim_knobs(ops, cfg, &ctx))
		goto out;
	/* The policy ages, or the allocator decides at ticks (tick.c). */
	wanted = ops->tick || L.decides;
	sim_seed = 1;
	for (unsigned int p = 0; p < sp->n; p++)
		if (sp->refs[p] && sim_local_join(&L, p))
			goto out;
	faults = 0;
	fault_tick = frames / 8 > 32 ? frames / 8 : 32;
	/*
	 * The turns: the string's, then those deferred past its end. Time,
	 * @clk, counts the references made.
	 */
	for (size_t turn = 0, clk = 0, checked = SIZE_MAX;
	     turn < nrefs + L.ntail;) {
		unsigned int p = turn < nrefs ? sp->of[turn] :
				 L.tail[turn - nrefs];
		struct sim_lproc *P = &L.p[p];
		struct sim_ws_owner own = { &P->ws, L.tau };
		enum swaplab_admit_reason why = SWAPLAB_ADMIT_NEW;
		struct swaplab_refault refault;
		struct swaplab_frame *f;
		unsigned long x;

		/* The one whose last reference was the one before leaves. */
		if (done >= 0) {
			size_t n = sim_leave(ops, L.p[done].state, &pg, sp, done);

			L.p[done].nres -= n;
			nres -= n;
			sim_local_unlist(&L, done);
			decided = true;
			done = -1;
		}
		if (clk != checked) {
			checked = clk;
			L.clk = clk;
			ctx.now_us = clk * 1000ULL;
			/*
			 * At the first reference after a decision (a tick, a
			 * process gone), as the module's work acts within 10 ms
			 * of one; and at a period, for the bound and for room.
			 */
			asked = cfg->load_control && clk &&
				(decided || !(clk % cfg->lc_period)) &&
				sim_local_lc(&L, clk / cfg->lc_period, decided);
			decided = false;
			/*
			 * A tick load control asked for: after a move, or at a
			 * period, one due by the pages faulted in, which no
			 * reclaim takes while frames are free.
			 */
			asked |= cfg->load_control && clk &&
				 !(clk % cfg->lc_period) && admitted >= fault_tick;
			if (wanted && (asked ||
				       (cfg->tick && clk && !(clk % cfg->tick)))) {
				sim_local_tick(&L, &pg, evictions);
				admitted = 0;
				decided = true;
			}
		}
		/* Held at its first reference: a move, which ticks at once. */
		if (!P->begun && sim_local_begin(&L, P, clk / cfg->lc_period)) {
			sim_local_tick(&L, &pg, evictions);
			admitted = 0;
			decided = true;
		}
		/*
		 * Deactivated: its turn passes to the next at once, deferred
		 * past the string's end; with no one else to run, time moves
		 * on to the next period.
		 */
		if (P->lc_off) {
			P->lc_waited = true;
			if (sim_local_idle(&L)) {
				clk = (clk / cfg->lc_period + 1) * cfg->lc_period;
				continue;
			}
			if (sim_local_defer(&L, p)) {
				faults = -1;
				goto out;
			}
			turn++;
			continue;
		}
		/* Its next reference, in its own order. */
		x = L.pos ? refs[L.pos[L.pos_first[p] + P->made]] : refs[turn];
		if (++P->made == sp->refs[p])
			done = p;
		turn++;
		clk++;
		if (L.exact.now)
			L.exact.now[x] = true;
		if (sim_resident(&pg, x)) {
			f = sim_frame(&pg, x);
			sim_referenced(&pg, f);
			if (L.young)
				L.young[x] = true;
			else
				sim_local_referenced(P, f);
			continue;
		}
		faults++;
		sim_cfg_file_fault(cfg, x);
		if (cfg->proc_faults)
			cfg->proc_faults[p]++;
		/*
		 * At its share: its own pages first, a reclaim pass that
		 * ticks if a tick is due, of as many as its share before
		 * the tick says; none to evict, it goes over.
		 */
		while (P->nres >= P->alloc) {
			size_t n, nr = sim_local_batch(&L, p);

			if (wanted && admitted >= fault_tick) {
				sim_local_tick(&L, &pg, evictions);
				admitted = 0;
				decided = true;
			}
			ctx.nr_frames = sim_local_frames(&L, p);
			n = sim_evict(ops, P->state, &ctx, &pg, nr, &evictions,
				      victims, &own);
			if (!n)
				break;
			P->nres -= n;
			nres -= n;
		}
		/* No frame free: direct reclaim, from the process picked. */
		while (nres >= frames) {
			size_t got = 0;

			if (wanted && admitted >= fault_tick) {
				sim_local_tick(&L, &pg, evictions);
				admitted = 0;
				decided = true;
			}
			L.stamp++;
			while (got < cfg->batch) {
				int q = sim_local_pick(&L);
				size_t n;

				if (q < 0)
					break;
				own.est = &L.p[q].ws;
				ctx.nr_frames = sim_local_frames(&L, q);
				n = sim_evict(ops, L.p[q].state, &ctx, &pg,
					      cfg->batch - got, &evictions,
					      victims, &own);
				L.p[q].nres -= n;
				nres -= n;
				got += n;
				if (got < cfg->batch)
					L.p[q].tried = L.stamp;
			}
			if (!got)
				break;
		}
		if (pg.page[x].shadow) {
			why = SWAPLAB_ADMIT_REFAULT;
			refault.distance = evictions - pg.page[x].stamp;
			refault.record = pg.page[x].record;
			if (cfg->stats)
				cfg->stats->refaults++;
			/* Back in: out of the count if it was counted. */
			if (pg.page[x].in_ws)
				swaplab_alloc_ws_refault(&P->ws,
							 refault.distance,
							 evictions);
		} else {
			/* Its first: it holds data from now on (region.c). */
			P->held++;
		}
		f = sim_frame_take(&pg, x);
		if (!f) {
			faults = -1;
			goto out;
		}
		container_of(f, struct sim_frame, f)->proc = p;
		sim_referenced(&pg, f);
		/*
		 * Out of any window until seen referenced (region.c); the
		 * fault that brings it in is a reference, and one for PFF.
		 */
		f->ws_stamp = (unsigned int)P->ws.vtime - (1U << 31);
		sim_local_referenced(P, f);
		P->faults++;
		P->last_fault = clk;
		if (L.young)
			L.young[x] = false;
		ctx.nr_frames = sim_local_frames(&L, p);
		ctx.refault = why == SWAPLAB_ADMIT_REFAULT ? &refault : NULL;
		ctx.predicted = false;
		ops->admit(P->state, f, why, &ctx);
		ctx.refault = NULL;
		if (ctx.predicted && cfg->stats)
			cfg->stats->predicted++;
		sim_referenced(&pg, f);
		admitted++;
		P->nres++;
		nres++;
	}
out:
	sim_local_free(&L);
	free(victims);
	sim_pages_free(&pg);
	return faults;
}

/*
 * The resident pages of exact LRU or Belady's OPT, in @nq sets: one for
 * the whole budget under global, one a process under local. Each evicts
 * the page of the least key: LRU the page used least recently, OPT the
 * one next used farthest ahead (never again first). LRU keeps a set as
 * a list in the order of last use (ilist.h): a reference moves its page
 * to the head, O(1). OPT keeps a heap by next use (iheap.h): a
 * reference moves its page by its new next use, O(log n). The keys of
 * the pages OPT will use again are all different, and so are the last
 * uses LRU orders by: only pages never used again tie, and which of
 * those goes first changes no count.
 */
struct sim_xset {
	bool opt;
	unsigned int nq;
	struct ilinks l;
	struct ilist *list;
	struct iplaces h;
	struct iheap *heap;
	uint32_t *next;
	size_t nrefs;
	size_t key;		/* OPT's key of the latest reference */
};

static void sim_xset_free(struct sim_xset *xs)
{
	for (unsigned int q = 0; xs->heap && q < xs->nq; q++)
		iheap_free(&xs->heap[q]);
	free(xs->heap);
	free(xs->list);
	iplaces_free(&xs->h);
	ilinks_free(&xs->l);
	strmap_free(xs->next);
}

/*
 * Sets for @nq, set q holding at most @max[q] pages (OPT's room), of
 * the pages @refs names; OPT reads each reference's next use. 0, or -1
 * without memory (then sim_xset_free()), or for OPT over a string of
 * 2^32 - 1 references or more, with a message.
 */
static int sim_xset_init(struct sim_xset *xs, bool opt, unsigned int nq,
			 const size_t *max, const unsigned long *refs,
			 size_t nrefs, unsigned long npages)
{
	uint32_t *seen, *stage;
	int err = 0;

	memset(xs, 0, sizeof(*xs));
	xs->opt = opt;
	xs->nq = nq;
	xs->nrefs = nrefs;
	if (!opt) {
		xs->list = malloc(nq * sizeof(*xs->list));
		if (!xs->list || ilinks_init(&xs->l, npages ? npages : 1))
			return -1;
		for (unsigned int q = 0; q < nq; q++)
			ilist_init(&xs->list[q], 1);
		return 0;
	}
	if (nrefs >= UINT32_MAX) {
		fprintf(stderr, "swaplab: opt: more than %u references\n",
			UINT32_MAX - 1);
		return -1;
	}
	xs->next = strmap_alloc((nrefs ? nrefs : 1) * sizeof(*xs->next));
	xs->heap = calloc(nq, sizeof(*xs->heap));
	if (!xs->next || !xs->heap || iplaces_init(&xs->h, npages))
		return -1;
	for (unsigned int q = 0; q < nq; q++)
		if (iheap_init(&xs->heap[q], max[q]))
			return -1;
	/*
	 * next[t]: when refs[t] is next used (nrefs: never); seen[] holds
	 * the first use seen of each page meanwhile. Block by block from
	 * the end, each written in one go (strmap_write()), the string's
	 * block then dropped (strmap.h).
	 */
	seen = malloc((npages ? npages : 1) * sizeof(*seen));
	stage = malloc(SIM_STAGE * sizeof(*stage));
	if (!seen || !stage) {
		free(seen);
		free(stage);
		return -1;
	}
	for (unsigned long x = 0; x < npages; x++)
		seen[x] = nrefs;
	for (size_t hi = nrefs, lo; hi > 0 && !err; hi = lo) {
		lo = hi > SIM_STAGE ? hi - SIM_STAGE : 0;
		for (size_t t = hi; t-- > lo;) {
			stage[t - lo] = seen[refs[t]];
			seen[refs[t]] = t;
		}
		err = strmap_write(xs->next, lo * sizeof(*stage), stage,
				   (hi - lo) * sizeof(*stage));
		strmap_drop(refs, lo * sizeof(*refs), hi * sizeof(*refs));
	}
	free(stage);
	free(seen);
	return err ? -1 : 0;
}

static bool sim_xset_has(const struct sim_xset *xs, unsigned long x)
{
	return xs->opt ? iheap_has(&xs->h, x) : ilist_on(&xs->l, x) != 0;
}

static size_t sim_xset_n(const struct sim_xset *xs, unsigned int q)
{
	return xs->opt ? xs->heap[q].n : xs->list[q].n;
}

/* As sim_ahead(): what the reference SIM_AHEAD on will read. */
static __always_inline
void sim_xset_ahead(const struct sim_xset *xs, const unsigned long *refs,
		    size_t t, size_t nrefs)
{
	if (t + SIM_AHEAD >= nrefs)
		return;
	if (xs->opt)
		__builtin_prefetch(&xs->h.at[refs[t + SIM_AHEAD]]);
	else
		__builtin_prefetch(&xs->l.link[refs[t + SIM_AHEAD]]);
}

/*
 * Reference @t, to page @x of set @q: a resident page takes its new
 * place; one not resident gets its key, for sim_xset_add() to come.
 */
static void sim_xset_ref(struct sim_xset *xs, unsigned int q,
			 unsigned long x, size_t t)
{
	bool in = sim_xset_has(xs, x);

	if (!xs->opt) {
		if (in) {
			ilist_del(&xs->l, &xs->list[q], x);
			ilist_push(&xs->l, &xs->list[q], x);
		}
		return;
	}
	xs->key = xs->nrefs - xs->next[t];
	if (in)
		iheap_fix(&xs->h, &xs->heap[q], x, xs->key);
}

/* Page @x, just referenced (sim_xset_ref()) and not resident, joins @q. */
static void sim_xset_add(struct sim_xset *xs, unsigned int q, unsigned long x)
{
	if (xs->opt)
		iheap_push(&xs->h, &xs->heap[q], x, xs->key);
	else
		ilist_push(&xs->l, &xs->list[q], x);
}

static void sim_xset_del(struct sim_xset *xs, unsigned int q, unsigned long x)
{
	if (xs->opt)
		iheap_del(&xs->h, &xs->heap[q], x);
	else
		ilist_del(&xs->l, &xs->list[q], x);
}

/* Evict the page of the least key from set @q, not empty. */
static void sim_xset_evict(struct sim_xset *xs, unsigned int q)
{
	if (xs->opt)
		iheap_pop(&xs->h, &xs->heap[q]);
	else
		ilist_pop(&xs->l, &xs->list[q]);
}

/* Exact LRU (@opt false) or Belady's OPT (@opt true). */
static long sim_exact(bool opt, const unsigned long *refs, size_t nrefs,
		      unsigned long npages, const struct sim_config *cfg)
{
	size_t frames = cfg->frames, slots = frames;
	const struct sim_procs *sp = cfg->procs;
	size_t leave_after = sim_next_leave(sp, 0);
	unsigned int left = 0;
	struct sim_xset xs;
	long faults = -1;
	int r = 0;

	for (int i = 0; i < cfg->nresize; i++)
		if (cfg->resize[i].frames > slots)
			slots = cfg->resize[i].frames;
	/* Never more than @npages resident, however many frames. */
	if (slots > npages)
		slots = npages;
	if (sim_xset_init(&xs, opt, 1, &slots, refs, nrefs, npages))
		goto out;
	faults = 0;
	for (size_t t = 0, done = 0, ndone = 0; t < nrefs; t++) {
		unsigned long p = refs[t];

		sim_xset_ahead(&xs, refs, t, nrefs);
		done = strmap_pass(refs, done, t * sizeof(*refs));
		if (xs.next)
			ndone = strmap_pass(xs.next, ndone,
					    t * sizeof(*xs.next));
		/* A process leaves: its pages are freed, the others stay. */
		for (; t > leave_after; leave_after = sim_next_leave(sp, ++left)) {
			unsigned int q = sp->leave[left];

			for (size_t k = sp->first[q]; k < sp->first[q + 1]; k++)
				if (sim_xset_has(&xs, sp->page[k]))
					sim_xset_del(&xs, 0, sp->page[k]);
		}
		for (; r < cfg->nresize && cfg->resize[r].at <= t; r++)
			frames = cfg->resize[r].frames;
		sim_xset_ref(&xs, 0, p, t);
		if (sim_xset_has(&xs, p))
			continue;
		faults++;
		sim_cfg_file_fault(cfg, p);
		if (sp && cfg->proc_faults)
			cfg->proc_faults[sp->of[t]]++;
		/* Batch after batch while no frame is free (a smaller budget). */
		while (sim_xset_n(&xs, 0) && sim_xset_n(&xs, 0) >= frames)
			for (size_t b = 0; b < cfg->batch && sim_xset_n(&xs, 0); b++)
				sim_xset_evict(&xs, 0);
		sim_xset_add(&xs, 0, p);
	}
out:
	sim_xset_free(&xs);
	return faults;
}

/*
 * Exact LRU or OPT under allocation=local: each process's pages are
 * replaced within its share, the smallest key among its own resident
 * pages first; direct reclaim as in sim_policy_local().
 */
static long sim_exact_local(bool opt, const unsigned long *refs, size_t nrefs,
			    unsigned long npages, const struct sim_config *cfg)
{
	const struct sim_procs *sp = cfg->procs;
	size_t *max = calloc(sp->n ? sp->n : 1, sizeof(*max));
	size_t frames = cfg->frames, nres = 0;
	size_t leave_after = sim_next_leave(sp, 0);
	unsigned int left = 0;
	struct sim_local L;
	struct sim_xset xs;
	long faults = -1;

	memset(&xs, 0, sizeof(xs));
	if (sim_local_init(&L, cfg, NULL, NULL, npages) || !max)
		goto out;
	for (unsigned int q = 0; q < sp->n; q++)
		max[q] = sp->first[q + 1] - sp->first[q];
	if (sim_xset_init(&xs, opt, sp->n, max, refs, nrefs, npages))
		goto out;
	for (unsigned int p = 0; p < sp->n; p++)
		if (sp->refs[p])
			sim_local_join(&L, p);
	faults = 0;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long x = refs[t];
		unsigned int p = sp->of[t];

		while (t > leave_after) {
			unsigned int q = sp->leave[left];

			for (size_t k = sp->first[q]; k < sp->first[q + 1]; k++)
				if (sim_xset_has(&xs, sp->page[k]))
					sim_xset_del(&xs, q, sp->page[k]);
			nres -= L.p[q].nres;
			L.p[q].nres = 0;
			sim_local_unlist(&L, q);
			leave_after = sim_next_leave(sp, ++left);
		}
		sim_xset_ref(&xs, p, x, t);
		if (sim_xset_has(&xs, x))
			continue;
		faults++;
		sim_cfg_file_fault(cfg, x);
		if (cfg->proc_faults)
			cfg->proc_faults[p]++;
		/* Its own pages first, at its share; then whoever is picked. */
		for (;;) {
			unsigned int q = p;
			size_t nr = sim_local_batch(&L, p);

			if (L.p[p].nres < L.p[p].alloc) {
				int r;

				if (nres < frames)
					break;
				L.stamp++;
				r = sim_local_pick(&L);
				if (r < 0 || !L.p[r].nres)
					break;
				q = r;
				nr = cfg->batch;
			}
			if (!L.p[q].nres)
				break;
			for (size_t b = 0; b < nr && L.p[q].nres; b++) {
				sim_xset_evict(&xs, q);
				L.p[q].nres--;
				nres--;
			}
		}
		sim_xset_add(&xs, p, x);
		L.p[p].nres++;
		nres++;
	}
out:
	sim_xset_free(&xs);
	sim_local_free(&L);
	free(max);
	return faults;
}

/* Can @policy run under local with @cfg's other settings? */
static bool sim_local_ok(const char *policy, const struct sim_config *cfg)
{
	return sim_multiproc(policy) &&
	       sim_follows(policy, cfg->allocator) && !cfg->prefetch &&
	       !cfg->page_buffering && !cfg->nresize &&
	       (!cfg->load_control ||
		(sim_load_controls(cfg->allocator) && cfg->lc_period &&
		 cfg->lc_max >= SIM_LC_MAX_MIN && cfg->lc_max <= SIM_LC_MAX_MAX));
}

/*
 * Under local, a string of one process (no @cfg->procs) is process 0's,
 * whose size is @npages.
 */
static long sim_run_local(struct swaplab_policy_ops *ops, const char *policy,
			  const unsigned long *refs, size_t nrefs,
			  unsigned long npages, const struct sim_config *cfg)
{
	struct sim_config one = *cfg;
	struct sim_procs sp;
	uint16_t *of;
	long faults;

	if (cfg->procs)
		return ops ? sim_policy_local(ops, refs, nrefs, npages, cfg) :
		       sim_exact_local(!strcmp(policy, "opt"), refs, nrefs,
				       npages, cfg);
	of = calloc(nrefs ? nrefs : 1, sizeof(*of));
	if (!of || sim_procs_init(&sp, refs, of, nrefs, npages, 1)) {
		free(of);
		return -1;
	}
	sp.size = malloc(sizeof(*sp.size));
	faults = -1;
	if (sp.size) {
		sp.size[0] = npages;
		one.procs = &sp;
		one.proc_faults = NULL;
		faults = sim_run_local(ops, policy, refs, nrefs, npages, &one);
	}
	sim_procs_free(&sp);
	free(of);
	return faults;
}

long sim_run(const char *policy, const unsigned long *refs, size_t nrefs,
	     unsigned long npages, const struct sim_config *cfg)
{
	struct swaplab_policy_ops *ops = sim_policy_ops(policy);

	if (!cfg->frames || !cfg->batch ||
	    (cfg->nresize && !sim_resizable(policy)) ||
	    (cfg->procs && (!sim_multiproc(policy) || cfg->prefetch)) ||
	    (cfg->allocator && !sim_local_ok(policy, cfg)) ||
	    (cfg->load_control && !cfg->allocator))
		return -1;
	if (cfg->procs && cfg->proc_faults)
		memset(cfg->proc_faults, 0,
		       cfg->procs->n * sizeof(*cfg->proc_faults));
	if (cfg->allocator)
		return sim_run_local(ops, policy, refs, nrefs, npages, cfg);
	if (ops)
		return sim_policy(ops, refs, nrefs, npages, cfg);
	if (!strcmp(policy, "arc"))
		return sim_arc(refs, nrefs, npages, cfg->frames, cfg->kinds,
			       sim_file_faults(cfg));
	if (!strcmp(policy, "lirs"))
		return sim_lirs(refs, nrefs, npages, cfg->frames, cfg->kinds,
				sim_file_faults(cfg));
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

	for (size_t i = 0, done = 0; seen && i < nrefs; i++) {
		done = strmap_pass(refs, done, i * sizeof(*refs));
		if (!seen[refs[i]]) {
			seen[refs[i]] = 1;
			d++;
		}
	}
	free(seen);
	return d;
}
