// SPDX-License-Identifier: GPL-2.0
/*
 * Equal allocation: every process that maps pages of its regions gets
 * the same share, whatever its size (Silberschatz's equal allocation).
 */
#include "api/alloc.h"

static unsigned long equal_share(const struct swaplab_alloc_proc *p,
				 struct swaplab_alloc_total *t)
{
	unsigned long share = t->nr ? t->avail / t->nr : t->avail;

	return share ? share : 1;
}

const struct swaplab_allocator_ops swaplab_alloc_equal = {
	.name	= "equal",
	.share	= equal_share,
};
