/* SPDX-License-Identifier: GPL-2.0 */
/* The trace simulator behind `swaplab sim`. */
#ifndef SWAPLAB_SIM_H
#define SWAPLAB_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_KNOBS_MAX	8
#define SIM_RESIZE_MAX	16

/* The module's defaults of ws_tau, pff_upper and pff_lower (core.h). */
#define SIM_WS_TAU_DEFAULT	1024
#define SIM_WS_TAU_MAX		0x80000000U
#define SIM_PFF_UPPER_DEFAULT	100
#define SIM_PFF_LOWER_DEFAULT	10
/*
 * Load control's bound on a spell deactivated, in periods: the module's
 * load_control_max_ms range and default over its period of 100 ms.
 */
#define SIM_LC_MAX_MIN		1
#define SIM_LC_MAX_MAX		600
#define SIM_LC_MAX_DEFAULT	20

/**
 * struct sim_resize - a change of the frame budget during a replay
 * @at: the reference before which it takes effect (0: the first)
 * @frames: the new budget
 *
 * As writing /sys/kernel/swaplab/frames does: the policy's resize() is
 * told, nothing is evicted at once, and the next fault that finds memory
 * full evicts batch after batch until a frame is free (the faulting
 * thread's reclaim, daemon=0).
 */
struct sim_resize {
	size_t at;
	size_t frames;
};

/**
 * struct sim_knob - a policy knob's value for a run
 * @name: the knob's name
 * @val: its value
 */
struct sim_knob {
	char name[32];
	unsigned int val;
};

/* A policy's own counts: as many as the module's (api/policy.h). */
#define SIM_POLICY_STATS	16

/**
 * struct sim_stats - what a run of a module policy counted
 * @refaults: faults on pages evicted before
 * @predicted: those the policy's admit() said its history foresaw
 * @prefetch_issued: pages the prefetcher had read with a fault
 * @prefetch_hits: those used before they were evicted (each a fault
 *	avoided)
 * @prefetch_misses: those evicted unused
 * @buffered: references to pages in page buffering's pool: copied back
 *	with no I/O, not counted as faults
 * @file_faults: faults on pages of files (struct sim_config's @kinds),
 *	under every policy
 * @policy: the policy's own counts at the end (its stats(); one process
 *	under global only)
 * @npolicy: how many
 */
struct sim_stats {
	unsigned long refaults;
	unsigned long predicted;
	unsigned long prefetch_issued;
	unsigned long prefetch_hits;
	unsigned long prefetch_misses;
	unsigned long buffered;
	unsigned long file_faults;
	struct {
		const char *name;
		unsigned long long value;
	} policy[SIM_POLICY_STATS];
	unsigned int npolicy;
};

/**
 * struct sim_procs - the processes of a reference string
 * @of: the process of each reference
 * @n: processes, numbered below @n (some may make no reference)
 * @refs: the references of each process
 * @pages: the distinct pages of each (each page is one process's)
 * @first: process p's pages are @page[@first[p]] to
 *	@page[@first[p + 1] - 1] (@n + 1 entries)
 * @page: the pages of each process in turn
 * @last: the last reference of each process
 * @leave: the processes whose last reference is not the string's, in the
 *	order they make it: each leaves then, its pages freed
 * @nleave: how many
 * @size: the size of each, the pages its region maps: its largest page
 *	number plus one (sim_procs_size()); NULL: its distinct pages
 */
struct sim_procs {
	const uint16_t *of;
	unsigned int n;
	size_t *refs;
	unsigned long *pages;
	size_t *first;
	unsigned long *page;
	size_t *last;
	unsigned int *leave;
	unsigned int nleave;
	unsigned long *size;
};

/**
 * struct sim_proc_end - a process under allocation=local, at the end
 * @alloc: its allocation, at the end of the run or when it left
 * @ws: its working-set estimate at its last tick, in pages (0 before
 *	any), as the module's status files show it
 * @ticks: the ticks it was listed at
 * @deacts: with load control, the times it was deactivated
 * @acts: the times it was reactivated
 * @off: the periods it spent deactivated
 * @longest: its longest spell deactivated, in periods
 */
struct sim_proc_end {
	unsigned long alloc;
	unsigned long ws;
	unsigned long ticks;
	unsigned long deacts;
	unsigned long acts;
	unsigned long off;
	unsigned long longest;
};

struct swaplab_prefetch_ops;
struct swaplab_allocator_ops;

/**
 * struct sim_config - how to replay a reference string
 * @frames: frames of memory
 * @batch: pages evicted at once when memory is full (1: textbook; 32:
 *	like swaplab's direct reclaim)
 * @tick: references between aging ticks (0: never)
 * @ref_us: the time a reference stands for, in microseconds, for the
 *	policies that age by time (0: a millisecond); a sample's reference
 *	stands for those of the pages left out (sim_sample.h). Global
 *	allocation only.
 * @knobs: values for the policies' knobs, by name (as in
 *	/sys/kernel/swaplab/policies/<name>/); time is counted in references
 * @nknobs: how many
 * @stats: if not NULL, where the module policies' refault counts go,
 *	and every policy's faults on pages of files
 * @kinds: the kind of each page, by id (lib/trace.h's enum trace_kind);
 *	NULL: every page is anonymous. A module policy's frame has
 *	SWAPLAB_FRAME_FILE for a page of a file, and SWAPLAB_FRAME_EXEC too
 *	for an executable's, from before its admit(), as the module sets
 *	them
 * @swappiness: the module's knob of that name, for the policies with a
 *	notion of the kind of page (swaplab_policy_ctx's @swappiness):
 *	0 to SWAPLAB_SWAPPINESS_MAX; the module's default is
 *	SWAPLAB_SWAPPINESS_DEFAULT
 * @prefetch: the prefetcher a major fault asks, as the module's does;
 *	NULL: none (the exact policies never prefetch)
 * @window: the prefetchers' configured window (the readahead knob)
 * @page_buffering: the module's knob of that name: evicted pages wait in
 *	a pool while their frames are free (module policies only)
 * @no_fault_bit: the access that faults a page in leaves its reference
 *	bit clear, as the textbook's clock loads a page; in the module the
 *	access restarts once the page is mapped and always sets it (global
 *	allocation only)
 * @resize: changes of @frames during the run, by increasing @at (the
 *	module's policies, exact LRU and OPT; sim_run() refuses ARC and
 *	LIRS with them)
 * @nresize: how many
 * @procs: the processes of the string (NULL: one, which never leaves);
 *	a process that leaves frees its pages, as at exit (the module's
 *	policies, exact LRU and OPT; sim_run() refuses ARC and LIRS with
 *	it, and a prefetcher, whose state is one region's)
 * @proc_faults: if not NULL (and @procs is not), where each process's
 *	faults go, @procs->n entries
 * @allocator: NULL for the module's allocation=global; else its
 *	allocation=local with this allocator (module/alloc/alloc_*.c): each
 *	process that makes references has its own state of the policy and
 *	a share of the frames, and replaces its own pages (see sim.c). The
 *	module's policies, exact LRU and OPT; sim_run() refuses ARC and
 *	LIRS, a prefetcher, page buffering and @resize with it
 * @ws_tau: under local, the working-set window, in pages referenced (the
 *	module's ws_tau knob; 0: its default, 1024)
 * @pff_upper: under local, the pff allocator's upper threshold, per
 *	mille (the module's pff_upper; with @pff_lower 0 and 0: the
 *	module's defaults, 100 and 10)
 * @pff_lower: its lower threshold
 * @ws_report: if not NULL, under local, where each tick writes a line a
 *	listed process: the tick, the process, its virtual time, its
 *	working-set estimate and the exact W(t, tau) (see sim.c)
 * @proc_end: if not NULL (and @procs is not), under local, where each
 *	process's allocation, estimate and ticks at the end (or when it
 *	left), and its load control counts, go, @procs->n entries
 * @load_control: under local with an allocator that judges thrashing
 *	(ws, pff), the module's load control with load_control_psi=0:
 *	every @lc_period references a period decides by loadctl_rule.h
 *	(see sim.c); the module's policies only
 * @lc_period: references made a period, at least 1
 * @lc_max: the bound on a spell deactivated, in periods
 *	(%SIM_LC_MAX_MIN to %SIM_LC_MAX_MAX)
 */
struct sim_config {
	size_t frames;
	size_t batch;
	size_t tick;
	double ref_us;
	struct sim_knob knobs[SIM_KNOBS_MAX];
	int nknobs;
	struct sim_stats *stats;
	const uint8_t *kinds;
	unsigned int swappiness;
	const struct swaplab_prefetch_ops *prefetch;
	unsigned int window;
	bool page_buffering;
	bool no_fault_bit;
	struct sim_resize resize[SIM_RESIZE_MAX];
	int nresize;
	const struct sim_procs *procs;
	unsigned long *proc_faults;
	const struct swaplab_allocator_ops *allocator;
	unsigned long ws_tau;
	unsigned int pff_upper;
	unsigned int pff_lower;
	FILE *ws_report;
	struct sim_proc_end *proc_end;
	bool load_control;
	size_t lc_period;
	unsigned int lc_max;
};

/*
 * Names sim_run() knows: the module's policies, then the exact ones,
 * "lru", "arc", "lirs" and "opt".
 */
extern const char * const sim_policies[];

/*
 * Replay @refs (page numbers below @npages) under the named policy.
 * Returns the number of faults, or -1 for an unknown name or no memory.
 */
/* The distinct pages of @refs, whose ids are below @npages; 0 if no memory. */
unsigned long sim_distinct(const unsigned long *refs, size_t nrefs,
			   unsigned long npages);

long sim_run(const char *policy, const unsigned long *refs, size_t nrefs,
	     unsigned long npages, const struct sim_config *cfg);

/*
 * Parse --resize's "AT:FRAMES[,AT:FRAMES...]" into @cfg (AT increasing,
 * FRAMES at least 1); 0, or -EINVAL with a message on stderr.
 */
int sim_resize_parse(struct sim_config *cfg, const char *arg);

/* Can @name replay with a change of budget (see struct sim_resize)? */
bool sim_resizable(const char *name);

/* Can @name replay several processes (see struct sim_config)? */
bool sim_multiproc(const char *name);

/*
 * Can @name replay under local with the allocator @a? Not exact LRU and
 * OPT with one that decides at ticks (ws, pff): they keep no estimate.
 */
bool sim_follows(const char *name, const struct swaplab_allocator_ops *a);

/* Does the allocator @a judge thrashing, for load control (ws, pff)? */
bool sim_load_controls(const struct swaplab_allocator_ops *a);

/*
 * Fill @sp for the string @refs (ids below @npages) whose reference t is
 * made by process @of[t], below @n; 0 or -ENOMEM. sim_procs_free() frees
 * what it holds, not @of.
 */
int sim_procs_init(struct sim_procs *sp, const unsigned long *refs,
		   const uint16_t *of, size_t nrefs, unsigned long npages,
		   unsigned int n);
void sim_procs_free(struct sim_procs *sp);

/*
 * Set @sp->size from @local, each id's page number in its process's own
 * numbering (trace_read_procs()); 0 or -ENOMEM.
 */
int sim_procs_size(struct sim_procs *sp, const unsigned long *local);

/* Names of the module's allocators (alloc_list.h), NULL-terminated. */
extern const char * const sim_allocators[];

/* The module's allocator of that name, as compiled here, or NULL. */
const struct swaplab_allocator_ops *sim_allocator(const char *name);

/*
 * The frames allocation=local shares out of a budget of @frames: the
 * budget less the module's default working high watermark.
 */
unsigned long sim_local_avail(size_t frames);

/*
 * Is each --knob in range for every module policy that has a knob of its
 * name? 0, or -1 with a message on stderr.
 */
int sim_knobs_check(const struct sim_config *cfg);

/* Is @name one of the module's own policies (not an exact one)? */
bool sim_is_module_policy(const char *name);

struct swaplab_policy_ops;
/* The module's own policy of that name, as compiled here, or NULL. */
struct swaplab_policy_ops *sim_policy_ops(const char *name);

/* Names of the module's prefetchers, NULL-terminated. */
extern const char * const sim_prefetchers[];

/* The module's prefetcher of that name, as compiled here, or NULL. */
const struct swaplab_prefetch_ops *sim_prefetch_ops(const char *name);

/* Exact LRU, driven by access(), for `swaplab pager` (pager_lru.c). */
extern struct swaplab_policy_ops sim_pager_lru;

/*
 * A fault on page @x: one more in *@file_faults if @kinds says it is a
 * file's (any kind but TRACE_KIND_ANON, 0). Either may be NULL.
 */
static inline void sim_file_fault(const uint8_t *kinds,
				  unsigned long *file_faults, unsigned long x)
{
	if (kinds && file_faults && kinds[x])
		(*file_faults)++;
}

long sim_arc(const unsigned long *refs, size_t nrefs, unsigned long npages,
	     size_t frames, const uint8_t *kinds, unsigned long *file_faults);
long sim_lirs(const unsigned long *refs, size_t nrefs, unsigned long npages,
	      size_t frames, const uint8_t *kinds, unsigned long *file_faults);

#endif /* SWAPLAB_SIM_H */
