// SPDX-License-Identifier: GPL-2.0
/*
 * none: demand paging, the textbook's pure form: a fault reads its own
 * page only.
 */
#include "api/prefetch.h"

static unsigned int none_fault(void *state,
			       const struct swaplab_prefetch_fault *pf,
			       unsigned long *pages, unsigned int max)
{
	return 0;
}

struct swaplab_prefetch_ops swaplab_prefetch_none = {
	.name	= "none",
	.fault	= none_fault,
};
