// SPDX-License-Identifier: GPL-2.0
/*
 * Page-fault-frequency allocation (Chu and Opderbeck, with the two
 * thresholds of Silberschatz's account): at every tick each process's
 * fault rate over the interval, its faults per thousand of its pages
 * referenced, is set against pff_upper and pff_lower. Above the upper it
 * gets an eighth more frames (at least a reclaim batch), from those no
 * allocation holds; below the lower it gives an eighth back, which the
 * page daemon frees from it; in between it keeps what it has. A process
 * that referenced nothing keeps its allocation. A process new to the
 * split (swaplab_alloc_counted(): its first page mapped), which has no
 * allocation yet, starts with an equal share; if the allocations add up
 * to more than there is (the budget shrank, a process came), each is
 * first scaled down to its part of what there is.
 *
 * When every process is above the upper threshold and no frame is left
 * to give, the processes thrash: load control's signal (loadctl.c).
 */
#include "api/alloc.h"

/* The least a step moves an allocation: a reclaim batch. */
#define PFF_STEP_MIN	32UL

static unsigned long pff_share(const struct swaplab_alloc_proc *p,
			       struct swaplab_alloc_total *t)
{
	unsigned long alloc = p->alloc, step;
	unsigned int rate = swaplab_alloc_pff_rate(p);

	if (!t->nr)
		return t->avail ? t->avail : 1;
	if (!alloc) {
		alloc = t->avail / t->nr;
		return alloc ? alloc : 1;
	}
	if (t->alloc > t->avail)
		alloc = swaplab_alloc_part(t->avail, alloc, t->alloc);
	if (!p->refs)
		return alloc;
	step = max(alloc / 8, PFF_STEP_MIN);
	if (rate > t->pff_upper) {
		step = min(step, t->free);
		t->free -= step;
		return alloc + step;
	}
	if (rate < t->pff_lower && alloc > step)
		return alloc - alloc / 8;
	return alloc;
}

const struct swaplab_allocator_ops swaplab_alloc_pff = {
	.name	= "pff",
	.flags	= SWAPLAB_ALLOC_DECIDES,
	.share	= pff_share,
};
