// SPDX-License-Identifier: GPL-2.0
/*
 * Proportional allocation: each process gets a share of the frames in
 * proportion to its size, the pages its regions map, times its weight
 * (Silberschatz's proportional allocation, a_i = s_i / S * m, and its
 * variant by priority). Rounded down, at least one frame; equal shares
 * while no process maps anything.
 */
#include "alloc.h"

static unsigned long proportional_share(const struct swaplab_alloc_proc *p,
					struct swaplab_alloc_total *t)
{
	if (!t->weighted)
		return t->nr && t->avail / t->nr ? t->avail / t->nr : 1;
	return swaplab_alloc_part(t->avail, p->size * p->weight, t->weighted);
}

const struct swaplab_allocator_ops swaplab_alloc_proportional = {
	.name	= "proportional",
	.share	= proportional_share,
};
