/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame-allocation interface: how the budget is shared among
 * processes under allocation=local, and the working-set estimate that
 * the ws allocator, load control and the status files read.
 *
 * An allocator is plain C over this header, as a policy is over
 * policy.h: it calls nothing of the kernel's, so the same source files
 * compile into the userspace simulator, with the rules below for what
 * an allocator is told. The decisions (share.c) give every process
 * with regions its share whenever one comes or goes, its size
 * changes, the budget changes or another allocator is selected; and, for
 * an allocator with %SWAPLAB_ALLOC_DECIDES, at every tick of the aging
 * clock, from the figures of the interval since the last one.
 *
 * Virtual time. A process's clock counts its pages seen referenced: at
 * each tick it advances by the number of its pages that were faulted in,
 * faulted on or found with an accessed bit since the last tick. It stands
 * still while the process does not run or waits, as Denning's process
 * time does, and the simulator computes the same count from a trace.
 */
#ifndef _SWAPLAB_ALLOC_H
#define _SWAPLAB_ALLOC_H

#ifdef __KERNEL__
#include <linux/limits.h>
#else
#include <limits.h>
#endif

#include "api/policy.h"

#define SWAPLAB_ALLOCATOR_NAME_MAX	16

/* Intervals the working-set estimate remembers evictions by. */
#define SWAPLAB_WS_RING		64

/**
 * struct swaplab_ws_est - one process's working-set estimate
 * @vtime: its virtual time, at the last tick
 * @resident: its resident pages seen referenced within the window, at the
 *	last tick
 * @evicted: its pages evicted while within the window, and not faulted
 *	back, that the window still covers
 * @head: the ring's newest entry
 * @nr: entries in the ring
 * @ring_vtime: for each of the last ticks, the virtual time it set
 * @ring_count: the pages counted in @evicted last seen referenced at it
 * @ring_clock: the eviction clock (evictions from the budget so far, as
 *	refault distances count them) at it
 *
 * W(t, tau) is the set of pages referenced in the last @tau of the
 * process's virtual time. A resident page is in it if it was seen
 * referenced then; a page evicted is in it until the window passes the
 * time it was last seen referenced, or until it is faulted back in and
 * counts as resident again. Pages out of the policy (pinned, parked,
 * isolated) are not counted.
 */
struct swaplab_ws_est {
	unsigned long vtime;
	unsigned long resident;
	unsigned long evicted;
	unsigned int head;
	unsigned int nr;
	unsigned int ring_vtime[SWAPLAB_WS_RING];
	unsigned int ring_count[SWAPLAB_WS_RING];
	unsigned int ring_clock[SWAPLAB_WS_RING];
};

/**
 * struct swaplab_alloc_proc - what an allocator knows of one process
 * @size: pages its regions map: for each region, the largest extent any
 *	mapping of it has reached
 * @held: pages of its regions that hold data, resident or kept out of
 *	memory (in the store, the compressed tier or the pager's buffers):
 *	what it has written or read in, not what it could map. A page that
 *	only ever read zeroes and was evicted clean holds none.
 * @weight: its weight, 1 to 10000, 100 unless its owner set another
 *	(%SWAPLAB_IOC_SET_WEIGHT)
 * @alloc: its allocation now; 0 for a process the allocator has not
 *	given one since it came to count (swaplab_alloc_counted())
 * @ws: its working-set estimate, in pages
 * @refs: its pages seen referenced in the last interval between ticks
 *	(its virtual time's advance)
 * @faults: the faults that brought its pages in, in that interval
 */
struct swaplab_alloc_proc {
	unsigned long size;
	unsigned long held;
	unsigned int weight;
	unsigned long alloc;
	unsigned long ws;
	unsigned long refs;
	unsigned long faults;
};

/**
 * swaplab_alloc_counted() - does a process take part in the split?
 * @p: what the allocator knows of it
 *
 * Only once a mapping of one of its regions has reached a page. A process
 * that holds a region open and maps nothing (a tool that reads a region's
 * figures, a pager that attached through the device) has no page to
 * fault on: it counts in no total, and its share is the least, one frame.
 * The one frame is no allocation given: when it comes to count, it gets
 * its first share as a new process does.
 *
 * Return: true if @p counts.
 */
static inline bool swaplab_alloc_counted(const struct swaplab_alloc_proc *p)
{
	return p->size;
}

/**
 * struct swaplab_alloc_total - what it knows of them all
 * @nr: processes that map pages of their regions (swaplab_alloc_counted())
 *	and are active (not deactivated by load control)
 * @size: their sizes added up
 * @weighted: their held pages times their weights added up
 * @avail: frames to share: the budget less the page daemon's working
 *	high watermark, the frames it keeps free
 * @ws: their working-set estimates added up
 * @alloc: their allocations now added up (0 for a new one)
 * @free: frames no allocation holds, @avail less @alloc (0 if more is
 *	given than there is); an allocator that grows a process takes the
 *	growth from it, so that one decision never gives out more than
 *	there is
 * @pff_upper: the pff allocator's upper threshold (per mille)
 * @pff_lower: its lower threshold (per mille)
 */
struct swaplab_alloc_total {
	unsigned int nr;
	unsigned long size;
	unsigned long weighted;
	unsigned long avail;
	unsigned long ws;
	unsigned long alloc;
	unsigned long free;
	unsigned int pff_upper;
	unsigned int pff_lower;
};

/**
 * swaplab_alloc_given() - a process's allocation, as the allocator sees it
 * @alloc: the frames it may hold now (%ULONG_MAX: not listed)
 * @counted: it counted (swaplab_alloc_counted()) when @alloc was given
 *
 * Return: @alloc, or 0 (none yet) if it was not given while the process
 * counted: the one frame of a process that maps nothing is no share to
 * scale or step from.
 */
static inline unsigned long swaplab_alloc_given(unsigned long alloc,
						bool counted)
{
	return alloc == ULONG_MAX || !counted ? 0 : alloc;
}

/**
 * swaplab_alloc_total_init() - start the totals of a decision
 * @t: the totals
 * @avail: the frames to share
 *
 * The caller sets the pff thresholds, adds the processes
 * (swaplab_alloc_total_join(), swaplab_alloc_total_add()) and closes
 * the totals (swaplab_alloc_total_close()).
 */
static inline void swaplab_alloc_total_init(struct swaplab_alloc_total *t,
					    unsigned long avail)
{
	*t = (struct swaplab_alloc_total){ .avail = avail };
}

/**
 * swaplab_alloc_total_join() - count a process about to be listed
 * @t: the totals
 * @p: the process
 *
 * It counts, if it maps a page, in the number and the sizes only: it
 * has no working set or allocation yet.
 */
static inline void swaplab_alloc_total_join(struct swaplab_alloc_total *t,
					    const struct swaplab_alloc_proc *p)
{
	if (!swaplab_alloc_counted(p))
		return;
	t->nr++;
	t->size += p->size;
	t->weighted += p->held * p->weight;
}

/**
 * swaplab_alloc_total_add() - count a listed process that is active
 * @t: the totals
 * @p: the process
 *
 * Nothing of a process that does not count (swaplab_alloc_counted()).
 */
static inline void swaplab_alloc_total_add(struct swaplab_alloc_total *t,
					   const struct swaplab_alloc_proc *p)
{
	if (!swaplab_alloc_counted(p))
		return;
	swaplab_alloc_total_join(t, p);
	t->ws += p->ws;
	t->alloc += p->alloc;
}

/**
 * swaplab_alloc_total_close() - finish the totals: the frames left free
 * @t: the totals, every process added
 */
static inline void swaplab_alloc_total_close(struct swaplab_alloc_total *t)
{
	t->free = t->avail > t->alloc ? t->avail - t->alloc : 0;
}

/*
 * swaplab_allocator_ops.flags: SWAPLAB_ALLOC_DECIDES, shares follow
 * figures that move between the decisions on events (the estimates,
 * the pages held), and the core decides at every tick.
 */
#define SWAPLAB_ALLOC_DECIDES	0x1

/**
 * struct swaplab_allocator_ops - an allocator
 * @name: the name users select it by
 * @flags: %SWAPLAB_ALLOC_* bits
 * @share: (required) the frames process @p may hold, at least 1. Called
 *	for the processes one after the other, with the totals of all of
 *	them; it may take from @t->free what it gives beyond @p->alloc.
 */
struct swaplab_allocator_ops {
	char name[SWAPLAB_ALLOCATOR_NAME_MAX];
	unsigned int flags;
	unsigned long (*share)(const struct swaplab_alloc_proc *p,
			       struct swaplab_alloc_total *t);
};

/*
 * The allocators, each in its own file: alloc_list.h lists them for the
 * module's table, which fails to build if one is not declared here.
 */
extern const struct swaplab_allocator_ops swaplab_alloc_equal;
extern const struct swaplab_allocator_ops swaplab_alloc_proportional;
extern const struct swaplab_allocator_ops swaplab_alloc_ws;
extern const struct swaplab_allocator_ops swaplab_alloc_pff;

/**
 * swaplab_alloc_share() - a process's share under allocation=local
 * @a: the allocator in force
 * @p: the process
 * @t: the totals of the decision; @a may take from @t->free
 * @off: load control has the process deactivated
 *
 * Return: the least, one frame, while the process is deactivated or
 * maps nothing (swaplab_alloc_counted()); else what @a gives it.
 */
static inline unsigned long swaplab_alloc_share(const struct swaplab_allocator_ops *a,
						const struct swaplab_alloc_proc *p,
						struct swaplab_alloc_total *t,
						bool off)
{
	if (off || !swaplab_alloc_counted(p))
		return 1;
	return a->share(p, t);
}

/* The working-set estimate (alloc_ws.c), called by the core at a tick. */
void swaplab_alloc_ws_advance(struct swaplab_ws_est *e, unsigned long refs,
			      unsigned long tau, unsigned long clock);
void swaplab_alloc_ws_frame(struct swaplab_ws_est *e, struct swaplab_frame *f,
			    unsigned long tau);
bool swaplab_alloc_ws_evicted(struct swaplab_ws_est *e,
			      const struct swaplab_frame *f, unsigned long tau);
void swaplab_alloc_ws_refault(struct swaplab_ws_est *e, unsigned long distance,
			      unsigned long clock);

/**
 * swaplab_alloc_ws_estimate() - a process's working-set estimate
 * @e: its estimate
 *
 * Return: pages, as of the last tick and the evictions and refaults since.
 */
static inline unsigned long swaplab_alloc_ws_estimate(const struct swaplab_ws_est *e)
{
	return e->resident + e->evicted;
}

/**
 * swaplab_alloc_part() - @avail shared in proportion to @part of @total
 * @avail: frames to share
 * @part: the process's part
 * @total: all the parts added up, not 0
 *
 * Return: @avail * @part / @total rounded down, at least 1; the parts
 * scaled down together until the product fits 64 bits.
 */
static inline unsigned long swaplab_alloc_part(unsigned long avail,
					       unsigned long part,
					       unsigned long total)
{
	unsigned long long share, p = part, all = total;

	while (all >> 32) {
		p >>= 1;
		all >>= 1;
	}
	share = all ? (unsigned long long)avail * p / all : 0;
	return share ? (unsigned long)share : 1;
}

/**
 * swaplab_alloc_pff_rate() - a process's page-fault frequency
 * @p: the process
 *
 * Return: its faults per thousand pages referenced in the last interval,
 * 0 if it referenced none.
 */
static inline unsigned int swaplab_alloc_pff_rate(const struct swaplab_alloc_proc *p)
{
	return p->refs ? (unsigned int)min(p->faults * 1000 / p->refs, 1000UL) : 0;
}

#endif /* _SWAPLAB_ALLOC_H */
