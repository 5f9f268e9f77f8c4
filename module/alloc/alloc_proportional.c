// SPDX-License-Identifier: GPL-2.0
/*
 * Proportional allocation: each process gets a share of the frames in
 * proportion to its size times its weight (Silberschatz's proportional
 * allocation, a_i = s_i / S * m, and its variant by priority). Rounded
 * down, at least one frame; equal shares while no process holds
 * anything.
 *
 * The size is the pages the process's regions hold, resident or kept
 * out of memory (alloc.h's @held), not the extent it maps: the textbook
 * sizes a process by its virtual memory, but a mapping costs nothing
 * here until its pages are touched, so sizing by it would let a process
 * that maps much and touches nothing take the frames of those that
 * work. As the sizes move with every page written, the shares are set
 * again at every tick of the aging clock (%SWAPLAB_ALLOC_DECIDES), as
 * well as when a process comes or goes: a newcomer starts at one frame
 * and grows, tick by tick, with the pages it writes.
 */
#include "api/alloc.h"

static unsigned long proportional_share(const struct swaplab_alloc_proc *p,
					struct swaplab_alloc_total *t)
{
	if (!t->weighted)
		return t->nr && t->avail / t->nr ? t->avail / t->nr : 1;
	return swaplab_alloc_part(t->avail, p->held * p->weight, t->weighted);
}

const struct swaplab_allocator_ops swaplab_alloc_proportional = {
	.name	= "proportional",
	.flags	= SWAPLAB_ALLOC_DECIDES,
	.share	= proportional_share,
};
