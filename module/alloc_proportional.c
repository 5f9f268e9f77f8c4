// SPDX-License-Identifier: GPL-2.0
/*
 * Proportional allocation: each process gets a share of the frames in
 * proportion to its size, the pages its regions map (Silberschatz's
 * proportional allocation, a_i = s_i / S * m). Rounded down, at least one
 * frame; equal shares while no process maps anything.
 */
#include "alloc.h"

static unsigned long proportional_share(const struct swaplab_alloc_proc *p,
					struct swaplab_alloc_total *t)
{
	unsigned long long size = p->size, total = t->size, share;

	if (!total)
		return t->nr && t->avail / t->nr ? t->avail / t->nr : 1;
	/* Sizes scaled down together until the product fits 64 bits. */
	while (total >> 32) {
		size >>= 1;
		total >>= 1;
	}
	share = (unsigned long long)t->avail * size / total;
	return share ? (unsigned long)share : 1;
}

const struct swaplab_allocator_ops swaplab_alloc_proportional = {
	.name	= "proportional",
	.share	= proportional_share,
};
