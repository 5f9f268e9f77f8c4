/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame-allocation interface: how the budget is shared among
 * processes under allocation=local.
 *
 * An allocator is plain C over this header, as a policy is over
 * policy.h: it calls nothing of the kernel's, so the same source files
 * compile into the userspace simulator. The core (core.c) gives every
 * process with regions its share whenever one comes or goes, its size
 * changes, the budget changes or another allocator is selected.
 */
#ifndef _SWAPLAB_ALLOC_H
#define _SWAPLAB_ALLOC_H

#define SWAPLAB_ALLOCATOR_NAME_MAX	16

/**
 * struct swaplab_alloc_proc - what an allocator knows of one process
 * @size: pages its regions map: for each region, the largest extent any
 *	mapping of it has reached
 */
struct swaplab_alloc_proc {
	unsigned long size;
};

/**
 * struct swaplab_alloc_total - what it knows of them all
 * @nr: processes that have regions
 * @size: their sizes added up
 * @avail: frames to share: the budget less the page daemon's working
 *	high watermark, the frames it keeps free
 */
struct swaplab_alloc_total {
	unsigned int nr;
	unsigned long size;
	unsigned long avail;
};

/**
 * struct swaplab_allocator_ops - an allocator
 * @name: the name users select it by
 * @share: (required) the frames process @p may hold, at least 1
 */
struct swaplab_allocator_ops {
	char name[SWAPLAB_ALLOCATOR_NAME_MAX];
	unsigned long (*share)(const struct swaplab_alloc_proc *p,
			       const struct swaplab_alloc_total *t);
};

/*
 * The allocators, each in its own file: alloc_list.h lists them for the
 * module's table, which fails to build if one is not declared here.
 */
extern const struct swaplab_allocator_ops swaplab_alloc_equal;
extern const struct swaplab_allocator_ops swaplab_alloc_proportional;

#endif /* _SWAPLAB_ALLOC_H */
